import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StateStore } from '../../runtime/state/store.js';
import { handleApi, send } from './api.js';
import { serveStatic } from './static-files.js';

export interface PlaygroundServerOptions {
  /** The built playground (`playground/dist`). */
  readonly dist: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly store?: StateStore;
}

export interface RunningPlayground {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Serves the built playground (compressed when the browser accepts it) and its read-only API. Binds to 127.0.0.1 unless told otherwise. */
export async function startPlaygroundServer(options: PlaygroundServerOptions): Promise<RunningPlayground> {
  const host = options.host ?? '127.0.0.1';
  const loopback = LOOPBACK_HOSTS.has(host);
  const server = createServer((request, response) => {
    handle(request, response, options, loopback).catch((error: unknown) => send(response, 500, { error: error instanceof Error ? error.message : String(error) }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}/`,
    server,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function handle(request: IncomingMessage, response: ServerResponse, options: PlaygroundServerOptions, loopback: boolean): Promise<void> {
  // On loopback, refuse other Host names: a web page elsewhere cannot reach the API through DNS rebinding.
  const hostName = (request.headers.host ?? '').replace(/:\d+$/, '');
  if (loopback && !LOOPBACK_HOSTS.has(hostName)) return send(response, 403, { error: 'this server answers localhost only' });
  if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, { error: 'read-only: only GET' });
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname.startsWith('/api/')) return handleApi(url, options.store, response);
  serveStatic(request, response, options.dist);
}
