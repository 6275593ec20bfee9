import type { CstElement, CstNode, IToken } from 'chevrotain';
import type * as A from './ast.js';
import type { Diagnostic } from './diagnostic.js';
import * as T from './lexer.js';
import type { Range } from './range.js';
import { scanString } from './string-literal.js';
import { syntaxDiagnostic } from './syntax-diagnostic.js';

/**
 * Builds the AST of `ast.ts` from the parser's concrete syntax tree. The CST may be partial after error
 * recovery (missing children, tokens inserted by the parser with no position), so every accessor tolerates
 * absence: a missing expression becomes an `ErrorExpr`, a statement without its head is left out, a missing
 * name becomes an `Ident` with an empty name. The syntax error was reported by the parser already; the
 * checks done here (chained comparisons, statements out of place, policies) report their own.
 */

/** Parses the text of an interpolation hole (`start`..`end`) as one expression. */
export type FragmentParser = (start: number, end: number) => A.Expr;

type Children = Record<string, CstElement[] | undefined>;

function isToken(element: CstElement): element is IToken {
  return (element as IToken).tokenType !== undefined;
}

/** A token the parser really read (not one it inserted while recovering). */
function isReal(token: IToken): boolean {
  return !token.isInsertedInRecovery && Number.isFinite(token.startOffset);
}

function tokensOf(node: CstNode | undefined, label: string): IToken[] {
  const list = (node?.children as Children | undefined)?.[label] ?? [];
  return list.filter((e): e is IToken => isToken(e) && isReal(e));
}

function tokenOf(node: CstNode | undefined, label: string): IToken | undefined {
  return tokensOf(node, label)[0];
}

function nodesOf(node: CstNode | undefined, label: string): CstNode[] {
  const list = (node?.children as Children | undefined)?.[label] ?? [];
  return list.filter((e): e is CstNode => !isToken(e));
}

function nodeOf(node: CstNode | undefined, label: string): CstNode | undefined {
  return nodesOf(node, label)[0];
}

function tokenRange(token: IToken): Range {
  return { start: token.startOffset, end: token.startOffset + token.image.length };
}

/** The span of the real tokens under a CST node (newlines excluded), or undefined when it has none. */
function cstRange(node: CstNode): Range | undefined {
  // The parser tracks offsets per node; only nodes touched by error recovery (whose location may include
  // tokens the parser invented) are measured from their children.
  const location = node.location;
  if (location && !node.recoveredNode && Number.isFinite(location.startOffset) && Number.isFinite(location.endOffset)) {
    return { start: location.startOffset, end: (location.endOffset ?? location.startOffset - 1) + 1 };
  }
  let start = Infinity;
  let end = -Infinity;
  for (const list of Object.values(node.children as Children)) {
    for (const element of list ?? []) {
      if (isToken(element)) {
        if (!isReal(element) || element.tokenType === T.Newline) continue;
        start = Math.min(start, element.startOffset);
        end = Math.max(end, element.startOffset + element.image.length);
      } else {
        const inner = cstRange(element);
        if (inner === undefined) continue;
        start = Math.min(start, inner.start);
        end = Math.max(end, inner.end);
      }
    }
  }
  return start === Infinity ? undefined : { start, end };
}

function span(first: Range, last: Range | undefined): Range {
  return { start: first.start, end: Math.max(first.end, last?.end ?? first.end) };
}

function identName(token: IToken): string {
  if (token.tokenType === T.BacktickIdentifier) return token.image.replace(/^`/, '').replace(/`$/, '');
  return token.image;
}

const BINARY_OPS: Readonly<Record<string, A.BinaryOp>> = {
  or: 'or', and: 'and', '==': '==', '!=': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=', in: 'in',
  '??': '??', '+': '+', '-': '-', '*': '*', '/': '/', '%': '%',
};

export class AstBuilder {
  constructor(
    private readonly fileName: string,
    private readonly diagnostics: Diagnostic[],
    private readonly parseFragment: FragmentParser,
  ) {}

  private report(diagnostic: Diagnostic): void {
    this.diagnostics.push(diagnostic);
  }

  private ident(token: IToken | undefined, fallbackAt: number): A.Ident {
    if (token === undefined) return { kind: 'Ident', name: '', range: { start: fallbackAt, end: fallbackAt } };
    return { kind: 'Ident', name: identName(token), range: tokenRange(token) };
  }

