/**
 * Scans a double-quoted string literal with `{expr}` interpolation holes. The lexer uses it to find where a
 * string ends (holes may hold braces and nested strings, e.g. `"{terms["x"]}"`, which a regular expression
 * cannot balance); the AST builder uses it again to split the literal into text parts and holes.
 *
 * Strings stay on one line: a string still open at the end of the line is unterminated. The scanner never
 * fails; it reports problems as values and always says where the literal ends.
 */

/** Escapes a string may hold, and the character each stands for. */
export const STRING_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  n: '\n',
  t: '\t',
  '{': '{',
  '}': '}',
};

export interface StringTextPart {
  readonly kind: 'text';
  /** The text with escapes resolved. */
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

export interface StringHolePart {
  readonly kind: 'hole';
  /** Offsets of the braces: `start` is the `{`, `end` is one past the `}` (or the end of the scan if unclosed). */
  readonly start: number;
  readonly end: number;
  /** Offsets of the expression text between the braces. */
  readonly innerStart: number;
  readonly innerEnd: number;
  readonly closed: boolean;
}

export type StringPart = StringTextPart | StringHolePart;

export type StringProblem =
  | { readonly kind: 'unterminated'; readonly start: number; readonly end: number }
  | { readonly kind: 'bad-escape'; readonly start: number; readonly end: number; readonly escape: string }
  | { readonly kind: 'unclosed-hole'; readonly start: number; readonly end: number }
  | { readonly kind: 'empty-hole'; readonly start: number; readonly end: number };

export interface ScannedString {
  /** Offset one past the closing quote, or the end of the line when the string is unterminated. */
  readonly end: number;
  readonly terminated: boolean;
  readonly parts: readonly StringPart[];
  readonly problems: readonly StringProblem[];
}

function isLineEnd(code: number): boolean {
  return code === 10 || code === 13;
}

/** Where a string starting with the quote at `start` ends; nothing else is computed (the lexer's hot path). */
export function stringEnd(text: string, start: number): number {
  return scanString(text, start, false).end;
}

/**
 * Scans the literal whose opening quote is at `start`. With `collect` false only `end` is meaningful.
 */
export function scanString(text: string, start: number, collect = true): ScannedString {
  const parts: StringPart[] = [];
  const problems: StringProblem[] = [];
  let value = '';
  let textStart = start + 1;
  let i = start + 1;

  const flushText = (end: number): void => {
    if (collect && end > textStart) parts.push({ kind: 'text', value, start: textStart, end });
    value = '';
  };

  while (i < text.length) {
    const ch = text[i]!;
    const code = text.charCodeAt(i);
    if (isLineEnd(code)) break;
    if (ch === '"') {
      flushText(i);
      return { end: i + 1, terminated: true, parts, problems };
    }
    if (ch === '\\') {
      const next = text[i + 1];
      if (next !== undefined && !isLineEnd(text.charCodeAt(i + 1)) && next in STRING_ESCAPES) {
        value += STRING_ESCAPES[next];
        i += 2;
      } else {
        if (collect) {
          const escapeEnd = next === undefined || isLineEnd(text.charCodeAt(i + 1)) ? i + 1 : i + 2;
          problems.push({ kind: 'bad-escape', start: i, end: escapeEnd, escape: text.slice(i, escapeEnd) });
        }
        // Keep the characters as written so the value stays close to what the user meant.
        value += next !== undefined && !isLineEnd(text.charCodeAt(i + 1)) ? '\\' + next : '\\';
        i += next !== undefined && !isLineEnd(text.charCodeAt(i + 1)) ? 2 : 1;
      }
      continue;
    }
    if (ch === '{') {
      flushText(i);
      const hole = scanHole(text, i);
      if (collect) {
        parts.push({
          kind: 'hole',
          start: i,
          end: hole.end,
          innerStart: i + 1,
          innerEnd: hole.closed ? hole.end - 1 : hole.end,
          closed: hole.closed,
        });
        if (!hole.closed) problems.push({ kind: 'unclosed-hole', start: i, end: i + 1 });
        else if (text.slice(i + 1, hole.end - 1).trim() === '') {
          problems.push({ kind: 'empty-hole', start: i, end: hole.end });
        }
      }
      if (!hole.closed) {
        // The hole swallowed the rest of the line, closing quote included: the literal ends with the line.
        return { end: hole.end, terminated: false, parts, problems };
      }
      i = hole.end;
      textStart = i;
      continue;
    }
    value += ch;
    i++;
  }
  flushText(i);
  if (collect) problems.push({ kind: 'unterminated', start, end: i });
  return { end: i, terminated: false, parts, problems };
}

/** Scans an interpolation hole from its `{`: braces nest, and nested strings are skipped whole. */
function scanHole(text: string, open: number): { end: number; closed: boolean } {
  let depth = 1;
  let i = open + 1;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (isLineEnd(code)) return { end: i, closed: false };
    const ch = text[i];
    if (ch === '"') {
      const nested = scanString(text, i, false);
      if (!nested.terminated) return { end: nested.end, closed: false };
      i = nested.end;
      continue;
    }
    if (ch === '{') depth++;
    else if (ch === '}') {
      depth--;
      if (depth === 0) return { end: i + 1, closed: true };
    }
    i++;
  }
  return { end: i, closed: false };
}
