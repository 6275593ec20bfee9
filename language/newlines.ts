import { createTokenInstance, tokenMatcher, type IToken, type TokenType } from 'chevrotain';
import * as T from './lexer.js';

/**
 * The newline rule, as one pass over the token stream between the lexer and the parser.
 *
 * A newline ends a statement, except where the statement is visibly unfinished. The pass drops a newline when
 *  1. it is inside `( )` or `[ ]` (the innermost open bracket is not a `{`);
 *  2. the line so far ends with a token that cannot end a statement: a binary operator, `=`, `+=`, `,`, `:`, `.`,
 *     `(`, `[`, `{`, `->`, `=>`, `?`, or one of the keywords `if then else when not in and or find upsert each let`,
 *     or the soft keywords `by as at` used as keywords (that is, right after a name, a literal, `)` or `]`);
 *  3. the next line starts with a token that cannot start a statement: `then`, `else` (but not the table
 *     fallback `else =>`), `.`, `{`, `->`, or a binary operator other than `-` (`and or ?? + * / % == != < <= > >= in`);
 *  4. it follows another newline (blank lines and comment lines collapse) or opens the file.
 * Rules 1-3 yield when the next line starts with `}` or plainly starts a statement (`let`, `when`, `on`, `flow`,
 * `settings`, `table`, or `Field =` / `Field.Path +=` not right after `by`): then the line before is finished, even
 * if it ends with an operator or an open bracket, so one slip is reported on its own line and does not swallow
 * the next ones.
 * A trailing `when` on an append stays on its line: `Rows += {...} when x` followed by `when y` on the next line
 * are two statements, because a line never continues with `when`.
 *
 * So that the grammar can say "every statement ends with a newline", the pass also inserts a zero-width newline
 * before a `}` that closes a block with a statement on the same line, and at the end of the file. Blocks still
 * open at the end of the file get zero-width `}` tokens, so the tree is built; the caller reports them.
 */

/** Newlines the pass inserted have an empty image; they stand for "end of statement" before `}` or the end. */
export function isSyntheticNewline(token: IToken): boolean {
  return token.tokenType === T.Newline && token.image === '';
}

const LINE_END_CONTINUES: readonly TokenType[] = [
  T.Or, T.And, T.Not, T.In, T.EqualsEquals, T.NotEquals, T.Less, T.LessEquals, T.Greater, T.GreaterEquals,
  T.QuestionQuestion, T.Plus, T.Minus, T.Star, T.Slash, T.Percent,
  T.Equals, T.PlusEquals, T.Comma, T.Colon, T.Dot, T.LParen, T.LBracket, T.LBrace, T.Arrow, T.FatArrow, T.Question,
  T.If, T.Then, T.Else, T.When, T.Find, T.Upsert, T.Each, T.Let,
];

const SOFT_CONTINUES: readonly TokenType[] = [T.By, T.As, T.At];

/** Tokens that end a value: a soft keyword after one of these is used as a keyword (`xs as x`, `i at`). */
const VALUE_END: readonly TokenType[] = [
  T.Identifier, T.NumberLiteral, T.StringLiteral, T.RParen, T.RBracket, T.True, T.False, T.Null, T.Settings,
];

const LINE_START_CONTINUES: readonly TokenType[] = [
  T.Then, T.Dot, T.LBrace, T.Arrow,
  T.Or, T.And, T.In, T.EqualsEquals, T.NotEquals, T.Less, T.LessEquals, T.Greater, T.GreaterEquals,
  T.QuestionQuestion, T.Plus, T.Star, T.Slash, T.Percent,
];

function isAny(token: IToken | undefined, types: readonly TokenType[]): boolean {
  return token !== undefined && types.some((t) => tokenMatcher(token, t));
}

function is(token: IToken | undefined, type: TokenType): boolean {
  return token !== undefined && token.tokenType === type;
}

function lineEndContinues(last: IToken, beforeLast: IToken | undefined): boolean {
  if (isAny(last, LINE_END_CONTINUES)) return true;
  if (SOFT_CONTINUES.includes(last.tokenType)) {
    return beforeLast !== undefined && isAny(beforeLast, VALUE_END);
  }
  return false;
}

function lineStartContinues(first: IToken | undefined, second: IToken | undefined): boolean {
  if (first === undefined) return false;
  if (is(first, T.Else)) return !is(second, T.FatArrow);
  return isAny(first, LINE_START_CONTINUES);
}

const STATEMENT_KEYWORDS: readonly TokenType[] = [T.Let, T.When, T.On, T.Flow, T.Settings, T.Table];

/**
 * Whether the tokens from `at` start a statement that cannot be part of an expression: a statement keyword,
 * `Name.Path =` / `Name +=` (inside brackets, `Field =` only appears after `by` in a lookup), or a table entry
 * `key =>` with a one-token key.
 */
