import type { Fix } from '../language/diagnostic.js';
import { RESERVED_WORDS } from '../language/lexer.js';
import type { Range } from '../language/range.js';

/** "Did you mean": the closest candidate by edit distance, when it is close enough to be a plausible typo. */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const other = candidate.toLowerCase();
    // A difference of case only is the most likely typo of all; a name that contains the other
    // (`uppercase` for `upper`) is the next most likely.
    const distance = other === lower ? 0.5 : contains(lower, other) ? 1.5 : editDistance(lower, other);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(2, Math.floor(name.length / 3));
  return bestDistance <= allowed ? best : undefined;
}

/** A did-you-mean as data: the name for the hint, and the quick fix that writes it over the misspelt one at `range`. */
export interface Guess {
  readonly suggestion: string | undefined;
  readonly fixes: readonly Fix[];
}

export function didYouMean(name: string, candidates: Iterable<string>, range: Range): Guess {
  const suggestion = suggest(name, candidates);
  return { suggestion, fixes: suggestion === undefined ? [] : [replaceWith(range, asName(suggestion))] };
}

/** The quick fix that writes `text` over `range`. */
export function replaceWith(range: Range, text: string): Fix {
  return { title: `Change to "${text}"`, range, text };
}

/** How a name is written in a `.map` file: plain when it can be, in backticks otherwise (`` `e-mail` ``, `` `flow` ``). */
export function asName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !RESERVED_WORDS.includes(name) ? name : `\`${name}\``;
}

function contains(a: string, b: string): boolean {
  return Math.min(a.length, b.length) >= 3 && (a.includes(b) || b.includes(a));
}

/** Levenshtein distance with adjacent transpositions counted as one edit (Damerau, optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j]!;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, at(i - 2, j - 2) + 1);
      d[i * cols + j] = value;
    }
  }
  return at(rows - 1, cols - 1);
}