  private errorExpr(at: number): A.ErrorExpr {
    return { kind: 'ErrorExpr', range: { start: at, end: at } };
  }

  /** The offset right after a token, or `fallback` when the token is missing. */
  private after(token: IToken | undefined, fallback: number): number {
    return token === undefined ? fallback : token.startOffset + token.image.length;
  }

  // ---- file and items ------------------------------------------------------------------------------------

  file(cst: CstNode, textLength: number): A.MapFile {
    const items: A.Item[] = [];
    for (const line of nodesOf(cst, 'topLine')) {
      const item = nodeOf(line, 'item');
      if (item === undefined) continue;
      const built = this.item(item);
      if (built) items.push(built);
    }
    return { kind: 'File', file: this.fileName, items, range: { start: 0, end: textLength } };
  }

  private item(node: CstNode): A.Item | undefined {
    const settings = nodeOf(node, 'settingsBlock');
    if (settings) return this.settings(settings);
    const table = nodeOf(node, 'tableDecl');
    if (table) return this.table(table);
    const flow = nodeOf(node, 'flowDecl');
    if (flow) return this.flow(flow);
    return undefined;
  }

  private settings(node: CstNode): A.SettingsBlock | undefined {
    const keyword = tokenOf(node, 'Settings');
    const range = cstRange(node);
    if (keyword === undefined || range === undefined) return undefined;
    const entries: A.SettingEntry[] = [];
    for (const line of nodesOf(node, 'settingLine')) {
      const name = tokenOf(line, 'name');
      if (name === undefined || tokenOf(line, 'Equals') === undefined) continue;
      const value = this.expressionOr(nodeOf(line, 'value'), this.after(tokenOf(line, 'Equals'), name.startOffset));
      entries.push({ kind: 'Setting', name: this.ident(name, 0), value, range: span(tokenRange(name), value.range) });
    }
    return { kind: 'Settings', entries, range };
  }

  private table(node: CstNode): A.TableDecl | undefined {
    const keyword = tokenOf(node, 'Table');
    const range = cstRange(node);
    if (keyword === undefined || range === undefined) return undefined;
    const name = this.ident(tokenOf(node, 'name'), this.after(keyword, range.start));
    const entries: A.TableEntry[] = [];
    let fallback: A.Expr | undefined;
    for (const line of nodesOf(node, 'tableLine')) {
      const arrow = tokenOf(line, 'FatArrow');
      const elseToken = tokenOf(line, 'Else');
      const keyNode = nodeOf(line, 'key');
      if (arrow === undefined || (elseToken === undefined && keyNode === undefined)) continue;
      const value = this.expressionOr(nodeOf(line, 'value'), this.after(arrow, arrow.startOffset));
      if (elseToken) {
        if (fallback !== undefined) {
          this.report(syntaxDiagnostic('duplicateFallback', this.fileName, tokenRange(elseToken), { table: name.name }));
        } else fallback = value;
        continue;
      }
      const key = this.expressionOr(keyNode, arrow.startOffset);
      entries.push({ kind: 'TableEntry', key, value, range: span(key.range, value.range) });
    }
    return { kind: 'Table', name, entries, range, ...(fallback === undefined ? {} : { fallback }) };
  }

  private flow(node: CstNode): A.FlowDecl | undefined {
    const keyword = tokenOf(node, 'Flow');
    const range = cstRange(node);
    if (keyword === undefined || range === undefined) return undefined;
    const name = this.ident(tokenOf(node, 'name'), this.after(keyword, range.start));
    const source = this.entityRef(nodeOf(node, 'source'), name.range.end);
    const target = this.entityRef(nodeOf(node, 'target'), source.range.end);
    const block = nodeOf(node, 'block');
    const body = block ? this.statements(block, 'flow') : [];
    return { kind: 'Flow', name, source, target, body, range };
  }

  private entityRef(node: CstNode | undefined, fallbackAt: number): A.EntityRef {
    const connector = this.ident(tokenOf(node, 'connector'), fallbackAt);
    const entity = this.ident(tokenOf(node, 'entity'), connector.range.end);
    const range = node ? cstRange(node) : undefined;
    return { kind: 'EntityRef', connector, entity, range: range ?? { start: fallbackAt, end: fallbackAt } };
  }

  // ---- statements ----------------------------------------------------------------------------------------

