import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SandboxApp } from './app.js';
import { CONTROL_PREFIX, SandboxControl, controlRouter } from './control.js';
import { jsonResponse, type SandboxRequest, type SandboxResponse } from './http-types.js';
import type { SandboxServices } from './services.js';

export interface ListenOptions {
  /** Defaults to 127.0.0.1: the sandboxes are for this machine only. */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
}

export interface RunningSandbox {
  readonly name: string;
  /** `http://127.0.0.1:PORT`, the bound address. */
  readonly url: string;
  readonly port: number;
  readonly control: SandboxControl;
  close(): Promise<void>;
}

/**
 * Serves one connector sandbox over `node:http`: the control API under `/__sandbox`, then for API requests
 * fault injection (latency, 5xx, dropped sockets, lost responses), the connector's own handling, and the log.
 */
export async function listen(app: SandboxApp, services: SandboxServices, options: ListenOptions = {}): Promise<RunningSandbox> {
  const control = new SandboxControl(app, services);
  const controlRoutes = controlRouter(control);
  app.controlRoutes?.(controlRoutes);
  const server = createServer((req, res) => {
    void serve(req, res).catch((error: unknown) => {
      // A bug in a route or a client that hung up must not take the server down; answer 500 if we still can.
      try {
        if (!res.headersSent && !res.destroyed) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`sandbox internal error: ${error instanceof Error ? error.message : String(error)}`);
        } else {
          res.destroy();
        }
      } catch {
        res.destroy();
      }
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const request = await readRequest(req);
    if (request.path === CONTROL_PREFIX || request.path.startsWith(`${CONTROL_PREFIX}/`)) {
      write(res, await answerControl(request));
      return;
    }
    const decision = services.faults.decide(request.method, request.path);
    if (decision.latencyMs > 0) await sleep(decision.latencyMs);
    const route = app.routeOf(request.method, request.path);
    const at = services.clock.date().toISOString();
    const logEntry = { at, method: request.method, url: request.rawUrl, route };

    if (decision.kind === 'drop') {
      services.log.record({ ...logEntry, status: null, fault: 'drop' });
      req.socket.destroy();
      return;
    }
    let response: SandboxResponse;
    if (decision.kind === 'error') {
      response = app.faultResponse(request, decision.status);
    } else {
      response = await app.handle(request);
    }
    if (app.finalize) response = app.finalize(request, response);
    if (decision.kind === 'lost-response') {
      // The write above was applied; the client never hears about it.
      services.log.record({ ...logEntry, status: null, fault: 'lost-response' });
      req.socket.destroy();
      return;
    }
    services.log.record({ ...logEntry, status: response.status, ...(decision.kind === 'error' ? { fault: 'error' } : {}) });
    write(res, response);
  }

  async function answerControl(request: SandboxRequest): Promise<SandboxResponse> {
    const match = controlRoutes.match(request.method, request.path);
    if (match.kind === 'not-found') return jsonResponse(404, { error: `no control route ${request.path}` });
    if (match.kind === 'method-not-allowed') {
      return jsonResponse(405, { error: `${request.method} not allowed on ${match.pattern}; allowed: ${match.allowed.join(', ')}` });
    }
    try {
      return await match.handler(request, match.params);
    } catch (error) {
      return jsonResponse(400, { error: error instanceof Error ? error.message : String(error) });
    }
  }

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    name: app.name,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    control,
    close: async () => {
      await closeServer(server);
      await app.close?.();
    },
  };
}

async function readRequest(req: IncomingMessage): Promise<SandboxRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const rawUrl = req.url ?? '/';
  const origin = `http://${req.headers.host ?? 'localhost'}`;
  const parsed = new URL(rawUrl, origin);
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    rawUrl,
    path: parsed.pathname,
    query: parsed.searchParams,
    headers: req.headers,
    rawBody: Buffer.concat(chunks).toString('utf8'),
    origin,
  };
}

function write(res: ServerResponse, response: SandboxResponse): void {
  const headers: Record<string, string | number> = { ...response.headers };
  if (response.body !== undefined) headers['content-length'] = Buffer.byteLength(response.body);
  res.writeHead(response.status, headers);
  res.end(response.body);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Keep-alive sockets would hold close() open until they time out.
    server.closeAllConnections();
  });
}
