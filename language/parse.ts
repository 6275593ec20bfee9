import type { IToken } from 'chevrotain';
import type { Expr, MapFile } from './ast.js';
import type { Diagnostic } from './diagnostic.js';
import * as T from './lexer.js';
import { applyNewlineRule, unclosedBraces } from './newlines.js';
import { mapParser } from './parser.js';
import { SourceText } from './source-text.js';
import { scanString } from './string-literal.js';
import { syntaxDiagnostic } from './syntax-diagnostic.js';
import { recognitionToDiagnostic, type ErrorContext } from './syntax-errors.js';
import { AstBuilder } from './to-ast.js';

export interface ParseResult {
  readonly ast: MapFile;
  readonly diagnostics: Diagnostic[];
}

/**
 * Parses one `.map` file. Never throws: whatever goes wrong becomes a diagnostic, and the tree holds every
 * part that could be read (an unreadable expression is an `ErrorExpr`, a broken statement is left out).
 * Diagnostics are sorted by position, at most one per line (the first problem on a line usually causes the
 * rest).
 */
export function parse(text: string, file: string): ParseResult {
  // Error recovery makes chevrotain create an exception per syntax error; their stack traces are never shown
  // and capturing them was the largest cost of parsing broken text (as the playground does on every key).
  const errorWithLimit = Error as { stackTraceLimit?: number };
  const stackTraceLimit = errorWithLimit.stackTraceLimit;
  errorWithLimit.stackTraceLimit = 0;
  try {
    return parseOrThrow(text, file);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    // Nesting without brackets (a long run of `not not ...`) can still exhaust the stack: that is the text's
    // depth, not a bug, and is reported as such.
    const diagnostic =
      error instanceof RangeError
        ? syntaxDiagnostic('tooDeep', file, { start: 0, end: Math.min(1, text.length) }, { max: MAX_NESTING })
        : syntaxDiagnostic('internalError', file, { start: 0, end: 0 }, { detail });
    return { ast: { kind: 'File', file, items: [], range: { start: 0, end: text.length } }, diagnostics: [diagnostic] };
  } finally {
    errorWithLimit.stackTraceLimit = stackTraceLimit;
  }
}

function parseOrThrow(text: string, file: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const lexed = lex(text, 0, text.length, file, diagnostics);
  const deep = tooDeep(lexed, file);
  if (deep) return { ast: { kind: 'File', file, items: [], range: { start: 0, end: text.length } }, diagnostics: [...diagnostics, deep] };
  const tokens = applyNewlineRule(lexed, { statements: true, endOffset: text.length });
  const unclosed = unclosedBraces(lexed);
  if (unclosed[0]) {
    const brace = unclosed[0];
    diagnostics.push(syntaxDiagnostic('unclosedBlock', file, { start: brace.startOffset, end: brace.startOffset + 1 }));
  }

  mapParser.input = tokens;
  const cst = mapParser.file();
  const context: ErrorContext = { text, file, tokens, unclosed, fragment: false, end: text.length };
  for (const error of [...mapParser.errors]) {
    const diagnostic = recognitionToDiagnostic(error, context);
    if (diagnostic) diagnostics.push(diagnostic);
  }

  const builder: AstBuilder = new AstBuilder(file, diagnostics, (start, end): Expr => parseFragment(text, file, start, end, builder, diagnostics));
  const ast = cst
    ? builder.file(cst, text.length)
    : ({ kind: 'File', file, items: [], range: { start: 0, end: text.length } } satisfies MapFile);
  return { ast, diagnostics: onePerLine(diagnostics, new SourceText(file, text)) };
}

