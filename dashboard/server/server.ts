import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleApi, send, type ApiContext } from './api.js';
import { serveAsset } from './assets.js';

export interface DashboardServerOptions extends ApiContext {
  /** The built dashboard (`dashboard/dist`). */
  readonly dist: string;
  /** The built playground, served under /playground/ so a failure opens its mapping at the failing line. */
  readonly playgroundDist?: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
}

export interface RunningDashboard {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/** Serves the dashboard page, its API and the playground. Binds to 127.0.0.1 unless told otherwise. */
export async function startDashboardServer(options: DashboardServerOptions): Promise<RunningDashboard> {
  const cache = new Map<string, Buffer>();
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const answer = async (): Promise<void> => {
      if (url.pathname.startsWith('/api/')) return handleApi(request, response, url, options);
      if (request.method !== 'GET' && request.method !== 'HEAD') return send({ request, response }, 405, { error: 'only GET' });
      if (url.pathname.startsWith('/playground/') && options.playgroundDist) {
        if (serveAsset(request, response, options.playgroundDist, url.pathname.slice('/playground'.length), cache)) return;
      } else if (serveAsset(request, response, options.dist, url.pathname, cache)) return;
      send({ request, response }, 404, { error: `not found: ${url.pathname}` });
    };
    answer().catch((error: unknown) => {
      // The message may come from a database or an API: it is logged here, the page gets a generic answer.
      process.stderr.write(`mapline dashboard: ${request.method} ${url.pathname}: ${error instanceof Error ? error.message : String(error)}\n`);
      if (!response.headersSent) send({ request, response }, 500, { error: 'the dashboard failed to answer; its log says why' });
      else response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}/`,
    server,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
