import type { Diagnostic, Fix, Severity } from './diagnostic.js';
import type { SourceText } from './source-text.js';

/**
 * The one way a diagnostic is shown, by the CLI and the playground alike:
 *
 * ```
 * mappings/orders.map:12:32 error ML3001 unknown source field "zipcod" on ccvshop.orders
 *    |
 * 12 |   InvoicePostalCode  = billing.zipcod
 *    |                                ^^^^^^
 *    = hint: did you mean "zipcode"?
 * ```
 *
 * Line and column are 1-based (a column counts UTF-16 code units, a tab is one). The carets underline the
 * range's part on its first line (at least one caret, so an empty range still points somewhere); tabs in the
 * shown line are expanded to the next multiple of 4 and the carets follow. The gutter is as wide as the line
 * number. Pure: no Node imports; ANSI colours only when asked for.
 */

export interface RenderOptions {
  /** Wrap the severity, carets and hint in ANSI colour codes (off by default). */
  readonly color?: boolean;
}

const TAB_WIDTH = 4;

const ANSI = {
  reset: '\u001b[0m',
  bold: '\u001b[1m',
  red: '\u001b[31m',
  yellow: '\u001b[33m',
  blue: '\u001b[34m',
  cyan: '\u001b[36m',
};

function severityColor(severity: Severity): string {
  return severity === 'error' ? ANSI.red : severity === 'warning' ? ANSI.yellow : ANSI.blue;
}

/** Expands tabs; returns the shown text and a map from a character index to its display column. */
function expandTabs(line: string): { shown: string; columnOf: (index: number) => number } {
  const columns: number[] = [];
  let shown = '';
  for (const ch of line) {
    // `for...of` walks code points; keep the index map in UTF-16 units like the offsets.
    for (let k = 0; k < ch.length; k++) columns.push(shown.length);
    shown += ch === '\t' ? ' '.repeat(TAB_WIDTH - (shown.length % TAB_WIDTH)) : ch;
  }
  columns.push(shown.length);
  return {
    shown,
    columnOf: (index) => columns[Math.max(0, Math.min(index, columns.length - 1))]!,
  };
}

export function renderDiagnostic(diagnostic: Diagnostic, source: SourceText | undefined, options: RenderOptions = {}): string {
  const paint = (code: string, text: string): string => (options.color ? `${code}${text}${ANSI.reset}` : text);
  const color = severityColor(diagnostic.severity);
  const severity = paint(ANSI.bold + color, diagnostic.severity);

  if (source === undefined) {
    const lines = [`${diagnostic.file} ${severity} ${diagnostic.code} ${diagnostic.message}`];
    if (diagnostic.hint) lines.push(`  = ${paint(ANSI.cyan, 'hint')}: ${diagnostic.hint}`);
    return lines.join('\n');
  }

  const start = source.lineCol(diagnostic.range.start);
  const end = source.lineCol(Math.max(diagnostic.range.start, diagnostic.range.end));
  const lineText = source.lineText(start.line);
  const { shown, columnOf } = expandTabs(lineText);

  const startIndex = start.column - 1;
  const endIndex = end.line === start.line ? end.column - 1 : lineText.length;
  const caretStart = columnOf(startIndex);
  const caretCount = Math.max(1, columnOf(endIndex) - caretStart);

  const gutter = ' '.repeat(String(start.line).length);
  const lines = [
    `${diagnostic.file}:${start.line}:${start.column} ${severity} ${diagnostic.code} ${diagnostic.message}`,
    `${gutter} |`,
    `${start.line} | ${shown}`.trimEnd(),
    `${gutter} | ${' '.repeat(caretStart)}${paint(ANSI.bold + color, '^'.repeat(caretCount))}`,
  ];
  if (diagnostic.hint) lines.push(`${gutter} = ${paint(ANSI.cyan, 'hint')}: ${diagnostic.hint}`);
  return lines.join('\n');
}

/** Where to find the text of each file a diagnostic points into. */
export type SourceLookup =
  | ReadonlyMap<string, SourceText>
  | Readonly<Record<string, SourceText>>
  | ((file: string) => SourceText | undefined);

function lookup(sources: SourceLookup, file: string): SourceText | undefined {
  if (typeof sources === 'function') return sources(file);
  if (sources instanceof Map) return sources.get(file);
  return Object.prototype.hasOwnProperty.call(sources, file) ? (sources as Record<string, SourceText>)[file] : undefined;
}

/** Renders several diagnostics, separated by blank lines, in the order given. */
export function renderDiagnostics(
  diagnostics: readonly Diagnostic[],
  sources: SourceLookup,
  options: RenderOptions = {},
): string {
  return diagnostics.map((d) => renderDiagnostic(d, lookup(sources, d.file), options)).join('\n\n');
}

/** 1-based line and column of both ends of a range. */
export interface LineColumns {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** A quick fix as JSON: its range as offsets and as lines and columns, for editors that count either way. */
export type FixJson = Fix & LineColumns;

/** A diagnostic as JSON for `--json`: the value itself plus 1-based line and column of both ends (and of each fix). */
export interface DiagnosticJson extends Omit<Diagnostic, 'fixes'>, LineColumns {
  readonly fixes?: readonly FixJson[];
}

export function toJson(diagnostic: Diagnostic, source: SourceText): DiagnosticJson {
  const { fixes, ...rest } = diagnostic;
  return {
    ...rest,
    ...lineColumns(diagnostic.range.start, diagnostic.range.end, source),
    ...(fixes ? { fixes: fixes.map((fix) => ({ ...fix, ...lineColumns(fix.range.start, fix.range.end, source) })) } : {}),
  };
}

function lineColumns(from: number, to: number, source: SourceText): LineColumns {
  const start = source.lineCol(from);
  const end = source.lineCol(to);
  return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}
