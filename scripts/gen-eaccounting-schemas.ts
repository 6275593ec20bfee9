/**
 * Generates the eAccounting JSON Schemas (draft-07) from the official Swagger 2.0 file, so they are derived, not
 * retyped. Per entity it writes a read schema (every property, `readOnly` kept) and, where the Swagger file has a
 * POST or PUT for the entity, a create and an update schema (read-only properties removed, the Swagger `required`
 * list, closed objects). `node --import tsx scripts/gen-eaccounting-schemas.ts` (or `npm run gen:schemas`);
 * `--check` compares instead of writing and exits 1 when a file would change.
 *
 * Transformation rules (why each exists is in docs/decisions.md, "Connector definitions and schemas"):
 * - `$ref`s are inlined: consumers (compiler, playground) then never resolve references.
 * - `pattern` is kept only on strings: the Swagger puts decimal patterns on numbers, where they mean nothing.
 * - A property not in `required` also accepts null: the API sends and accepts nulls for them (`InvoiceAddress2`).
 * - Swagger `date-time` fields that are calendar dates (name not ending in `Utc`) are documented "YYYY-MM-DD":
 *   writes demand `format: date`; reads accept a date with or without a time part.
 * - A few properties missing from this 2021 Swagger file but present in the current official spec are added
 *   from the API notes, marked with `x-certainty`.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { JsonSchema } from '../connectors/json-schema.js';
import { orNull } from '../connectors/schemas.js';

/** The Swagger 2.0 subset this generator reads. */
interface SwaggerSchema {
  $ref?: string;
  type?: string;
  format?: string;
  description?: string;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  readOnly?: boolean;
  items?: SwaggerSchema;
  properties?: Record<string, SwaggerSchema>;
  required?: string[];
}

interface SwaggerOperation {
  parameters?: { in: string; schema?: SwaggerSchema }[];
  responses: Record<string, { schema?: SwaggerSchema }>;
}

export interface Swagger {
  paths: Record<string, Record<string, SwaggerOperation>>;
  definitions: Record<string, SwaggerSchema>;
}

/** The entities Mapline exposes, in the order they are written to the index. */
export const eaccountingEntityNames = [
  'customers',
  'articles',
  'articlelabels',
  'articleaccountcodings',
  'units',
  'orders',
  'quotes',
  'customerinvoicedrafts',
  'customerinvoices',
  'termsofpayments',
  'vatcodes',
  'deliverymethods',
  'deliveryterms',
  'countries',
] as const;

/** Properties the current official spec has and this Swagger file lacks (API notes §4.6), per definition. */
const supplements: Record<string, Record<string, SwaggerSchema & { 'x-certainty': string }>> = {
  OrderApi: {
    BuyersOrderReference: {
      type: 'string',
      maxLength: 35,
      description: "Max length: 35 characters. The buyer's order reference (from the current official spec; missing in the 2021 Swagger file).",
      'x-certainty': 'H',
    },
  },
};

type Shape = 'read' | 'write';

const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';
/** Reads accept `2026-03-14` and `2026-03-14T00:00:00`: the date part is what is documented. */
const CALENDAR_DATE_PREFIX = '^\\d{4}-\\d{2}-\\d{2}';

/** Keys in this order first, the rest alphabetically: the output is stable whatever the input's key order. */
const KEY_ORDER = [
  '$schema', 'title', 'description', 'type', 'format', 'enum', 'pattern', 'minLength', 'maxLength', 'minimum',
  'maximum', 'readOnly', 'x-certainty', 'items', 'properties', 'required', 'additionalProperties',
];

export interface GeneratedEntity {
  readonly name: string;
  readonly definition: string;
  readonly writable: { readonly create: boolean; readonly update: boolean };
}

/** The Swagger definition behind an entity, read from its list response `PaginatedResponse[X]`. */
function entityDefinitionName(swagger: Swagger, entity: string): string {
  const list = swagger.paths[`/v2/${entity}`]?.['get'];
  const envelopeRef = list?.responses['200']?.schema?.$ref;
  if (!envelopeRef) throw new Error(`Swagger: GET /v2/${entity} has no 200 response schema`);
  const itemRef = resolveRef(swagger, envelopeRef).properties?.['Data']?.items?.$ref;
  if (!itemRef) throw new Error(`Swagger: ${envelopeRef} has no Data items`);
  return refName(itemRef);
}

/** Whether the Swagger file has a POST on the collection and a PUT on a single record. */
function writability(swagger: Swagger, entity: string): GeneratedEntity['writable'] {
  const single = Object.entries(swagger.paths).filter(([path]) => path.startsWith(`/v2/${entity}/{`) && path.split('/').length === 4);
  return {
    create: swagger.paths[`/v2/${entity}`]?.['post'] !== undefined,
    update: single.some(([, operations]) => operations['put'] !== undefined),
  };
}

