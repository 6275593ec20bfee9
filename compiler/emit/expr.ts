import type { IrExpr, IrFieldRule, IrRuleSet } from '../ir.js';
import { entityLabel } from '../catalog.js';
import { JsonataWriter, pathStep } from './writer.js';

/**
 * Emits JSONata for checked expressions and rule sets. Semantics the language promises and JSONata does not
 * give by itself are spelled out here: `!=` is true when a side is absent, comparing with `null` tests
 * presence, `not` of absent is true, `+` of two strings joins them, string interpolation inserts nothing for
 * absent values, `each` always yields an array.
 */
export function emitExpr(w: JsonataWriter, e: IrExpr): void {
  w.mapped(e.range, () => emitInner(w, e));
}

function emitInner(w: JsonataWriter, e: IrExpr): void {
  switch (e.k) {
    case 'literal':
      w.write(JSON.stringify(e.value));
      return;
    case 'template':
      emitTemplate(w, e.parts);
      return;
    case 'array':
      w.write('[');
      e.elements.forEach((el, i) => {
        if (i > 0) w.write(', ');
        emitExpr(w, el);
      });
      w.write(']');
      return;
    case 'source':
      w.write('$$');
      for (const step of e.path) w.write(`.${pathStep(step)}`);
      return;
    case 'var':
      w.write(`$${e.variable}`);
      for (const step of e.path) w.write(`.${pathStep(step)}`);
      return;
    case 'setting':
      w.write(`$settings.${pathStep(e.name)}`);
      for (const step of e.path) w.write(`.${pathStep(step)}`);
      return;
    case 'table':
      w.write(`$tableValue($tables.${pathStep(e.name)}, `);
      emitExpr(w, e.key);
      w.write(')');
      return;
    case 'member':
      w.write('(');
      emitExpr(w, e.object);
      w.write(')');
      for (const step of e.path) w.write(`.${pathStep(step)}`);
      return;
    case 'index':
      w.write('(');
      emitExpr(w, e.object);
      w.write(')[');
      emitExpr(w, e.index);
      w.write(']');
      return;
    case 'call':
      emitCall(w, e);
      return;
    case 'unary':
      if (e.op === 'not') {
        // `$not(absent)` is absent in JSONata; a condition on absent is false, so this is true, as it should be.
        w.write('(');
        emitExpr(w, e.operand);
        w.write(' ? false : true)');
      } else {
        w.write('-(');
        emitExpr(w, e.operand);
        w.write(')');
      }
      return;
    case 'binary':
      emitBinary(w, e);
      return;
    case 'if':
      w.write('(');
      emitExpr(w, e.condition);
      w.write(' ? ');
      emitExpr(w, e.then);
      if (e.else) {
        w.write(' : ');
        emitExpr(w, e.else);
      }
      w.write(')');
      return;
    case 'find':
      w.write(`$${e.optional ? 'findOptional' : 'find'}(${JSON.stringify(entityLabel(e.entity))}, ${JSON.stringify(e.key)}, `);
      emitExpr(w, e.value);
      w.write(')');
      return;
    case 'upsert':
      w.write(`$upsert(${JSON.stringify(entityLabel(e.entity))}, ${JSON.stringify(e.key)}, `);
      emitExpr(w, e.value);
      w.write(', ');
      if (!e.onCreate && !e.onUpdate) emitRuleSet(w, e.rules);
      else {
        // Two payloads: the one a new record is created with, and the one an existing record is updated with.
        emitRuleSet(w, e.rules, e.onCreate?.fields ?? [], [...e.rules.lets, ...(e.onCreate?.lets ?? [])]);
        w.write(', ');
        emitRuleSet(w, e.rules, e.onUpdate?.fields ?? [], [...e.rules.lets, ...(e.onUpdate?.lets ?? [])]);
      }
      w.write(')');
      return;
    case 'each':
      emitEach(w, e, () => emitRuleSet(w, e.rules));
      return;
    case 'paren':
      w.write('(');
      emitExpr(w, e.expr);
      w.write(')');
      return;
    case 'error':
      w.write('$error("this part of the mapping did not compile")');
      return;
  }
}

function emitTemplate(w: JsonataWriter, parts: readonly (string | IrExpr)[]): void {
  if (parts.length === 0) {
    w.write('""');
    return;
  }
  if (parts.length === 1 && typeof parts[0] === 'string') {
    w.write(JSON.stringify(parts[0]));
    return;
  }
  // `&` turns absent into "" and other values into their string form, which is what interpolation promises.
  w.write('(');
  if (typeof parts[0] !== 'string') w.write('"" & ');
  parts.forEach((part, i) => {
    if (i > 0) w.write(' & ');
    if (typeof part === 'string') w.write(JSON.stringify(part));
    else {
      w.write('(');
      emitExpr(w, part);
      w.write(')');
    }
  });
  w.write(')');
}

function emitCall(w: JsonataWriter, e: Extract<IrExpr, { k: 'call' }>): void {
  // The built-in's template takes argument texts; placeholders let each argument keep its source map.
  const holes = e.args.map((_, i) => `\u0000${i}\u0000`);
  const template = e.builtin.emit(holes);
  for (const piece of template.split(/(\u0000\d+\u0000)/)) {
    const hole = /^\u0000(\d+)\u0000$/.exec(piece);
    if (hole) emitExpr(w, e.args[Number(hole[1])]!);
    else w.write(piece);
  }
}

