import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { webhookHash } from '../../../connectors/ccvshop/webhook-hash.js';
import type { MaplineDatabase } from '../database.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { IntegrationRegistry } from '../registry.js';
import { loadWebhooks } from './registration.js';

/** Bodies above this are refused: a CCV webhook body is a few fields. */
const MAX_BODY_BYTES = 64 * 1024;

export interface WebhookReceiver {
  readonly url: string;
  close(): Promise<void>;
}

export interface WebhookCall {
  readonly integrationId: string;
  readonly event: string;
  readonly status: number;
  /** The flows a run was asked for. */
  readonly enqueued: readonly string[];
}

/**
 * The HTTP endpoint the shop's webhooks call: `POST /webhooks/ccvshop/<integration id>/<event>`. A call is taken
 * only when its `x-hash` is the HMAC-SHA512 of `address|raw body` under the key the shop made for that webhook
 * (kept sealed with the integration); then each flow the event concerns gets a run queued (one waiting run per
 * flow at most, so a burst of calls queues one). Answers 200 at once: the run happens in a worker. 401 for a wrong
 * or missing hash, 404 for an address no integration registered; a paused integration's calls are taken (200) and
 * start nothing.
 */
export async function startWebhookReceiver(options: {
  readonly db: MaplineDatabase;
  readonly queue: JobQueue;
  readonly port: number;
  readonly host?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly onCall?: (call: WebhookCall) => void;
}): Promise<WebhookReceiver> {
  const registry = new IntegrationRegistry(options.db);
  const env = options.env ?? process.env;
  const handle = async (request: IncomingMessage): Promise<{ status: number; integrationId: string; event: string; enqueued: string[] }> => {
    const match = /^\/webhooks\/ccvshop\/([0-9a-f-]{36})\/([a-z.]+)$/.exec(new URL(request.url ?? '/', 'http://receiver').pathname);
    const body = await readBody(request);
    if (request.method !== 'POST' || !match || body === undefined) return { status: match ? 400 : 404, integrationId: match?.[1] ?? '', event: match?.[2] ?? '', enqueued: [] };
    const [, integrationId, event] = match as unknown as [string, string, string];
    const answer = (status: number, enqueued: string[] = []) => ({ status, integrationId, event, enqueued });
    const integration = await registry.byId(integrationId);
    if (!integration) return answer(404);
    const hook = (await loadWebhooks(options.db, integration, env)).find((h) => h.event === event && h.address.endsWith(`/webhooks/ccvshop/${integrationId}/${event}`));
    if (!hook) return answer(404);
    if (!hashMatches(hook.key, hook.address, body, request.headers['x-hash'])) return answer(401);
    if (integration.state !== 'active') return answer(200);
    const enqueued: string[] = [];
    for (const flow of hook.flows) if (await options.queue.enqueueRun(integration.id, flow, 'webhook')) enqueued.push(flow);
    return answer(200, enqueued);
  };
  const server: Server = createServer((request, response) => {
    handle(request).then(
      (call) => {
        options.onCall?.(call);
        response.writeHead(call.status, { 'content-type': 'application/json' }).end(JSON.stringify({ status: call.status, enqueued: call.enqueued }));
      },
      (error: unknown) => {
        process.stderr.write(`mapline webhooks: ${error instanceof Error ? error.message : String(error)}\n`);
        response.writeHead(500).end();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The shop's signature check, in constant time: HMAC-SHA512 of `address|body`, keyed with the webhook's key. */
function hashMatches(key: string, address: string, body: string, header: string | string[] | undefined): boolean {
  if (typeof header !== 'string' || !/^[0-9a-f]{128}$/i.test(header)) return false;
  return timingSafeEqual(Buffer.from(webhookHash(key, address, body), 'hex'), Buffer.from(header, 'hex'));
}

function readBody(request: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
