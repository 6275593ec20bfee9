import type { MapFile } from '../../../language/ast.js';
import type { ConnectorCatalog } from '../../../compiler/catalog.js';
import { findEntity } from '../../../compiler/catalog.js';
import { builtins, signature, type Builtin } from '../../../compiler/stdlib/index.js';
import type { SchemaNode } from '../../../compiler/schema-node.js';
import { contextAt, typeOfPath, writableFields, type PlaceContext } from './scope.js';
import { descriptionOf, fieldsOf, typeLabel } from './schema-view.js';

export type CompletionKind = 'field' | 'target' | 'setting' | 'table' | 'connector' | 'entity' | 'function' | 'keyword' | 'variable';

export interface Completion {
  readonly label: string;
  readonly kind: CompletionKind;
  /** One line shown beside the label: a type, an entity title, a signature. */
  readonly detail?: string;
  /** Markdown shown in the details pane. */
  readonly documentation?: string;
  /** Text inserted instead of the label (`Name = `). */
  readonly insertText?: string;
}

const STATEMENT_KEYWORDS = ['let', 'when', 'identify by', 'on existing:', 'on missing:', 'on create', 'on update', 'write back'];
const EXPRESSION_KEYWORDS = ['if', 'then', 'else', 'find', 'find?', 'upsert', 'each', 'not', 'and', 'or', 'in', 'true', 'false', 'null'];

/**
 * What may be typed at `offset`, judged from the text before the cursor (the line being typed is usually not
 * parseable yet) and the AST the parser recovered for the rest of the file.
 */
