export { watchLoop, type WatchLoopOptions } from './loop.js';
export { createWatchCycle, type CycleReport, type WatchCycleOptions } from './cycle.js';
export { parseDuration } from './duration.js';
