/**
 * Runs only the orders mapping through the runtime's evaluator for a few seconds, for a CPU profile that shows the
 * evaluator and nothing else (no sandbox start-up, no hand-written comparison in the samples that matter):
 *
 *   MAPLINE_EVALUATOR=jsonata node --cpu-prof --cpu-prof-dir=tmp/prof --import tsx bench/runtime/profile-transform.ts
 *   node --import tsx bench/runtime/profile-top.ts tmp/prof/<file>.cpuprofile
 */
import { BACKENDS, type Backend } from '../../runtime/evaluate/evaluator.js';
import { ordersTransform, recordsPerSecond } from './transform.js';

const backend = (process.env.MAPLINE_EVALUATOR ?? 'auto') as Backend;
if (!BACKENDS.includes(backend)) throw new Error(`MAPLINE_EVALUATOR must be one of ${BACKENDS.join(', ')}`);
const { orders, viaEvaluator } = await ordersTransform();
const rate = await recordsPerSecond(orders, viaEvaluator({ backend }), Number(process.env.MAPLINE_PROFILE_MS ?? 6000));
process.stdout.write(`orders mapping via the evaluator (${backend}): ${Math.round(rate)} records/s\n`);
