import type { EntityRef } from '../../language/ast.js';
import type { Range } from '../../language/range.js';
import type { Json } from '../artifact.js';
import type { CatalogEntity, ConnectorCatalog } from '../catalog.js';
import type { Type } from '../types.js';
import type { Reporter } from './reporter.js';

export interface CheckedSetting {
  readonly value: Json;
  readonly type: Type;
  readonly range: Range;
  /** Where its default value is written. */
  readonly valueRange: Range;
}

export interface CheckedTable {
  readonly entries: readonly { readonly key: Json; readonly value: Json }[];
  readonly fallback?: Json;
  readonly valueType: Type;
  readonly range: Range;
  /** Set when every value is an entity (`"quotes" => eaccounting.quotes`): the table can choose a flow's target. */
  readonly targets?: readonly TargetEntry[];
}

export interface TargetEntry {
  readonly key: string;
  readonly ref: EntityRef;
  /** The key's place in the table. */
  readonly range: Range;
}

/** What a file declares outside its flows: settings and tables are file-scoped. */
export interface ModuleContext {
  readonly reporter: Reporter;
  readonly catalog: ConnectorCatalog;
  readonly settings: ReadonlyMap<string, CheckedSetting>;
  readonly tables: ReadonlyMap<string, CheckedTable>;
}

/** What an expression inside a flow can see. */
export interface FlowContext extends ModuleContext {
  /** The record the flow reads; bare names are its fields. */
  readonly source: CatalogEntity;
  readonly target: CatalogEntity;
}

/** Where in a flow an expression stands, which changes what it may do. */
export interface ExprPosition {
  /** Inside the arguments of an aggregate (count, sum...): paths may go through arrays. */
  readonly aggregate?: boolean;
  /** The expression is a rule's whole value, where `each` may stand. */
  readonly ruleValue?: boolean;
}
