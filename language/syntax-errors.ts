import { EOF, type IRecognitionException, type IToken } from 'chevrotain';
import type { Diagnostic } from './diagnostic.js';
import * as T from './lexer.js';
import { isSyntheticNewline } from './newlines.js';
import type { SyntaxErrorFacts } from './recovery.js';
import type { Range } from './range.js';
import { syntaxDiagnostic } from './syntax-diagnostic.js';

/**
 * Turns chevrotain's recognition exceptions into diagnostics in the user's words: "expected `=` after the
 * target field `Name`, found `:`" rather than a dump of token type names. The parser's message provider
 * (`parser.ts`) encodes the rule and the expected tokens; the exception carries the found and previous tokens.
 */

export interface ErrorContext {
  readonly text: string;
  readonly file: string;
  /** The token stream the parser saw (after the newline pass), to look one token further. */
  readonly tokens: readonly IToken[];
  /** `{` tokens never closed, outermost first. */
  readonly unclosed: readonly IToken[];
  /** True when parsing an interpolation hole rather than a file. */
  readonly fragment: boolean;
  /** Offset of the end of what is parsed (the file, or the hole). */
  readonly end: number;
}

const SHORT = 24;

function isEof(token: IToken | undefined): boolean {
  return token === undefined || token.tokenType === EOF || !Number.isFinite(token.startOffset);
}

/** How a found token reads in a message. */
export function describeFound(token: IToken | undefined, ctx: ErrorContext): string {
  if (isEof(token)) return ctx.fragment ? 'the end of the interpolation' : 'the end of the file';
  const t = token!;
  if (t.tokenType === T.RBrace && t.image === '') return 'the end of the file';
  if (t.tokenType === T.Newline) {
    if (isSyntheticNewline(t)) {
      return ctx.text[t.startOffset] === '}' ? '`}`' : ctx.fragment ? 'the end of the interpolation' : 'the end of the file';
    }
    return 'the end of the line';
  }
  const image = t.image.length > SHORT ? `${t.image.slice(0, SHORT - 3)}...` : t.image;
  if (t.tokenType === T.StringLiteral) return `the string ${image}`;
  if (t.tokenType === T.NumberLiteral) return `the number ${image}`;
  return `\`${image}\``;
}

const EXPECTED_WORDS: Readonly<Record<string, string>> = {
  Identifier: 'a name',
  AnyName: 'a name',
  BacktickIdentifier: 'a name',
  StringLiteral: 'a string',
  NumberLiteral: 'a number',
  Newline: 'the end of the line',
  EOF: 'the end of the file',
};

/** How an expected token type reads in a message. */
export function describeExpected(tokenName: string): string {
  const word = EXPECTED_WORDS[tokenName];
  if (word) return word;
  const type = T.ALL_TOKENS.find((t) => t.name === tokenName);
  const label = type?.LABEL;
  if (label) return label;
  return `\`${tokenName.toLowerCase()}\``;
}

function tokenRange(token: IToken | undefined, ctx: ErrorContext): Range {
  if (isEof(token)) return { start: ctx.end, end: ctx.end };
  const t = token!;
  if (isSyntheticNewline(t)) return { start: t.startOffset, end: t.startOffset };
  return { start: t.startOffset, end: t.startOffset + t.image.length };
}

function tokenAfter(token: IToken, ctx: ErrorContext): IToken | undefined {
  const at = ctx.tokens.indexOf(token);
  return at >= 0 ? ctx.tokens[at + 1] : undefined;
}

function prevImage(prev: IToken | undefined): string | undefined {
  if (prev === undefined || !Number.isFinite(prev.startOffset) || prev.image === '') return undefined;
  if (prev.tokenType === T.Newline) return undefined;
  return prev.image;
}

function isCloser(token: IToken | undefined): boolean {
  return token !== undefined && [T.RBrace, T.RParen, T.RBracket].includes(token.tokenType);
}

