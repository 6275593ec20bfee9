/** Exit code after a stop by signal (128 + SIGINT), as shells report an interrupted command. */
export const STOPPED_EXIT_CODE = 130;

/** What a user reads when a run stops early: what is safe, and what the next run does. */
export const STOPPED_SAFE =
  'Nothing is lost: every record written so far is recorded in the state file, and the next `mapline run` continues where this one stopped (it reads the rest again and creates nothing twice).';

/**
 * Ctrl-C (or SIGTERM) during a one-shot `mapline run`: the first asks the run to stop after the record in
 * progress; a second stops at once, which is safe too (a create in flight is recorded as an intent before it is
 * sent, and the next run settles it by its key). Either way the user is told so.
 */
export function stopOnSignals(command: string): { readonly signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const stop = (name: string): void => {
    if (controller.signal.aborted) {
      process.stderr.write(`${command}: ${name === 'SIGINT' ? 'Ctrl-C' : name} again: stopped at once. Nothing is lost: a write in flight is settled by its key on the next \`mapline run\`, which creates nothing twice.\n`);
      process.exit(STOPPED_EXIT_CODE);
    }
    const what = name === 'SIGINT' ? 'Ctrl-C' : name;
    process.stderr.write(`${command}: ${what}: stopping after the record in progress (${what} again stops at once)\n`);
    controller.abort(what);
  };
  const onInt = (): void => stop('SIGINT');
  const onTerm = (): void => stop('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}
