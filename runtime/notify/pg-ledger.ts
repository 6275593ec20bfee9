import type pg from 'pg';
import { IntegrationScope, type IntegrationRef } from '../state/pg-scope.js';
import type { NotificationLedger } from './ledger.js';

/** The notification ledger of one integration in the service database (tables `notify_sent`, `notify_flags`). */
export class PgNotificationLedger implements NotificationLedger {
  private readonly scope: IntegrationScope;

  constructor(pool: pg.Pool, integration: IntegrationRef) {
    this.scope = new IntegrationScope(pool, integration);
  }

  async notifiedIds(): Promise<Set<number>> {
    const { rows } = await this.scope.query<{ id: string }>('SELECT quarantine_id AS id FROM mapline.notify_sent WHERE integration_id = $1');
    return new Set(rows.map((r) => Number(r.id)));
  }

  async markNotified(entries: readonly { id: number; flow: string; sourceId: string }[], at: Date): Promise<void> {
    await this.scope.transaction(async (query) => {
      for (const e of entries) {
        await query(
          `INSERT INTO mapline.notify_sent (integration_id, quarantine_id, flow, source_id, sent_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (integration_id, quarantine_id) DO NOTHING`,
          [e.id, e.flow, e.sourceId, at.toISOString()],
        );
      }
    });
  }

  async forgetAllBut(liveQuarantineIds: ReadonlySet<number>): Promise<number> {
    const { rowCount } = await this.scope.query('DELETE FROM mapline.notify_sent WHERE integration_id = $1 AND NOT (quarantine_id = ANY ($2))', [
      [...liveQuarantineIds],
    ]);
    return rowCount ?? 0;
  }

  async flag(name: string): Promise<string | undefined> {
    const { rows } = await this.scope.query<{ value: string }>('SELECT value FROM mapline.notify_flags WHERE integration_id = $1 AND name = $2', [name]);
    return rows[0]?.value;
  }

  async setFlag(name: string, value: string | undefined): Promise<void> {
    if (value === undefined) await this.scope.query('DELETE FROM mapline.notify_flags WHERE integration_id = $1 AND name = $2', [name]);
    else {
      await this.scope.query(
        'INSERT INTO mapline.notify_flags (integration_id, name, value) VALUES ($1, $2, $3) ON CONFLICT (integration_id, name) DO UPDATE SET value = excluded.value',
        [name, value],
      );
    }
  }

  async close(): Promise<void> {
    this.scope.close();
  }
}
