import type { CstNode, IToken } from 'chevrotain';
import type * as A from './ast.js';
import { cstRange, identName, nodeOf, nodesOf, span, tokenOf, tokenRange, tokensOf, type Children, isToken } from './cst.js';
import type { Diagnostic } from './diagnostic.js';
import * as T from './lexer.js';
import { scanString } from './string-literal.js';
import { syntaxDiagnostic } from './syntax-diagnostic.js';

/** Parses the text of an interpolation hole (`start`..`end`) as one expression. */
export type FragmentParser = (start: number, end: number) => A.Expr;

const BINARY_OPS: Readonly<Record<string, A.BinaryOp>> = {
  or: 'or', and: 'and', '==': '==', '!=': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=', in: 'in',
  '??': '??', '+': '+', '-': '-', '*': '*', '/': '/', '%': '%',
};


/**
 * The expression half of the CST -> AST step (`to-ast.ts` holds the files and statements). A missing operand
 * or value becomes an `ErrorExpr` at the nearest known offset; a missing name an `Ident` with an empty name.
 */
export abstract class ExpressionBuilder {
  constructor(
    protected readonly fileName: string,
    private readonly diagnostics: Diagnostic[],
    private readonly parseFragment: FragmentParser,
  ) {}

  /** The rules of a `{ }` block (of `upsert` and `each` here). */
  protected abstract ruleBlock(block: CstNode | undefined, fallbackAt: number): A.RuleBlock;

  protected report(diagnostic: Diagnostic): void {
    this.diagnostics.push(diagnostic);
  }

  protected ident(token: IToken | undefined, fallbackAt: number): A.Ident {
    if (token === undefined) return { kind: 'Ident', name: '', range: { start: fallbackAt, end: fallbackAt } };
    return { kind: 'Ident', name: identName(token), range: tokenRange(token) };
  }

  protected errorExpr(at: number): A.ErrorExpr {
    return { kind: 'ErrorExpr', range: { start: at, end: at } };
  }

  /** The offset right after a token, or `fallback` when the token is missing. */
  protected after(token: IToken | undefined, fallback: number): number {
    return token === undefined ? fallback : token.startOffset + token.image.length;
  }

  protected entityRef(node: CstNode | undefined, fallbackAt: number): A.EntityRef {
    const connector = this.ident(tokenOf(node, 'connector'), fallbackAt);
    const entity = this.ident(tokenOf(node, 'entity'), connector.range.end);
    const range = node ? cstRange(node) : undefined;
    return { kind: 'EntityRef', connector, entity, range: range ?? { start: fallbackAt, end: fallbackAt } };
  }

  /** The expression under `node`, or an `ErrorExpr` at `fallbackAt` when the parser could not read one. */
  expressionOr(node: CstNode | undefined, fallbackAt: number): A.Expr {
    if (node === undefined) return this.errorExpr(fallbackAt);
    return this.expr(node) ?? this.errorExpr(cstRange(node)?.start ?? fallbackAt);
  }

  /** Any expression-level CST node; undefined when it holds nothing readable. */
  private expr(node: CstNode): A.Expr | undefined {
    switch (node.name) {
      case 'expression':
        return this.sub(node, 'orExpr');
      case 'orExpr':
      case 'andExpr':
      case 'additive':
      case 'multiplicative':
        return this.leftFold(node);
      case 'comparison':
        return this.comparison(node);
      case 'coalesce':
        return this.rightFold(node);
      case 'notExpr':
      case 'unary':
        return this.prefix(node);
      case 'postfix':
        return this.postfix(node);
      default:
        return undefined;
    }
  }

  private sub(node: CstNode, label: string): A.Expr | undefined {
    const child = nodeOf(node, label);
    return child ? this.expr(child) : undefined;
  }

  /** Operands and operators of a binary level, with gaps (from recovery) filled by error expressions. */
  private operands(node: CstNode): { operands: A.Expr[]; operators: IToken[] } {
    const operators = tokensOf(node, 'operator');
    const operandNodes = nodesOf(node, 'operand');
    const operands: A.Expr[] = [];
    for (let i = 0; i <= operators.length; i++) {
      const child = operandNodes[i];
      const fallback = i === 0 ? (operators[0]?.startOffset ?? 0) : this.after(operators[i - 1], 0);
      operands.push(child ? (this.expr(child) ?? this.errorExpr(cstRange(child)?.start ?? fallback)) : this.errorExpr(fallback));
    }
    return { operands, operators };
  }

  private binary(op: IToken, left: A.Expr, right: A.Expr): A.BinaryExpr {
    return {
      kind: 'Binary',
      op: BINARY_OPS[op.image] ?? '+',
      opRange: tokenRange(op),
      left,
      right,
      range: span(left.range, right.range),
    };
  }

