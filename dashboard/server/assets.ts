import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ttf': 'font/ttf',
};

/** Which encoding to answer with: brotli, else gzip, else none, by the request's Accept-Encoding. */
export function encodingFor(request: IncomingMessage): 'br' | 'gzip' | undefined {
  const accepted = String(request.headers['accept-encoding'] ?? '');
  return /\bbr\b/.test(accepted) ? 'br' : /\bgzip\b/.test(accepted) ? 'gzip' : undefined;
}

/** `best` for files compressed once and kept; `fast` for answers compressed on every request. */
export function compress(body: Buffer, encoding: 'br' | 'gzip', effort: 'best' | 'fast' = 'best'): Buffer {
  if (encoding === 'gzip') return gzipSync(body, { level: effort === 'best' ? 9 : 6 });
  return brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: effort === 'best' ? 11 : 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } });
}

/**
 * Serves a built bundle's files, compressed once per file and encoding and kept in memory (the bundles are small
 * and never change while the server runs). Returns false when `pathname` is not a file of `dist`.
 */
export function serveAsset(request: IncomingMessage, response: ServerResponse, dist: string, pathname: string, cache: Map<string, Buffer>): boolean {
  const relative = normalize(decodeURIComponent(pathname === '/' || pathname === '' ? '/index.html' : pathname)).replace(/^([/\\])+/, '');
  const path = join(dist, relative);
  if (!(path.startsWith(dist + sep)) || !existsSync(path) || !statSync(path).isFile()) return false;
  const encoding = encodingFor(request);
  const key = `${path}:${encoding ?? 'identity'}`;
  let body = cache.get(key);
  if (!body) {
    const raw = readFileSync(path);
    body = encoding ? compress(raw, encoding) : raw;
    cache.set(key, body);
  }
  response.writeHead(200, {
    'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
    'cache-control': relative.startsWith('assets') ? 'public, max-age=31536000, immutable' : 'no-cache',
    vary: 'accept-encoding',
    ...(encoding ? { 'content-encoding': encoding } : {}),
  });
  response.end(request.method === 'HEAD' ? undefined : body);
  return true;
}