/** The words after "expected X" that say where: " after the setting `x`". */
function mismatchContext(rule: string, expected: string, prev: string | undefined): string {
  const after = prev === undefined ? '' : ` after \`${prev}\``;
  switch (`${rule}.${expected}`) {
    case 'flowDecl.Identifier':
      return ' for the flow name after `flow`';
    case 'flowDecl.Colon':
      return prev ? ` after the flow name \`${prev}\`` : '';
    case 'flowDecl.Arrow':
      return ' between the source and the target entity (`source -> target`)';
    case 'entityRef.Identifier':
      return ' for the connector (as in `ccvshop.orders`)';
    case 'entityRef.Dot':
      return prev ? ` after the connector \`${prev}\` (write \`connector.entity\`)` : '';
    case 'entityRef.AnyName':
      return ' for the entity (as in `ccvshop.orders`)';
    case 'tableDecl.Identifier':
      return ' for the table name after `table`';
    case 'settingLine.Equals':
      return prev ? ` after the setting \`${prev}\`` : '';
    case 'tableLine.FatArrow':
      return ' after the table key';
    case 'letStmt.Identifier':
      return ' after `let`';
    case 'letStmt.Equals':
      return prev ? ` after \`let ${prev}\`` : '';
    case 'identifyStmt.Equals':
      return prev ? ` after the identity field \`${prev}\`` : '';
    case 'onStmt.AnyName':
      return ' after `on` (`existing`, `missing`, `create` or `update`)';
    case 'findExpr.By':
    case 'upsertExpr.By':
      return ' after the entity';
    case 'findExpr.AnyName':
    case 'upsertExpr.AnyName':
      return ' for the key field after `by`';
    case 'findExpr.Equals':
    case 'upsertExpr.Equals':
      return prev ? ` after the key field \`${prev}\`` : '';
    case 'eachExpr.As':
      return ' after the list in `each`';
    case 'ifExpr.Then':
      return ' after the condition of `if`';
    case 'parenExpr.RParen':
      return ' to close `(`';
    case 'nameOrCall.RParen':
      return ' to close the call';
    case 'indexSuffix.RBracket':
      return ' to close `[`';
    case 'arrayLit.RBracket':
      return ' to close the list';
    default:
      return after;
  }
}

function parseFacts(message: string): SyntaxErrorFacts | undefined {
  try {
    const facts = JSON.parse(message) as SyntaxErrorFacts;
    return typeof facts === 'object' && facts !== null && typeof facts.kind === 'string' ? facts : undefined;
  } catch {
    return undefined;
  }
}

const ITEM_KEYWORDS = [T.Flow, T.Settings, T.Table];

/** A line in a block that no statement starts like: say what the line was probably meant to be. */
function unreadableStatement(found: IToken, range: Range, ctx: ErrorContext): Diagnostic {
  const { file } = ctx;
  const foundText = describeFound(found, ctx);
  const next = tokenAfter(found, ctx);
  if (found.tokenType === T.Identify && next?.tokenType !== T.By) {
    return syntaxDiagnostic('expectedToken', file, tokenRange(next, ctx), {
      expected: '`by`',
      context: ' after `identify`',
      found: describeFound(next, ctx),
    });
  }
  if (found.tokenType === T.Write && next?.tokenType !== T.Back) {
    return syntaxDiagnostic('expectedToken', file, tokenRange(next, ctx), {
      expected: '`back`',
      context: ' after `write`',
      found: describeFound(next, ctx),
    });
  }
  if ([T.Identifier, ...T.SOFT_KEYWORDS, T.BacktickIdentifier].includes(found.tokenType)) {
    return syntaxDiagnostic(
      'expectedToken',
      file,
      tokenRange(next, ctx),
      { expected: '`=`', context: ` after the target field \`${found.image}\``, found: describeFound(next, ctx) },
      next?.tokenType === T.Colon ? 'rules are written `Field = value`' : undefined,
    );
  }
  if (isCloser(found)) return syntaxDiagnostic('unmatchedClose', file, range, { found: foundText });
  if (ITEM_KEYWORDS.includes(found.tokenType)) {
    return syntaxDiagnostic(
      'expectedStatement',
      file,
      range,
      { found: foundText },
      `a \`}\` is probably missing above: \`${found.image}\` only starts a top-level item`,
    );
  }
  return syntaxDiagnostic('expectedStatement', file, range, { found: foundText });
}

