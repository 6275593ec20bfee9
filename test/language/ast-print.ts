import type { Expr, FieldPath, RuleStatement } from '../../language/ast.js';

/** A compact S-expression of an expression tree, so tests can state grouping in one readable string. */
export function show(expr: Expr): string {
  switch (expr.kind) {
    case 'Number':
      return expr.raw;
    case 'String':
      return JSON.stringify(expr.parts.map((p) => (p.kind === 'Text' ? p.value : `{${show(p.expr)}}`)).join(''));
    case 'Bool':
      return String(expr.value);
    case 'Null':
      return 'null';
    case 'Name':
      return expr.name;
    case 'Array':
      return `[${expr.elements.map(show).join(' ')}]`;
    case 'Member':
      return `${show(expr.object)}.${expr.property.name}`;
    case 'Index':
      return `${show(expr.object)}[${show(expr.index)}]`;
    case 'Call':
      return `${expr.callee.name}(${expr.args.map(show).join(' ')})`;
    case 'Unary':
      return `(${expr.op} ${show(expr.operand)})`;
    case 'Binary':
      return `(${expr.op} ${show(expr.left)} ${show(expr.right)})`;
    case 'If':
      return `(if ${show(expr.condition)} ${show(expr.then)}${expr.else ? ` ${show(expr.else)}` : ''})`;
    case 'Find':
      return `(find${expr.optional ? '?' : ''} ${expr.entity.connector.name}.${expr.entity.entity.name} ${expr.key.name} ${show(expr.value)})`;
    case 'Upsert':
      return `(upsert ${expr.entity.connector.name}.${expr.entity.entity.name} ${expr.key.name} ${show(expr.value)} {${expr.body.rules.map(showRule).join('; ')}})`;
    case 'Each':
      return `(each ${show(expr.source)} ${expr.item.name}${expr.index ? ` ${expr.index.name}` : ''} {${expr.body.rules.map(showRule).join('; ')}})`;
    case 'Paren':
      return `(paren ${show(expr.expr)})`;
    case 'ErrorExpr':
      return '<error>';
  }
}

export function showPath(path: FieldPath): string {
  return path.segments.map((s) => s.name).join('.');
}

export function showRule(rule: RuleStatement): string {
  switch (rule.kind) {
    case 'Let':
      return `let ${rule.name.name} = ${show(rule.value)}`;
    case 'Assign':
      return `${showPath(rule.target)} = ${show(rule.value)}`;
    case 'Append':
      return `${showPath(rule.target)} += ${rule.each ? `${show(rule.each)}` : `{${rule.body.rules.map(showRule).join('; ')}}`}${rule.condition ? ` when ${show(rule.condition)}` : ''}`;
    case 'OnCase':
      return `on ${rule.case} {${rule.body.rules.map(showRule).join('; ')}}`;
    case 'For':
      return `for ${rule.values.map((v) => JSON.stringify(v.value)).join(', ')} {${(rule.body as RuleStatement[]).map(showRule).join('; ')}}`;
  }
}
