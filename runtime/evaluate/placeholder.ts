import type { Json } from '../../compiler/artifact.js';
import { showValue } from './lookups.js';

/**
 * The id a record gets that an upsert would create but has not (a dry run, the planning pass, the playground):
 * `(new eaccounting.customers EmailAddress="a@b")`. One definition, so a dry run, `mapline test` and the
 * playground show the same payload for the same record.
 */
export const PLACEHOLDER_PREFIX = '(new ';

export function placeholderFor(entity: string, key: string, value: Json): string {
  return `${PLACEHOLDER_PREFIX}${entity} ${key}=${showValue(value)})`;
}

export function isPlaceholder(value: unknown): boolean {
  return typeof value === 'string' && value.startsWith(PLACEHOLDER_PREFIX);
}
