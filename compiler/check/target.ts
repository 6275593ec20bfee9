import type { Ident } from '../../language/ast.js';
import type { Range } from '../../language/range.js';
import { compilerCodes as codes } from '../codes.js';
import { itemsOf, propertiesOf, type SchemaNode } from '../schema-node.js';
import { didYouMean } from '../suggest.js';
import { typeFromSchema, type Type } from '../types.js';
import type { Reporter } from './reporter.js';

export type WriteAction = 'create' | 'update';

/**
 * Where rules write: the write schemas that apply (a flow that both creates and updates must satisfy both), the
 * read schema (to tell "read-only" from "unknown"), and the create schema whose required fields must be set.
 */
export interface TargetSpec {
  /** How the target is named in messages: `eaccounting.customers`, `eaccounting.orders (Rows[])`. */
  readonly owner: string;
  readonly writes: readonly { readonly action: WriteAction; readonly node: SchemaNode }[];
  readonly read?: SchemaNode;
  /** The create schema when the rules may create: its required fields must all have rules. */
  readonly requiredBy?: SchemaNode;
}

export interface TargetField {
  readonly type: Type;
  /** For an array field: where the rules of one element write. */
  readonly element?: TargetSpec;
}

/** Resolves a dotted target field against every applicable write schema, reporting what does not fit. */
export function resolveTargetField(reporter: Reporter, target: TargetSpec, segments: readonly Ident[]): TargetField | undefined {
  let spec = target;
  let type: Type | undefined;
  let nodes = spec.writes.map((w) => ({ ...w, node: w.node as SchemaNode | undefined }));
  let read = spec.read;
  for (const segment of segments) {
    const found = nodes.map((w) => ({ ...w, field: w.node ? propertiesOf(w.node).get(segment.name) : undefined }));
    const present = found.filter((f) => f.field);
    if (present.length === 0) {
      reportUnknown(reporter, spec.owner, segment, nodes.map((n) => n.node), read);
      return undefined;
    }
    if (present.length < found.length) {
      const accepting = present[0]!.action;
      reporter.error(codes.onlyOnCase, segment.range, { name: segment.name, action: accepting, owner: spec.owner });
      return undefined;
    }
    type = typeFromSchema(present[0]!.field!, spec.owner);
    nodes = found.map((f) => ({ action: f.action, node: f.field }));
    read = read ? propertiesOf(read).get(segment.name) : undefined;
    spec = { owner: spec.owner, writes: [] };
  }
  if (!type) return undefined;
  if (type.kind !== 'array') return { type };
  const owner = `${target.owner} (${segments.map((s) => s.name).join('.')}[])`;
  const writes = nodes.flatMap((n) => {
    const items = n.node ? itemsOf(n.node) : undefined;
    return items ? [{ action: n.action, node: items }] : [];
  });
  const readItems = read ? itemsOf(read) : undefined;
  const requiredBy = writes.find((w) => w.action === 'create' && target.requiredBy)?.node;
  return {
    type,
    element: { owner, writes, ...(readItems ? { read: readItems } : {}), ...(requiredBy ? { requiredBy } : {}) },
  };
}

function reportUnknown(reporter: Reporter, owner: string, segment: Ident, writes: readonly (SchemaNode | undefined)[], read: SchemaNode | undefined): void {
  const writable = new Set(writes.flatMap((node) => (node ? [...propertiesOf(node).keys()] : [])));
  const guess = didYouMean(segment.name, writable, segment.range);
  const spec = read && propertiesOf(read).has(segment.name) ? codes.readOnlyField : codes.unknownTargetField;
  reporter.error(spec, segment.range, { name: segment.name, owner, suggestion: guess.suggestion }, guess.fixes);
}

/** Required fields of the create schema that no rule sets. */
export function checkRequired(reporter: Reporter, target: TargetSpec, provided: ReadonlySet<string>, at: Range): void {
  if (!target.requiredBy) return;
  for (const name of target.requiredBy.schema.required ?? []) {
    if (!provided.has(name)) reporter.error(codes.missingRequired, at, { name, owner: target.owner, action: 'create a record' });
  }
}
