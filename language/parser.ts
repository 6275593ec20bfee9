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
 * The grammar of the `.map` language as a chevrotain CstParser: pure grammar, no semantic actions. `to-ast.ts`
 * turns the concrete syntax tree into the AST of `ast.ts`. Every statement ends with a `Newline` token (the
 * newline pass in `newlines.ts` guarantees one before each `}` and at the end), which is also where error
 * recovery re-synchronises: a broken statement is skipped to the end of its line.
 *
 * Precedence, loosest first: `or`; `and`; `not`; comparisons `== != < <= > >= in` (they do not chain); `??`
 * (right-associative); `+ -`; `* / %`; unary `-`; postfix `.name` and `[index]`; primaries. `if`, `find`,
 * `upsert` and `each` are primaries whose last part is a full expression or block, so they extend as far right
 * as possible.
 */

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

export class MapParser extends CstParser {
  constructor() {
    super([...T.ALL_TOKENS], {
      recoveryEnabled: true,
      maxLookahead: 3,
      errorMessageProvider: factsProvider,
      // Every CST node knows its offsets, so the AST builder need not walk subtrees for ranges.
      nodeLocationTracking: 'onlyOffset',
    });
    this.performSelfAnalysis();
  }

  // ---- error recovery: skip to the end of the line -------------------------------------------------------
  //
  // Chevrotain re-synchronises at the first token that may follow any rule on the stack. Names may start a
  // statement, so that is often a name in the middle of the broken line, and a line holding a `{ ... }` would be
  // re-entered inside its braces, whose `}` then closes the enclosing block. Every statement ends with a newline,
  // so the overrides below skip a broken statement to the newline that ends it, stepping over whole `{ }` blocks.
  // They override chevrotain 11.2 internals (`findReSyncTokenType`, `reSyncTo`, `tryInRepetitionRecovery`); the
  // version is pinned, and `test/language` plus the fuzz test cover the behaviour.

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

  // ---- file and items ------------------------------------------------------------------------------------

  /** A file is a sequence of lines; each holds an item (or nothing, after error recovery) and a newline. */
  public file = this.RULE('file', () => {
    this.MANY(() => this.SUBRULE(this.topLine));
  });

  private topLine = this.RULE('topLine', () => {
    this.OPTION(() => this.SUBRULE(this.item));
    this.CONSUME(T.Newline);
  });

