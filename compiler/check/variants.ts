import type { EntityRef, FlowDecl, ForBlock, Node } from '../../language/ast.js';
import type { Diagnostic } from '../../language/diagnostic.js';
import { compilerCodes as codes } from '../codes.js';
import { didYouMean, replaceWith, suggest } from '../suggest.js';
import type { ModuleContext } from './context.js';

/** The setting that chooses a flow's target, and the key of the table entry one variant stands for. */
export interface VariantOf {
  /** The flow's own name (`flow orders: ...`), which names the whole set of variants. */
  readonly family: string;
  readonly setting: string;
  readonly value: string;
  /** Every key of the table: the values the setting may take. */
  readonly values: readonly string[];
}

/** One way to read a flow: a fixed target, and the statements of the `for` blocks that name its key. */
export interface FlowVariant {
  readonly decl: FlowDecl & { readonly target: EntityRef };
  readonly variant?: VariantOf;
}

/**
 * A flow as the checker reads it. A flow with a fixed target is one variant. A flow whose target a setting
 * chooses (`-> documents[settings.document]`) is one variant per key of the table, each named after its key, with
 * the target the table gives for it and only the `for` blocks that name that key: so every rule is checked
 * against every target it can be written to. Problems with the table, the setting or a `for` value are reported
 * here; no variant is returned when the choice itself cannot be read.
 */
export function variantsOf(flow: FlowDecl, module: ModuleContext): FlowVariant[] {
  const { reporter } = module;
  const target = flow.target;
  const fors = forBlocks(flow.body);
  if (target.kind === 'EntityRef') {
    for (const block of fors) reporter.error(codes.forWithoutChoice, block.range, { owner: `${target.connector.name}.${target.entity.name}` });
    return [{ decl: fors.length === 0 ? { ...flow, target } : { ...flow, target, body: selectFor(flow.body, undefined) } }];
  }
  const table = module.tables.get(target.table.name);
  if (!table) {
    const guess = didYouMean(target.table.name, module.tables.keys(), target.table.range);
    reporter.error(codes.unknownTable, target.table.range, { name: target.table.name, suggestion: guess.suggestion }, guess.fixes);
    return [];
  }
  if (!table.targets) {
    reporter.error(codes.choiceTable, target.table.range, { name: target.table.name, flow: flow.name.name });
    return [];
  }
  const keys = table.targets.map((t) => t.key);
  const keyList = keys.map((k) => JSON.stringify(k)).join(', ');
  const setting = module.settings.get(target.setting.name);
  if (!setting) {
    const guess = didYouMean(target.setting.name, module.settings.keys(), target.setting.range);
    reporter.error(codes.unknownSetting, target.setting.range, { name: target.setting.name, suggestion: guess.suggestion }, guess.fixes);
    return [];
  }
  if (typeof setting.value !== 'string' || !keys.includes(setting.value)) {
    const suggestion = suggest(String(setting.value), keys);
    const fixes = suggestion === undefined ? [] : [replaceWith(setting.valueRange, JSON.stringify(suggestion))];
    reporter.error(codes.choiceSetting, setting.valueRange, { name: target.setting.name, flow: flow.name.name, table: target.table.name, keys: keyList, suggestion }, fixes);
    return [];
  }
  let readable = true;
  for (const block of fors) {
    for (const value of block.values) {
      if (keys.includes(value.value)) continue;
      const suggestion = suggest(value.value, keys);
      const fixes = suggestion === undefined ? [] : [replaceWith(value.range, JSON.stringify(suggestion))];
      reporter.error(codes.unknownChoice, value.range, { name: value.value, table: target.table.name, keys: keyList, suggestion }, fixes);
      readable = false;
    }
  }
  if (!readable) return [];
  return table.targets.map((entry) => ({
    decl: { ...flow, name: { ...flow.name, name: entry.key }, target: entry.ref, body: selectFor(flow.body, entry.key) },
    variant: { family: flow.name.name, setting: target.setting.name, value: entry.key, values: keys },
  }));
}

/**
 * The diagnostics of all variants of one flow, each once. A diagnostic that only some variants give (a field
 * the quote has but the order has not) says for which values of the setting it holds, at the line of the rule.
 */
export function mergeVariantDiagnostics(perVariant: readonly { readonly variant?: VariantOf; readonly diagnostics: readonly Diagnostic[] }[]): Diagnostic[] {
  const byKey = new Map<string, { diagnostic: Diagnostic; values: string[] }>();
  for (const { variant, diagnostics } of perVariant) {
    for (const diagnostic of diagnostics) {
      const key = `${diagnostic.code}|${diagnostic.range.start}|${diagnostic.range.end}|${diagnostic.message}`;
      const entry = byKey.get(key) ?? { diagnostic, values: [] };
      if (variant) entry.values.push(variant.value);
      byKey.set(key, entry);
    }
  }
  const setting = perVariant[0]?.variant?.setting;
  return [...byKey.values()].map(({ diagnostic, values }) =>
    setting === undefined || values.length === perVariant.length
      ? diagnostic
      : { ...diagnostic, message: `${diagnostic.message} (when ${setting} is ${values.map((v) => JSON.stringify(v)).join(' or ')})` },
  );
}

/** Every `for` block in a flow body, nested ones included. */
function forBlocks(root: unknown): ForBlock[] {
  const out: ForBlock[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!isNode(value)) return;
    if (value.kind === 'For') out.push(value as ForBlock);
    for (const child of Object.values(value)) if (typeof child === 'object' && child !== null) visit(child);
  };
  visit(root);
  return out;
}

/**
 * A copy of `value` in which every `for` block is replaced by its statements when it names `key`, and left out
 * otherwise (always, for `key` undefined). Nodes keep their ranges, so diagnostics and the source map point at
 * the text as written.
 */
function selectFor<T>(value: T, key: string | undefined): T {
  if (Array.isArray(value)) {
    return value.flatMap((item: unknown) => {
      if (!isNode(item) || item.kind !== 'For') return [selectFor(item, key)];
      const block = item as ForBlock;
      return key !== undefined && block.values.some((v) => v.value === key) ? selectFor([...block.body], key) : [];
    }) as T;
  }
  if (!isNode(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [field, child] of Object.entries(value)) copy[field] = typeof child === 'object' && child !== null ? selectFor(child, key) : child;
  return copy as T;
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as Node).kind === 'string';
}
