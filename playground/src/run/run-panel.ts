import type { CompiledFlow, Json } from '../../../compiler/artifact.js';
import type { Range } from '../../../language/range.js';
import { el } from '../ui/dom.js';
import { renderOutcome } from '../ui/run-view.js';

/** One run: the flow as last compiled, the record, and how the editor's texts relate to that compile. */
export interface RunRequest {
  readonly flow: CompiledFlow;
  /** The record, or why there is none (pasted text that is not JSON). */
  readonly record: { readonly value: Json } | { readonly error: string };
  readonly data: Readonly<Record<string, readonly Json[]>>;
  /** The texts the flow was compiled from: its locations are offsets into them. */
  readonly texts: Readonly<Record<string, string>>;
  /** Errors in the newest texts: more than 0 means the flow is an older version than what the editor shows. */
  readonly errors: number;
  /** Which check that version was (the checker's version number), and when it compiled. */
  readonly version: number;
  readonly compiledAt: Date;
}

/**
 * The run output on the right: runs a flow (the runtime's evaluator is loaded on the first run, not with the
 * page) and says plainly when what ran is not what the editor shows. Only the newest run is drawn: in live mode
 * a run that an edit overtook is dropped.
 */
export class RunPanel {
  private latest = 0;
  private lastRun: RunRequest | undefined;
  /** Called after each drawn output (tests and the benchmark time keystroke to output with it). */
  onRendered: (request: RunRequest) => void = () => {};

  constructor(
    private readonly container: HTMLElement,
    /** Highlights a range of the flow's file, when it still means the same place in the editor's text. */
    private readonly highlight: (file: string, range: Range, texts: Readonly<Record<string, string>>) => void,
  ) {}

  nothingToRun(message: string): void {
    this.latest++;
    this.container.replaceChildren(el('p', { 'data-testid': 'nothing-to-run' }, message));
  }

  async run(request: RunRequest): Promise<void> {
    const id = ++this.latest;
    if ('error' in request.record) {
      this.container.replaceChildren(el('p', { class: 'action fail' }, request.record.error));
      return;
    }
    const { runFlow } = await import('./run-flow.js');
    const outcome = await runFlow({ flow: request.flow, record: request.record.value, data: request.data, texts: request.texts });
    if (id !== this.latest) return;
    const file = request.flow.location.file;
    renderOutcome(this.container, outcome, (range) => this.highlight(file, range, request.texts));
    if (request.errors > 0) this.container.prepend(notice(`${errorsNow(request.errors)}, so this ran the last version that compiled (${time(request.compiledAt)}), not the text in the editor. Line numbers below are that version's.`));
    this.lastRun = request;
    this.onRendered(request);
  }

  /** Live mode after an edit that does not compile: the output stays, marked as not being the editor's text. */
  outdated(errors: number): void {
    if (!this.lastRun) return;
    this.latest++; // a run still going belongs to an older text than the one now shown as not compiling
    this.container.querySelector('[data-testid=stale-notice]')?.remove();
    this.container.prepend(notice(`Not updated: ${errorsNow(errors)}. The output below is from the last version that compiled (${time(this.lastRun.compiledAt)}).`));
  }
}

function notice(text: string): HTMLElement {
  return el('p', { class: 'stale', 'data-testid': 'stale-notice' }, text);
}

function errorsNow(errors: number): string {
  return `the mappings have ${errors} error${errors === 1 ? '' : 's'} now (see Problems)`;
}

function time(at: Date): string {
  return at.toLocaleTimeString([], { hour12: false });
}
