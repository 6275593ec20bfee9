import type { RunResult } from '../../runtime/engine/index.js';
import { syncOnce, type SyncRequest } from '../../runtime/sync.js';

/** `syncOnce` for tests whose mappings must compile: the run's result, or an error listing the diagnostics. */
export async function syncResult(request: SyncRequest): Promise<RunResult> {
  const outcome = await syncOnce(request);
  if (outcome.kind !== 'ran') throw new Error(`compile errors: ${JSON.stringify(outcome.diagnostics)}`);
  return outcome.result;
}
