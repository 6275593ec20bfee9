import { readFileSync } from 'node:fs';
import type { EntityRecords, SandboxRecord } from './store.js';

/**
 * A `--data FILE`: records keyed by connector, then entity, in the APIs' own read shapes:
 * `{"ccvshop": {"products": [{...}]}, "eaccounting": {"customers": [{...}]}}`. Records are stored as given;
 * a record without an id gets one.
 */
export type SandboxData = Record<string, EntityRecords>;

export class DataFileError extends Error {}

export function loadDataFile(path: string): SandboxData {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new DataFileError(`${path}: cannot read the data file (${error instanceof Error ? error.message : String(error)})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new DataFileError(`${path}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  return checkData(parsed, path);
}

/** Checks the shape `{connector: {entity: [object...]}}`; errors name the place. */
export function checkData(value: unknown, source = 'data'): SandboxData {
  if (!isObject(value)) throw new DataFileError(`${source}: the top level must be an object keyed by connector (ccvshop, eaccounting)`);
  for (const [connector, entities] of Object.entries(value)) {
    if (!['ccvshop', 'eaccounting'].includes(connector)) throw new DataFileError(`${source}: unknown connector '${connector}' (expected ccvshop or eaccounting)`);
    if (!isObject(entities)) throw new DataFileError(`${source}: ${connector} must be an object keyed by entity`);
    for (const [entity, records] of Object.entries(entities)) {
      if (!Array.isArray(records)) throw new DataFileError(`${source}: ${connector}.${entity} must be an array of records`);
      records.forEach((record, index) => {
        if (!isObject(record)) throw new DataFileError(`${source}: ${connector}.${entity}[${index}] must be an object`);
      });
    }
  }
  return value as SandboxData;
}

/**
 * Data-file records replace seeded ones with the same id and are appended otherwise; `assignId` gives an id
 * to a record that has none.
 */
export function mergeRecords(
  base: EntityRecords,
  extra: EntityRecords,
  idField: (entity: string) => string,
  assignId: (entity: string, records: readonly SandboxRecord[]) => string | number,
): EntityRecords {
  const out: EntityRecords = { ...base };
  for (const [entity, records] of Object.entries(extra)) {
    const field = idField(entity);
    const byId = new Map((out[entity] ?? []).map((record) => [String(record[field]), record]));
    for (const given of records) {
      const record = given[field] === undefined || given[field] === null ? { [field]: assignId(entity, [...byId.values()]), ...given } : given;
      byId.set(String(record[field]), record);
    }
    out[entity] = [...byId.values()];
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
