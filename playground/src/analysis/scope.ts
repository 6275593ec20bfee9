import type { Expr, FieldPath, FlowDecl, FlowStatement, ForBlock, LetStmt, MapFile, Node, RuleBlock, SettingEntry, TableDecl } from '../../../language/ast.js';
import { findEntity, type CatalogEntity, type ConnectorCatalog } from '../../../compiler/catalog.js';
import type { SchemaNode } from '../../../compiler/schema-node.js';
import { itemsOf } from '../../../compiler/schema-node.js';
import { flowAt, pathTo } from './ast-walk.js';
import { fieldOf, mergedFields } from './schema-view.js';

/** What a local name stands for: a `let`, an `each` element, or the written record in `write back`. */
export type Binding =
  | { readonly kind: 'let'; readonly decl: LetStmt }
  | { readonly kind: 'item'; readonly node: SchemaNode | undefined; readonly at: Node }
  | { readonly kind: 'index'; readonly at: Node }
  | { readonly kind: 'target'; readonly node: SchemaNode };

/**
 * Everything a tool needs to know about one place in a `.map` file: the flow around it, its source and target
 * entities, the local names visible there, and which target fields a rule there may write. Built from the
 * (possibly partial) AST the parser recovered, so it also works while the user is typing.
 */
export interface PlaceContext {
  readonly catalog: ConnectorCatalog;
  readonly file: MapFile;
  readonly flow: FlowDecl | undefined;
  readonly source: CatalogEntity | undefined;
  readonly target: CatalogEntity | undefined;
  readonly vars: ReadonlyMap<string, Binding>;
  readonly settings: ReadonlyMap<string, SettingEntry>;
  readonly tables: ReadonlyMap<string, TableDecl>;
  /** The schemas whose fields a rule at this place writes (target create+update, an upsert's entity, array items). */
  readonly writable: readonly SchemaNode[];
}

export function contextAt(file: MapFile, offset: number, catalog: ConnectorCatalog): PlaceContext {
  const settings = new Map<string, SettingEntry>();
  const tables = new Map<string, TableDecl>();
  for (const item of file.items) {
    if (item.kind === 'Settings') for (const entry of item.entries) settings.set(entry.name.name, entry);
    if (item.kind === 'Table') tables.set(item.name.name, item);
  }
  const flow = flowAt(file, offset);
  const source = flow ? findEntity(catalog, flow.source.connector.name, flow.source.entity.name) : undefined;
  const chain = flow ? pathTo(flow, offset) : [];
  const targets = flow ? targetsAt(flow, chain, tables, settings, catalog) : [];
  const target = targets[0];
  const vars = new Map<string, Binding>();
  let writable: SchemaNode[] = targets.flatMap((t) => [t.createSchema, t.updateSchema]).filter((n): n is SchemaNode => n !== undefined);
  const context = { catalog, file, flow, source, target, vars, settings, tables, writable };
  if (!flow) return { ...context, writable: [] };

  let pendingArrayField: FieldPath | undefined;
  for (const node of chain as AstNode[]) {
    switch (node.kind) {
      case 'Flow':
      case 'For':
      case 'RuleBlock': {
        const statements = node.kind === 'RuleBlock' ? node.rules : node.body;
        for (const statement of statements) if (statement.kind === 'Let') vars.set(statement.name.name, { kind: 'let', decl: statement });
        break;
      }
      case 'WriteBack':
        writable = source?.updateSchema ? [source.updateSchema] : [];
        if (target) vars.set('target', { kind: 'target', node: target.readShape });
        break;
      case 'Assign':
        pendingArrayField = node.target;
        break;
      case 'Append':
        writable = arrayItems(writable, node.target);
        break;
      case 'Upsert': {
        const entity = findEntity(catalog, node.entity.connector.name, node.entity.entity.name);
        writable = entity?.createSchema ? [entity.createSchema] : [];
        break;
      }
      case 'Each': {
        const each = node;
        // The element variable and index are visible only inside the body, but resolving is harmless outside it.
        const list = typeOfExpr(each.source, { ...context, vars });
        vars.set(each.item.name, { kind: 'item', node: list ? itemsOf(list) ?? list : undefined, at: each.item });
        if (each.index) vars.set(each.index.name, { kind: 'index', at: each.index });
        if (pendingArrayField) writable = arrayItems(writable, pendingArrayField);
        break;
      }
      default:
        break;
    }
    if (node.kind !== 'Assign' && node.kind !== 'Each' && node.kind !== 'Paren' && node.kind !== 'If') pendingArrayField = undefined;
  }
  return { ...context, vars, writable };
}

