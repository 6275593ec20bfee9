export { FlowEvaluator, type Evaluation, type EvaluationError, type EvaluatorOptions } from './evaluator.js';
export { locatorFor, type Locate } from './locate.js';
export { LookupError, type LookupHost } from './lookup-host.js';
export { lookupBindings, showValue } from './lookups.js';
export { dropNulls } from './normalise.js';
export { isPlaceholder, PLACEHOLDER_PREFIX, placeholderFor } from './placeholder.js';
