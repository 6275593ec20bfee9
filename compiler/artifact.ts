import type { Range } from '../language/range.js';

/**
 * The compiled artifact: plain, versioned JSON. The runtime and the playground execute it; neither ever sees
 * `.map` text. Every JSONata fragment and every target field carries the `.map` location it came from.
 *
 * Evaluation contract (the runtime and the playground both honour it):
 * - Source records (and the records lookups return) are normalised before evaluation: object keys whose value
 *   is JSON `null` are removed, so "absent" and "null" are the same thing, as the language says. A literal
 *   `null` in a `.map` file is emitted as JSONata `null` and clears the target field.
 * - Child collections listed in `plan.source.children` are loaded and attached to the source record under
 *   their field name as arrays before any fragment runs.
 * - Fragments are evaluated against the source record as the JSONata input, with these bindings:
 *   `$settings` (the flow's settings after config overrides, normalised like records: a `null` setting is
 *   absent, so `settings.x != null` is false for it), `$tables`, the standard library (see
 *   `compiler/stdlib`), and the runtime-bound lookup functions named in `LOOKUP_FUNCTIONS`.
 * - A payload field that names a linked child of the target (`plan.writes` role `linked-child`) is not sent with
 *   the target: each of its elements is created as a record of its own pointing at the target, unless the target
 *   already has one with the same key.
 */
export const ARTIFACT_FORMAT = 'mapline.compiled';
export const ARTIFACT_VERSION = 1;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface SourceLocation {
  readonly file: string;
  readonly range: Range;
}

export interface CompiledArtifact {
  readonly format: typeof ARTIFACT_FORMAT;
  readonly version: typeof ARTIFACT_VERSION;
  /** The `.map` files this artifact was compiled from, with a content hash each (FNV-1a, hex: change detection only). */
  readonly files: readonly { readonly name: string; readonly hash: string }[];
  readonly flows: readonly CompiledFlow[];
}

export interface EntityName {
  readonly connector: string;
  readonly entity: string;
}

/** A piece of emitted JSONata and where in the `.map` file it came from. */
export interface Fragment {
  readonly jsonata: string;
  readonly location: SourceLocation;
  /**
   * Finer source map: which stretch of `jsonata` (offsets `from`..`to`) came from which `.map` range. Nested
   * stretches are listed too; the innermost one containing a JSONata error position names the `.map` place.
   */
  readonly segments: readonly SourceSegment[];
}

export interface SourceSegment {
  readonly from: number;
  readonly to: number;
  readonly range: Range;
}

export interface SettingSpec {
  readonly value: Json;
  /** The only values a config may give, when the setting chooses a flow's target (the keys of its table). */
  readonly values?: readonly string[];
  /** The type a config override must have: the type of the default (`null` defaults accept anything). */
  readonly type: 'string' | 'number' | 'boolean' | 'array' | 'object' | 'null';
  readonly location: SourceLocation;
}

export interface TableSpec {
  readonly entries: readonly { readonly key: Json; readonly value: Json }[];
  /** The `else` value; absent when the table has none (a missing key then yields absent). */
  readonly fallback?: Json;
  readonly location: SourceLocation;
}

export interface CompiledFlow {
  readonly name: string;
  readonly location: SourceLocation;
  readonly source: EntityName;
  readonly target: EntityName;
  /** The settings and tables of the flow's file (file-scoped), after defaults. */
  readonly settings: Readonly<Record<string, SettingSpec>>;
  readonly tables: Readonly<Record<string, TableSpec>>;
  /** All `when` filters ANDed into one boolean fragment; null when the flow has none. */
  readonly filter: Fragment | null;
  /** How an existing target record is recognised; null when the flow has no `identify by`. */
  readonly identify: { readonly field: string; readonly value: Fragment } | null;
  readonly onExisting: { readonly action: 'skip' } | { readonly action: 'update'; readonly when: Fragment | null };
  readonly onMissing: 'create' | 'skip';
  /**
   * The whole target payload as one JSONata expression per case: the flow's rules plus that case's
   * `on create`/`on update` rules. Null when the flow never does that action.
   */
  readonly payload: { readonly create: Fragment | null; readonly update: Fragment | null };
  /** `write back { ... }`: a payload for the source entity, evaluated with `$target` bound to the written record. */
  readonly writeBack: { readonly entity: EntityName; readonly payload: Fragment; readonly when: Fragment | null } | null;
  readonly plan: FlowPlan;
  /** For every target field the flow can write: where its rule is and which source paths it reads. */
  readonly fields: readonly FieldLineage[];
  /**
   * Set when a setting chooses the flow's target (`flow orders: ... -> documents[settings.document]`): this flow is
   * the variant for one value of the setting, named after it, and runs only when the setting has that value.
   * `family` is the name written in the `.map` file.
   */
  readonly variant?: { readonly family: string; readonly setting: string; readonly value: string };
}

/** The I/O a flow needs, so the runtime can prefetch and cache instead of calling once per record. */
export interface FlowPlan {
  readonly source: { readonly entity: EntityName; readonly children: readonly string[] };
  readonly lookups: readonly LookupPlan[];
  readonly upserts: readonly UpsertPlan[];
  readonly writes: readonly WritePlan[];
}

export interface LookupPlan {
  readonly entity: EntityName;
  /** The field of the looked-up entity matched against the key value. */
  readonly key: string;
  /** `find?`: a miss yields absent instead of failing the record. */
  readonly optional: boolean;
  readonly location: SourceLocation;
}

export interface UpsertPlan {
  readonly entity: EntityName;
  readonly key: string;
  readonly location: SourceLocation;
  /** Target fields the upsert's rules write, for lineage. */
  readonly fields: readonly FieldLineage[];
}

export interface WritePlan {
  readonly entity: EntityName;
  readonly actions: readonly ('create' | 'update')[];
  /**
   * `target` for the flow's own writes, `write-back` for updates of the source record, `linked-child` for the
   * child records a target field stands for (see `connectors/linked-children.ts`).
   */
  readonly role: 'target' | 'write-back' | 'linked-child';
}

export interface FieldLineage {
  /** Target field path; array elements as `[]`: `Rows[].ArticleId`. */
  readonly target: string;
  /** Which payload the rule belongs to. */
  readonly scope: 'always' | 'create' | 'update' | 'upsert' | 'write-back';
  readonly location: SourceLocation;
  /**
   * Source paths (from the source record's root) the rule's value reads, e.g. `customer.email`. Inside `each`,
   * `[]` stands for the element the output element was made from: `orderrows[].price`.
   */
  readonly sources: readonly string[];
  /**
   * For a rule inside an array element: the rule that makes the element, `Rows = each ...` or `Rows += { ... }`,
   * by its `.map` range; `each` when the n-th element it makes comes from the n-th element of its list (`= each`,
   * `+= each` without `when`). Several rules can write `Rows[].UnitPrice`; this says which one
   * applies to an element, once it is known which rule made the element (the playground traces that).
   */
  readonly element?: { readonly range: Range; readonly each: boolean };
}

/**
 * JSONata functions the runtime (or the playground) binds for lookups. Emitted code calls them as
 * `$find("eaccounting.articles", "Number", value)`, `$findOptional(...)`, `$upsert(entity, key, value, payload)`
 * or, for an upsert with `on create`/`on update` rules, `$upsert(entity, key, value, createPayload, updatePayload)`.
 * `$find` fails the record when nothing or more than one record matches or the value is absent.
 */
export const LOOKUP_FUNCTIONS = ['find', 'findOptional', 'upsert'] as const;
