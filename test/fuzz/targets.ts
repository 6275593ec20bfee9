import { parse, type ParseResult } from '../../language/parse.js';

/**
 * What the fuzzers feed every input to. A target throws when an invariant breaks; the runner and the fuzz test
 * report the input. Later phases (check, emit) add their own targets to this list.
 */
export interface FuzzTarget {
  readonly name: string;
  run(text: string): void;
}

/** Checks that every `range` in a tree of plain objects lies inside the text and is ordered. */
export function assertRangesInside(value: unknown, length: number, path = 'ast'): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertRangesInside(v, length, `${path}[${i}]`));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    if ((key === 'range' || key === 'opRange' || key === 'actionRange') && child && typeof child === 'object') {
      const { start, end } = child as { start: number; end: number };
      if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > length) {
        throw new Error(`${path}.${key} is ${JSON.stringify(child)}, outside 0..${length}`);
      }
    } else assertRangesInside(child, length, `${path}.${key}`);
  }
}

/** The invariants of `parse`: a file node, a diagnostics list, no caught exception, ranges inside the text. */
export function checkParseResult(text: string, result: ParseResult): void {
  const { ast, diagnostics } = result;
  if (ast.kind !== 'File' || !Array.isArray(ast.items)) throw new Error('parse returned no file node');
  if (!Array.isArray(diagnostics)) throw new Error('parse returned no diagnostics list');
  const internal = diagnostics.find((d) => d.code === 'ML1099');
  if (internal) throw new Error(`parse caught an exception: ${internal.message}`);
  for (const d of diagnostics) {
    if (!d.message || /\{\w+\}/.test(d.message)) throw new Error(`diagnostic ${d.code} has an unfilled message: ${d.message}`);
  }
  assertRangesInside(ast, text.length);
  assertRangesInside(diagnostics, text.length, 'diagnostics');
  // Recovery is never silent: a tree with error nodes or invented names comes with a diagnostic.
  if (diagnostics.length === 0) {
    const hole = findErrorNode(ast, 'ast');
    if (hole) throw new Error(`no diagnostics, but ${hole}`);
  }
}

/** The path of the first `ErrorExpr` or empty-named `Ident` in a tree, if any. */
function findErrorNode(value: unknown, path: string): string | undefined {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findErrorNode(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const node = value as { kind?: string; name?: string };
  if (node.kind === 'ErrorExpr') return `${path} is an ErrorExpr`;
  if (node.kind === 'Ident' && node.name === '') return `${path} is an empty name`;
  for (const [key, child] of Object.entries(value)) {
    const found = findErrorNode(child, `${path}.${key}`);
    if (found) return found;
  }
  return undefined;
}

export const parseTarget: FuzzTarget = {
  name: 'parse',
  run(text) {
    checkParseResult(text, parse(text, 'fuzz.map'));
  },
};

/** Every fuzz target, in the order they run on each input. */
export const fuzzTargets: FuzzTarget[] = [parseTarget];