  /** The statements of a block; `rules` blocks (rule sets) accept only `let` and field rules. */
  private statements(block: CstNode, where: 'flow' | 'rules'): A.FlowStatement[] {
    const out: A.FlowStatement[] = [];
    for (const line of nodesOf(block, 'line')) {
      const statement = nodeOf(line, 'statement');
      if (statement === undefined) continue;
      const built = this.statement(statement, where);
      if (built) out.push(built);
    }
    return out;
  }

  private ruleBlock(block: CstNode | undefined, fallbackAt: number): A.RuleBlock {
    if (block === undefined) return { kind: 'RuleBlock', rules: [], range: { start: fallbackAt, end: fallbackAt } };
    const rules = this.statements(block, 'rules') as A.RuleStatement[];
    return { kind: 'RuleBlock', rules, range: cstRange(block) ?? { start: fallbackAt, end: fallbackAt } };
  }

  private misplaced(where: 'flow' | 'rules', statement: string, node: CstNode): boolean {
    if (where === 'flow') return false;
    const range = cstRange(node);
    if (range) this.report(syntaxDiagnostic('misplacedStatement', this.fileName, range, { statement }));
    return true;
  }

  private statement(node: CstNode, where: 'flow' | 'rules'): A.FlowStatement | undefined {
    const when = nodeOf(node, 'whenStmt');
    if (when) return this.misplaced(where, 'when', when) ? undefined : this.when(when);
    const letStmt = nodeOf(node, 'letStmt');
    if (letStmt) return this.let(letStmt);
    const on = nodeOf(node, 'onStmt');
    if (on) return this.misplaced(where, 'on', on) ? undefined : this.on(on);
    const identify = nodeOf(node, 'identifyStmt');
    if (identify) return this.misplaced(where, 'identify by', identify) ? undefined : this.identify(identify);
    const writeBack = nodeOf(node, 'writeBackStmt');
    if (writeBack) return this.misplaced(where, 'write back', writeBack) ? undefined : this.writeBack(writeBack);
    const rule = nodeOf(node, 'ruleStmt');
    if (rule) return this.rule(rule);
    return undefined;
  }

  private when(node: CstNode): A.WhenStmt | undefined {
    const keyword = tokenOf(node, 'When');
    if (keyword === undefined) return undefined;
    const condition = this.expressionOr(nodeOf(node, 'condition'), this.after(keyword, 0));
    return { kind: 'When', condition, range: span(tokenRange(keyword), condition.range) };
  }

  private let(node: CstNode): A.LetStmt | undefined {
    const keyword = tokenOf(node, 'Let');
    const name = tokenOf(node, 'name');
    const equals = tokenOf(node, 'Equals');
    if (keyword === undefined || name === undefined || equals === undefined) return undefined;
    const value = this.expressionOr(nodeOf(node, 'value'), this.after(equals, 0));
    return { kind: 'Let', name: this.ident(name, 0), value, range: span(tokenRange(keyword), value.range) };
  }

  private identify(node: CstNode): A.IdentifyStmt | undefined {
    const keyword = tokenOf(node, 'Identify');
    const fieldNode = nodeOf(node, 'field');
    const equals = tokenOf(node, 'Equals');
    if (keyword === undefined || fieldNode === undefined || equals === undefined) return undefined;
    const field = this.fieldPath(fieldNode);
    if (field === undefined) return undefined;
    const value = this.expressionOr(nodeOf(node, 'value'), this.after(equals, 0));
    return { kind: 'Identify', field, value, range: span(tokenRange(keyword), value.range) };
  }

  private writeBack(node: CstNode): A.WriteBackBlock | undefined {
    const keyword = tokenOf(node, 'Write');
    const range = cstRange(node);
    if (keyword === undefined || range === undefined) return undefined;
    const body = this.ruleBlock(nodeOf(node, 'block'), range.end);
    const whenToken = tokenOf(node, 'When');
    const condition = whenToken ? this.expressionOr(nodeOf(node, 'condition'), this.after(whenToken, 0)) : undefined;
    return { kind: 'WriteBack', body, range, ...(condition === undefined ? {} : { condition }) };
  }

