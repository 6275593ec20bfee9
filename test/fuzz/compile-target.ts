import jsonata from 'jsonata';
import type { CompiledFlow, Fragment } from '../../compiler/artifact.js';
import { compile } from '../../compiler/index.js';
import { connectors } from '../../connectors/registry.js';
import { assertRangesInside, type FuzzTarget } from './targets.js';

/**
 * The invariants of parse + check + emit on any input: no exception escapes, no internal error is reported,
 * every diagnostic points inside the text with a filled-in message, and every emitted JSONata fragment is valid
 * JSONata (the compiler never hands the runtime code that does not parse).
 */
export const compileTarget: FuzzTarget = {
  name: 'compile',
  run(text) {
    const result = compile({ files: [{ name: 'fuzz.map', text }], connectors });
    for (const d of result.diagnostics) {
      if (d.code === 'ML9000' || d.code === 'ML1099') throw new Error(`internal error reported: ${d.message}`);
      if (!d.message || /\{\w+\}/.test(d.message)) throw new Error(`diagnostic ${d.code} has an unfilled message: ${d.message}`);
    }
    assertRangesInside(result.diagnostics, text.length, 'diagnostics');
    for (const flow of result.artifact?.flows ?? []) for (const fragment of fragmentsOf(flow)) parseJsonata(flow, fragment);
  },
};

function fragmentsOf(flow: CompiledFlow): Fragment[] {
  return [
    flow.filter, flow.identify?.value, flow.onExisting.action === 'update' ? flow.onExisting.when : null,
    flow.payload.create, flow.payload.update, flow.writeBack?.payload, flow.writeBack?.when,
  ].filter((f): f is Fragment => f !== null && f !== undefined);
}

function parseJsonata(flow: CompiledFlow, fragment: Fragment): void {
  try {
    jsonata(fragment.jsonata);
  } catch (error) {
    throw new Error(`flow ${flow.name}: emitted JSONata does not parse (${(error as Error).message}):\n${fragment.jsonata}`);
  }
}
