import type { Builtin } from './builtin.js';
import { dateBuiltins } from './dates.js';
import { listBuiltins } from './lists.js';
import { numberBuiltins } from './numbers.js';
import { stringBuiltins } from './strings.js';

export type { Builtin, BuiltinExample, Param } from './builtin.js';
export { signature } from './builtin.js';
export { stdlibBindings } from './bindings.js';

/** Every standard-library function by its `.map` name. */
export const builtins: ReadonlyMap<string, Builtin> = new Map(
  [...stringBuiltins, ...numberBuiltins, ...dateBuiltins, ...listBuiltins].map((b) => [b.name, b]),
);
