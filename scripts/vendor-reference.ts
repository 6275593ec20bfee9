/**
 * Copies what the tests and the schema generator need from the reference material beside the repository
 * (`../shared`, or `MAPLINE_SHARED_DIR`) into the repository, so a clone with nothing beside it builds and tests.
 * The reference material is read, not copied whole (its README says so, and the Swagger file carries no licence):
 * only derived extracts are committed, each small and made by this script.
 *
 * - `connectors/eaccounting/reference/eaccounting-v2.swagger-extract.json`: of the official Swagger file, the
 *   paths of the entities Mapline exposes (every operation) and the definitions they reach; the input of
 *   `scripts/gen-eaccounting-schemas.ts`.
 * - `test/fixtures/api-notes/examples.json`: the example bodies of the API notes that the schema tests validate.
 * - `test/fixtures/api-notes/ccv-hmac-vectors.json`: the notes' CCV HMAC test vectors.
 * - `test/compiler/fixtures/sketch.map`: the language sketch's example (`design/language.md`).
 *
 * `node --import tsx scripts/vendor-reference.ts` (or `npm run vendor:reference`) writes them; `--check` compares
 * and exits 1 when one would change. No test runs the check: tests read nothing outside the repository.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { eaccountingEntityNames } from './gen-eaccounting-schemas.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** `../shared` beside the repository, or `MAPLINE_SHARED_DIR`. */
export function sharedDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['MAPLINE_SHARED_DIR'] ?? join(repoRoot, '..', 'shared');
}

/** Where each extract is committed, relative to the repository. */
export const VENDORED = {
  swagger: 'connectors/eaccounting/reference/eaccounting-v2.swagger-extract.json',
  examples: 'test/fixtures/api-notes/examples.json',
  hmacVectors: 'test/fixtures/api-notes/ccv-hmac-vectors.json',
  sketch: 'test/compiler/fixtures/sketch.map',
} as const;

/** The example bodies the tests use: per notes file, the line that precedes each ```json block. */
const EXAMPLE_MARKERS = {
  'ccvshop.md': [
    'Order `GET /api/rest/v1/orders/781001`:',
    'Product `GET /api/rest/v1/products/320011',
    'Order rows `GET /api/rest/v1/orders/781001/orderrows`',
  ],
  'eaccounting.md': ['POST `/v2/customers`', 'POST `/v2/articles`:', 'POST `/v2/orders`:', 'GET `/v2/articles?$filter'],
} as const;

export type NotesFile = keyof typeof EXAMPLE_MARKERS;

/** Every extract, by repository-relative path, as it would be written. */
export function buildReference(shared: string = sharedDir()): Map<string, string> {
  const read = (path: string): string => readFileSync(join(shared, path), 'utf8');
  const files = new Map<string, string>();
  files.set(VENDORED.swagger, json(swaggerExtract(JSON.parse(read('apis/eaccounting-v2.swagger.json')) as SwaggerDocument)));
  const examples: Record<string, Record<string, unknown>> = {};
  for (const [file, markers] of Object.entries(EXAMPLE_MARKERS)) {
    const notes = read(`apis/${file}`);
    examples[file] = Object.fromEntries(markers.map((marker) => [marker, exampleAfter(notes, marker)]));
  }
  files.set(VENDORED.examples, json(examples));
  files.set(VENDORED.hmacVectors, json(hmacVectors(read('apis/ccvshop.md'))));
  files.set(VENDORED.sketch, sketchExample(read('design/language.md')));
  return files;
}

interface SwaggerDocument {
  swagger: string;
  info: unknown;
  paths: Record<string, unknown>;
  definitions: Record<string, unknown>;
}

