/** The service's job queue (pg-boss): what the worker, the CLI and the dashboard's job view use. */
export { JobQueue, JOB_DEFAULTS, type JobQueueOptions } from './job-queue.js';
export type { QueuedJob } from './list-jobs.js';
export { flowKey, type RunJob, type RunReason } from './names.js';
export { nextRunFromJobs } from './next-run.js';
export { DEFAULT_EVERY_MINUTES, everyMinutesOf } from './schedule-of.js';
