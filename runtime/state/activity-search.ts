/** The activity columns a free-text search looks in: an order number, e-mail or SKU is in one of them. */
export const SEARCHED_COLUMNS = ['source_id', 'target_id', 'reason', 'source_record', 'payload'] as const;

/** `text` as a LIKE pattern matching it anywhere, its own `%`, `_` and `\` taken literally (ESCAPE '\'). */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
