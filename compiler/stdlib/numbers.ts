import { arrayOf, numberType } from '../types.js';
import type { Builtin } from './builtin.js';

export const numberBuiltins: readonly Builtin[] = [
  {
    name: 'round',
    category: 'numbers',
    params: [
      { name: 'value', type: 'number' },
      { name: 'decimals', type: 'number' },
    ],
    optional: 1,
    returns: () => numberType,
    doc: 'The number rounded to `decimals` places (default 0), halves away from zero as accountants round (2.345 -> 2.35), not to even.',
    examples: [
      { expr: 'round(2.345, 2)', result: 2.35 },
      { expr: 'round(100.5)', result: 101 },
      { expr: 'round(-1.005, 2)', result: -1.01 },
    ],
    emit: (args) => `$roundHalfUp(${args.join(', ')})`,
  },
  {
    name: 'floor',
    category: 'numbers',
    params: [{ name: 'value', type: 'number' }],
    returns: () => ({ kind: 'number', integer: true }),
    doc: 'The largest whole number not above the value.',
    examples: [{ expr: 'floor(3.7)', result: 3 }],
    emit: ([value]) => `$floor(${value})`,
  },
  {
    name: 'ceil',
    category: 'numbers',
    params: [{ name: 'value', type: 'number' }],
    returns: () => ({ kind: 'number', integer: true }),
    doc: 'The smallest whole number not below the value.',
    examples: [{ expr: 'ceil(3.2)', result: 4 }],
    emit: ([value]) => `$ceil(${value})`,
  },
  {
    name: 'abs',
    category: 'numbers',
    params: [{ name: 'value', type: 'number' }],
    returns: () => numberType,
    doc: 'The value without its sign.',
    examples: [{ expr: 'abs(-4.95)', result: 4.95 }],
    emit: ([value]) => `$abs(${value})`,
  },
  {
    name: 'number',
    category: 'numbers',
    params: [{ name: 'value', type: 'any' }],
    returns: () => numberType,
    doc: 'The value as a number (a numeric string such as "12.50" becomes 12.5); a record fails with a clear error.',
    examples: [{ expr: 'number("12.50")', result: 12.5 }],
    emit: ([value]) => `$number(${value})`,
  },
  {
    name: 'allocate',
    category: 'numbers',
    params: [
      { name: 'amount', type: 'number' },
      { name: 'weights', type: 'array' },
      { name: 'decimals', type: 'number' },
    ],
    optional: 1,
    aggregate: true,
    returns: () => arrayOf(numberType),
    doc:
      'The amount split over the weights in proportion, each part rounded to `decimals` places (default 2, cents), ' +
      'the parts summing exactly to the amount: the cents lost by rounding go one each to the parts that lost the ' +
      'most (the earlier part on a tie). E.g. a coupon over the goods per VAT rate: ' +
      '`allocate(total_discounts, sum_by(orderrows.total_price, orderrows.tax))`. All-zero weights split evenly; ' +
      'a negative weight fails the record.',
    examples: [
      { expr: 'allocate(5, [59.9, 30])', result: [3.33, 1.67] },
      { expr: 'allocate(10, [1, 1, 1])', result: [3.34, 3.33, 3.33] },
      { expr: 'allocate(-0.05, [1, 1])', result: [-0.03, -0.02] },
      { expr: 'allocate(1, [0, 0], 0)', result: [1, 0] },
    ],
    emit: (args) => `$allocate(${args.join(', ')})`,
  },
];
