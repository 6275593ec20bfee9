/**
 * Counts the calls that went on the wire (every attempt, retries included: that is what rate limits and the
 * "few calls" goal care about), per connector, endpoint template and method. One counter may be shared by
 * several clients so the runtime can print a single table.
 */
export interface CallCount {
  readonly connector: string;
  /** Path template, e.g. `/v2/customers/{id}`, or `token` for the identity server. */
  readonly endpoint: string;
  readonly method: string;
  readonly count: number;
}

export class CallCounter {
  readonly #counts = new Map<string, CallCount>();

  record(connector: string, endpoint: string, method: string): void {
    const key = `${connector} ${method} ${endpoint}`;
    const previous = this.#counts.get(key);
    this.#counts.set(key, { connector, endpoint, method, count: (previous?.count ?? 0) + 1 });
  }

  /** Sorted by connector, endpoint, method. */
  snapshot(): CallCount[] {
    return [...this.#counts.values()].sort(
      (a, b) =>
        a.connector.localeCompare(b.connector) || a.endpoint.localeCompare(b.endpoint) || a.method.localeCompare(b.method),
    );
  }

  total(connector?: string): number {
    let sum = 0;
    for (const entry of this.#counts.values()) if (connector === undefined || entry.connector === connector) sum += entry.count;
    return sum;
  }
}
