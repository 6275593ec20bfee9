import { TERMS_TABLE } from './flow-catalogue.js';

export interface TermsRow {
  /** The shop's payment method as orders carry it (`paymethod`, the CCV `combined_name`). */
  readonly paymethod: string;
  readonly termsId: string;
  /** Shown as a comment: which method and which terms, in words. */
  readonly comment: string;
}

/** The entries of `table terms_by_paymethod` in a `.map` text (key -> value), `else` included; none when absent. */
export function readTermsTable(mapText: string): Map<string, string> | undefined {
  const block = findBlock(mapText);
  if (!block) return undefined;
  const entries = new Map<string, string>();
  for (const match of block.body.matchAll(/^\s*("([^"]*)"|else)\s*=>\s*"([^"]*)"/gm)) entries.set(match[2] ?? 'else', match[3]!);
  return entries;
}

/**
 * The `.map` text with its `terms_by_paymethod` table replaced by these rows (and this `else`). Everything
 * else stays byte for byte, so the copy differs from the default mapping only where the merchant answered.
 */
export function writeTermsTable(mapText: string, rows: readonly TermsRow[], elseTermsId: string, elseComment: string): string {
  const block = findBlock(mapText);
  if (!block) throw new Error(`no table ${TERMS_TABLE} in this .map file`);
  const width = Math.max(4, ...rows.map((r) => JSON.stringify(r.paymethod).length));
  const lines = rows.map((r) => `  ${JSON.stringify(r.paymethod).padEnd(width)} => ${JSON.stringify(r.termsId)}   # ${r.comment}`);
  lines.push(`  ${'else'.padEnd(width)} => ${JSON.stringify(elseTermsId)}   # ${elseComment}`);
  return `${mapText.slice(0, block.bodyStart)}\n${lines.join('\n')}\n${mapText.slice(block.bodyEnd)}`;
}

function findBlock(text: string): { body: string; bodyStart: number; bodyEnd: number } | undefined {
  const head = new RegExp(`^table\\s+${TERMS_TABLE}\\s*\\{[^\\n]*`, 'm').exec(text);
  if (!head) return undefined;
  const bodyStart = head.index + head[0].length;
  const close = /^\}/m.exec(text.slice(bodyStart));
  if (!close) return undefined;
  const bodyEnd = bodyStart + close.index;
  return { body: text.slice(bodyStart, bodyEnd), bodyStart, bodyEnd };
}
