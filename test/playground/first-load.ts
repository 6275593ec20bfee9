import type { Socket } from 'node:net';
import type { RunningPlayground } from '../../playground/server/server.js';
import { launchChromium } from './chromium.js';

export interface FirstLoad {
  /** Sum of `transferSize` (headers and body as sent, compressed) of the page and every file it fetched. */
  readonly transferred: number;
  /** Bytes the server wrote on all connections during the load, headers included: the same total seen from the other end. */
  readonly written: number;
  /** Every URL the browser fetched. */
  readonly files: readonly string[];
  /** Content-Encoding of each response, by path. */
  readonly encodings: ReadonlyMap<string, string | undefined>;
}

/**
 * A cold first load of the playground in a fresh Chromium profile (nothing cached): from navigation until the
 * first checked mapping is on screen and the network is idle. The browser's resource timing counts every file
 * the page fetched, the checking worker's script included; the server's sockets count what was sent.
 */
export async function measureFirstLoad(server: RunningPlayground): Promise<FirstLoad> {
  const cold = await launchChromium();
  const sockets = new Set<Socket>();
  const onConnection = (socket: Socket) => sockets.add(socket);
  server.server.on('connection', onConnection);
  try {
    const page = await cold.newPage();
    const encodings = new Map<string, string | undefined>();
    page.on('response', (r) => encodings.set(new URL(r.url()).pathname, r.headers()['content-encoding']));
    await page.goto(server.url);
    await page.waitForFunction(() => (window.mapline?.checks ?? 0) > 0 && document.querySelector('.view-line') !== null);
    await page.waitForLoadState('networkidle');
    const timing = await page.evaluate(() => {
      const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')] as PerformanceResourceTiming[];
      return { transferred: entries.reduce((n, e) => n + e.transferSize, 0), files: entries.map((e) => e.name) };
    });
    await page.close();
    let written = 0;
    for (const socket of sockets) written += socket.bytesWritten;
    return { ...timing, written, encodings };
  } finally {
    server.server.off('connection', onConnection);
    await cold.close();
  }
}
