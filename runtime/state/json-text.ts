import type { Json } from '../../compiler/artifact.js';

/** A JSON document as the text a store keeps (SQLite TEXT, PostgreSQL `json`): exactly what JSON.stringify wrote. */
export const jsonText = (value: Json): string => JSON.stringify(value);
export const jsonTextOrNull = (value: Json | null): string | null => (value === null ? null : JSON.stringify(value));
