/** The compiler's public API: `.map` text in, a checked, versioned artifact (JSONata + plan + source map) out. */
export { compile, check, type CompileInput, type CompileResult, type SourceFile } from './compile.js';
export { CompileCache } from './compile-cache.js';
export type { ConnectorCatalog, CatalogEntity } from './catalog.js';
export { findEntity, entityLabel } from './catalog.js';
export * from './artifact.js';
export { compilerCodes } from './codes.js';
export { builtins, signature, stdlibBindings, type Builtin } from './stdlib/index.js';
