import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { JsonSchema } from '../../connectors/json-schema.js';
import { schemaAnnotationKeywords } from '../../connectors/schemas.js';
import { repoRoot, VENDORED, type NotesFile } from '../../scripts/vendor-reference.js';

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

let examples: Record<string, Record<string, unknown>> | undefined;

/**
 * An example body from the API notes (the ```json block after the line containing `marker`), from the copy
 * `scripts/vendor-reference.ts` commits, so the tests read nothing outside the repository.
 */
export function apiExample(file: NotesFile, marker: string): unknown {
  examples ??= JSON.parse(readFileSync(join(repoRoot, VENDORED.examples), 'utf8')) as Record<string, Record<string, unknown>>;
  const example = examples[file]?.[marker];
  if (example === undefined) throw new Error(`${VENDORED.examples}: no example "${marker}" from ${file}; add it to scripts/vendor-reference.ts`);
  return structuredClone(example);
}
