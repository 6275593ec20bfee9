import type { Range } from './range.js';

/**
 * The syntax tree of one `.map` file. Every node carries the half-open offset range of the text it came from,
 * so every later phase (name resolution, schema checks, emitted JSONata, runtime lineage) can point back at it.
 * The parser recovers from errors: a part it could not read becomes an `ErrorExpr` (or is left out) and the
 * rest of the tree is still built.
 */
export interface Node {
  readonly kind: string;
  readonly range: Range;
}

export interface Ident extends Node {
  readonly kind: 'Ident';
  readonly name: string;
}

export interface MapFile extends Node {
  readonly kind: 'File';
  readonly file: string;
  readonly items: readonly Item[];
}

export type Item = SettingsBlock | TableDecl | FlowDecl;

/** `settings { name = value ... }`; several blocks in one file are merged. */
export interface SettingsBlock extends Node {
  readonly kind: 'Settings';
  readonly entries: readonly SettingEntry[];
}

export interface SettingEntry extends Node {
  readonly kind: 'Setting';
  readonly name: Ident;
  readonly value: Expr;
}

/** `table name { key => value ... else => value }` */
export interface TableDecl extends Node {
  readonly kind: 'Table';
  readonly name: Ident;
  readonly entries: readonly TableEntry[];
  /** The `else => value` fallback, when present. */
  readonly fallback?: Expr;
}

export interface TableEntry extends Node {
  readonly kind: 'TableEntry';
  readonly key: Expr;
  readonly value: Expr;
}

/**
 * `flow name: connector.entity -> connector.entity { ... }`, or with a chosen target
 * `flow name: connector.entity -> table[settings.name] { ... }`.
 */
export interface FlowDecl extends Node {
  readonly kind: 'Flow';
  readonly name: Ident;
  readonly source: EntityRef;
  readonly target: EntityRef | ChoiceTarget;
  readonly body: readonly FlowStatement[];
}

/**
 * `table[settings.name]`: the flow's target is the entity the table gives for the setting's value
 * (`"quotes" => eaccounting.quotes`). The flow is checked and compiled once per key of the table; `for "key" { }`
 * blocks hold what only some keys need.
 */
export interface ChoiceTarget extends Node {
  readonly kind: 'ChoiceTarget';
  readonly table: Ident;
  readonly setting: Ident;
}

/** `for "a", "b" { statements }`: statements of a flow with a chosen target that apply for these keys only. */
export interface ForBlock extends Node {
  readonly kind: 'For';
  readonly values: readonly ForValue[];
  /** In a flow body any flow statement; inside a rule block only rule statements (the parser checks). */
  readonly body: readonly FlowStatement[];
}

export interface ForValue extends Node {
  readonly kind: 'ForValue';
  readonly value: string;
}

export interface EntityRef extends Node {
  readonly kind: 'EntityRef';
  readonly connector: Ident;
  readonly entity: Ident;
}

export type FlowStatement =
  | WhenStmt
  | IdentifyStmt
  | OnExistingStmt
  | OnMissingStmt
  | OnCaseBlock
  | WriteBackBlock
  | RuleStatement;

/** `when expr`: a filter; several are ANDed. */
export interface WhenStmt extends Node {
  readonly kind: 'When';
  readonly condition: Expr;
}

/** `identify by TargetField = expr` */
export interface IdentifyStmt extends Node {
  readonly kind: 'Identify';
  readonly field: FieldPath;
  readonly value: Expr;
}

/** `on existing: skip | update | update when expr` */
export interface OnExistingStmt extends Node {
  readonly kind: 'OnExisting';
  readonly action: 'skip' | 'update';
  readonly actionRange: Range;
  readonly condition?: Expr;
}

/** `on missing: create | skip` */
export interface OnMissingStmt extends Node {
  readonly kind: 'OnMissing';
  readonly action: 'create' | 'skip';
  readonly actionRange: Range;
}

/** `on create { rules }` / `on update { rules }`: rules that apply in one case only. */
export interface OnCaseBlock extends Node {
  readonly kind: 'OnCase';
  readonly case: 'create' | 'update';
  readonly body: RuleBlock;
}

/**
 * `write back { rules } [when expr]`: after the target record was written, update the source record with these
 * rules (left sides are fields of the source entity's update schema; `target` names the written record).
 */
export interface WriteBackBlock extends Node {
  readonly kind: 'WriteBack';
  readonly body: RuleBlock;
  readonly condition?: Expr;
}

/**
 * What a rule block holds. `on create { }` / `on update { }` inside a block are meaningful in an `upsert` (rules
 * for one case of the looked-up record); the compiler reports them anywhere else.
 */
export type RuleStatement = LetStmt | AssignRule | AppendRule | OnCaseBlock | ForBlock;

/** `let name = expr`: a local name, evaluated once per record (per element inside `each`). */
export interface LetStmt extends Node {
  readonly kind: 'Let';
  readonly name: Ident;
  readonly value: Expr;
}

