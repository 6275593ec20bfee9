import type { JsonSchema } from '../../json-schema.js';
import { orNull } from '../../schemas.js';

/**
 * Builders for the hand-written CCV Shop schemas. Every field gets a description (the API notes' words) so the
 * playground can show it on hover; a guess is marked `x-certainty: G`.
 */

export const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';

export const string = (description: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'string', description, ...extra });
export const integer = (description: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'integer', description, ...extra });
export const number = (description: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'number', description, ...extra });
export const boolean = (description: string): JsonSchema => ({ type: 'boolean', description });
/** A UTC timestamp as the API writes it (`2024-01-15T09:58:12Z`). */
export const dateTime = (description: string): JsonSchema => string(`${description} (UTC)`, { format: 'date-time' });

/** The same field, also allowing JSON null (the notes say it may be null). */
export const nullable = orNull;

/** A fact nothing confirmed: the notes mark it [G]. */
export function guess(schema: JsonSchema): JsonSchema {
  return { ...schema, 'x-certainty': 'G' };
}

export function object(description: string, properties: Record<string, JsonSchema>, extra: JsonSchema = {}): JsonSchema {
  return { type: 'object', description, properties, ...extra };
}

/** A write shape: closed, so a misspelt or read-only field is an error instead of being dropped by the API. */
export function closed(description: string, properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema {
  return { type: 'object', description, properties, ...(required.length > 0 ? { required } : {}), additionalProperties: false };
}

export function arrayOf(description: string, items: JsonSchema): JsonSchema {
  return { type: 'array', description, items };
}

/** `{"href": ".../orders/123/orderrows/"}`: a link to a child collection or a related resource. */
export function link(description: string): JsonSchema {
  return object(description, { href: string('Absolute URL of the linked resource') }, { required: ['href'] });
}

/** A child link that `expand` may fill: `{href}` or `{href, collection: [...]}`. */
export function expandableLink(description: string, item: JsonSchema = { type: 'object' }): JsonSchema {
  return object(description, {
    href: string('Absolute URL of the child collection'),
    collection: arrayOf('The child records, present only when requested with `expand`', item),
  }, { required: ['href'] });
}

/** Every resource carries its absolute self link and an integer id. */
export const resourceIdentity = {
  href: string('Absolute URL of this resource (self link)'),
  id: integer('Unique id of this resource'),
};

/** A top-level schema document. */
export function document(title: string, description: string, body: JsonSchema): JsonSchema {
  return { $schema: DRAFT_07, title, description, ...body };
}
