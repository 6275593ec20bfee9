/**
 * The generated large `.map` file the language and compiler benches share. It is the compile-clean generator of
 * `large-mapping.ts` under the name the language bench asked for, so both benches measure the same text.
 */
export { generateLargeMapping as generateLargeMap } from './large-mapping.js';
