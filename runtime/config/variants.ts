import type { CompiledArtifact, CompiledFlow, Json } from '../../compiler/artifact.js';

/**
 * A flow whose target a setting chooses (`flow orders: ... -> documents[settings.document]`) compiles to one flow
 * per value of the setting, named after the value (`orders`, `quotes`...), each marked with its `variant`. Only
 * the variant the setting's value picks runs; the others are the same process for another document type.
 */
export function isActive(flow: CompiledFlow, settings: Readonly<Record<string, Json>>): boolean {
  return flow.variant === undefined || settings[flow.variant.setting] === flow.variant.value;
}

/**
 * The flow a name given by the user (CLI, config, mapping test) stands for under the settings: a flow of that name
 * that may run, or the running variant of the flow written under that name. An error says which setting to change.
 */
export function resolveFlowName(
  artifact: CompiledArtifact,
  name: string,
  settingsOf: (flow: CompiledFlow) => Readonly<Record<string, Json>>,
): { readonly flow: CompiledFlow } | { readonly error: string } | undefined {
  const named = artifact.flows.find((f) => f.name === name);
  if (named && isActive(named, settingsOf(named))) return { flow: named };
  // The name written in the file (`flow orders: ... -> documents[settings.document]`) stands for the running variant.
  const active = artifact.flows.find((f) => f.variant?.family === name && isActive(f, settingsOf(f)));
  if (active) return { flow: active };
  if (!named) return undefined;
  const { setting, value } = named.variant!;
  const actual = settingsOf(named)[setting];
  return { error: `flow "${name}" runs only when the setting ${setting} is ${JSON.stringify(value)}, and it is ${JSON.stringify(actual ?? null)} (set "settings": { "${setting}": ${JSON.stringify(value)} } for ${named.location.file})` };
}
