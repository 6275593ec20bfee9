/**
 * The public API of the language phase: text in, AST and diagnostics out, plus the one diagnostic renderer.
 * Pure (no Node imports), so the CLI and the browser playground use the same code.
 */
export type * from './ast.js';
export { parse, type ParseResult } from './parse.js';
export { RESERVED_WORDS, SOFT_WORDS } from './lexer.js';
export { type Diagnostic, type Severity, hasErrors } from './diagnostic.js';
export { type Range, range, cover } from './range.js';
export { SourceText, type LineCol } from './source-text.js';
export { type CodeSpec, type Catalogue, defineCodes, registeredCodes, formatTemplate } from './codes.js';
export { SyntaxCodes, type SyntaxCodeName } from './syntax-codes.js';
export {
  renderDiagnostic,
  renderDiagnostics,
  toJson,
  type DiagnosticJson,
  type RenderOptions,
  type SourceLookup,
} from './render.js';
