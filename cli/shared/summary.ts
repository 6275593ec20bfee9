import { textTable } from './text-table.js';
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
  return textTable(['flow', ...SUMMARY_COLUMNS], rows, (column) => column > 0);
}
