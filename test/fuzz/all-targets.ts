import { compileTarget } from './compile-target.js';
import { fuzzTargets, type FuzzTarget } from './targets.js';

/** Every phase's fuzz target, in order: the parser's, then parse + check + emit. `npm run fuzz` runs them all. */
export const allFuzzTargets: readonly FuzzTarget[] = [...fuzzTargets, compileTarget];
