import type { EntityRef, Expr, MapFile, SettingEntry, TableDecl } from '../../language/ast.js';
import type { Range } from '../../language/range.js';
import type { Json } from '../artifact.js';
import { compilerCodes as codes } from '../codes.js';
import { anyType, unify, type Type } from '../types.js';
import { constantValue, settingType } from './constants.js';
import type { CheckedSetting, CheckedTable, TargetEntry } from './context.js';
import type { Reporter } from './reporter.js';

/** Collects a file's settings and tables (file-scoped), reporting duplicates and non-constant values. */
export function collectModule(file: MapFile, reporter: Reporter): { settings: Map<string, CheckedSetting>; tables: Map<string, CheckedTable> } {
  const settings = new Map<string, CheckedSetting>();
  const tables = new Map<string, CheckedTable>();
  for (const item of file.items) {
    if (item.kind === 'Settings') for (const entry of item.entries) addSetting(entry, settings, reporter);
    if (item.kind === 'Table') addTable(item, tables, reporter);
  }
  return { settings, tables };
}

function addSetting(entry: SettingEntry, settings: Map<string, CheckedSetting>, reporter: Reporter): void {
  const existing = settings.get(entry.name.name);
  if (existing) {
    reporter.error(codes.duplicateName, entry.name.range, { what: 'setting', name: entry.name.name, line: reporter.line(existing.range) });
    return;
  }
  const value = constantValue(entry.value);
  if (value === undefined) {
    if (entry.value.kind !== 'ErrorExpr') reporter.error(codes.notConstant, entry.value.range, { what: `setting "${entry.name.name}"` });
    settings.set(entry.name.name, { value: null, type: anyType, range: entry.range, valueRange: entry.value.range });
    return;
  }
  settings.set(entry.name.name, { value, type: settingType(value), range: entry.range, valueRange: entry.value.range });
}

function addTable(table: TableDecl, tables: Map<string, CheckedTable>, reporter: Reporter): void {
  const existing = tables.get(table.name.name);
  if (existing) {
    reporter.error(codes.duplicateName, table.name.range, { what: 'table', name: table.name.name, line: reporter.line(existing.range) });
    return;
  }
  const entries: { key: Json; value: Json }[] = [];
  const keys = new Map<string, Range>();
  let valueType: Type | undefined;
  // A table whose values are `connector.entity` chooses a flow's target (`-> table[settings.name]`).
  const targets = table.entries.length > 0 && table.entries.every((e) => entityValue(e.value) !== undefined) ? [] as TargetEntry[] : undefined;
  for (const entry of table.entries) {
    const key = constantValue(entry.key);
    const ref = targets ? entityValue(entry.value) : undefined;
    const value = ref ? `${ref.connector.name}.${ref.entity.name}` : constantValue(entry.value);
    if (key === undefined) reporter.error(codes.notConstant, entry.key.range, { what: `a key of table "${table.name.name}"` });
    if (value === undefined) reporter.error(codes.notConstant, entry.value.range, { what: `a value of table "${table.name.name}"` });
    if (key === undefined || value === undefined) continue;
    const previous = keys.get(String(key));
    if (previous) {
      reporter.error(codes.duplicateName, entry.key.range, { what: `key of table "${table.name.name}"`, name: String(key), line: reporter.line(previous) });
      continue;
    }
    keys.set(String(key), entry.key.range);
    entries.push({ key, value });
    if (targets && ref) targets.push({ key: String(key), ref, range: entry.key.range });
    valueType = valueType ? unify(valueType, settingType(value)) : settingType(value);
  }
  let fallback: Json | undefined;
  if (table.fallback) {
    fallback = constantValue(table.fallback);
    if (fallback === undefined) reporter.error(codes.notConstant, table.fallback.range, { what: `the else value of table "${table.name.name}"` });
    else valueType = valueType ? unify(valueType, settingType(fallback)) : settingType(fallback);
  }
  tables.set(table.name.name, {
    entries,
    ...(fallback !== undefined ? { fallback } : {}),
    valueType: valueType ?? anyType,
    range: table.range,
    ...(targets ? { targets } : {}),
  });
}

/** `eaccounting.quotes` as a table value: an entity, written like a member access of a bare name. */
function entityValue(expr: Expr): EntityRef | undefined {
  if (expr.kind !== 'Member' || expr.object.kind !== 'Name') return undefined;
  const connector = { kind: 'Ident' as const, name: expr.object.name, range: expr.object.range };
  return { kind: 'EntityRef', connector, entity: expr.property, range: expr.range };
}