const APPEND_HINT =
  '`+=` appends one element built by a rule block, or one per item with `each`: `Rows += { Field = value }`, `Rows += each xs as x { Field = x.value }`';

/** Where a block was expected, by the rule that wanted it. */
const BLOCK_CONTEXT: Readonly<Record<string, string>> = {
  flowDecl: ' to open the flow body',
  upsertExpr: ' to open the rules of `upsert`',
  eachExpr: ' to open the rules of `each`',
  onStmt: ' to open the rules of `on`',
  writeBackStmt: ' to open the rules of `write back`',
};

const LINE_RULES: Readonly<Record<string, string>> = {
  line: 'after the statement',
  settingLine: 'after the setting',
  tableLine: 'after the table entry',
  topLine: 'after the `}`',
};

/** One parser error with the facts the message is built from. */
interface Problem {
  readonly error: IRecognitionException;
  readonly facts: SyntaxErrorFacts;
  readonly found: IToken | undefined;
  readonly prev: IToken | undefined;
  readonly foundText: string;
  readonly range: Range;
  readonly ctx: ErrorContext;
}

/** The diagnostic for one parser error, or undefined when it only echoes one reported elsewhere. */
export function recognitionToDiagnostic(error: IRecognitionException, ctx: ErrorContext): Diagnostic | undefined {
  const found = error.token;
  // A `}` the newline pass added for a block left open: the missing `}` is reported already.
  if (found !== undefined && found.tokenType === T.RBrace && found.image === '') return undefined;
  const foundText = describeFound(found, ctx);
  const range = tokenRange(found, ctx);
  const facts = parseFacts(error.message);
  if (facts === undefined) {
    return syntaxDiagnostic('expectedToken', ctx.file, range, { expected: 'something else', context: '', found: foundText });
  }
  const prev = (error as { previousToken?: IToken }).previousToken;
  const problem: Problem = { error, facts, found, prev, foundText, range, ctx };
  if (facts.kind === 'redundant') return redundantInput(problem);
  if (facts.kind === 'mismatch') return mismatchedToken(problem);
  return noAlternative(problem);
}

/** Input left over after a complete parse (only an interpolation hole can have that). */
function redundantInput({ foundText, range, ctx }: Problem): Diagnostic {
  if (ctx.fragment) {
    return syntaxDiagnostic('expectedToken', ctx.file, range, {
      expected: '`}`',
      context: ' to end the interpolation',
      found: foundText,
    });
  }
  return syntaxDiagnostic('expectedItem', ctx.file, range, { found: foundText });
}

