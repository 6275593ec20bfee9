import type { RunResult } from '../../runtime/engine/index.js';

/** The columns every run summary shows, in the order the issue asks for them. */
export const SUMMARY_COLUMNS = ['read', 'created', 'updated', 'skipped', 'failed', 'calls'] as const;

/**
 * The per-flow summary table of a run, one flow per row, as `mapline run` and `mapline demo` print it. No lines
 * when no flow ran (every flow refused: lock held, credentials refused): an empty table tells nothing.
 */
export function summaryTable(result: RunResult): string[] {
  if (result.flows.length === 0) return [];
  const rows = result.flows.map((f) => [f.flow, ...SUMMARY_COLUMNS.map((c) => String(f.summary[c]))]);
  const header = ['flow', ...SUMMARY_COLUMNS];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)];
}
