import type { MaplineDatabase } from '../../runtime/service/database.js';
import { IntegrationRegistry, type Integration } from '../../runtime/service/registry.js';
import { runIntegration } from '../../runtime/service/run-integration.js';
import { PgStateStore } from '../../runtime/state/pg-store.js';
import type { StateStore } from '../../runtime/state/store.js';
import { DashboardError, type DashboardBackend, type DashboardIntegration, type DashboardRunReport, type DashboardRunRequest } from './backend.js';
import { dashboardReport } from './run-report.js';

/** Service mode: every integration of the PostgreSQL service database, each read through its own bound store. */
export class ServiceBackend implements DashboardBackend {
  readonly mode = 'service' as const;
  private readonly registry: IntegrationRegistry;

  constructor(
    readonly db: MaplineDatabase,
    private readonly env: Readonly<Record<string, string | undefined>> = process.env,
  ) {
    this.registry = new IntegrationRegistry(db);
  }

  async list(): Promise<DashboardIntegration[]> {
    return (await this.registry.list()).map(summary);
  }

  async get(name: string): Promise<DashboardIntegration | undefined> {
    const found = await this.registry.get(name);
    return found && summary(found);
  }

  async openStore(name: string): Promise<StateStore> {
    // No secret key: the dashboard never opens tokens, and a store without one refuses to.
    return PgStateStore.open(this.db.pool, await this.require(name));
  }

  async mapText(name: string, file: string): Promise<string | undefined> {
    return (await this.registry.maps(await this.require(name))).find((m) => m.file === file)?.text;
  }

  async run(name: string, request: DashboardRunRequest): Promise<DashboardRunReport> {
    const report = await runIntegration(this.db, {
      name,
      ...(request.flows ? { flows: request.flows } : {}),
      retryFailed: request.retryFailed ?? false,
      ...(request.retryOnly ? { retryOnly: request.retryOnly } : {}),
      env: this.env,
    });
    return dashboardReport(report.outcome, report.failure);
  }

  async setState(name: string, state: 'active' | 'paused'): Promise<void> {
    await this.require(name);
    await this.registry.setState(name, state);
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  private async require(name: string): Promise<Integration> {
    const found = await this.registry.get(name);
    if (!found) throw new DashboardError(404, `no integration named ${name}`);
    return found;
  }
}

function summary(integration: Integration): DashboardIntegration {
  return { name: integration.name, id: integration.id, state: integration.state, flows: integration.flows };
}
