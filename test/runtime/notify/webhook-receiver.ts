import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real HTTP webhook receiver on loopback that keeps what it was sent; `failNext` answers 500 that many times. */
export interface WebhookReceiver {
  readonly url: string;
  readonly received: unknown[];
  /** The accepted requests as sent: raw body and headers (to check a signature). */
  readonly requests: { readonly body: string; readonly headers: Readonly<Record<string, string | string[] | undefined>> }[];
  /** Requests seen, failed ones included. */
  hits: number;
  failNext: number;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const receiver = { received: [] as unknown[], requests: [], hits: 0, failNext: 0 } as unknown as WebhookReceiver & { url: string };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      receiver.hits++;
      if (receiver.failNext > 0) {
        receiver.failNext--;
        response.writeHead(500).end();
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      receiver.requests.push({ body, headers: request.headers });
      receiver.received.push(JSON.parse(body));
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/secret-token`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}
