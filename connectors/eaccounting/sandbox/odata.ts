import type { JsonSchema } from '../../json-schema.js';
import type { SandboxRecord } from '../../sandbox/store.js';

/**
 * The OData `$filter` subset the connector sends, parsed and evaluated over stored records:
 * `Field eq 'text'` (`''` escapes a quote), numbers, booleans, GUIDs, `null`, unquoted date-times
 * (`ChangedUtc gt 2024-01-01T00:00:00Z`), `eq ne gt ge lt le`, `and or not`, parentheses, and
 * `contains/startswith/endswith(Field,'x')`. Anything else is a `FilterError` (ErrorCode 6000).
 */
export class FilterError extends Error {}

type Literal =
  | { readonly kind: 'literal'; readonly type: 'string'; readonly value: string }
  | { readonly kind: 'literal'; readonly type: 'number'; readonly value: number }
  | { readonly kind: 'literal'; readonly type: 'boolean'; readonly value: boolean }
  | { readonly kind: 'literal'; readonly type: 'null'; readonly value: null }
  | { readonly kind: 'literal'; readonly type: 'datetime'; readonly value: number; readonly text: string }
  | { readonly kind: 'literal'; readonly type: 'guid'; readonly value: string };
type Operand = Literal | { readonly kind: 'field'; readonly path: string };
type Comparison = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
type FilterNode =
  | { readonly kind: 'compare'; readonly op: Comparison; readonly left: Operand; readonly right: Operand }
  | { readonly kind: 'logical'; readonly op: 'and' | 'or'; readonly left: FilterNode; readonly right: FilterNode }
  | { readonly kind: 'not'; readonly operand: FilterNode }
  | { readonly kind: 'function'; readonly name: string; readonly field: string; readonly value: string };

type Token =
  | { readonly type: 'punct'; readonly value: '(' | ')' | ','; readonly at: number }
  | { readonly type: 'word'; readonly value: string; readonly at: number }
  | { readonly type: 'literal'; readonly literal: Literal; readonly at: number };

const COMPARISONS = new Set<string>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const FUNCTIONS = new Set(['contains', 'startswith', 'endswith', 'substringof']);
const DATETIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![0-9A-Za-z])/;
const NUMBER = /^-?\d+(?:\.\d+)?(?:[mMdDfFlL])?(?![0-9A-Za-z_])/;
const WORD = /^[A-Za-z_][A-Za-z0-9_/.]*/;

export type RecordPredicate = (record: SandboxRecord) => boolean;

/** Parses `$filter` against the entity's read schema (fields must exist, literal types must fit). */
export function parseFilter(text: string, schema: JsonSchema | undefined): RecordPredicate {
  const tokens = tokenize(text);
  const parser = new Parser(tokens, text);
  const node = parser.parseExpression();
  parser.expectEnd();
  checkFields(node, schema);
  return (record) => evaluate(node, record);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ type: 'punct', value: ch, at: i });
      i++;
      continue;
    }
    if (ch === "'") {
      const { value, end } = readString(text, i);
      tokens.push({ type: 'literal', literal: { kind: 'literal', type: 'string', value }, at: i });
      i = end;
      continue;
    }
    const guid = GUID.exec(rest);
    if (guid) {
      tokens.push({ type: 'literal', literal: { kind: 'literal', type: 'guid', value: guid[0].toLowerCase() }, at: i });
      i += guid[0].length;
      continue;
    }
    const date = DATETIME.exec(rest);
    if (date) {
      tokens.push({ type: 'literal', literal: dateLiteral(date[0], i), at: i });
      i += date[0].length;
      continue;
    }
    const number = NUMBER.exec(rest);
    if (number) {
      tokens.push({ type: 'literal', literal: { kind: 'literal', type: 'number', value: Number(number[0].replace(/[mMdDfFlL]$/, '')) }, at: i });
      i += number[0].length;
      continue;
    }
    const word = WORD.exec(rest);
    if (word) {
      const value = word[0];
      const lower = value.toLowerCase();
      i += value.length;
      // OData v3 typed literals: datetime'2024-01-01T00:00:00' and guid'...'.
      if ((lower === 'datetime' || lower === 'guid' || lower === 'datetimeoffset') && text[i] === "'") {
        const { value: inner, end } = readString(text, i);
        tokens.push({ type: 'literal', literal: lower === 'guid' ? guidLiteral(inner, i) : dateLiteral(inner, i), at: i });
        i = end;
        continue;
      }
      if (lower === 'true' || lower === 'false') tokens.push({ type: 'literal', literal: { kind: 'literal', type: 'boolean', value: lower === 'true' }, at: i });
      else if (lower === 'null') tokens.push({ type: 'literal', literal: { kind: 'literal', type: 'null', value: null }, at: i });
      else tokens.push({ type: 'word', value, at: i - value.length });
      continue;
    }
    throw new FilterError(`Syntax error at position ${i} in '${text}': unexpected '${ch}'`);
  }
  return tokens;
}

