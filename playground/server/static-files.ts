import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

/**
 * Serves a built bundle (`vite build` output) from a folder: the precompressed form of a file (`NAME.br`,
 * `NAME.gz`, written at build time by `playground/build/precompress.ts`) when the browser accepts it, with
 * `Content-Encoding` and `Vary: Accept-Encoding`; the file itself otherwise. Never a file outside the folder.
 * Used by the playground server; anything else served the same way (a dashboard next to it) uses it too.
 */
export interface StaticOptions {
  /** Cache-Control for a file, by its path inside the folder. Default: hashed `assets/` forever, the rest revalidated. */
  readonly cacheControl?: (relative: string) => string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
};

/** Encodings we store, best first, with the suffix of the stored file. */
const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;

const defaultCacheControl = (relative: string): string => (relative.startsWith('assets') ? 'public, max-age=31536000, immutable' : 'no-cache');

export function serveStatic(request: IncomingMessage, response: ServerResponse, root: string, options: StaticOptions = {}): void {
  const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
  let relative: string;
  try {
    relative = normalize(decodeURIComponent(pathname === '/' ? '/index.html' : pathname)).replace(/^([/\\])+/, '');
  } catch {
    return notFound(response, pathname); // a malformed %-escape names no file
  }
  const path = join(root, relative);
  if (!(path === root || path.startsWith(root + sep)) || !existsSync(path) || !statSync(path).isFile()) return notFound(response, pathname);

  const stored = ENCODINGS.filter((e) => existsSync(path + e.suffix));
  const encoding = chooseEncoding(request.headers['accept-encoding'], stored.map((e) => e.name));
  const chosen = stored.find((e) => e.name === encoding);
  const file = chosen ? path + chosen.suffix : path;
  response.writeHead(200, {
    'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
    'content-length': String(statSync(file).size),
    'cache-control': (options.cacheControl ?? defaultCacheControl)(relative),
    ...(chosen ? { 'content-encoding': chosen.name } : {}),
    // A cache must keep the forms apart: the answer depends on Accept-Encoding whenever a compressed one exists.
    ...(stored.length > 0 ? { vary: 'Accept-Encoding' } : {}),
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  createReadStream(file).pipe(response);
}

/**
 * The encoding to answer with, from `Accept-Encoding` (RFC 9110 §12.5.3): of `available` (best first), the one
 * the header gives the highest q above 0, by name or through `*` (a tie goes to the better one); undefined for
 * the file as it is.
 */
export function chooseEncoding(header: string | string[] | undefined, available: readonly string[]): string | undefined {
  const accepted = new Map<string, number>();
  for (const part of (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    accepted.set(name, q === undefined ? 1 : Number(q));
  }
  let best: string | undefined;
  let bestQ = 0;
  for (const name of available) {
    const q = accepted.get(name) ?? accepted.get('*') ?? 0;
    if (q > bestQ) [best, bestQ] = [name, q];
  }
  return best;
}

function notFound(response: ServerResponse, pathname: string): void {
  response.writeHead(404, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify({ error: `not found: ${pathname}` }));
}