  private on(node: CstNode): A.FlowStatement | undefined {
    const keyword = tokenOf(node, 'On');
    const caseToken = tokenOf(node, 'case');
    const range = cstRange(node);
    if (keyword === undefined || caseToken === undefined || range === undefined) return undefined;
    const caseName = caseToken.image;
    const block = nodeOf(node, 'block');
    const colon = tokenOf(node, 'Colon');
    const action = tokenOf(node, 'action');
    const whenToken = tokenOf(node, 'When');
    const bad = (problem: string, fix: string, at: Range): undefined => {
      this.report(syntaxDiagnostic('badPolicy', this.fileName, at, { problem, fix }));
      return undefined;
    };

    if (caseName === 'create' || caseName === 'update') {
      if (block === undefined) {
        return bad(
          `\`on ${caseName}\` takes a block of rules, not \`:\``,
          `write \`on ${caseName} { Field = value }\``,
          colon ? tokenRange(colon) : tokenRange(caseToken),
        );
      }
      return { kind: 'OnCase', case: caseName, body: this.ruleBlock(block, range.end), range };
    }
    if (caseName !== 'existing' && caseName !== 'missing') {
      this.report(syntaxDiagnostic('unknownPolicy', this.fileName, tokenRange(caseToken), { case: caseName }));
      return undefined;
    }
    if (block === undefined && colon === undefined) return undefined; // the parser reported what is missing
    if (block !== undefined) {
      return bad(
        `\`on ${caseName}\` takes an action after \`:\`, not a block`,
        caseName === 'existing' ? 'write `on existing: skip`, `on existing: update` or `on existing: update when <condition>`' : 'write `on missing: create` or `on missing: skip`',
        tokenRange(caseToken),
      );
    }
    if (action === undefined) return undefined; // the parser reported the missing action
    const actionRange = tokenRange(action);
    if (caseName === 'missing') {
      if (action.image !== 'create' && action.image !== 'skip') {
        return bad(`\`${action.image}\` is not an action for \`on missing\``, 'write `on missing: create` or `on missing: skip`', actionRange);
      }
      if (whenToken) {
        return bad('`on missing` takes no condition', 'put the condition in a `when` filter of the flow', tokenRange(whenToken));
      }
      return { kind: 'OnMissing', action: action.image, actionRange, range };
    }
    if (action.image !== 'skip' && action.image !== 'update') {
      return bad(
        `\`${action.image}\` is not an action for \`on existing\``,
        'write `on existing: skip`, `on existing: update` or `on existing: update when <condition>`',
        actionRange,
      );
    }
    if (whenToken && action.image === 'skip') {
      return bad('`on existing: skip` takes no condition', 'write `on existing: update when <condition>`', tokenRange(whenToken));
    }
    const condition = whenToken ? this.expressionOr(nodeOf(node, 'condition'), this.after(whenToken, 0)) : undefined;
    return { kind: 'OnExisting', action: action.image, actionRange, range, ...(condition === undefined ? {} : { condition }) };
  }

  private rule(node: CstNode): A.RuleStatement | undefined {
    const targetNode = nodeOf(node, 'target');
    const target = targetNode ? this.fieldPath(targetNode) : undefined;
    if (target === undefined) return undefined;
    const equals = tokenOf(node, 'Equals');
    if (equals) {
      const value = this.expressionOr(nodeOf(node, 'value'), this.after(equals, 0));
      return { kind: 'Assign', target, value, range: span(target.range, value.range) };
    }
    const plusEquals = tokenOf(node, 'PlusEquals');
    if (plusEquals === undefined) return undefined;
    const body = this.ruleBlock(nodeOf(node, 'block'), this.after(plusEquals, 0));
    const whenToken = tokenOf(node, 'When');
    const condition = whenToken ? this.expressionOr(nodeOf(node, 'condition'), this.after(whenToken, 0)) : undefined;
    const end = condition?.range ?? (whenToken ? tokenRange(whenToken) : body.range);
    return {
      kind: 'Append',
      target,
      body,
      range: span(target.range, end),
      ...(condition === undefined ? {} : { condition }),
    };
  }

  private fieldPath(node: CstNode): A.FieldPath | undefined {
    const segments = tokensOf(node, 'segment').map((t) => this.ident(t, 0));
    const first = segments[0];
    if (first === undefined) return undefined;
    return { kind: 'FieldPath', segments, range: span(first.range, segments[segments.length - 1]!.range) };
  }

  // ---- expressions ---------------------------------------------------------------------------------------

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
    if ((inner = child('eachExpr'))) return this.each(inner);
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

  private each(node: CstNode): A.EachExpr | undefined {
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
