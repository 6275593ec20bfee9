import type { IrExpr, IrFieldRule, IrLet, IrRuleSet } from '../ir.js';

/** Calls `visit` for every expression inside `e`, nested rule sets included. */
export function walkExpr(e: IrExpr, visit: (e: IrExpr) => void): void {
  visit(e);
  switch (e.k) {
    case 'template':
      for (const part of e.parts) if (typeof part !== 'string') walkExpr(part, visit);
      return;
    case 'array':
      e.elements.forEach((x) => walkExpr(x, visit));
      return;
    case 'table':
      walkExpr(e.key, visit);
      return;
    case 'member':
      walkExpr(e.object, visit);
      return;
    case 'index':
      walkExpr(e.object, visit);
      walkExpr(e.index, visit);
      return;
    case 'call':
      e.args.forEach((x) => walkExpr(x, visit));
      return;
    case 'unary':
      walkExpr(e.operand, visit);
      return;
    case 'binary':
      walkExpr(e.left, visit);
      walkExpr(e.right, visit);
      return;
    case 'if':
      walkExpr(e.condition, visit);
      walkExpr(e.then, visit);
      if (e.else) walkExpr(e.else, visit);
      return;
    case 'find':
      walkExpr(e.value, visit);
      return;
    case 'upsert':
      walkExpr(e.value, visit);
      walkRuleSet(e.rules, visit);
      if (e.onCreate) walkRuleSet(e.onCreate, visit);
      if (e.onUpdate) walkRuleSet(e.onUpdate, visit);
      return;
    case 'each':
      walkExpr(e.source, visit);
      walkRuleSet(e.rules, visit);
      return;
    case 'paren':
      walkExpr(e.expr, visit);
      return;
    default:
      return;
  }
}

export function walkRuleSet(rules: IrRuleSet, visit: (e: IrExpr) => void): void {
  rules.lets.forEach((l) => walkExpr(l.value, visit));
  walkFields(rules.fields, visit);
}

export function walkFields(fields: readonly IrFieldRule[], visit: (e: IrExpr) => void): void {
  for (const f of fields) {
    if (f.k === 'assign') walkExpr(f.value, visit);
    else {
      if (f.each) walkExpr(f.each.source, visit);
      walkRuleSet(f.element, visit);
      if (f.condition) walkExpr(f.condition, visit);
    }
  }
}

/**
 * The subset of `lets` that `roots` need, directly or through other lets, in their original order: a payload
 * runs only the lookups it uses.
 */
export function neededLets(lets: readonly IrLet[], roots: readonly IrExpr[], fields: readonly IrFieldRule[] = []): IrLet[] {
  const byName = new Map(lets.map((l) => [l.variable, l]));
  const needed = new Set<string>();
  const pending: IrExpr[] = [...roots];
  const collect = (e: IrExpr): void => {
    if (e.k === 'var' && byName.has(e.variable) && !needed.has(e.variable)) {
      needed.add(e.variable);
      pending.push(byName.get(e.variable)!.value);
    }
  };
  walkFields(fields, collect);
  while (pending.length > 0) walkExpr(pending.pop()!, collect);
  return lets.filter((l) => needed.has(l.variable));
}
