import type { CstNode } from 'chevrotain';
import type * as A from './ast.js';
import { cstRange, nodeOf, nodesOf, span, tokenOf, tokenRange, tokensOf } from './cst.js';
import type { Range } from './range.js';
import { syntaxDiagnostic } from './syntax-diagnostic.js';
import { ExpressionBuilder } from './to-ast-expr.js';

export type { FragmentParser } from './to-ast-expr.js';

/**
 * Builds the AST of `ast.ts` from the parser's concrete syntax tree: files, items and statements here,
 * expressions in `to-ast-expr.ts`. The CST may be partial after error recovery (missing children, tokens
 * inserted by the parser with no position), so every accessor tolerates absence: a missing expression becomes
 * an `ErrorExpr`, a statement without its head is left out, a missing name becomes an `Ident` with an empty
 * name. The syntax error was reported by the parser already; the checks done here (chained comparisons,
 * statements out of place, policies) report their own.
 */
export class AstBuilder extends ExpressionBuilder {
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
    const choice = nodeOf(node, 'choice');
    const target = choice ? this.choiceTarget(choice, source.range.end) : this.entityRef(nodeOf(node, 'target'), source.range.end);
    const block = nodeOf(node, 'block');
    const body = block ? this.statements(block, 'flow') : [];
    return { kind: 'Flow', name, source, target, body, range };
  }

  private choiceTarget(node: CstNode, fallbackAt: number): A.ChoiceTarget {
    const table = this.ident(tokenOf(node, 'table'), fallbackAt);
    const setting = this.ident(tokenOf(node, 'setting'), table.range.end);
    return { kind: 'ChoiceTarget', table, setting, range: cstRange(node) ?? span(table.range, setting.range) };
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

  protected ruleBlock(block: CstNode | undefined, fallbackAt: number): A.RuleBlock {
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
    if (on) {
      // `on create { }` / `on update { }` may stand in a rule block (an upsert's cases); policies may not.
      const built = this.on(on);
      if (where === 'flow' || built === undefined || built.kind === 'OnCase') return built;
      return this.misplaced(where, 'on', on) ? undefined : built;
    }
    const identify = nodeOf(node, 'identifyStmt');
    if (identify) return this.misplaced(where, 'identify by', identify) ? undefined : this.identify(identify);
    const writeBack = nodeOf(node, 'writeBackStmt');
    if (writeBack) return this.misplaced(where, 'write back', writeBack) ? undefined : this.writeBack(writeBack);
    const forStmt = nodeOf(node, 'forStmt');
    if (forStmt) return this.forBlock(forStmt, where);
    const rule = nodeOf(node, 'ruleStmt');
    if (rule) return this.rule(rule);
    return undefined;
  }

  private forBlock(node: CstNode, where: 'flow' | 'rules'): A.ForBlock | undefined {
    const range = cstRange(node);
    const block = nodeOf(node, 'block');
    if (range === undefined || block === undefined) return undefined;
    const values = tokensOf(node, 'value').map((token): A.ForValue => {
      const text = this.stringLiteral(token);
      return { kind: 'ForValue', value: text, range: tokenRange(token) };
    });
    return { kind: 'For', values, body: this.statements(block, where), range };
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
    const eachNode = nodeOf(node, 'each');
    const each = eachNode ? this.eachOf(eachNode) : undefined;
    const body = each?.body ?? this.ruleBlock(nodeOf(node, 'block'), this.after(plusEquals, 0));
    const whenToken = tokenOf(node, 'When');
    const condition = whenToken ? this.expressionOr(nodeOf(node, 'condition'), this.after(whenToken, 0)) : undefined;
    const end = condition?.range ?? (whenToken ? tokenRange(whenToken) : (each ?? body).range);
    return {
      kind: 'Append',
      target,
      body,
      range: span(target.range, end),
      ...(each === undefined ? {} : { each }),
      ...(condition === undefined ? {} : { condition }),
    };
  }

  private fieldPath(node: CstNode): A.FieldPath | undefined {
    const segments = tokensOf(node, 'segment').map((t) => this.ident(t, 0));
    const first = segments[0];
    if (first === undefined) return undefined;
    return { kind: 'FieldPath', segments, range: span(first.range, segments[segments.length - 1]!.range) };
  }

}
