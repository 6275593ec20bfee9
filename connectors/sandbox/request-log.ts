/** One line of the request log. Headers and bodies are never kept (they carry credentials). */
export interface RequestLogEntry {
  readonly seq: number;
  /** Sandbox-clock time the request arrived. */
  readonly at: string;
  readonly method: string;
  /** Path and query as sent. */
  readonly url: string;
  /** The matched route pattern (e.g. `/v2/customers/{id}`), or null for an unknown path. */
  readonly route: string | null;
  /** Status answered, or null when the socket was destroyed without an answer. */
  readonly status: number | null;
  readonly fault?: string;
}

/** Keeps the most recent requests plus counts over every request since the last reset. */
export class RequestLog {
  private readonly recent: RequestLogEntry[] = [];
  private readonly byPath = new Map<string, number>();
  private readonly byRoute = new Map<string, number>();
  private seq = 0;

  constructor(private readonly capacity = 5000) {}

  record(entry: Omit<RequestLogEntry, 'seq'>): RequestLogEntry {
    const full = { seq: ++this.seq, ...entry };
    this.recent.push(full);
    if (this.recent.length > this.capacity) this.recent.shift();
    const path = entry.url.split('?')[0] ?? entry.url;
    increment(this.byPath, `${entry.method} ${path}`);
    if (entry.route) increment(this.byRoute, `${entry.method} ${entry.route}`);
    return full;
  }

  entries(limit?: number): RequestLogEntry[] {
    return limit === undefined ? [...this.recent] : this.recent.slice(-limit);
  }

  /** Requests per `METHOD /path` (no query). */
  countsByPath(): Record<string, number> {
    return Object.fromEntries(this.byPath);
  }

  /** Requests per `METHOD /route/{pattern}`. */
  countsByRoute(): Record<string, number> {
    return Object.fromEntries(this.byRoute);
  }

  get total(): number {
    return this.seq;
  }

  clear(): void {
    this.recent.length = 0;
    this.byPath.clear();
    this.byRoute.clear();
    this.seq = 0;
  }
}

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
