import { anyType, arrayOf, booleanType, numberType, type Type } from '../types.js';
import type { Builtin } from './builtin.js';

function elementOf(type: Type | undefined): Type {
  return type?.kind === 'array' ? type.element : anyType;
}

export const listBuiltins: readonly Builtin[] = [
  {
    name: 'count',
    category: 'lists',
    params: [{ name: 'list', type: 'any' }],
    aggregate: true,
    returns: () => ({ kind: 'number', integer: true }),
    doc: 'How many values the list holds (0 when absent, 1 for a single value).',
    examples: [
      { expr: 'count([3, 5, 8])', result: 3 },
      { expr: 'count([])', result: 0 },
    ],
    emit: ([list]) => `$count(${list})`,
  },
  {
    name: 'sum',
    category: 'lists',
    params: [{ name: 'numbers', type: 'any' }],
    aggregate: true,
    returns: () => numberType,
    doc: 'The sum of a list of numbers, e.g. `sum(orderrows.total_price)`.',
    examples: [{ expr: 'sum([29.95, 4.95])', result: 34.9 }],
    emit: ([list]) => `$sum(${list})`,
  },
  {
    name: 'min',
    category: 'lists',
    params: [{ name: 'numbers', type: 'any' }],
    aggregate: true,
    returns: () => numberType,
    doc: 'The smallest of a list of numbers.',
    examples: [{ expr: 'min([3, 1, 2])', result: 1 }],
    emit: ([list]) => `$min(${list})`,
  },
  {
    name: 'max',
    category: 'lists',
    params: [{ name: 'numbers', type: 'any' }],
    aggregate: true,
    returns: () => numberType,
    doc: 'The largest of a list of numbers.',
    examples: [{ expr: 'max([3, 1, 2])', result: 3 }],
    emit: ([list]) => `$max(${list})`,
  },
  {
    name: 'average',
    category: 'lists',
    params: [{ name: 'numbers', type: 'any' }],
    aggregate: true,
    returns: () => numberType,
    doc: 'The mean of a list of numbers.',
    examples: [{ expr: 'average([2, 4])', result: 3 }],
    emit: ([list]) => `$average(${list})`,
  },
  {
    name: 'first',
    category: 'lists',
    params: [{ name: 'list', type: 'any' }],
    aggregate: true,
    returns: ([list]) => elementOf(list),
    doc: 'The first value of the list, or absent when it is empty.',
    examples: [{ expr: 'first(["a", "b"])', result: 'a' }],
    emit: ([list]) => `$append([], ${list})[0]`,
  },
  {
    name: 'distinct',
    category: 'lists',
    params: [{ name: 'list', type: 'any' }],
    aggregate: true,
    returns: ([list]) => list ?? anyType,
    doc: 'The list without repeated values, in first-seen order.',
    examples: [{ expr: 'distinct([1, 2, 1])', result: [1, 2] }],
    emit: ([list]) => `$distinct(${list})`,
  },
  {
    name: 'sum_by',
    category: 'lists',
    params: [
      { name: 'numbers', type: 'array' },
      { name: 'keys', type: 'array' },
    ],
    aggregate: true,
    returns: () => arrayOf(numberType),
    doc:
      'The sum of the numbers per key, in the order of `distinct(keys)`: the numbers and keys go in pairs, ' +
      'e.g. the goods per VAT rate `sum_by(orderrows.total_price, orderrows.tax)`. Lists of different lengths (a ' +
      'value absent on some element) fail the record.',
    examples: [
      { expr: 'sum_by([59.9, 29.95, 12.5], [9, 21, 9])', result: [72.4, 29.95] },
      { expr: 'sum_by([], [])', result: [] },
    ],
    emit: ([numbers, keys]) => `$sumBy(${numbers}, ${keys})`,
  },
  {
    name: 'exists',
    category: 'values',
    params: [{ name: 'value', type: 'any' }],
    returns: () => booleanType,
    doc: 'Whether the value is present (not absent and not null).',
    examples: [
      { expr: 'exists("x")', result: true },
      { expr: 'exists("")', result: true },
    ],
    emit: ([value]) => `$exists(${value})`,
  },
];