/** Parses an interpolation hole `{...}` (offsets `start`..`end` of the text between the braces). */
function parseFragment(
  text: string,
  file: string,
  start: number,
  end: number,
  builder: AstBuilder,
  diagnostics: Diagnostic[],
): Expr {
  const lexed = lex(text, start, end, file, diagnostics);
  const deep = tooDeep(lexed, file);
  if (deep) {
    diagnostics.push(deep);
    return { kind: 'ErrorExpr', range: { start, end: start } };
  }
  const tokens = applyNewlineRule(lexed, { statements: false, endOffset: end });
  if (tokens.length === 0) return { kind: 'ErrorExpr', range: { start, end: start } };
  mapParser.input = tokens;
  const cst = mapParser.expression();
  const context: ErrorContext = { text, file, tokens, unclosed: [], fragment: true, end };
  for (const error of [...mapParser.errors]) {
    const diagnostic = recognitionToDiagnostic(error, context);
    if (diagnostic) diagnostics.push(diagnostic);
  }
  return builder.expressionOr(cst, start);
}

/**
 * How deep brackets may nest. The parser descends once per level, and a few hundred levels would exhaust the
 * stack; no real mapping comes near this, so deeper text is refused with its place rather than crashing.
 */
export const MAX_NESTING = 64;

function tooDeep(tokens: readonly IToken[], file: string): Diagnostic | undefined {
  let depth = 0;
  for (const token of tokens) {
    if (token.tokenType === T.LParen || token.tokenType === T.LBracket || token.tokenType === T.LBrace) {
      if (++depth > MAX_NESTING) {
        return syntaxDiagnostic('tooDeep', file, { start: token.startOffset, end: token.startOffset + 1 }, { max: MAX_NESTING });
      }
    } else if (token.tokenType === T.RParen || token.tokenType === T.RBracket || token.tokenType === T.RBrace) {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

/** Tokenizes `text[start..end)` and reports lexical problems (characters, strings, quoted names). */
function lex(text: string, start: number, end: number, file: string, diagnostics: Diagnostic[]): IToken[] {
  const source = start === 0 && end === text.length ? text : text.slice(start, end);
  const { tokens, errors } = T.tokenize(source, start);
  for (const error of errors) {
    const char = text.slice(error.offset, error.offset + error.length);
    diagnostics.push(
      syntaxDiagnostic('unexpectedCharacter', file, { start: error.offset, end: error.offset + error.length }, { char }),
    );
  }
  for (const token of tokens) {
    if (token.tokenType === T.StringLiteral) reportStringProblems(text, token, file, diagnostics);
    else if (token.tokenType === T.BacktickIdentifier) {
      const range = { start: token.startOffset, end: token.startOffset + token.image.length };
      if (token.image.length < 2 || !token.image.endsWith('`')) {
        diagnostics.push(syntaxDiagnostic('unterminatedQuotedName', file, range));
      } else if (token.image === '``') {
        diagnostics.push(
          syntaxDiagnostic('expectedToken', file, range, { expected: 'a name', context: ' between the backticks', found: '``' }),
        );
      }
    }
  }
  return tokens;
}

function reportStringProblems(text: string, token: IToken, file: string, diagnostics: Diagnostic[]): void {
  for (const problem of scanString(text, token.startOffset).problems) {
    const range = { start: problem.start, end: problem.end };
    switch (problem.kind) {
      case 'unterminated':
        diagnostics.push(syntaxDiagnostic('unterminatedString', file, range));
        break;
      case 'bad-escape':
        diagnostics.push(syntaxDiagnostic('unknownEscape', file, range, { escape: problem.escape }));
        break;
      case 'unclosed-hole':
        diagnostics.push(syntaxDiagnostic('unclosedInterpolation', file, range));
        break;
      case 'empty-hole':
        diagnostics.push(syntaxDiagnostic('emptyInterpolation', file, range));
        break;
    }
  }
}

/** Sorted by position; only the first diagnostic of each line is kept (later ones are mostly its echoes). */
function onePerLine(diagnostics: readonly Diagnostic[], source: SourceText): Diagnostic[] {
  const sorted = [...diagnostics].sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
  const seenLines = new Set<number>();
  const kept: Diagnostic[] = [];
  for (const diagnostic of sorted) {
    const line = source.lineCol(diagnostic.range.start).line;
    if (seenLines.has(line)) continue;
    seenLines.add(line);
    kept.push(diagnostic);
  }
  return kept;
}