/** The entities' paths (every operation) and the definitions they reach, `$ref` by `$ref`. */
function swaggerExtract(swagger: SwaggerDocument): SwaggerDocument & { 'x-extract': string } {
  const ofEntity = (path: string): boolean => eaccountingEntityNames.some((e) => path === `/v2/${e}` || path.startsWith(`/v2/${e}/`));
  const paths = Object.fromEntries(Object.entries(swagger.paths).filter(([path]) => ofEntity(path)));
  const needed = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === '$ref' && typeof inner === 'string') {
          const name = inner.replace(/^#\/definitions\//, '');
          if (!needed.has(name) && swagger.definitions[name] !== undefined) {
            needed.add(name);
            visit(swagger.definitions[name]);
          }
        } else visit(inner);
      }
    }
  };
  visit(paths);
  const definitions = Object.fromEntries(Object.keys(swagger.definitions).filter((name) => needed.has(name)).map((name) => [name, swagger.definitions[name]]));
  return {
    'x-extract': 'Made by scripts/vendor-reference.ts from the official eAccounting v2 Swagger file (2021): the paths of the entities Mapline exposes and the definitions they use. Do not edit.',
    swagger: swagger.swagger,
    info: swagger.info,
    paths,
    definitions,
  };
}

/** The first ```json block after the first line containing `marker`, parsed. */
export function exampleAfter(markdown: string, marker: string): unknown {
  const at = markdown.indexOf(marker);
  if (at === -1) throw new Error(`API notes: no "${marker}"`);
  const block = /```json\n([\s\S]*?)```/.exec(markdown.slice(at));
  if (!block?.[1]) throw new Error(`API notes: no json block after "${marker}"`);
  return JSON.parse(block[1]);
}

export interface HmacVector {
  readonly publicKey: string;
  readonly method: string;
  readonly uri: string;
  readonly body: string;
  readonly date: string;
  readonly hash: string;
}

/** The rows of the notes' "Test vectors" table: `` `public|METHOD|uri|body|date` `` and the hex hash. */
function hmacVectors(notes: string): HmacVector[] {
  const at = notes.indexOf('Test vectors');
  if (at === -1) throw new Error('ccvshop.md: no "Test vectors"');
  const vectors: HmacVector[] = [];
  for (const line of notes.slice(at).split('\n').slice(1)) {
    const row = /^\| `(.+)` \| `([0-9a-f]{128})` \|$/.exec(line.trim());
    if (!row) {
      if (vectors.length > 0 && !line.trim().startsWith('|')) break;
      continue;
    }
    const [publicKey, method, uri, body, date] = row[1]!.split('\\|');
    vectors.push({ publicKey: publicKey!, method: method!, uri: uri!, body: body!, date: date!, hash: row[2]! });
  }
  if (vectors.length === 0) throw new Error('ccvshop.md: the test vector table has no rows');
  return vectors;
}

/** The sketch's example `.map` (the fenced block that starts with its comment line). */
function sketchExample(language: string): string {
  const block = /```\n(# Comments start[\s\S]*?)```/.exec(language)?.[1];
  if (!block) throw new Error('design/language.md: no example block starting "# Comments start"');
  return block;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Extracts whose committed copy differs from what the script makes (or is missing). */
export function staleExtracts(files: Map<string, string>): string[] {
  return [...files].filter(([path, content]) => !existsSync(join(repoRoot, path)) || readFileSync(join(repoRoot, path), 'utf8') !== content).map(([path]) => path);
}

function main(args: readonly string[]): number {
  const shared = sharedDir();
  if (!existsSync(shared)) {
    console.error(`no reference material at ${shared} (set MAPLINE_SHARED_DIR): nothing to vendor`);
    return 2;
  }
  const files = buildReference(shared);
  if (args.includes('--check')) {
    const stale = staleExtracts(files);
    for (const path of stale) console.error(`out of date: ${path} (run npm run vendor:reference)`);
    return stale.length === 0 ? 0 : 1;
  }
  for (const [path, content] of files) {
    mkdirSync(dirname(join(repoRoot, path)), { recursive: true });
    writeFileSync(join(repoRoot, path), content);
  }
  console.log(`wrote ${[...files.keys()].join(', ')}`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
