import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { JsonSchema } from '../../connectors/json-schema.js';
import { schemaAnnotationKeywords } from '../../connectors/schemas.js';
import { repoRoot } from '../../scripts/gen-eaccounting-schemas.js';

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** ajv as Mapline uses it: strict (unknown keywords and formats are errors), all errors, standard formats. */
export function newAjv(): Ajv {
  const ajv = new Ajv({ strict: true, allErrors: true });
  addFormats(ajv);
  for (const keyword of schemaAnnotationKeywords) ajv.addKeyword(keyword);
  return ajv;
}

export function compile(schema: JsonSchema): ValidateFunction {
  return newAjv().compile(schema);
}

/** Validation errors as `path message` lines, so a failing test says which field broke. */
export function errorsOf(validate: ValidateFunction, value: unknown): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`);
}

export function sharedDir(): string {
  return process.env['MAPLINE_SHARED_DIR'] ?? join(repoRoot, '..', 'shared');
}

/** The API notes, as the other engineers read them. */
export function apiNotes(file: 'ccvshop.md' | 'eaccounting.md'): string {
  return readFileSync(join(sharedDir(), 'apis', file), 'utf8');
}

/** The first ```json block after the first line containing `marker`, parsed. */
export function exampleAfter(markdown: string, marker: string): unknown {
  const at = markdown.indexOf(marker);
  if (at === -1) throw new Error(`API notes: no "${marker}"`);
  const block = /```json\n([\s\S]*?)```/.exec(markdown.slice(at));
  if (!block?.[1]) throw new Error(`API notes: no json block after "${marker}"`);
  return JSON.parse(block[1]);
}