  private leftFold(node: CstNode): A.Expr | undefined {
    if (nodesOf(node, 'operand').length === 0) return undefined;
    const { operands, operators } = this.operands(node);
    let result = operands[0]!;
    operators.forEach((op, i) => {
      result = this.binary(op, result, operands[i + 1]!);
    });
    return result;
  }

  private rightFold(node: CstNode): A.Expr | undefined {
    if (nodesOf(node, 'operand').length === 0) return undefined;
    const { operands, operators } = this.operands(node);
    let result = operands[operands.length - 1]!;
    for (let i = operators.length - 1; i >= 0; i--) result = this.binary(operators[i]!, operands[i]!, result);
    return result;
  }

  private comparison(node: CstNode): A.Expr | undefined {
    const operators = tokensOf(node, 'operator');
    const second = operators[1];
    if (second !== undefined) {
      this.report(syntaxDiagnostic('chainedComparison', this.fileName, tokenRange(second), { op: second.image }));
    }
    return this.leftFold(node);
  }

  private prefix(node: CstNode): A.Expr | undefined {
    const operator = tokenOf(node, 'operator');
    const operandNode = nodeOf(node, 'operand');
    if (operator === undefined) return operandNode ? this.expr(operandNode) : undefined;
    const operand = this.expressionOr(operandNode, this.after(operator, 0));
    return {
      kind: 'Unary',
      op: operator.tokenType === T.Not ? 'not' : '-',
      operand,
      range: span(tokenRange(operator), operand.range),
    };
  }

  private postfix(node: CstNode): A.Expr | undefined {
    const primaryNode = nodeOf(node, 'primary');
    let result = primaryNode ? this.primary(primaryNode) : undefined;
    if (result === undefined) return undefined;
    for (const suffix of nodesOf(node, 'suffix')) {
      if (suffix.name === 'memberSuffix') {
        const dot = tokenOf(suffix, 'Dot');
        const property = tokenOf(suffix, 'property');
        if (property === undefined) {
          // `a.` with no name: keep `a` and let the parser's diagnostic stand.
          continue;
        }
        const ident = this.ident(property, this.after(dot, result.range.end));
        result = { kind: 'Member', object: result, property: ident, range: span(result.range, ident.range) };
      } else {
        const close = tokenOf(suffix, 'RBracket');
        const open = tokenOf(suffix, 'LBracket');
        const index = this.expressionOr(nodeOf(suffix, 'index'), this.after(open, result.range.end));
        const end = close ? tokenRange(close) : index.range;
        result = { kind: 'Index', object: result, index, range: span(result.range, end) };
      }
    }
    return result;
  }

  private primary(node: CstNode): A.Expr | undefined {
    const literal = tokenOf(node, 'literal');
    if (literal) return this.literal(literal);
    const settings = tokenOf(node, 'name');
    if (settings) return { kind: 'Name', name: settings.image, range: tokenRange(settings) };
    const children = node.children as Children;
    const child = (label: string): CstNode | undefined => {
      const list = children[label];
      return list && list[0] && !isToken(list[0]) ? list[0] : undefined;
    };
    let inner: CstNode | undefined;
    if ((inner = child('nameOrCall'))) return this.nameOrCall(inner);
    if ((inner = child('arrayLit'))) return this.array(inner);
    if ((inner = child('parenExpr'))) return this.paren(inner);
    if ((inner = child('ifExpr'))) return this.ifExpr(inner);
    if ((inner = child('findExpr'))) return this.find(inner);
    if ((inner = child('upsertExpr'))) return this.upsert(inner);
    if ((inner = child('eachExpr'))) return this.eachOf(inner);
    return undefined;
  }

  private literal(token: IToken): A.Expr {
    const range = tokenRange(token);
    switch (token.tokenType) {
      case T.NumberLiteral:
        return { kind: 'Number', value: Number(token.image), raw: token.image, range };
      case T.True:
        return { kind: 'Bool', value: true, range };
      case T.False:
        return { kind: 'Bool', value: false, range };
      case T.Null:
        return { kind: 'Null', range };
      default:
        return this.string(token);
    }
  }

  /** The text of a string literal used as a key (`for "quotes"`); interpolation holes count as their source text. */
  protected stringLiteral(token: IToken): string {
    return this.string(token).parts.map((part) => (part.kind === 'Text' ? part.value : token.image.slice(part.range.start - token.startOffset, part.range.end - token.startOffset))).join('');
  }

  /** Splits a string literal into text and interpolations (lexical problems were reported when lexing). */
  private string(token: IToken): A.StringLit {
    // Offsets from the scanner are relative to the token's image; `base` makes them file offsets.
    const scanned = scanString(token.image, 0);
    const base = token.startOffset;
    const parts: (A.StringText | A.Interpolation)[] = [];
    for (const part of scanned.parts) {
      if (part.kind === 'text') {
        parts.push({ kind: 'Text', value: part.value, range: { start: base + part.start, end: base + part.end } });
      } else {
        const empty = token.image.slice(part.innerStart, part.innerEnd).trim() === '';
        const expr = empty
          ? this.errorExpr(base + part.innerStart)
          : this.parseFragment(base + part.innerStart, base + part.innerEnd);
        parts.push({ kind: 'Interpolation', expr, range: { start: base + part.start, end: base + part.end } });
      }
    }
    return { kind: 'String', parts, range: tokenRange(token) };
  }

