/**
 * The JavaScript side of the standard library: functions the emitted JSONata calls that JSONata itself does
 * not have (or has with other semantics). The runtime and the playground bind them, with `$settings`,
 * `$tables` and the lookup functions, when they evaluate a compiled flow. Pure: runs in Node and the browser.
 */
import type { TableSpec } from '../artifact.js';

/** Rounds half away from zero (money: 100.445 -> 100.45), unlike JSONata's `$round` (half to even). */
export function roundHalfUp(value: number | undefined, decimals?: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  const places = decimals ?? 0;
  const factor = 10 ** places;
  // Work on the decimal string so binary representation (1.005 stored as 1.00499...) does not round down.
  const shifted = Number(`${Math.abs(value)}e${places}`);
  const rounded = Math.round(shifted) / factor;
  const result = Math.sign(value) * (Number.isFinite(rounded) ? rounded : Math.round(Math.abs(value) * factor) / factor);
  return Object.is(result, -0) ? 0 : result;
}

/** `YYYY-MM-DD` of an ISO date or date-time (UTC), as the accounting API wants dates. */
export function toDate(value: string | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value);
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
  const millis = Date.parse(text);
  if (Number.isNaN(millis)) throw new Error(`date(): "${text}" is not a date`);
  return new Date(millis).toISOString().slice(0, 10);
}

export function addDays(value: string | undefined, days: number): string | undefined {
  const date = toDate(value);
  if (date === undefined) return undefined;
  const millis = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(millis).toISOString().slice(0, 10);
}

/** A list argument as JSONata passes it: a path through one element arrives as that element, absent as absent. */
function listOf(value: unknown): unknown[] | undefined {
  if (value === undefined || value === null) return undefined;
  return Array.isArray(value) ? value : [value];
}

/**
 * `allocate(amount, weights, decimals)`: the amount in parts proportional to the weights, each rounded to
 * `decimals` places, that sum exactly to the amount (largest remainder: the units lost by rounding down go, one
 * each, to the parts that lost the most; on a tie the earlier part). All-zero weights split the amount evenly.
 */
export function allocate(amount: number | undefined, weights: unknown, decimals?: number): number[] | undefined {
  const list = listOf(weights);
  if (amount === undefined || amount === null || list === undefined) return undefined;
  list.forEach((weight, i) => {
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
      throw new Error(`allocate(): weight ${i + 1} is ${JSON.stringify(weight)}; every weight must be a number of 0 or more`);
    }
  });
  const places = decimals ?? 2;
  const factor = 10 ** places;
  const units = Math.round(roundHalfUp(Math.abs(amount), places)! * factor);
  if (list.length === 0) {
    if (units === 0) return [];
    throw new Error(`allocate(): there are no weights to split ${amount} over`);
  }
  const numbers = list as number[];
  const total = numbers.reduce((sum, weight) => sum + weight, 0);
  const shares = numbers.map((weight) => (total > 0 ? (units * weight) / total : units / numbers.length));
  // The small allowance keeps a share that is whole but computed as 249.99999999997 from losing a unit.
  const parts = shares.map((share) => Math.floor(share + 1e-9));
  const byLoss = shares.map((share, i) => ({ i, loss: share - parts[i]! })).sort((a, b) => b.loss - a.loss || a.i - b.i);
  for (let left = units - parts.reduce((sum, part) => sum + part, 0), k = 0; left > 0; left--, k++) parts[byLoss[k % byLoss.length]!.i]! += 1;
  const sign = amount < 0 ? -1 : 1;
  return parts.map((part) => (part === 0 ? 0 : (sign * part) / factor));
}

/** `sum_by(numbers, keys)`: the sum of the numbers of each key, in the order of `distinct(keys)`. */
export function sumBy(numbers: unknown, keys: unknown): number[] | undefined {
  const values = listOf(numbers);
  const groups = listOf(keys);
  if (values === undefined || groups === undefined) return undefined;
  if (values.length !== groups.length) {
    throw new Error(`sum_by(): ${values.length} numbers but ${groups.length} keys; every number needs its key (is a value absent?)`);
  }
  const sums = new Map<string, number>();
  values.forEach((value, i) => {
    if (typeof value !== 'number') throw new Error(`sum_by(): value ${i + 1} is ${JSON.stringify(value)}, not a number`);
    const key = JSON.stringify(groups[i]);
    sums.set(key, (sums.get(key) ?? 0) + value);
  });
  // 15 significant digits drop binary noise (29.95 + 4.95 = 34.900000000000006) that would tip a tie in allocate().
  return [...sums.values()].map((sum) => Number(sum.toPrecision(15)));
}

const tableIndexes = new WeakMap<TableSpec, Map<string, unknown>>();

/** `table[key]`: the value for the key, else the table's `else`, else absent. Keys compare as strings. */
export function tableValue(table: TableSpec | undefined, key: unknown): unknown {
  if (!table) return undefined;
  let index = tableIndexes.get(table);
  if (!index) {
    index = new Map(table.entries.map((entry) => [String(entry.key), entry.value]));
    tableIndexes.set(table, index);
  }
  if (key !== undefined && key !== null && index.has(String(key))) return index.get(String(key));
  return table.fallback;
}

/**
 * `each xs as x at i { ... }`: the body (a JSONata function of the element and its index) for every element, in
 * order, always as an array (absent is none, a single value is one). Not JSONata's `$map`: an error in the body
 * that passes through `$map` is given the position of the `$map` call, so it would point at the `each` line; a
 * plain function leaves the position of the failing expression inside the body alone.
 */
export async function eachOf(list: unknown, body: (item: unknown, index: number) => Promise<unknown>): Promise<unknown[]> {
  const items = list === undefined ? [] : Array.isArray(list) ? list : [list];
  const out: unknown[] = [];
  for (let i = 0; i < items.length; i++) {
    const value = await body(items[i], i);
    if (value !== undefined) out.push(value);
  }
  return out;
}

/** Everything the emitted JSONata may call besides JSONata's own functions, by binding name. */
export const stdlibBindings: Readonly<Record<string, (...args: never[]) => unknown>> = {
  roundHalfUp,
  allocate,
  sumBy,
  toDate,
  addDays,
  tableValue,
  eachOf,
};
