import type { FieldLineage, Fragment, Json, SourceSegment } from '../../../compiler/artifact.js';
import type { Range } from '../../../language/range.js';

/**
 * Which rule made each element of an array field. `Rows = each orderrows ...` makes the first rows and every
 * `Rows += { ... } when ...` one more if its condition holds, so `Rows[5]` may come from any of them, and only the
 * evaluation knows. The payload is evaluated once with each element-making rule's value wrapped in a tagging
 * function (found through the fragment's source segments: the rule's range), and the tags are taken off again,
 * so the payload shown is exactly the one the flow sends.
 */

/** The binding the traced payload calls: a name that no `.map` local compiles to. */
const TAG_FUNCTION = '__maplineElementRule';
const TAG_KEY = '\u0000mapline-rule';

export interface ElementOrigin {
  /** The `.map` range of the rule that made the element. */
  readonly rule: Range;
  /** True for `each`: the element's position is the position of the list element it was made from. */
  readonly each: boolean;
  /** Position among the elements that rule made. */
  readonly position: number;
}

export interface ElementTrace {
  /** The payload fragment with its element-making rules tagged, and the binding it needs. */
  readonly fragment: Fragment;
  readonly bindings: Readonly<Record<string, unknown>>;
  /** The traced value without its tags, and the origin of every tagged element by its path (`Rows[3]`). */
  untag(value: Json | undefined): { value: Json | undefined; origins: ReadonlyMap<string, ElementOrigin> };
}

export function traceElements(fragment: Fragment, lineage: readonly FieldLineage[]): ElementTrace {
  const rules: NonNullable<FieldLineage['element']>[] = [];
  for (const field of lineage) {
    if (field.element && !rules.some((r) => sameRange(r.range, field.element!.range))) rules.push(field.element);
  }
  const wraps = rules.flatMap((rule, id) => {
    const segment = outermost(fragment.segments, rule.range);
    return segment ? [{ id, segment }] : [];
  });
  const bindings = {
    [TAG_FUNCTION]: (list: unknown, id: number): unknown =>
      Array.isArray(list) ? list.map((element: unknown) => (isObject(element) ? { ...element, [TAG_KEY]: id } : element)) : list,
  };
  return {
    fragment: wrapSegments(fragment, wraps),
    bindings,
    untag: (value) => {
      const origins = new Map<string, ElementOrigin>();
      return { value: value === undefined ? undefined : strip(value, '', rules, origins), origins };
    },
  };
}

function strip(value: Json, path: string, rules: readonly NonNullable<FieldLineage['element']>[], origins: Map<string, ElementOrigin>): Json {
  if (Array.isArray(value)) {
    const made = new Map<number, number>();
    return value.map((element, i) => {
      const elementPath = `${path}[${i}]`;
      if (isObject(element) && typeof element[TAG_KEY] === 'number') {
        const id = element[TAG_KEY] as number;
        const position = made.get(id) ?? 0;
        made.set(id, position + 1);
        const rule = rules[id]!;
        origins.set(elementPath, { rule: rule.range, each: rule.each, position });
      }
      return strip(element, elementPath, rules, origins);
    });
  }
  if (isObject(value)) {
    const out: { [key: string]: Json } = {};
    for (const [key, field] of Object.entries(value)) if (key !== TAG_KEY) out[key] = strip(field, path === '' ? key : `${path}.${key}`, rules, origins);
    return out;
  }
  return value;
}

/** The widest segment mapped to exactly `range` (a rule's value; an inner rule block may share the range). */
function outermost(segments: readonly SourceSegment[], range: Range): SourceSegment | undefined {
  let best: SourceSegment | undefined;
  for (const s of segments) if (sameRange(s.range, range) && (!best || s.to - s.from > best.to - best.from)) best = s;
  return best;
}

/** Writes `$tag(` before and `, id)` after each wrapped stretch; shifts the source map so errors still point right. */
function wrapSegments(fragment: Fragment, wraps: readonly { id: number; segment: SourceSegment }[]): Fragment {
  if (wraps.length === 0) return fragment;
  const inserts: { at: number; text: string; closing: boolean; width: number }[] = [];
  for (const { id, segment } of wraps) {
    const width = segment.to - segment.from;
    inserts.push({ at: segment.from, text: `$${TAG_FUNCTION}(`, closing: false, width });
    inserts.push({ at: segment.to, text: `, ${id})`, closing: true, width });
  }
  // At one offset: closings before openings; inner stretches close first and open last.
  inserts.sort((a, b) => a.at - b.at || Number(b.closing) - Number(a.closing) || (a.closing ? a.width - b.width : b.width - a.width));
  let text = '';
  let last = 0;
  for (const insert of inserts) {
    text += fragment.jsonata.slice(last, insert.at) + insert.text;
    last = insert.at;
  }
  text += fragment.jsonata.slice(last);
  // An offset moves by what was inserted before it; a segment's end also takes what was inserted at it.
  const shift = (offset: number, inclusive: boolean): number =>
    offset + inserts.filter((i) => i.at < offset || (inclusive && i.at === offset)).reduce((n, i) => n + i.text.length, 0);
  const segments = fragment.segments.map((s) => ({ ...s, from: shift(s.from, false), to: shift(s.to, true) }));
  return { ...fragment, jsonata: text, segments };
}

function sameRange(a: Range, b: Range): boolean {
  return a.start === b.start && a.end === b.end;
}

function isObject(value: unknown): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
