/**
 * The subset of JSON Schema (draft-07, as ajv 8 reads it) that connector schemas use. Kept as a plain type so
 * `language/` and `compiler/` can read schemas in the browser without ajv.
 */
export interface JsonSchema {
  $id?: string;
  $schema?: string;
  $ref?: string;
  title?: string;
  description?: string;
  type?: JsonSchemaType | JsonSchemaType[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  readOnly?: boolean;
  writeOnly?: boolean;
  default?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  nullable?: boolean;
  definitions?: Record<string, JsonSchema>;
  /** Mapline annotation: the source of a fact about the API (e.g. `H`, `M`, `G` certainty from the API notes). */
  'x-certainty'?: string;
}

export type JsonSchemaType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';