const comparison: Readonly<Record<string, string>> = { '==': '=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

function emitBinary(w: JsonataWriter, e: Extract<IrExpr, { k: 'binary' }>): void {
  const isNull = (x: IrExpr): boolean => x.k === 'literal' && x.value === null;
  if ((e.op === '==' || e.op === '!=') && (isNull(e.left) || isNull(e.right))) {
    const other = isNull(e.left) ? e.right : e.left;
    if (isNull(other)) {
      w.write(e.op === '==' ? 'true' : 'false');
      return;
    }
    w.write(e.op === '==' ? '$not($exists(' : '$exists(');
    emitExpr(w, other);
    w.write(e.op === '==' ? '))' : ')');
    return;
  }
  if (e.op === '!=') {
    // JSONata's `!=` is false when a side is absent; "absent differs from 5" should be true.
    w.write('$not(');
    emitExpr(w, e.left);
    w.write(' = ');
    emitExpr(w, e.right);
    w.write(')');
    return;
  }
  const op = e.op === '+' && e.concat ? '&' : (comparison[e.op] ?? e.op);
  w.write('(');
  emitExpr(w, e.left);
  w.write(` ${op} `);
  emitExpr(w, e.right);
  w.write(')');
}

/**
 * A rule set as one JSONata value: its `let`s as variable bindings in a block, then the object of its fields.
 * `only` limits the lets to those the fields need (a flow's lets that a payload never reads are not run).
 */
export function emitRuleSet(w: JsonataWriter, rules: IrRuleSet, extraFields: readonly IrFieldRule[] = [], lets = rules.lets): void {
  w.mapped(rules.range, () => {
    const fields = [...rules.fields, ...extraFields];
    if (lets.length === 0) {
      emitObject(w, fields);
      return;
    }
    w.write('(');
    w.indented(() => {
      for (const l of lets) {
        w.newline();
        w.mapped(l.range, () => {
          w.write(`$${l.variable} := `);
          emitExpr(w, l.value);
          w.write(';');
        });
      }
      w.newline();
      emitObject(w, fields);
    });
    w.newline().write(')');
  });
}

type FieldTree = Map<string, FieldNode>;
type FieldNode =
  | { kind: 'value'; rule: Extract<IrFieldRule, { k: 'assign' }> }
  | { kind: 'object'; children: FieldTree }
  | { kind: 'list'; base?: Extract<IrFieldRule, { k: 'assign' }>; appends: Extract<IrFieldRule, { k: 'append' }>[] };

/** Dotted targets become nested objects; `=` and `+=` on one field become one list. */
function buildTree(fields: readonly IrFieldRule[]): FieldTree {
  const root: FieldTree = new Map();
  for (const field of fields) {
    let tree = root;
    const parents = field.path.slice(0, -1);
    for (const name of parents) {
      let next = tree.get(name);
      if (!next || next.kind !== 'object') {
        next = { kind: 'object', children: new Map() };
        tree.set(name, next);
      }
      tree = next.children;
    }
    const leaf = field.path[field.path.length - 1]!;
    const existing = tree.get(leaf);
    if (field.k === 'append') {
      const list: FieldNode =
        existing?.kind === 'list' ? existing : { kind: 'list', appends: [], ...(existing?.kind === 'value' ? { base: existing.rule } : {}) };
      list.appends.push(field);
      tree.set(leaf, list);
    } else if (existing?.kind === 'list') {
      existing.base = field;
    } else {
      tree.set(leaf, { kind: 'value', rule: field });
    }
  }
  return root;
}

function emitObject(w: JsonataWriter, fields: readonly IrFieldRule[]): void {
  emitTree(w, buildTree(fields));
}

function emitTree(w: JsonataWriter, tree: FieldTree): void {
  if (tree.size === 0) {
    w.write('{}');
    return;
  }
  w.write('{');
  w.indented(() => {
    let first = true;
    for (const [name, node] of tree) {
      if (!first) w.write(',');
      first = false;
      w.newline();
      w.write(`${JSON.stringify(name)}: `);
      emitFieldNode(w, node);
    }
  });
  w.newline().write('}');
}

/**
 * `each xs as x at i { body }` as `$eachOf(xs, function($x, $i) { body })`, the standard library's, not
 * `[$map(...)]`: it always gives a list, and a run-time error inside the body keeps its own position, so it is
 * reported at the failing expression rather than at the `each` line (`$map` overwrites the position with its own).
 */
function emitEach(w: JsonataWriter, each: { readonly source: IrExpr; readonly item: string; readonly index?: string }, body: () => void): void {
  w.write('$eachOf(');
  emitExpr(w, each.source);
  w.write(`, function($${each.item}${each.index ? `, $${each.index}` : ''}) { `);
  body();
  w.write(' })');
}

function emitFieldNode(w: JsonataWriter, node: FieldNode): void {
  switch (node.kind) {
    case 'value':
      w.mapped(node.rule.range, () => emitExpr(w, node.rule.value));
      return;
    case 'object':
      emitTree(w, node.children);
      return;
    case 'list': {
      // $append(base, element1, ...) keeps a list even when it has one element.
      const opening = '$append('.repeat(node.appends.length);
      w.write(opening);
      if (node.base) w.mapped(node.base.range, () => emitExpr(w, node.base!.value));
      else w.write('[]');
      for (const append of node.appends) {
        w.write(', ');
        w.mapped(append.range, () => {
          if (append.each) {
            // `$eachOf` leaves out the items whose function gives nothing: those that fail the condition.
            emitEach(w, append.each, () => {
              if (append.condition) {
                emitExpr(w, append.condition);
                w.write(' ? ');
              }
              emitRuleSet(w, append.element);
            });
          } else if (append.condition) {
            w.write('(');
            emitExpr(w, append.condition);
            w.write(' ? [');
            emitRuleSet(w, append.element);
            w.write('] : [])');
          } else {
            w.write('[');
            emitRuleSet(w, append.element);
            w.write(']');
          }
        });
        w.write(')');
      }
      return;
    }
  }
}