export function describeEntities(swagger: Swagger): GeneratedEntity[] {
  return eaccountingEntityNames.map((name) => ({
    name,
    definition: entityDefinitionName(swagger, name),
    writable: writability(swagger, name),
  }));
}

function refName(ref: string): string {
  return ref.replace(/^#\/definitions\//, '');
}

function resolveRef(swagger: Swagger, ref: string): SwaggerSchema {
  const definition = swagger.definitions[refName(ref)];
  if (!definition) throw new Error(`Swagger: unknown reference ${ref}`);
  return definition;
}

function cleanText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[ \t]+\n/g, '\n').trim();
}

function isCalendarDate(name: string, schema: SwaggerSchema): boolean {
  return schema.type === 'string' && schema.format === 'date-time' && !name.endsWith('Utc');
}

/**
 * One Swagger schema as JSON Schema for the given shape. Returns undefined when the property does not exist in
 * that shape (read-only properties in a write schema).
 */
function convert(swagger: Swagger, schema: SwaggerSchema, shape: Shape, name: string, seen: readonly string[]): JsonSchema | undefined {
  if (shape === 'write' && schema.readOnly) return undefined;
  if (schema.$ref) {
    const target = refName(schema.$ref);
    if (seen.includes(target)) throw new Error(`Swagger: circular reference ${[...seen, target].join(' -> ')}`);
    const inlined = convert(swagger, resolveRef(swagger, schema.$ref), shape, name, [...seen, target]);
    if (!inlined) return undefined;
    // Swashbuckle puts `readOnly` (and sometimes a description) beside a `$ref`: they describe this property.
    return {
      ...inlined,
      ...(schema.description ? { description: cleanText(schema.description) } : {}),
      ...(schema.readOnly ? { readOnly: true } : {}),
    };
  }

  const result: JsonSchema & Record<string, unknown> = {};
  if (schema.description) result.description = cleanText(schema.description);
  if (schema.type) result.type = schema.type as JsonSchema['type'];
  if (isCalendarDate(name, schema)) {
    if (shape === 'write') result.format = 'date';
    else result.pattern = CALENDAR_DATE_PREFIX;
  } else {
    if (schema.format) result.format = schema.format;
    if (schema.pattern && schema.type === 'string') result.pattern = schema.pattern;
  }
  if (schema.enum) result.enum = [...schema.enum];
  if (schema.minLength !== undefined) result.minLength = schema.minLength;
  if (schema.maxLength !== undefined) result.maxLength = schema.maxLength;
  if (schema.minimum !== undefined) result.minimum = schema.minimum;
  if (schema.maximum !== undefined) result.maximum = schema.maximum;
  if (schema.readOnly) result.readOnly = true;
  const certainty = (schema as { 'x-certainty'?: string })['x-certainty'];
  if (certainty) result['x-certainty'] = certainty;
  if (schema.items) {
    const items = convert(swagger, schema.items, shape, name, seen);
    if (items) result.items = items;
  }
  if (schema.properties || schema.type === 'object') {
    const definitionName = seen[seen.length - 1] ?? '';
    const isDefinition = swagger.definitions[definitionName] === schema;
    const properties: Record<string, SwaggerSchema> = { ...schema.properties, ...(isDefinition ? supplements[definitionName] : {}) };
    const required = new Set(schema.required ?? []);
    const converted: Record<string, JsonSchema> = {};
    for (const [property, propertySchema] of Object.entries(properties)) {
      const value = convert(swagger, propertySchema, shape, property, seen);
      if (value === undefined) continue;
      converted[property] = required.has(property) ? value : orNull(value);
    }
    if (schema.properties || Object.keys(converted).length > 0) result.properties = converted;
    const kept = [...required].filter((property) => property in converted);
    if (kept.length > 0) result.required = kept;
    // Write shapes are closed so a misspelt or read-only target field is an error, not a silent drop.
    if (shape === 'write') result.additionalProperties = false;
  }
  return result;
}

function sortKeys(value: unknown, parentKey?: string): unknown {
  if (Array.isArray(value)) return value.map((item) => sortKeys(item));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  // Property names keep the Swagger order (it is the API's own, and stable); keywords get the canonical order.
  if (parentKey === 'properties') return Object.fromEntries(entries.map(([key, item]) => [key, sortKeys(item)]));
  const rank = (key: string): number => {
    const index = KEY_ORDER.indexOf(key);
    return index === -1 ? KEY_ORDER.length : index;
  };
  entries.sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, item]) => [key, sortKeys(item, key)]));
}

