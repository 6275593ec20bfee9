import * as T from './lexer.js';
import { LineRecoveringParser } from './recovery.js';

/**
 * The grammar of the `.map` language as a chevrotain CstParser: pure grammar, no semantic actions. `to-ast.ts`
 * turns the concrete syntax tree into the AST of `ast.ts`. Every statement ends with a `Newline` token (the
 * newline pass in `newlines.ts` guarantees one before each `}` and at the end), which is also where error
 * recovery re-synchronises: a broken statement is skipped to the end of its line (`recovery.ts`).
 *
 * Precedence, loosest first: `or`; `and`; `not`; comparisons `== != < <= > >= in` (they do not chain); `??`
 * (right-associative); `+ -`; `* / %`; unary `-`; postfix `.name` and `[index]`; primaries. `if`, `find`,
 * `upsert` and `each` are primaries whose last part is a full expression or block, so they extend as far right
 * as possible.
 */

export class MapParser extends LineRecoveringParser {
  constructor() {
    super([...T.ALL_TOKENS]);
    this.performSelfAnalysis();
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
    this.OR([
      { ALT: () => this.SUBRULE2(this.entityRef, { LABEL: 'target' }) },
      { ALT: () => this.SUBRULE(this.choiceTarget, { LABEL: 'choice' }) },
    ]);
    this.SUBRULE(this.block);
  });

  /** `table[settings.name]`: the target is the entity the table gives for the setting's value. */
  private choiceTarget = this.RULE('choiceTarget', () => {
    this.CONSUME(T.Identifier, { LABEL: 'table' });
    this.CONSUME(T.LBracket);
    this.CONSUME(T.Settings);
    this.CONSUME(T.Dot);
    this.CONSUME(T.AnyName, { LABEL: 'setting' });
    this.CONSUME(T.RBracket);
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
      { ALT: () => this.SUBRULE(this.forStmt) },
      { ALT: () => this.SUBRULE(this.ruleStmt) },
    ]);
  });

  /** `for "value", "value" { statements }`: statements for some values of the flow's chosen target. */
  private forStmt = this.RULE('forStmt', () => {
    this.CONSUME(T.For);
    this.CONSUME(T.StringLiteral, { LABEL: 'value' });
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.CONSUME2(T.StringLiteral, { LABEL: 'value' });
    });
    this.SUBRULE(this.block);
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

  /** `Field.Path = expr` or `Field += { rules } [when expr]` or `Field += each xs as x [at i] { rules } [when expr]`. */
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
          this.OR2([{ ALT: () => this.SUBRULE(this.block) }, { ALT: () => this.SUBRULE(this.eachExpr, { LABEL: 'each' }) }]);
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


