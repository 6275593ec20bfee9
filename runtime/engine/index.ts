export { adaptClient } from './client-adapter.js';
export { runFlow, type FlowRunOptions } from './flow-runner.js';
export { isOutcomeUnknown, type ConnectorClient } from './ports.js';
export { defaultSettings, runFlows, totalSummary, type RunOptions, type RunResult } from './run.js';
export type { FlowResult, FlowSummary, RecordAction, RecordOutcome, UpsertOutcome } from './types.js';
