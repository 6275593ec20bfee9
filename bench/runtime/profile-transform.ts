/**
 * Runs only the orders mapping through the runtime's evaluator for a few seconds, for a CPU profile that shows the
 * evaluator and nothing else (no sandbox start-up, no hand-written comparison in the samples that matter):
 *
 *   node --cpu-prof --cpu-prof-dir=tmp/prof --import tsx bench/runtime/profile-transform.ts
 *   node --import tsx bench/runtime/profile-top.ts tmp/prof/<file>.cpuprofile
 */
import { ordersTransform, recordsPerSecond } from './transform.js';

const { orders, viaEvaluator } = await ordersTransform();
const rate = await recordsPerSecond(orders, viaEvaluator(), Number(process.env.MAPLINE_PROFILE_MS ?? 6000));
process.stdout.write(`orders mapping via the evaluator: ${Math.round(rate)} records/s\n`);
