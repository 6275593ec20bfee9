import type { Range } from './range.js';

export type Severity = 'error' | 'warning' | 'info';

/**
 * A diagnostic is a value, never an exception: every phase returns its diagnostics next to its result, so one
 * run reports several problems. The CLI and the playground render the same value the same way.
 */
export interface Diagnostic {
  /** Stable code from the catalogue (`codes.ts`), e.g. `ML3001`. */
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  /** Name of the file the range points into (as given to the parser). */
  readonly file: string;
  readonly range: Range;
  /** What to do about it, e.g. `did you mean "zipcode"?` */
  readonly hint?: string;
  /**
   * Edits that resolve it, made where the suggestion is computed (the `did you mean` name written over the
   * misspelt one), so an editor offers them as quick fixes without reading the message.
   */
  readonly fixes?: readonly Fix[];
}

/** One quick fix: replace `range` of the diagnostic's file with `text`. */
export interface Fix {
  /** What the fix does, in the user's words: `Change to "zipcode"`. */
  readonly title: string;
  readonly range: Range;
  readonly text: string;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
