import type pg from 'pg';
import { inTransaction } from './pg-transaction.js';

/** The integration a store is bound to: its id keys every row, its name is for messages. */
export interface IntegrationRef {
  readonly id: string;
  readonly name: string;
}

/** Runs one statement bound to the scope's integration (its id is `$1`; the caller's parameters follow). */
export type ScopedQuery = <R extends pg.QueryResultRow>(sql: string, params?: readonly unknown[]) => Promise<pg.QueryResult<R>>;

/**
 * Statements of one integration: the tenancy guard every PostgreSQL state object (store, notification ledger)
 * runs its SQL through. Each statement must name `integration_id` and use `$1`, which is always this integration's
 * id, so a statement that forgot the filter fails at once instead of reading another integration's rows.
 */
export class IntegrationScope {
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    readonly integration: IntegrationRef,
  ) {}

  readonly query: ScopedQuery = (sql, params = []) => this.run(this.pool, sql, params);

  /** One transaction on one connection, its statements bound like all others. */
  transaction<T>(work: (query: ScopedQuery) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, (client) => work((sql, params = []) => this.run(client, sql, params)));
  }

  close(): void {
    this.closed = true;
  }

  private async run<R extends pg.QueryResultRow>(on: pg.Pool | pg.PoolClient, sql: string, params: readonly unknown[]): Promise<pg.QueryResult<R>> {
    if (this.closed) throw new Error(`the state of integration ${this.integration.name} was closed`);
    if (!/\bintegration_id\b/.test(sql) || !/\$1(?!\d)/.test(sql)) throw new Error(`statement not bound to the integration: ${sql}`);
    return on.query<R>(sql, [this.integration.id, ...params.map(textSafe)]);
  }
}

/**
 * PostgreSQL text cannot hold U+0000 (SQLite can): a NUL in a record id or a reason (bad shop data) becomes
 * U+2400 (the visible "symbol for null") on the way in, the same way on every write and lookup, instead of failing
 * the statement. JSON documents are unaffected: JSON.stringify writes a NUL as the escape `\u0000`.
 */
function textSafe(value: unknown): unknown {
  return typeof value === 'string' && value.includes('\0') ? value.replaceAll('\0', '\u2400') : value;
}