function entitySchema(swagger: Swagger, entity: GeneratedEntity, kind: 'read' | 'create' | 'update'): JsonSchema {
  const shape: Shape = kind === 'read' ? 'read' : 'write';
  const body = convert(swagger, { $ref: `#/definitions/${entity.definition}` }, shape, entity.definition, []);
  if (!body) throw new Error(`Swagger: ${entity.definition} is read-only as a whole`);
  const what = { read: 'what a GET returns', create: 'what a POST accepts', update: 'what a PUT accepts (it replaces the whole record)' }[kind];
  return {
    $schema: DRAFT_07,
    title: `eAccounting ${entity.name} (${kind})`,
    description: `${entity.definition}: ${what}. Generated from the eAccounting v2 Swagger file; do not edit.`,
    ...body,
  };
}

function formatJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function camel(name: string, kind: string): string {
  return `${name}${kind[0]!.toUpperCase()}${kind.slice(1)}`;
}

function indexModule(entities: readonly GeneratedEntity[]): string {
  const lines = [
    '// Generated by scripts/gen-eaccounting-schemas.ts from the eAccounting v2 Swagger file. Do not edit.',
    "import type { EntitySchemas } from '../../definition.js';",
    "import { asJsonSchema } from '../../schemas.js';",
  ];
  const entries: string[] = [];
  for (const entity of entities) {
    const kinds = ['read', ...(entity.writable.create ? ['create'] : []), ...(entity.writable.update ? ['update'] : [])];
    for (const kind of kinds) {
      lines.push(`import ${camel(entity.name, kind)} from './${entity.name}.${kind}.json' with { type: 'json' };`);
    }
    const fields = kinds.map((kind) => `${kind}: asJsonSchema(${camel(entity.name, kind)})`).join(', ');
    entries.push(`  ${entity.name}: { ${fields} },`);
  }
  lines.push('', 'export const eaccountingSchemas = {', ...entries, '} satisfies Record<string, EntitySchemas>;', '');
  return lines.join('\n');
}

/** Every generated file, by name inside `connectors/eaccounting/schemas/`, with its exact content. */
export function generateEaccountingSchemas(swagger: Swagger): Map<string, string> {
  const files = new Map<string, string>();
  const entities = describeEntities(swagger);
  for (const entity of entities) {
    files.set(`${entity.name}.read.json`, formatJson(entitySchema(swagger, entity, 'read')));
    if (entity.writable.create) files.set(`${entity.name}.create.json`, formatJson(entitySchema(swagger, entity, 'create')));
    if (entity.writable.update) {
      // PUT replaces the whole record, so an update demands exactly what a create demands.
      files.set(`${entity.name}.update.json`, formatJson(entitySchema(swagger, entity, 'update')));
    }
  }
  files.set('index.ts', indexModule(entities));
  return files;
}

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const eaccountingSchemaDir = join(repoRoot, 'connectors', 'eaccounting', 'schemas');

/** `../shared` beside the repository, or `MAPLINE_SHARED_DIR`. */
export function swaggerPath(env: NodeJS.ProcessEnv = process.env): string {
  const shared = env['MAPLINE_SHARED_DIR'] ?? join(repoRoot, '..', 'shared');
  return join(shared, 'apis', 'eaccounting-v2.swagger.json');
}

export function readSwagger(path: string = swaggerPath()): Swagger {
  return JSON.parse(readFileSync(path, 'utf8')) as Swagger;
}

/** Files in the schema folder that differ from what the generator makes, or that it would not make. */
export function staleFiles(files: Map<string, string>, dir: string = eaccountingSchemaDir): string[] {
  const present = readdirSync(dir);
  const stale = [...files].filter(([name, content]) => !present.includes(name) || readFileSync(join(dir, name), 'utf8') !== content);
  const extra = present.filter((name) => !files.has(name));
  return [...stale.map(([name]) => name), ...extra].sort();
}

function main(args: readonly string[]): number {
  const files = generateEaccountingSchemas(readSwagger());
  if (args.includes('--check')) {
    const stale = staleFiles(files);
    for (const name of stale) console.error(`out of date: connectors/eaccounting/schemas/${name}`);
    return stale.length === 0 ? 0 : 1;
  }
  mkdirSync(eaccountingSchemaDir, { recursive: true });
  for (const [name, content] of files) writeFileSync(join(eaccountingSchemaDir, name), content);
  console.log(`wrote ${files.size} files to connectors/eaccounting/schemas/`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
