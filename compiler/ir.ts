import type { BinaryOp, UnaryOp } from '../language/ast.js';
import type { Range } from '../language/range.js';
import type { EntityName, Json } from './artifact.js';
import type { Builtin } from './stdlib/builtin.js';
import type { Type } from './types.js';

/**
 * The checked intermediate form: names are resolved (a source path, a variable, a setting, a table, a
 * built-in), every node has its static type, the `.map` range it came from, and the source paths its value
 * reads (for lineage). The emitter turns it into JSONata without looking anything up.
 */
interface IrBase {
  readonly range: Range;
  readonly type: Type;
  /** Source paths (from the source record's root, `[]` for array elements) this value depends on. */
  readonly sources: readonly string[];
  /** True when evaluating this value looks records up or writes them (`find`, `upsert`). */
  readonly effects: boolean;
}

export type IrExpr =
  | (IrBase & { readonly k: 'literal'; readonly value: Json })
  | (IrBase & { readonly k: 'template'; readonly parts: readonly (string | IrExpr)[] })
  | (IrBase & { readonly k: 'array'; readonly elements: readonly IrExpr[] })
  /** A path from the source record's root: `customer.email`. */
  | (IrBase & { readonly k: 'source'; readonly path: readonly string[] })
  /** A local: `let` name, `each` item or index, or `target`; `path` reads fields of it. */
  | (IrBase & {
      readonly k: 'var';
      readonly variable: string;
      readonly path: readonly string[];
      /** When the variable's value is itself a source path (an `each` element, `let b = customer.x`): that path. */
      readonly pathLineage?: string;
    })
  | (IrBase & { readonly k: 'setting'; readonly name: string; readonly path: readonly string[] })
  | (IrBase & { readonly k: 'table'; readonly name: string; readonly key: IrExpr })
  | (IrBase & { readonly k: 'member'; readonly object: IrExpr; readonly path: readonly string[] })
  | (IrBase & { readonly k: 'index'; readonly object: IrExpr; readonly index: IrExpr })
  | (IrBase & { readonly k: 'call'; readonly builtin: Builtin; readonly args: readonly IrExpr[] })
  | (IrBase & { readonly k: 'unary'; readonly op: UnaryOp; readonly operand: IrExpr })
  | (IrBase & {
      readonly k: 'binary';
      readonly op: BinaryOp;
      readonly left: IrExpr;
      readonly right: IrExpr;
      /** `+` of two strings joins them (JSONata `&`). */
      readonly concat?: boolean;
    })
  | (IrBase & { readonly k: 'if'; readonly condition: IrExpr; readonly then: IrExpr; readonly else?: IrExpr })
  | (IrBase & {
      readonly k: 'find';
      readonly entity: EntityName;
      readonly key: string;
      readonly value: IrExpr;
      readonly optional: boolean;
    })
  | (IrBase & {
      readonly k: 'upsert';
      readonly entity: EntityName;
      readonly key: string;
      readonly value: IrExpr;
      readonly rules: IrRuleSet;
      /** `on create { }` / `on update { }` inside the upsert: rules for one case of the looked-up record. */
      readonly onCreate?: IrRuleSet;
      readonly onUpdate?: IrRuleSet;
    })
  | (IrBase & {
      readonly k: 'each';
      readonly source: IrExpr;
      readonly item: string;
      readonly index?: string;
      readonly rules: IrRuleSet;
    })
  | (IrBase & { readonly k: 'paren'; readonly expr: IrExpr })
  | (IrBase & { readonly k: 'error' });

/** The rules of one payload (or one array element, or one upsert): local names in order, then fields. */
export interface IrRuleSet {
  readonly range: Range;
  readonly lets: readonly IrLet[];
  readonly fields: readonly IrFieldRule[];
}

export interface IrLet {
  /** The JSONata variable name, without `$`. */
  readonly variable: string;
  readonly value: IrExpr;
  readonly range: Range;
}

export type IrFieldRule =
  | {
      readonly k: 'assign';
      readonly path: readonly string[];
      readonly value: IrExpr;
      readonly range: Range;
    }
  | {
      readonly k: 'append';
      readonly path: readonly string[];
      readonly element: IrRuleSet;
      /** `+= each`: one element per item of `source` (the condition is then checked per item). */
      readonly each?: { readonly source: IrExpr; readonly item: string; readonly index?: string };
      readonly condition?: IrExpr;
      readonly range: Range;
    };
