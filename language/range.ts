/**
 * Source locations are half-open byte offsets into one file's text (like esbuild): cheap to carry on every
 * node and every diagnostic. They become line:col only when rendered (see `source-text.ts`).
 */
export interface Range {
  /** Offset of the first character (0-based, UTF-16 code units, as JavaScript strings index). */
  readonly start: number;
  /** Offset one past the last character. */
  readonly end: number;
}

export function range(start: number, end: number): Range {
  return { start, end };
}

/** The smallest range covering both. */
export function cover(a: Range, b: Range): Range {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}
