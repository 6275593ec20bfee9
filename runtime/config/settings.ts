import type { CompiledFlow, Json, SettingSpec } from '../../compiler/artifact.js';
import type { Locate } from '../evaluate/locate.js';

/** The type name a config value has, in the artifact's `SettingSpec['type']` words. */
export function typeOfValue(value: Json): SettingSpec['type'] {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as 'string' | 'number' | 'boolean' | 'object';
}

/**
 * The settings a flow runs with: its defaults, overridden by the config. An override must have the type of the
 * setting's default (a `null` default accepts anything); an unknown name is an error too, so a typo in the
 * config does not silently leave the default in force.
 */
export function applySettingOverrides(
  flow: CompiledFlow,
  overrides: Readonly<Record<string, Json>>,
  locate: Locate,
  configPath: string,
): { settings: Record<string, Json>; errors: string[] } {
  const settings: Record<string, Json> = {};
  for (const [name, spec] of Object.entries(flow.settings)) settings[name] = spec.value;
  const errors: string[] = [];
  for (const [name, value] of Object.entries(overrides)) {
    const spec = Object.hasOwn(flow.settings, name) ? flow.settings[name] : undefined;
    if (!spec) {
      const known = Object.keys(flow.settings);
      errors.push(`${configPath}: setting "${name}" does not exist in ${flow.location.file}${known.length ? ` (its settings: ${known.join(', ')})` : ''}`);
      continue;
    }
    const actual = typeOfValue(value);
    if (spec.type !== 'null' && actual !== spec.type) {
      errors.push(`${configPath}: setting "${name}" must be a ${spec.type} like its default at ${locate(spec.location)}, not a ${actual}`);
      continue;
    }
    if (spec.values && !spec.values.includes(value as string)) {
      errors.push(`${configPath}: setting "${name}" must be one of ${spec.values.map((v) => JSON.stringify(v)).join(', ')} (it chooses what ${flow.variant?.family ?? flow.name} in ${flow.location.file} writes), not ${JSON.stringify(value)}`);
      continue;
    }
    settings[name] = value;
  }
  return { settings, errors };
}
