import type { RawConfig } from '../integration-config.js';

/** Minutes between scheduled runs of a flow when the config says nothing (`schedule.everyMinutes`). */
export const DEFAULT_EVERY_MINUTES = 15;

/** How often a flow of an integration runs on schedule, in minutes, from its stored config's `schedule`. */
export function everyMinutesOf(config: RawConfig, flow: string): number {
  const schedule = config.schedule as { everyMinutes?: unknown; flows?: Record<string, unknown> } | undefined;
  const perFlow = schedule?.flows?.[flow];
  if (typeof perFlow === 'number' && perFlow > 0) return perFlow;
  const every = schedule?.everyMinutes;
  return typeof every === 'number' && every > 0 ? every : DEFAULT_EVERY_MINUTES;
}