  private nameOrCall(node: CstNode): A.Expr | undefined {
    const name = tokenOf(node, 'name');
    if (name === undefined) return undefined;
    const open = tokenOf(node, 'LParen');
    if (open === undefined) return { kind: 'Name', name: identName(name), range: tokenRange(name) };
    const args = nodesOf(node, 'arg').map((a) => this.expressionOr(a, open.startOffset + 1));
    const close = tokenOf(node, 'RParen');
    const end = close ? tokenRange(close) : (args[args.length - 1]?.range ?? tokenRange(open));
    return { kind: 'Call', callee: this.ident(name, 0), args, range: span(tokenRange(name), end) };
  }

  private array(node: CstNode): A.ArrayLit | undefined {
    const open = tokenOf(node, 'LBracket');
    if (open === undefined) return undefined;
    const elements = nodesOf(node, 'element').map((e) => this.expressionOr(e, open.startOffset + 1));
    const range = cstRange(node) ?? tokenRange(open);
    return { kind: 'Array', elements, range };
  }

  private paren(node: CstNode): A.ParenExpr | undefined {
    const open = tokenOf(node, 'LParen');
    if (open === undefined) return undefined;
    const expr = this.expressionOr(nodeOf(node, 'inner'), this.after(open, 0));
    const close = tokenOf(node, 'RParen');
    return { kind: 'Paren', expr, range: span(tokenRange(open), close ? tokenRange(close) : expr.range) };
  }

  private ifExpr(node: CstNode): A.IfExpr | undefined {
    const keyword = tokenOf(node, 'If');
    if (keyword === undefined) return undefined;
    const condition = this.expressionOr(nodeOf(node, 'condition'), this.after(keyword, 0));
    const thenToken = tokenOf(node, 'Then');
    const then = this.expressionOr(nodeOf(node, 'then'), this.after(thenToken, condition.range.end));
    const elseToken = tokenOf(node, 'Else');
    const otherwise = elseToken ? this.expressionOr(nodeOf(node, 'else'), this.after(elseToken, 0)) : undefined;
    return {
      kind: 'If',
      condition,
      then,
      range: span(tokenRange(keyword), otherwise?.range ?? then.range),
      ...(otherwise === undefined ? {} : { else: otherwise }),
    };
  }

  private lookupParts(node: CstNode, keyword: IToken): { entity: A.EntityRef; key: A.Ident; value: A.Expr } {
    const entity = this.entityRef(nodeOf(node, 'entity'), this.after(keyword, 0));
    const key = this.ident(tokenOf(node, 'key'), entity.range.end);
    const equals = tokenOf(node, 'Equals');
    const value = this.expressionOr(nodeOf(node, 'value'), this.after(equals, key.range.end));
    return { entity, key, value };
  }

  private find(node: CstNode): A.FindExpr | undefined {
    const keyword = tokenOf(node, 'Find');
    if (keyword === undefined) return undefined;
    const { entity, key, value } = this.lookupParts(node, keyword);
    const optional = tokenOf(node, 'optional') !== undefined;
    return { kind: 'Find', optional, entity, key, value, range: span(tokenRange(keyword), value.range) };
  }

  private upsert(node: CstNode): A.UpsertExpr | undefined {
    const keyword = tokenOf(node, 'Upsert');
    if (keyword === undefined) return undefined;
    const { entity, key, value } = this.lookupParts(node, keyword);
    const body = this.ruleBlock(nodeOf(node, 'block'), value.range.end);
    return { kind: 'Upsert', entity, key, value, body, range: span(tokenRange(keyword), body.range) };
  }

  /** `each xs as x [at i] { rules }`, also after `+=`. */
  protected eachOf(node: CstNode): A.EachExpr | undefined {
    const keyword = tokenOf(node, 'Each');
    if (keyword === undefined) return undefined;
    const source = this.expressionOr(nodeOf(node, 'source'), this.after(keyword, 0));
    const item = this.ident(tokenOf(node, 'item'), source.range.end);
    const indexToken = tokenOf(node, 'index');
    const index = indexToken ? this.ident(indexToken, 0) : undefined;
    const body = this.ruleBlock(nodeOf(node, 'block'), (index ?? item).range.end);
    return {
      kind: 'Each',
      source,
      item,
      body,
      range: span(tokenRange(keyword), body.range),
      ...(index === undefined ? {} : { index }),
    };
  }
}
