import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

/**
 * Serves the files of a folder (a built bundle) over `node:http`, for any page Mapline serves (the playground,
 * a dashboard): the precompressed form of a file (`NAME.br`, `NAME.gz` next to it, as `precompress()` in
 * `playground/build/precompress.ts` writes them at build time) when the browser accepts it, with
 * `Content-Encoding` and `Vary: Accept-Encoding`; the file itself otherwise. Files under `assets/` (content-hashed
 * names) are cached for a year; the rest is revalidated through its ETag (a 304 when unchanged). `/` is
 * `index.html`. Never a file outside the folder: 404.
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

/** Answers a GET or HEAD `request` with the file its path names inside `folder`. */
export function serveStatic(request: IncomingMessage, response: ServerResponse, folder: string, options: StaticOptions = {}): void {
  const root = resolve(folder);
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
  const stat = statSync(file);
  // Each stored form is a representation of its own (RFC 9110 §8.8.3), so the tag names the encoding too.
  const etag = `"${stat.size.toString(36)}-${Math.trunc(stat.mtimeMs).toString(36)}${chosen ? `-${chosen.name}` : ''}"`;
  const headers = {
    'cache-control': (options.cacheControl ?? defaultCacheControl)(relative),
    etag,
    // A cache must keep the forms apart: the answer depends on Accept-Encoding whenever a compressed one exists.
    ...(stored.length > 0 ? { vary: 'Accept-Encoding' } : {}),
  };
  if (matchesTag(request.headers['if-none-match'], etag)) {
    response.writeHead(304, headers);
    response.end();
    return;
  }
  response.writeHead(200, {
    ...headers,
    'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
    'content-length': String(stat.size),
    ...(chosen ? { 'content-encoding': chosen.name } : {}),
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

/** `If-None-Match` holds the tag (or `*`): the browser's copy is current, a 304 does. Weak comparison, as for GET. */
function matchesTag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}

function notFound(response: ServerResponse, pathname: string): void {
  response.writeHead(404, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify({ error: `not found: ${pathname}` }));
}