export function completionsAt(ast: MapFile, text: string, offset: number, catalog: ConnectorCatalog): Completion[] {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = stripComment(text.slice(lineStart, offset));
  const context = contextAt(ast, offset, catalog);

  // A chosen target: `-> documents[settings.` names the setting, `-> ` also offers the tables of entities.
  if (/->\s*[A-Za-z_]\w*\[settings\.(\w*)$/.test(before)) return pathCompletions(['settings'], context);
  // `for "` and `for "orders", "` take the keys of the table that chooses the flow's target.
  if (/^\s*for\s+(?:"[^"]*"\s*,\s*)*"[^"]*$/.test(before)) return choiceKeys(context).map((key): Completion => ({ label: key, kind: 'keyword', detail: 'document type' }));

  // Inside any other string (text, not code) nothing is offered: `"` opens strings too.
  if (inString(before)) return [];

  // Entities: `find ccvshop.`, `upsert eaccounting.cu`, `flow x: ccvshop.orders -> eaccounting.`
  const entityPrefix = /(?:\bfind\??|\bupsert|^\s*flow\s+\w*\s*:|->)\s*([A-Za-z_]\w*)\.(\w*)$/.exec(before);
  if (entityPrefix) return entitiesOf(catalog, entityPrefix[1]!);
  if (/->\s*(\w*)$/.test(before)) return [...connectorsOf(catalog), ...targetTables(context)];
  if (/(?:\bfind\??|\bupsert|^\s*flow\s+\w*\s*:)\s*(\w*)$/.test(before)) return connectorsOf(catalog);

  // Key field of a lookup: `find eaccounting.articles by `
  const lookupKey = /\b(?:find\??|upsert)\s+([A-Za-z_]\w*)\.([A-Za-z_]\w*)\s+by\s+(\w*)$/.exec(before);
  if (lookupKey) {
    const entity = findEntity(catalog, lookupKey[1]!, lookupKey[2]!);
    return entity ? fieldCompletions(fieldsOf(entity.readShape), 'field') : [];
  }
  // `identify by ` names a target field.
  if (/^\s*identify\s+by\s+(\w*)$/.test(before)) return fieldCompletions(writableFields(context), 'target');

  // A dotted path: `billing.`, `customer.`, `settings.`, `row.`
  const path = /([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\.(\w*)$/.exec(before);
  if (path) return pathCompletions(path[1]!.split('.'), context);

  // The start of a rule line: target fields and statement keywords.
  if (/^\s*(\w*)$/.test(before) && context.flow) {
    return [
      ...fieldCompletions(writableFields(context), 'target').map((c) => ({ ...c, insertText: `${c.label} = ` })),
      ...STATEMENT_KEYWORDS.map((k): Completion => ({ label: k, kind: 'keyword' })),
      ...choiceKeys(context).map((key): Completion => ({ label: `for "${key}"`, kind: 'keyword', detail: 'rules for this document type only', insertText: `for "${key}" {` })),
    ];
  }
  if (/^\s*(\w*)$/.test(before)) return ['flow', 'settings', 'table'].map((k): Completion => ({ label: k, kind: 'keyword' }));

  // Anywhere in an expression: names, functions, keywords.
  return expressionCompletions(context);
}

/** Whether the cursor, at the end of `line`, stands in a string's text (not in an interpolation hole). */
function inString(line: string): boolean {
  let quotes = 0;
  let depth = 0;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (char === '\\') i++;
    else if (char === '"' && depth === 0) quotes++;
    else if (quotes % 2 === 1 && char === '{') depth++;
    else if (quotes % 2 === 1 && char === '}' && depth > 0) depth--;
  }
  return quotes % 2 === 1 && depth === 0;
}

function stripComment(line: string): string {
  // A `#` outside a string starts a comment; good enough for deciding what the cursor is in.
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (char === '"' && line[i - 1] !== '\\') inString = !inString;
    if (char === '#' && !inString) return '\u0000';
  }
  return line;
}

/** The keys of the table that chooses the flow's target (`-> documents[settings.document]`); none for a fixed target. */
function choiceKeys(context: PlaceContext): string[] {
  const target = context.flow?.target;
  if (target?.kind !== 'ChoiceTarget') return [];
  const table = context.tables.get(target.table.name);
  return (table?.entries ?? []).flatMap((e) => (e.key.kind === 'String' ? [e.key.parts.map((p) => (p.kind === 'Text' ? p.value : '')).join('')] : []));
}

/** Tables whose values are all entities can choose a flow's target: offered as `table[settings.name]`. */
function targetTables(context: PlaceContext): Completion[] {
  const strings = [...context.settings.values()].filter((s) => s.value.kind === 'String');
  return [...context.tables.values()]
    .filter((t) => t.entries.length > 0 && t.entries.every((e) => e.value.kind === 'Member' && e.value.object.kind === 'Name'))
    .flatMap((t) => (strings.length > 0 ? strings : [undefined]).map((s): Completion => ({
      label: `${t.name.name}[settings.${s?.name.name ?? 'name'}]`,
      kind: 'table',
      detail: 'the target the setting chooses',
      documentation: `One flow per key of table \`${t.name.name}\`: ${t.entries.map((e) => (e.value.kind === 'Member' && e.value.object.kind === 'Name' ? `${e.value.object.name}.${e.value.property.name}` : '')).join(', ')}`,
    })));
}

function connectorsOf(catalog: ConnectorCatalog): Completion[] {
  return Object.values(catalog).map((c) => ({ label: c.name, kind: 'connector', detail: c.title }));
}

function entitiesOf(catalog: ConnectorCatalog, connector: string): Completion[] {
  const definition = Object.hasOwn(catalog, connector) ? catalog[connector] : undefined;
  if (!definition) return [];
  return Object.values(definition.entities).map((e) => ({
    label: e.name,
    kind: 'entity',
    detail: e.title ?? `${connector}.${e.name}`,
    documentation: [e.list ? 'read' : '', e.create ? 'create' : '', e.update ? 'update' : ''].filter(Boolean).join(', '),
  }));
}

function pathCompletions(segments: readonly string[], context: PlaceContext): Completion[] {
  if (segments.length === 1 && segments[0] === 'settings' && !context.vars.has('settings')) {
    return [...context.settings.values()].map((s) => ({ label: s.name.name, kind: 'setting', detail: 'setting' }));
  }
  const node = typeOfPath(segments, context);
  return node ? fieldCompletions(fieldsOf(node), 'field') : [];
}

function fieldCompletions(fields: ReadonlyMap<string, SchemaNode>, kind: 'field' | 'target'): Completion[] {
  return [...fields].map(([name, node]) => {
    const description = descriptionOf(node);
    return { label: name, kind, detail: typeLabel(node), ...(description ? { documentation: description } : {}) };
  });
}

function expressionCompletions(context: PlaceContext): Completion[] {
  const out: Completion[] = [];
  for (const [name, binding] of context.vars) out.push({ label: name, kind: 'variable', detail: binding.kind === 'let' ? 'let' : binding.kind });
  out.push({ label: 'settings', kind: 'variable', detail: 'the file\'s settings' });
  for (const name of context.tables.keys()) out.push({ label: name, kind: 'table', detail: 'table' });
  if (context.source) out.push(...fieldCompletions(fieldsOf(context.source.readShape), 'field'));
  for (const builtin of builtins.values()) out.push(functionCompletion(builtin));
  for (const keyword of EXPRESSION_KEYWORDS) out.push({ label: keyword, kind: 'keyword' });
  return out;
}

export function functionCompletion(builtin: Builtin): Completion {
  return { label: builtin.name, kind: 'function', detail: signature(builtin), documentation: builtinMarkdown(builtin), insertText: `${builtin.name}(` };
}

export function builtinMarkdown(builtin: Builtin): string {
  const examples = builtin.examples.map((e) => `    ${e.expr}  // ${e.result === undefined ? 'absent' : JSON.stringify(e.result)}`);
  return [`**${signature(builtin)}**`, '', builtin.doc, ...(examples.length ? ['', 'Examples:', '', ...examples] : [])].join('\n');
}
