import type { CompiledArtifact } from '../../compiler/artifact.js';
import type { Completion } from './analysis/completion.js';
import type { Hover } from './analysis/hover.js';
import type { ShownDiagnostic, SourceFile, WorkerRequest, WorkerResponse } from './worker/protocol.js';

export interface CheckResult {
  readonly version: number;
  readonly diagnostics: readonly ShownDiagnostic[];
  readonly artifact: CompiledArtifact | null;
  /** The texts this result is about: the artifact's locations are offsets into them. */
  readonly files: readonly SourceFile[];
}

/** The page's side of the checking worker: fire-and-forget checks, awaited completion and hover questions. */
export class CheckerClient {
  private readonly worker = new Worker(new URL('./worker/check-worker.ts', import.meta.url), { type: 'module' });
  private nextId = 1;
  private version = 0;
  private sent: readonly SourceFile[] = [];
  private latest: CheckResult | undefined;
  private settledWaiters: ((result: CheckResult) => void)[] = [];
  private readonly waiting = new Map<number, (response: WorkerResponse) => void>();
  onChecked: (result: CheckResult) => void = () => {};

  constructor() {
    this.worker.onmessage = (event: MessageEvent<WorkerResponse>) => {
      const response = event.data;
      if (response.type === 'checked') {
        // An answer to an older version than the newest sent is stale: a newer one is on its way.
        if (response.version !== this.version) return;
        const result: CheckResult = { ...response, files: this.sent };
        this.latest = result;
        this.onChecked(result);
        for (const resolve of this.settledWaiters.splice(0)) resolve(result);
        return;
      }
      this.waiting.get(response.id)?.(response);
      this.waiting.delete(response.id);
    };
  }

  check(files: readonly SourceFile[]): void {
    this.sent = files;
    this.send({ type: 'check', version: ++this.version, files });
  }

  /** The result for the newest texts sent: at once when it is in, else when it arrives. */
  settled(): Promise<CheckResult> {
    if (this.latest && this.latest.version === this.version) return Promise.resolve(this.latest);
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  async complete(file: SourceFile, offset: number): Promise<readonly Completion[]> {
    const response = await this.ask({ type: 'complete', id: this.nextId++, file, offset });
    return response.type === 'completions' ? response.items : [];
  }

  async hover(file: SourceFile, offset: number): Promise<Hover | null> {
    const response = await this.ask({ type: 'hover', id: this.nextId++, file, offset });
    return response.type === 'hover' ? response.hover : null;
  }

  private ask(request: Extract<WorkerRequest, { id: number }>): Promise<WorkerResponse> {
    return new Promise((resolve) => {
      this.waiting.set(request.id, resolve);
      this.send(request);
    });
  }

  private send(request: WorkerRequest): void {
    this.worker.postMessage(request);
  }
}
