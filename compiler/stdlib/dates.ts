import { stringType } from '../types.js';
import type { Builtin } from './builtin.js';

export const dateBuiltins: readonly Builtin[] = [
  {
    name: 'date',
    category: 'dates',
    params: [{ name: 'value', type: 'string' }],
    returns: () => stringType,
    doc: 'The calendar date (`YYYY-MM-DD`, in UTC) of an ISO date or date-time, as accounting APIs want dates.',
    examples: [
      { expr: 'date("2024-01-15T09:58:12Z")', result: '2024-01-15' },
      { expr: 'date("2024-01-15")', result: '2024-01-15' },
    ],
    emit: ([value]) => `$toDate(${value})`,
  },
  {
    name: 'add_days',
    category: 'dates',
    params: [
      { name: 'date', type: 'string' },
      { name: 'days', type: 'number' },
    ],
    returns: () => stringType,
    doc: 'The date `days` days later (earlier when negative), as `YYYY-MM-DD`.',
    examples: [{ expr: 'add_days("2024-01-30", 3)', result: '2024-02-02' }],
    emit: (args) => `$addDays(${args.join(', ')})`,
  },
  {
    name: 'now',
    category: 'dates',
    params: [],
    returns: () => stringType,
    doc: 'The current time as an ISO 8601 UTC date-time (the same value throughout one evaluation).',
    examples: [],
    emit: () => '$now()',
  },
  {
    name: 'today',
    category: 'dates',
    params: [],
    returns: () => stringType,
    doc: "Today's date in UTC as `YYYY-MM-DD`.",
    examples: [],
    emit: () => '$toDate($now())',
  },
];