/** One expected token was not there. */
function mismatchedToken(problem: Problem): Diagnostic {
  const { error, facts, found, prev, foundText, range, ctx } = problem;
  const { file } = ctx;
  const expected = facts.expected[0] ?? '';

  if (expected === 'RBrace' && isEof(found) && ctx.unclosed[0]) {
    const brace = ctx.unclosed[0];
    return syntaxDiagnostic('unclosedBlock', file, { start: brace.startOffset, end: brace.startOffset + 1 });
  }
  if (expected === 'LBrace' && facts.rule === 'block') {
    // (After `+=` a block or `each` is a choice, so a wrong token there is reported by noAlternative.)
    const caller = error.context?.ruleStack?.[error.context.ruleStack.length - 2];
    const context = caller ? BLOCK_CONTEXT[caller] : undefined;
    if (context) return syntaxDiagnostic('expectedToken', file, range, { expected: '`{`', context, found: foundText });
  }
  if (expected === 'RBrace' || expected === 'EOF') {
    // In-repetition recovery: a line that starts with something no statement starts with.
    if (isCloser(found)) return syntaxDiagnostic('unmatchedClose', file, range, { found: foundText });
    if (expected === 'EOF') return syntaxDiagnostic('expectedItem', file, range, { found: foundText });
    const entry = ENTRY_SHAPES[facts.rule];
    if (entry) return syntaxDiagnostic('expectedToken', file, range, { expected: entry, context: '', found: foundText });
    if (found !== undefined && !isEof(found)) return unreadableStatement(found, range, ctx);
  }
  if (expected === 'Newline' && facts.rule in LINE_RULES) {
    return syntaxDiagnostic(
      'expectedLineEnd',
      file,
      range,
      { after: LINE_RULES[facts.rule]!, found: foundText },
      lineEndHint(found, foundText, facts.rule),
    );
  }
  return syntaxDiagnostic('expectedToken', file, range, {
    expected: describeExpected(expected),
    context: mismatchContext(facts.rule, expected, prevImage(prev)),
    found: foundText,
  });
}

/** What a line of a settings block or a table looks like. */
const ENTRY_SHAPES: Readonly<Record<string, string>> = {
  settingsBlock: 'a setting `name = value`',
  tableDecl: 'a table entry `key => value`',
};

function lineEndHint(found: IToken | undefined, foundText: string, rule: string): string | undefined {
  if (found?.tokenType === T.Else && rule === 'tableLine') return 'a table\'s fallback is written `else => value`';
  if (found?.tokenType === T.Equals) return '`=` sets a field; to compare two values, write `==`';
  if (found?.tokenType === T.Comma) return 'write one per line, without commas';
  if (isCloser(found)) return `nothing is open that ${foundText} could close`;
  return undefined;
}

/** No alternative of a choice fits: a statement, an `on`, a rule, or a value. */
function noAlternative({ facts, found, prev, foundText, range, ctx }: Problem): Diagnostic {
  const { file } = ctx;
  if (facts.rule === 'statement' && found !== undefined && !isEof(found) && found.tokenType !== T.Newline) {
    return unreadableStatement(found, range, ctx);
  }
  const word = prevImage(prev);
  if (facts.rule === 'ruleStmt' && prev?.tokenType === T.PlusEquals) {
    return syntaxDiagnostic(
      'expectedToken',
      file,
      range,
      { expected: '`{` or `each`', context: ' after `+=`', found: foundText },
      APPEND_HINT,
    );
  }
  if (facts.rule === 'ruleStmt') {
    return syntaxDiagnostic('expectedToken', file, range, {
      expected: '`=` or `+=`',
      context: word ? ` after the target field \`${word}\`` : '',
      found: foundText,
    });
  }
  if (facts.rule === 'onStmt') {
    const expected =
      word === 'existing' || word === 'missing' ? '`:`' : word === 'create' || word === 'update' ? '`{`' : '`:` or `{`';
    return syntaxDiagnostic('expectedToken', file, range, {
      expected,
      context: word ? ` after \`on ${word}\`` : '',
      found: foundText,
    });
  }
  if (['notExpr', 'unary', 'primary', 'expression'].includes(facts.rule)) {
    const reserved = found !== undefined && T.RESERVED_KEYWORDS.includes(found.tokenType);
    return syntaxDiagnostic(
      'expectedExpression',
      file,
      range,
      { context: word === undefined ? '' : ` after \`${word}\``, found: foundText },
      reserved ? `\`${found.image}\` is a reserved word; to use it as a field name, put it in backticks` : undefined,
    );
  }
  return syntaxDiagnostic('expectedToken', file, range, {
    expected: facts.expected.map(describeExpected).join(' or ') || 'something else',
    context: '',
    found: foundText,
  });
}