  private item = this.RULE('item', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.settingsBlock) },
      { ALT: () => this.SUBRULE(this.tableDecl) },
      { ALT: () => this.SUBRULE(this.flowDecl) },
    ]);
  });

  private settingsBlock = this.RULE('settingsBlock', () => {
    this.CONSUME(T.Settings);
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.settingLine));
    this.CONSUME(T.RBrace);
  });

  private settingLine = this.RULE('settingLine', () => {
    this.OPTION(() => {
      this.CONSUME(T.Identifier, { LABEL: 'name' });
      this.CONSUME(T.Equals);
      this.SUBRULE(this.expression, { LABEL: 'value' });
    });
    this.CONSUME(T.Newline);
  });

  private tableDecl = this.RULE('tableDecl', () => {
    this.CONSUME(T.Table);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.tableLine));
    this.CONSUME(T.RBrace);
  });

  private tableLine = this.RULE('tableLine', () => {
    this.OPTION(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Else) },
        { ALT: () => this.SUBRULE(this.expression, { LABEL: 'key' }) },
      ]);
      this.CONSUME(T.FatArrow);
      this.SUBRULE2(this.expression, { LABEL: 'value' });
    });
    this.CONSUME(T.Newline);
  });

  private flowDecl = this.RULE('flowDecl', () => {
    this.CONSUME(T.Flow);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.CONSUME(T.Colon);
    this.SUBRULE(this.entityRef, { LABEL: 'source' });
    this.CONSUME(T.Arrow);
    this.SUBRULE2(this.entityRef, { LABEL: 'target' });
    this.SUBRULE(this.block);
  });

  private entityRef = this.RULE('entityRef', () => {
    this.CONSUME(T.Identifier, { LABEL: 'connector' });
    this.CONSUME(T.Dot);
    this.CONSUME(T.AnyName, { LABEL: 'entity' });
  });

  // ---- statements ----------------------------------------------------------------------------------------

  /** `{ statements }`: the body of a flow and every rule block (`to-ast.ts` checks which statements fit). */
  private block = this.RULE('block', () => {
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.line));
    this.CONSUME(T.RBrace);
  });

  private line = this.RULE('line', () => {
    this.OPTION(() => this.SUBRULE(this.statement));
    this.CONSUME(T.Newline);
  });

  private statement = this.RULE('statement', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.whenStmt) },
      { ALT: () => this.SUBRULE(this.letStmt) },
      { ALT: () => this.SUBRULE(this.onStmt) },
      { ALT: () => this.SUBRULE(this.identifyStmt) },
      { ALT: () => this.SUBRULE(this.writeBackStmt) },
      { ALT: () => this.SUBRULE(this.ruleStmt) },
    ]);
  });

  private whenStmt = this.RULE('whenStmt', () => {
    this.CONSUME(T.When);
    this.SUBRULE(this.expression, { LABEL: 'condition' });
  });

  private letStmt = this.RULE('letStmt', () => {
    this.CONSUME(T.Let);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression, { LABEL: 'value' });
  });

  /** `on existing: action [when expr]`, `on missing: action`, `on create { }`, `on update { }`. */
  private onStmt = this.RULE('onStmt', () => {
    this.CONSUME(T.On);
    this.CONSUME(T.AnyName, { LABEL: 'case' });
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Colon);
          this.CONSUME2(T.AnyName, { LABEL: 'action' });
          this.OPTION(() => {
            this.CONSUME(T.When);
            this.SUBRULE(this.expression, { LABEL: 'condition' });
          });
        },
      },
      { ALT: () => this.SUBRULE(this.block) },
    ]);
  });

  private identifyStmt = this.RULE('identifyStmt', () => {
    this.CONSUME(T.Identify);
    this.CONSUME(T.By);
    this.SUBRULE(this.fieldPath, { LABEL: 'field' });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression, { LABEL: 'value' });
  });

  private writeBackStmt = this.RULE('writeBackStmt', () => {
    this.CONSUME(T.Write);
    this.CONSUME(T.Back);
    this.SUBRULE(this.block);
    this.OPTION(() => {
      this.CONSUME(T.When);
      this.SUBRULE(this.expression, { LABEL: 'condition' });
    });
  });

  /** `Field.Path = expr` or `Field += { rules } [when expr]`. */
  private ruleStmt = this.RULE('ruleStmt', () => {
    this.SUBRULE(this.fieldPath, { LABEL: 'target' });
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Equals);
          this.SUBRULE(this.expression, { LABEL: 'value' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.PlusEquals);
          this.SUBRULE(this.block);
          this.OPTION(() => {
            this.CONSUME(T.When);
            this.SUBRULE2(this.expression, { LABEL: 'condition' });
          });
        },
      },
    ]);
  });

  private fieldPath = this.RULE('fieldPath', () => {
    this.CONSUME(T.Identifier, { LABEL: 'segment' });
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.CONSUME(T.AnyName, { LABEL: 'segment' });
    });
  });

  // ---- expressions, loosest binding first ----------------------------------------------------------------

  public expression = this.RULE('expression', () => {
    this.SUBRULE(this.orExpr);
  });

  private orExpr = this.RULE('orExpr', () => {
    this.SUBRULE(this.andExpr, { LABEL: 'operand' });
    this.MANY(() => {
      this.CONSUME(T.Or, { LABEL: 'operator' });
      this.SUBRULE2(this.andExpr, { LABEL: 'operand' });
    });
  });

  private andExpr = this.RULE('andExpr', () => {
    this.SUBRULE(this.notExpr, { LABEL: 'operand' });
    this.MANY(() => {
      this.CONSUME(T.And, { LABEL: 'operator' });
      this.SUBRULE2(this.notExpr, { LABEL: 'operand' });
    });
  });

  private notExpr = this.RULE('notExpr', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Not, { LABEL: 'operator' });
          this.SUBRULE(this.notExpr, { LABEL: 'operand' });
        },
      },
      { ALT: () => this.SUBRULE(this.comparison, { LABEL: 'operand' }) },
    ]);
  });

  /** Comparisons do not chain; `to-ast.ts` reports `a < b < c` instead of guessing what it means. */
  private comparison = this.RULE('comparison', () => {
    this.SUBRULE(this.coalesce, { LABEL: 'operand' });
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.EqualsEquals, { LABEL: 'operator' }) },
        { ALT: () => this.CONSUME(T.NotEquals, { LABEL: 'operator' }) },
        { ALT: () => this.CONSUME(T.LessEquals, { LABEL: 'operator' }) },
        { ALT: () => this.CONSUME(T.Less, { LABEL: 'operator' }) },
        { ALT: () => this.CONSUME(T.GreaterEquals, { LABEL: 'operator' }) },
        { ALT: () => this.CONSUME(T.Greater, { LABEL: 'operator' }) },
        { ALT: () => this.CONSUME(T.In, { LABEL: 'operator' }) },
      ]);
      this.SUBRULE2(this.coalesce, { LABEL: 'operand' });
    });
  });

  /** `a ?? b ?? c` groups as `a ?? (b ?? c)` (folded in `to-ast.ts`). */
  private coalesce = this.RULE('coalesce', () => {
    this.SUBRULE(this.additive, { LABEL: 'operand' });
    this.MANY(() => {
      this.CONSUME(T.QuestionQuestion, { LABEL: 'operator' });
      this.SUBRULE2(this.additive, { LABEL: 'operand' });
    });
  });

  private additive = this.RULE('additive', () => {
    this.SUBRULE(this.multiplicative, { LABEL: 'operand' });
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Plus, { LABEL: 'operator' }) },
        { ALT: () => this.CONSUME(T.Minus, { LABEL: 'operator' }) },
      ]);
      this.SUBRULE2(this.multiplicative, { LABEL: 'operand' });
    });
  });

  private multiplicative = this.RULE('multiplicative', () => {
    this.SUBRULE(this.unary, { LABEL: 'operand' });
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Star, { LABEL: 'operator' }) },
        { ALT: () => this.CONSUME(T.Slash, { LABEL: 'operator' }) },
        { ALT: () => this.CONSUME(T.Percent, { LABEL: 'operator' }) },
      ]);
      this.SUBRULE2(this.unary, { LABEL: 'operand' });
    });
  });

  private unary = this.RULE('unary', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Minus, { LABEL: 'operator' });
          this.SUBRULE(this.unary, { LABEL: 'operand' });
        },
      },
      { ALT: () => this.SUBRULE(this.postfix, { LABEL: 'operand' }) },
    ]);
  });

  /** `primary` followed by `.name` and `[index]` suffixes; the CST keeps them in text order. */
  private postfix = this.RULE('postfix', () => {
    this.SUBRULE(this.primary);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.memberSuffix, { LABEL: 'suffix' }) },
        { ALT: () => this.SUBRULE(this.indexSuffix, { LABEL: 'suffix' }) },
      ]);
    });
  });

  private memberSuffix = this.RULE('memberSuffix', () => {
    this.CONSUME(T.Dot);
    this.CONSUME(T.AnyName, { LABEL: 'property' });
  });

  private indexSuffix = this.RULE('indexSuffix', () => {
    this.CONSUME(T.LBracket);
    this.SUBRULE(this.expression, { LABEL: 'index' });
    this.CONSUME(T.RBracket);
  });

  private primary = this.RULE('primary', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.StringLiteral, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(T.NumberLiteral, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(T.True, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(T.False, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(T.Null, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(T.Settings, { LABEL: 'name' }) },
      { ALT: () => this.SUBRULE(this.nameOrCall) },
      { ALT: () => this.SUBRULE(this.arrayLit) },
      { ALT: () => this.SUBRULE(this.parenExpr) },
      { ALT: () => this.SUBRULE(this.ifExpr) },
      { ALT: () => this.SUBRULE(this.findExpr) },
      { ALT: () => this.SUBRULE(this.upsertExpr) },
      { ALT: () => this.SUBRULE(this.eachExpr) },
    ]);
  });

  private nameOrCall = this.RULE('nameOrCall', () => {
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.OPTION2(() => {
        this.SUBRULE(this.expression, { LABEL: 'arg' });
        this.MANY(() => {
          this.CONSUME(T.Comma);
          this.SUBRULE2(this.expression, { LABEL: 'arg' });
        });
        this.OPTION3(() => this.CONSUME2(T.Comma, { LABEL: 'trailingComma' }));
      });
      this.CONSUME(T.RParen);
    });
  });

  private arrayLit = this.RULE('arrayLit', () => {
    this.CONSUME(T.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expression, { LABEL: 'element' });
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.expression, { LABEL: 'element' });
      });
      this.OPTION2(() => this.CONSUME2(T.Comma, { LABEL: 'trailingComma' }));
    });
    this.CONSUME(T.RBracket);
  });

  private parenExpr = this.RULE('parenExpr', () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression, { LABEL: 'inner' });
    this.CONSUME(T.RParen);
  });

  private ifExpr = this.RULE('ifExpr', () => {
    this.CONSUME(T.If);
    this.SUBRULE(this.expression, { LABEL: 'condition' });
    this.CONSUME(T.Then);
    this.SUBRULE2(this.expression, { LABEL: 'then' });
    this.OPTION(() => {
      this.CONSUME(T.Else);
      this.SUBRULE3(this.expression, { LABEL: 'else' });
    });
  });

  private findExpr = this.RULE('findExpr', () => {
    this.CONSUME(T.Find);
    this.OPTION(() => this.CONSUME(T.Question, { LABEL: 'optional' }));
    this.SUBRULE(this.entityRef, { LABEL: 'entity' });
    this.CONSUME(T.By);
    this.CONSUME(T.AnyName, { LABEL: 'key' });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression, { LABEL: 'value' });
  });

  private upsertExpr = this.RULE('upsertExpr', () => {
    this.CONSUME(T.Upsert);
    this.SUBRULE(this.entityRef, { LABEL: 'entity' });
    this.CONSUME(T.By);
    this.CONSUME(T.AnyName, { LABEL: 'key' });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression, { LABEL: 'value' });
    this.SUBRULE(this.block);
  });

  private eachExpr = this.RULE('eachExpr', () => {
    this.CONSUME(T.Each);
    this.SUBRULE(this.expression, { LABEL: 'source' });
    this.CONSUME(T.As);
    this.CONSUME(T.Identifier, { LABEL: 'item' });
    this.OPTION(() => {
      this.CONSUME(T.At);
      this.CONSUME2(T.Identifier, { LABEL: 'index' });
    });
    this.SUBRULE(this.block);
  });
}

/** One parser instance serves every parse (chevrotain parsers are reusable; `input` resets the state). */
export const mapParser = new MapParser();

export type EntryRule = 'file' | 'expression';

export { EOF };
export type { IToken };