/**
 * The entities a rule at this place may be written to: the flow's target, or for a target a setting chooses
 * (`-> documents[settings.document]`) the entities of the keys the enclosing `for` blocks name (all keys outside
 * them), the default key's first.
 */
function targetsAt(flow: FlowDecl, chain: readonly Node[], tables: ReadonlyMap<string, TableDecl>, settings: ReadonlyMap<string, SettingEntry>, catalog: ConnectorCatalog): CatalogEntity[] {
  if (flow.target.kind === 'EntityRef') {
    const entity = findEntity(catalog, flow.target.connector.name, flow.target.entity.name);
    return entity ? [entity] : [];
  }
  const table = tables.get(flow.target.table.name);
  const fallback = settings.get(flow.target.setting.name)?.value;
  const defaultKey = fallback?.kind === 'String' ? fallback.parts.map((p) => (p.kind === 'Text' ? p.value : '')).join('') : undefined;
  let keys: string[] | undefined;
  for (const node of chain) if (node.kind === 'For') keys = (node as ForBlock).values.map((v) => v.value);
  const entries = (table?.entries ?? [])
    .map((e) => ({ key: e.key.kind === 'String' ? e.key.parts.map((p) => (p.kind === 'Text' ? p.value : '')).join('') : '', value: e.value }))
    .filter((e) => keys === undefined || keys.includes(e.key))
    .sort((a, b) => Number(b.key === defaultKey) - Number(a.key === defaultKey));
  return entries
    .map((e) => (e.value.kind === 'Member' && e.value.object.kind === 'Name' ? findEntity(catalog, e.value.object.name, e.value.property.name) : undefined))
    .filter((e): e is CatalogEntity => e !== undefined);
}

/** The node kinds the walk down to the cursor distinguishes (others pass through the default case). */
type AstNode = FlowDecl | RuleBlock | FlowStatement | Expr;

function arrayItems(writable: readonly SchemaNode[], path: FieldPath): SchemaNode[] {
  const out: SchemaNode[] = [];
  for (const root of writable) {
    let node: SchemaNode | undefined = root;
    for (const segment of path.segments) node = node ? fieldOf(node, segment.name) : undefined;
    const items = node ? itemsOf(node) : undefined;
    if (items) out.push(items);
  }
  return out;
}

/** The schema of an expression's value where the language can tell (source paths, lets, lookups), else undefined. */
export function typeOfExpr(expr: Expr, context: PlaceContext, depth = 0): SchemaNode | undefined {
  if (depth > 16) return undefined;
  switch (expr.kind) {
    case 'Name':
      return typeOfName(expr.name, context, depth);
    case 'Member': {
      const object = typeOfExpr(expr.object, context, depth + 1);
      return object ? fieldOf(object, expr.property.name) : undefined;
    }
    case 'Index': {
      if (expr.object.kind === 'Name' && context.tables.has(expr.object.name)) return undefined;
      const object = typeOfExpr(expr.object, context, depth + 1);
      return object ? itemsOf(object) : undefined;
    }
    case 'Find':
    case 'Upsert':
      return findEntity(context.catalog, expr.entity.connector.name, expr.entity.entity.name)?.readShape;
    case 'Paren':
      return typeOfExpr(expr.expr, context, depth + 1);
    case 'Binary':
      return expr.op === '??' ? typeOfExpr(expr.left, context, depth + 1) ?? typeOfExpr(expr.right, context, depth + 1) : undefined;
    case 'If':
      return typeOfExpr(expr.then, context, depth + 1) ?? (expr.else ? typeOfExpr(expr.else, context, depth + 1) : undefined);
    default:
      return undefined;
  }
}

export function typeOfName(name: string, context: PlaceContext, depth = 0): SchemaNode | undefined {
  const binding = context.vars.get(name);
  if (binding) {
    if (binding.kind === 'let') return typeOfExpr(binding.decl.value, context, depth + 1);
    if (binding.kind === 'item' || binding.kind === 'target') return binding.node;
    return undefined;
  }
  return context.source ? fieldOf(context.source.readShape, name) : undefined;
}

/** The schema at a dotted path written in the text (`billing.zipcode`), resolved through lets and `each`. */
export function typeOfPath(segments: readonly string[], context: PlaceContext): SchemaNode | undefined {
  const [head, ...rest] = segments;
  if (head === undefined) return undefined;
  let node = typeOfName(head, context);
  for (const segment of rest) node = node ? fieldOf(node, segment) : undefined;
  return node;
}

export function writableFields(context: PlaceContext): Map<string, SchemaNode> {
  return mergedFields(context.writable);
}
