import {
  CstParser,
  EOF,
  MismatchedTokenException,
  tokenMatcher,
  type IParserErrorMessageProvider,
  type IToken,
  type TokenType,
} from 'chevrotain';
import * as T from './lexer.js';

/**
 * Chevrotain's messages are token dumps; ours are built later from the structured facts (`syntax-errors.ts`).
 * The provider therefore serialises those facts into the message string, which is parsed back there.
 */
export interface SyntaxErrorFacts {
  readonly kind: 'mismatch' | 'redundant' | 'no-alternative' | 'early-exit';
  readonly rule: string;
  /** Names of the expected token types (for `mismatch`), or of the first token of each expected path. */
  readonly expected: readonly string[];
}

function firstTokens(paths: TokenType[][]): string[] {
  const names = new Set<string>();
  for (const path of paths) if (path[0]) names.add(path[0].name);
  return [...names];
}

const factsProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, ruleName }) =>
    JSON.stringify({ kind: 'mismatch', rule: ruleName, expected: [expected.name] } satisfies SyntaxErrorFacts),
  buildNotAllInputParsedMessage: ({ ruleName }) =>
    JSON.stringify({ kind: 'redundant', rule: ruleName, expected: [] } satisfies SyntaxErrorFacts),
  buildNoViableAltMessage: ({ expectedPathsPerAlt, ruleName }) =>
    JSON.stringify({
      kind: 'no-alternative',
      rule: ruleName,
      expected: firstTokens(expectedPathsPerAlt.flat()),
    } satisfies SyntaxErrorFacts),
  buildEarlyExitMessage: ({ expectedIterationPaths, ruleName }) =>
    JSON.stringify({
      kind: 'early-exit',
      rule: ruleName,
      expected: firstTokens(expectedIterationPaths),
    } satisfies SyntaxErrorFacts),
};

/**
 * A chevrotain parser whose error recovery works line by line.
 *
 * Chevrotain re-synchronises at the first token that may follow any rule on the stack. Names may start a
 * statement, so that is often a name in the middle of the broken line, and a line holding a `{ ... }` would be
 * re-entered inside its braces, whose `}` then closes the enclosing block. In the `.map` grammar every statement
 * ends with a newline, so the overrides below skip a broken statement to the newline that ends it, stepping over
 * whole `{ }` blocks. They override chevrotain 11.2 internals (`findReSyncTokenType`, `reSyncTo`,
 * `tryInRepetitionRecovery`); the version is pinned, and `test/language` plus the fuzz tests cover the behaviour.
 */
export abstract class LineRecoveringParser extends CstParser {
  constructor(tokens: TokenType[]) {
    super(tokens, {
      recoveryEnabled: true,
      maxLookahead: 3,
      errorMessageProvider: factsProvider,
      // Every CST node knows its offsets, so the AST builder need not walk subtrees for ranges.
      nodeLocationTracking: 'onlyOffset',
    });
  }

  /** The offset (in LA terms) of the newline ending the current line, stepping over `{ }`; 0 when there is none. */
  private lineEndAhead(topLevel: boolean): number {
    let depth = 0;
    for (let k = 1; ; k++) {
      const type = this.LA(k).tokenType;
      if (type === EOF) return 0;
      if (depth === 0 && type === T.Newline) return k;
      if (type === T.LBrace) depth++;
      else if (type === T.RBrace) {
        if (depth === 0 && !topLevel) return 0; // closes an enclosing block: the line ended before it
        depth = Math.max(0, depth - 1);
      }
    }
  }

  /** Skips tokens up to (not including) the newline ending the current line, or an enclosing block's `}`. */
  private skipRestOfLine(topLevel: boolean): IToken[] {
    const skipped: IToken[] = [];
    let depth = 0;
    for (;;) {
      const token = this.LA(1);
      const type = token.tokenType;
      if (type === EOF || (depth === 0 && type === T.Newline)) return skipped;
      if (type === T.LBrace) depth++;
      else if (type === T.RBrace) {
        if (depth === 0 && !topLevel) return skipped;
        depth = Math.max(0, depth - 1);
      }
      skipped.push(token);
      this.SKIP_TOKEN();
    }
  }

  protected findReSyncTokenType(): TokenType {
    return this.lineEndAhead(false) > 0 ? T.Newline : EOF;
  }

  protected reSyncTo(tokType: TokenType): IToken[] {
    if (tokType === T.Newline) return this.skipRestOfLine(false);
    const skipped: IToken[] = [];
    while (this.LA(1).tokenType !== EOF && !tokenMatcher(this.LA(1), tokType)) skipped.push(this.SKIP_TOKEN());
    return skipped;
  }

  /** A repetition met a token it cannot continue with: report it, skip the line, and go on repeating. */
  protected tryInRepetitionRecovery(
    grammarRule: (...args: unknown[]) => unknown,
    grammarRuleArgs: unknown[],
    lookAheadFunc: () => boolean,
    expectedTokType: TokenType,
  ): void {
    const internals = this as unknown as { SAVE_ERROR(error: Error): void; getCurrRuleFullName(): string };
    const found = this.LA(1);
    const message = factsProvider.buildMismatchTokenMessage({
      expected: expectedTokType,
      actual: found,
      previous: this.LA(0),
      ruleName: internals.getCurrRuleFullName(),
    });
    const error = new MismatchedTokenException(message, found, this.LA(0));
    error.resyncedTokens = this.skipRestOfLine(expectedTokType === EOF);
    internals.SAVE_ERROR(error);
    if (lookAheadFunc.call(this)) grammarRule.apply(this, grammarRuleArgs);
  }

  /**
   * Braces are never invented: a `{` inserted after a missing one would swallow every following line into a
   * block, and a missing `}` at the end is supplied by the newline pass. Newlines are never invented either,
   * since a missing one means the statement went on past where it should end.
   */
  protected override canTokenTypeBeInsertedInRecovery(tokType: TokenType): boolean {
    return tokType !== T.LBrace && tokType !== T.RBrace && tokType !== T.Newline;
  }
}
