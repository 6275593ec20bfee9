import { createToken, Lexer, type IToken, type TokenType } from 'chevrotain';
import { stringEnd } from './string-literal.js';

/**
 * The tokens of the `.map` language.
 *
 * - Comments run from `#` to the end of the line; spaces and tabs separate tokens; newlines are tokens
 *   (`Newline`) because a newline ends a statement (see `newlines.ts` for when it does not).
 * - Names are `[A-Za-z_][A-Za-z0-9_]*`, or any text between backticks for odd field names (`` `e-mail` ``).
 * - Structural keywords are reserved. The other keywords are soft: their tokens belong to the `Identifier`
 *   category, so wherever the grammar wants a name, `skip`, `update`, `by`... are fine field names.
 * - `AnyName` is the category of every name-like token (reserved keywords included); it is what may follow
 *   a `.` in a path, so `order.not` or `x.settings` still read as fields.
 */

export const AnyName = createToken({ name: 'AnyName', pattern: Lexer.NA });
export const Identifier = createToken({
  name: 'Identifier',
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  categories: [AnyName],
});
/** `` `odd name` ``; unterminated ones run to the end of the line and are reported by the parse step. */
export const BacktickIdentifier = createToken({
  name: 'BacktickIdentifier',
  pattern: /`[^`\r\n]*`?/,
  categories: [Identifier, AnyName],
  start_chars_hint: ['`'],
});

function keyword(word: string, soft: boolean): TokenType {
  const name = word[0]!.toUpperCase() + word.slice(1);
  return createToken({
    name,
    pattern: new RegExp(word),
    longer_alt: Identifier,
    categories: soft ? [Identifier, AnyName] : [AnyName],
  });
}

// Reserved: these can never be plain names (except after a `.`).
export const Flow = keyword('flow', false);
export const Settings = keyword('settings', false);
export const Table = keyword('table', false);
export const When = keyword('when', false);
export const Let = keyword('let', false);
export const Each = keyword('each', false);
export const Find = keyword('find', false);
export const Upsert = keyword('upsert', false);
export const If = keyword('if', false);
export const Then = keyword('then', false);
export const Else = keyword('else', false);
export const And = keyword('and', false);
export const Or = keyword('or', false);
export const Not = keyword('not', false);
export const In = keyword('in', false);
export const True = keyword('true', false);
export const False = keyword('false', false);
export const Null = keyword('null', false);
export const On = keyword('on', false);

// Soft: keywords only where the grammar expects them, names everywhere else.
export const Identify = keyword('identify', true);
export const By = keyword('by', true);
export const Existing = keyword('existing', true);
export const Missing = keyword('missing', true);
export const Create = keyword('create', true);
export const Update = keyword('update', true);
export const Skip = keyword('skip', true);
export const As = keyword('as', true);
export const At = keyword('at', true);
export const Write = keyword('write', true);
export const Back = keyword('back', true);
export const For = keyword('for', true);

export const RESERVED_KEYWORDS: readonly TokenType[] = [
  Flow, Settings, Table, When, Let, Each, Find, Upsert, If, Then, Else, And, Or, Not, In, True, False, Null, On,
];
export const SOFT_KEYWORDS: readonly TokenType[] = [
  Identify, By, Existing, Missing, Create, Update, Skip, As, At, Write, Back, For,
];

/** The keywords as words, e.g. for an editor's syntax colouring. */
export const RESERVED_WORDS: readonly string[] = RESERVED_KEYWORDS.map((t) => t.name.toLowerCase());
export const SOFT_WORDS: readonly string[] = SOFT_KEYWORDS.map((t) => t.name.toLowerCase());

export const StringLiteral = createToken({
  name: 'StringLiteral',
  // A custom matcher: interpolation holes nest braces and strings, which no regular expression balances.
  pattern: {
    exec: (text: string, offset: number): RegExpExecArray | null => {
      if (text.charCodeAt(offset) !== 34) return null;
      const end = stringEnd(text, offset);
      const match = [text.slice(offset, end)] as unknown as RegExpExecArray;
      return match;
    },
  },
  line_breaks: false,
  start_chars_hint: ['"'],
});
export const NumberLiteral = createToken({ name: 'NumberLiteral', pattern: /\d+(?:\.\d+)?/ });

export const Newline = createToken({ name: 'Newline', pattern: /\r?\n/, line_breaks: true });
export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\f\r\v\u00a0\ufeff]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: 'Comment', pattern: /#[^\r\n]*/, group: Lexer.SKIPPED });

function punct(name: string, image: string): TokenType {
  return createToken({ name, pattern: image, label: `\`${image}\`` });
}

export const FatArrow = punct('FatArrow', '=>');
export const EqualsEquals = punct('EqualsEquals', '==');
export const NotEquals = punct('NotEquals', '!=');
export const LessEquals = punct('LessEquals', '<=');
export const GreaterEquals = punct('GreaterEquals', '>=');
export const PlusEquals = punct('PlusEquals', '+=');
export const Arrow = punct('Arrow', '->');
export const QuestionQuestion = punct('QuestionQuestion', '??');
export const Equals = punct('Equals', '=');
export const Less = punct('Less', '<');
export const Greater = punct('Greater', '>');
export const Plus = punct('Plus', '+');
export const Minus = punct('Minus', '-');
export const Star = punct('Star', '*');
export const Slash = punct('Slash', '/');
export const Percent = punct('Percent', '%');
export const Question = punct('Question', '?');
export const Dot = punct('Dot', '.');
export const Comma = punct('Comma', ',');
export const Colon = punct('Colon', ':');
export const LParen = punct('LParen', '(');
export const RParen = punct('RParen', ')');
export const LBracket = punct('LBracket', '[');
export const RBracket = punct('RBracket', ']');
export const LBrace = punct('LBrace', '{');
export const RBrace = punct('RBrace', '}');

/** Every token type in lexing order: longer operators before their prefixes, keywords before names. */
export const ALL_TOKENS: readonly TokenType[] = [
  WhiteSpace,
  Comment,
  Newline,
  StringLiteral,
  NumberLiteral,
  FatArrow,
  EqualsEquals,
  NotEquals,
  LessEquals,
  GreaterEquals,
  PlusEquals,
  Arrow,
  QuestionQuestion,
  Equals,
  Less,
  Greater,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Question,
  Dot,
  Comma,
  Colon,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  ...RESERVED_KEYWORDS,
  ...SOFT_KEYWORDS,
  BacktickIdentifier,
  Identifier,
  AnyName,
];

const lexer = new Lexer([...ALL_TOKENS], {
  // 'full': the parser's node locations need each token's end offset, which the lighter modes leave out.
  positionTracking: 'full',
  ensureOptimizations: false,
});

export interface LexError {
  readonly offset: number;
  readonly length: number;
}

export interface LexResult {
  readonly tokens: IToken[];
  readonly errors: LexError[];
}

/** Tokenizes `text`; offsets are shifted by `base` so fragments (interpolation holes) keep file offsets. */
export function tokenize(text: string, base = 0): LexResult {
  const result = lexer.tokenize(text);
  if (base !== 0) {
    for (const token of result.tokens) {
      token.startOffset += base;
      if (token.endOffset !== undefined) token.endOffset += base;
    }
  }
  return {
    tokens: result.tokens,
    errors: result.errors.map((e) => ({ offset: e.offset + base, length: e.length })),
  };
}