function startsStatement(tokens: readonly IToken[], at: number, prev: IToken | undefined): boolean {
  const first = tokens[at];
  if (first === undefined) return false;
  if (STATEMENT_KEYWORDS.includes(first.tokenType)) return true;
  // A table entry `key => value` with a one-token key, or the fallback `else => value`.
  if (tokens[at + 1]?.tokenType === T.FatArrow) return true;
  // `for "value" {`: a block for some values of a flow's chosen target.
  if (first.tokenType === T.For && tokens[at + 1]?.tokenType === T.StringLiteral) return true;
  if (!tokenMatcher(first, T.Identifier) || (prev !== undefined && tokenMatcher(prev, T.By))) return false;
  let i = at + 1;
  while (tokens[i]?.tokenType === T.Dot && tokens[i + 1] !== undefined && tokenMatcher(tokens[i + 1]!, T.AnyName)) i += 2;
  const after = tokens[i];
  return after !== undefined && (after.tokenType === T.Equals || after.tokenType === T.PlusEquals);
}

function syntheticNewline(offset: number): IToken {
  // chevrotain's `endOffset` is inclusive; `offset - 1` makes the token zero-width.
  return createTokenInstance(T.Newline, '', offset, offset - 1, NaN, NaN, NaN, NaN);
}

export interface NewlineOptions {
  /**
   * True for a file: end it with a newline and close the blocks left open. False for an interpolation hole,
   * which holds one expression (its rule blocks still get their newlines before `}`).
   */
  readonly statements: boolean;
  /** Offset of the end of the text, for the final inserted newline. */
  readonly endOffset: number;
}

/** Applies the newline rule; see the module comment. */
export function applyNewlineRule(tokens: readonly IToken[], options: NewlineOptions): IToken[] {
  const out: IToken[] = [];
  const openers: TokenType[] = [];
  const last = (): IToken | undefined => out[out.length - 1];

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const type = token.tokenType;

    if (type === T.Newline) {
      // Collapse the run of newlines; look at what comes after it.
      let j = i;
      while (j + 1 < tokens.length && tokens[j + 1]!.tokenType === T.Newline) j++;
      const next = tokens[j + 1];
      const afterNext = tokens[j + 2];
      const prev = last();
      // A line starting with `}` or plainly starting a statement cannot continue the line before.
      const newStatement =
        options.statements && (next?.tokenType === T.RBrace || startsStatement(tokens, j + 1, prev));
      if (newStatement) {
        // The next line plainly starts a statement, so this one is finished, whatever its end looks like. A
        // bracket still open was left open by mistake: give up on it here, so the parser reports the missing
        // `)` or `]` on this line and one slip does not swallow the rest of the block.
        while (openers.length > 0 && openers[openers.length - 1] !== T.LBrace) openers.pop();
      }
      const inBrackets = openers.length > 0 && openers[openers.length - 1] !== T.LBrace;
      const keep =
        options.statements &&
        !inBrackets &&
        prev !== undefined &&
        prev.tokenType !== T.Newline &&
        prev.tokenType !== T.LBrace &&
        next !== undefined &&
        (newStatement || (!lineEndContinues(prev, out[out.length - 2]) && !lineStartContinues(next, afterNext)));
      if (keep) out.push(token);
      i = j;
      continue;
    }

    if (type === T.LParen || type === T.LBracket || type === T.LBrace) openers.push(type);
    else if (type === T.RParen || type === T.RBracket || type === T.RBrace) {
      const opener = type === T.RParen ? T.LParen : type === T.RBracket ? T.LBracket : T.LBrace;
      const at = openers.lastIndexOf(opener);
      if (at >= 0) openers.length = at;
      if (type === T.RBrace) {
        const prev = last();
        if (prev !== undefined && prev.tokenType !== T.Newline && prev.tokenType !== T.LBrace) {
          out.push(syntheticNewline(token.startOffset));
        }
      }
    }
    out.push(token);
  }

  if (options.statements) {
    const prev = last();
    if (prev !== undefined && prev.tokenType !== T.Newline) out.push(syntheticNewline(options.endOffset));
    // Close the blocks left open so the tree is still built; `parse.ts` reports the first unclosed `{`.
    for (let i = openers.length - 1; i >= 0; i--) {
      if (openers[i] !== T.LBrace) continue;
      out.push(createTokenInstance(T.RBrace, '', options.endOffset, options.endOffset - 1, NaN, NaN, NaN, NaN));
      out.push(syntheticNewline(options.endOffset));
    }
  }
  return out;
}

/** Whether the pass inserted this `}` for a block left open at the end of the file. */
export function isSyntheticBrace(token: IToken): boolean {
  return token.tokenType === T.RBrace && token.image === '';
}

/** The `{` tokens never closed in a raw token stream, outermost first (for "never closed" diagnostics). */
export function unclosedBraces(tokens: readonly IToken[]): IToken[] {
  const open: IToken[] = [];
  for (const token of tokens) {
    if (token.tokenType === T.LBrace) open.push(token);
    else if (token.tokenType === T.RBrace && token.image !== '') open.pop();
  }
  return open;
}
