import type { SandboxControl } from '../../connectors/sandbox/control.js';
import type { SandboxRecord } from '../../connectors/sandbox/store.js';

/**
 * The records of `entity` created through the API since the sandbox started (or was reset): what the flows
 * booked, without the documents the eAccounting sandbox is seeded with.
 */
export function createdRecords(control: SandboxControl, entity: string): SandboxRecord[] {
  return control.created().filter((created) => created.entity === entity).map((created) => created.record);
}