/** `Target.Field = expr` */
export interface AssignRule extends Node {
  readonly kind: 'Assign';
  readonly target: FieldPath;
  readonly value: Expr;
}

/**
 * `Target += { rules } [when expr]`: append one element to an array field. `Target += each xs as x [at i] { rules }
 * [when expr]` appends one element per item of `xs` (for which the condition holds): `each` is then set and `body`
 * is its block.
 */
export interface AppendRule extends Node {
  readonly kind: 'Append';
  readonly target: FieldPath;
  readonly body: RuleBlock;
  readonly each?: EachExpr;
  readonly condition?: Expr;
}

/** `{ rules }` */
export interface RuleBlock extends Node {
  readonly kind: 'RuleBlock';
  readonly rules: readonly RuleStatement[];
}

/** A dotted target field on the left of `=`: `Address.City`. */
export interface FieldPath extends Node {
  readonly kind: 'FieldPath';
  readonly segments: readonly Ident[];
}

export type Expr =
  | StringLit
  | NumberLit
  | BoolLit
  | NullLit
  | ArrayLit
  | NameRef
  | MemberExpr
  | IndexExpr
  | CallExpr
  | UnaryExpr
  | BinaryExpr
  | IfExpr
  | FindExpr
  | UpsertExpr
  | EachExpr
  | ParenExpr
  | ErrorExpr;

/** `"text {expr} text"`; a string without interpolation has one `Text` part (or none when empty). */
export interface StringLit extends Node {
  readonly kind: 'String';
  readonly parts: readonly (StringText | Interpolation)[];
}

export interface StringText extends Node {
  readonly kind: 'Text';
  /** The text with escapes resolved. */
  readonly value: string;
}

export interface Interpolation extends Node {
  readonly kind: 'Interpolation';
  readonly expr: Expr;
}

export interface NumberLit extends Node {
  readonly kind: 'Number';
  readonly value: number;
  readonly raw: string;
}

export interface BoolLit extends Node {
  readonly kind: 'Bool';
  readonly value: boolean;
}

export interface NullLit extends Node {
  readonly kind: 'Null';
}

export interface ArrayLit extends Node {
  readonly kind: 'Array';
  readonly elements: readonly Expr[];
}

/** A bare name: a source field, a `let` or `each` variable, `settings`, a table, or `target` in write-back. */
export interface NameRef extends Node {
  readonly kind: 'Name';
  readonly name: string;
}

/** `object.property` */
export interface MemberExpr extends Node {
  readonly kind: 'Member';
  readonly object: Expr;
  readonly property: Ident;
}

/** `object[index]`: a table lookup when `object` names a table. */
export interface IndexExpr extends Node {
  readonly kind: 'Index';
  readonly object: Expr;
  readonly index: Expr;
}

/** `name(args)`: a standard-library function. */
export interface CallExpr extends Node {
  readonly kind: 'Call';
  readonly callee: Ident;
  readonly args: readonly Expr[];
}

export type UnaryOp = 'not' | '-';

export interface UnaryExpr extends Node {
  readonly kind: 'Unary';
  readonly op: UnaryOp;
  readonly operand: Expr;
}

export type BinaryOp =
  | 'or'
  | 'and'
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'in'
  | '??'
  | '+'
  | '-'
  | '*'
  | '/'
  | '%';

export interface BinaryExpr extends Node {
  readonly kind: 'Binary';
  readonly op: BinaryOp;
  readonly opRange: Range;
  readonly left: Expr;
  readonly right: Expr;
}

/** `if c then a [else b]`; without `else` the value is absent when `c` is false. */
export interface IfExpr extends Node {
  readonly kind: 'If';
  readonly condition: Expr;
  readonly then: Expr;
  readonly else?: Expr;
}

/** `find connector.entity by Field = expr`; `find?` yields absent instead of failing when nothing matches. */
export interface FindExpr extends Node {
  readonly kind: 'Find';
  readonly optional: boolean;
  readonly entity: EntityRef;
  readonly key: Ident;
  readonly value: Expr;
}

/** `upsert connector.entity by Field = expr { rules }`: find, then create or update; yields the record. */
export interface UpsertExpr extends Node {
  readonly kind: 'Upsert';
  readonly entity: EntityRef;
  readonly key: Ident;
  readonly value: Expr;
  readonly body: RuleBlock;
}

/** `each xs as x [at i] { rules }`: always an array, even of one element. */
export interface EachExpr extends Node {
  readonly kind: 'Each';
  readonly source: Expr;
  readonly item: Ident;
  readonly index?: Ident;
  readonly body: RuleBlock;
}

/** `( expr )`, kept so ranges and the emitted JSONata follow the text. */
export interface ParenExpr extends Node {
  readonly kind: 'Paren';
  readonly expr: Expr;
}

/** Stands where the parser could not read an expression; a diagnostic was reported for it. */
export interface ErrorExpr extends Node {
  readonly kind: 'ErrorExpr';
}