function readString(text: string, start: number): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === "'") {
      if (text[i + 1] === "'") {
        value += "'";
        i += 2;
        continue;
      }
      return { value, end: i + 1 };
    }
    value += ch;
    i++;
  }
  throw new FilterError(`Unterminated string literal at position ${start} in '${text}'`);
}

function dateLiteral(text: string, at: number): Literal {
  const iso = /T/.test(text) ? (/(Z|[+-]\d{2}:\d{2})$/.test(text) ? text : `${text}Z`) : `${text}T00:00:00Z`;
  const value = Date.parse(iso);
  if (Number.isNaN(value)) throw new FilterError(`The DateTime '${text}' at position ${at} is not valid`);
  return { kind: 'literal', type: 'datetime', value, text };
}

function guidLiteral(text: string, at: number): Literal {
  if (!GUID.test(text)) throw new FilterError(`The Guid '${text}' at position ${at} is not valid`);
  return { kind: 'literal', type: 'guid', value: text.toLowerCase() };
}

class Parser {
  private index = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly text: string,
  ) {}

  parseExpression(): FilterNode {
    let left = this.parseAnd();
    while (this.peekWord('or')) {
      this.index++;
      left = { kind: 'logical', op: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  expectEnd(): void {
    const token = this.tokens[this.index];
    if (token) throw new FilterError(`Syntax error at position ${token.at} in '${this.text}'`);
  }

  private parseAnd(): FilterNode {
    let left = this.parseUnary();
    while (this.peekWord('and')) {
      this.index++;
      left = { kind: 'logical', op: 'and', left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): FilterNode {
    if (this.peekWord('not')) {
      this.index++;
      return { kind: 'not', operand: this.parseUnary() };
    }
    const token = this.tokens[this.index];
    if (token?.type === 'punct' && token.value === '(') {
      this.index++;
      const inner = this.parseExpression();
      this.expectPunct(')');
      return inner;
    }
    if (token?.type === 'word' && FUNCTIONS.has(token.value.toLowerCase()) && this.isPunct(this.index + 1, '(')) {
      return this.parseFunction(token.value.toLowerCase());
    }
    const left = this.parseOperand();
    const op = this.tokens[this.index];
    if (op?.type !== 'word' || !COMPARISONS.has(op.value.toLowerCase())) {
      throw new FilterError(`Syntax error: expected a comparison (eq, ne, gt, ge, lt, le) at position ${op?.at ?? this.text.length} in '${this.text}'`);
    }
    this.index++;
    return { kind: 'compare', op: op.value.toLowerCase() as Comparison, left, right: this.parseOperand() };
  }

  private parseFunction(name: string): FilterNode {
    this.index += 2;
    const first = this.parseOperand();
    this.expectPunct(',');
    const second = this.parseOperand();
    this.expectPunct(')');
    // substringof('x', Field) has its arguments the other way round.
    const [field, value] = name === 'substringof' ? [second, first] : [first, second];
    if (field.kind !== 'field' || value.kind !== 'literal' || value.type !== 'string') {
      throw new FilterError(`${name} needs a field and a string literal in '${this.text}'`);
    }
    return { kind: 'function', name: name === 'substringof' ? 'contains' : name, field: field.path, value: value.value };
  }

  private parseOperand(): Operand {
    const token = this.tokens[this.index];
    if (!token) throw new FilterError(`Syntax error: unexpected end of '${this.text}'`);
    this.index++;
    if (token.type === 'literal') return token.literal;
    if (token.type === 'word' && !COMPARISONS.has(token.value.toLowerCase()) && !['and', 'or', 'not'].includes(token.value.toLowerCase())) {
      return { kind: 'field', path: token.value };
    }
    throw new FilterError(`Syntax error at position ${token.at} in '${this.text}'`);
  }

  private peekWord(word: string): boolean {
    const token = this.tokens[this.index];
    return token?.type === 'word' && token.value.toLowerCase() === word;
  }

  private isPunct(index: number, value: string): boolean {
    const token = this.tokens[index];
    return token?.type === 'punct' && token.value === value;
  }

  private expectPunct(value: string): void {
    if (!this.isPunct(this.index, value)) {
      throw new FilterError(`Syntax error: expected '${value}' at position ${this.tokens[this.index]?.at ?? this.text.length} in '${this.text}'`);
    }
    this.index++;
  }
}

/** Fields must exist on the entity, and literals must fit their types, as OData's binder insists. */
function checkFields(node: FilterNode, schema: JsonSchema | undefined): void {
  if (!schema?.properties) return;
  const fieldSchema = (path: string): JsonSchema => {
    let current: JsonSchema | undefined = schema;
    for (const part of path.split('/')) {
      const next: JsonSchema | undefined = current?.properties?.[part];
      if (!next) throw new FilterError(`Could not find a property named '${part}' on type '${schema.title ?? 'entity'}'`);
      current = next;
    }
    return current as JsonSchema;
  };
  const visit = (n: FilterNode): void => {
    if (n.kind === 'logical') {
      visit(n.left);
      visit(n.right);
    } else if (n.kind === 'not') {
      visit(n.operand);
    } else if (n.kind === 'function') {
      fieldSchema(n.field);
    } else {
      const field = n.left.kind === 'field' ? n.left : n.right.kind === 'field' ? n.right : undefined;
      const literal = n.left.kind === 'literal' ? n.left : n.right.kind === 'literal' ? n.right : undefined;
      if (n.left.kind === 'field') fieldSchema(n.left.path);
      if (n.right.kind === 'field') fieldSchema(n.right.path);
      if (field && literal) checkLiteralType(field.path, fieldSchema(field.path), literal);
    }
  };
  visit(node);
}

function checkLiteralType(path: string, schema: JsonSchema, literal: Literal): void {
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.length === 0 || literal.type === 'null') return;
  const isDateField = schema.format === 'date-time' || schema.format === 'date';
  const ok =
    (literal.type === 'string' && types.includes('string') && !isDateField) ||
    (literal.type === 'guid' && types.includes('string')) ||
    (literal.type === 'datetime' && (isDateField || types.includes('string'))) ||
    (literal.type === 'number' && (types.includes('number') || types.includes('integer'))) ||
    (literal.type === 'boolean' && types.includes('boolean'));
  if (!ok) throw new FilterError(`A binary operator with incompatible types was detected: the field '${path}' does not accept a ${literal.type} literal`);
}

function evaluate(node: FilterNode, record: SandboxRecord): boolean {
  switch (node.kind) {
    case 'logical':
      return node.op === 'and' ? evaluate(node.left, record) && evaluate(node.right, record) : evaluate(node.left, record) || evaluate(node.right, record);
    case 'not':
      return !evaluate(node.operand, record);
    case 'function': {
      const value = resolve(record, node.field);
      if (typeof value !== 'string') return false;
      const haystack = value.toLowerCase();
      const needle = node.value.toLowerCase();
      return node.name === 'contains' ? haystack.includes(needle) : node.name === 'startswith' ? haystack.startsWith(needle) : haystack.endsWith(needle);
    }
    case 'compare': {
      const left = operandValue(node.left, record);
      const right = operandValue(node.right, record);
      const literal = node.right.kind === 'literal' ? node.right : node.left.kind === 'literal' ? node.left : undefined;
      return compare(node.op, left, right, literal?.type);
    }
  }
}

function operandValue(operand: Operand, record: SandboxRecord): unknown {
  return operand.kind === 'field' ? resolve(record, operand.path) : operand.value;
}

function resolve(record: SandboxRecord, path: string): unknown {
  let current: unknown = record;
  for (const part of path.split('/')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as SandboxRecord)[part];
  }
  return current;
}

function compare(op: Comparison, left: unknown, right: unknown, literalType: Literal['type'] | undefined): boolean {
  if (left === null || left === undefined || right === null || right === undefined) {
    const bothNull = (left ?? null) === null && (right ?? null) === null;
    return op === 'eq' ? bothNull : op === 'ne' ? !bothNull : false;
  }
  let a: number | string | boolean;
  let b: number | string | boolean;
  if (literalType === 'datetime') {
    a = typeof left === 'number' ? left : Date.parse(String(left));
    b = typeof right === 'number' ? right : Date.parse(String(right));
    if (Number.isNaN(a) || Number.isNaN(b)) return false;
  } else if (typeof left === 'string' && typeof right === 'string') {
    // String comparison is case-insensitive, like the SQL Server collation behind the real API [G].
    a = left.toLowerCase();
    b = right.toLowerCase();
  } else {
    a = left as number | boolean;
    b = right as number | boolean;
  }
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
  }
}

/** `$orderby=Name desc, Number`: a list of fields with optional direction; fields must exist. */
export function parseOrderBy(text: string, schema: JsonSchema | undefined): (a: SandboxRecord, b: SandboxRecord) => number {
  const keys = text.split(',').map((part) => {
    const [field, direction, extra] = part.trim().split(/\s+/);
    if (!field || extra !== undefined || (direction !== undefined && !/^(asc|desc)$/i.test(direction))) {
      throw new FilterError(`Syntax error in $orderby '${text}'`);
    }
    if (schema?.properties && !schema.properties[field]) throw new FilterError(`Could not find a property named '${field}' on type '${schema.title ?? 'entity'}'`);
    return { field, descending: direction?.toLowerCase() === 'desc' };
  });
  return (a, b) => {
    for (const key of keys) {
      const order = compareValues(a[key.field], b[key.field]);
      if (order !== 0) return key.descending ? -order : order;
    }
    return 0;
  };
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'en', { sensitivity: 'base' });
}
