import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compressFile } from '../../playground/build/precompress.js';
import { chooseEncoding, serveStatic } from '../../playground/server/static-files.js';

/**
 * The static file server any Mapline page uses, on a folder that is not the playground: a bundle compressed the
 * way the build compresses it, served over loopback by a bare node:http server.
 */
let dir: string;
let server: Server;
let base: string;
const script = `export const rows = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => ({ line: i, text: `row ${i}` })))};\n`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mapline-static-'));
  const bundle = join(dir, 'bundle');
  mkdirSync(join(bundle, 'assets'), { recursive: true });
  writeFileSync(join(bundle, 'index.html'), `<!doctype html><title>dashboard</title>${'<p>filler</p>'.repeat(200)}`);
  writeFileSync(join(bundle, 'assets', 'app-3f9a1c.js'), script);
  writeFileSync(join(bundle, 'assets', 'tiny-00aa11.css'), 'p{}');
  writeFileSync(join(dir, 'secret.txt'), 'outside the folder');
  await compressFile(join(bundle, 'index.html'));
  await compressFile(join(bundle, 'assets', 'app-3f9a1c.js'));
  await compressFile(join(bundle, 'assets', 'tiny-00aa11.css')); // below the minimum: stays as it is
  server = createServer((req, res) => serveStatic(req, res, `${bundle}/`));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serveStatic', () => {
  it('sends brotli to a browser that accepts it, gzip to one that accepts only gzip, the file itself otherwise', async () => {
    const br = await get('/assets/app-3f9a1c.js', { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(brotliDecompressSync(br.body).toString()).toBe(script);
    expect(br.body.length).toBeLessThan(script.length / 4);
    expect(Number(br.headers['content-length'])).toBe(br.body.length);

    const gz = await get('/assets/app-3f9a1c.js', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(script);

    const plain = await get('/assets/app-3f9a1c.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(script);
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    // `br;q=0` refuses brotli even though `*` would allow it.
    expect((await get('/assets/app-3f9a1c.js', { 'accept-encoding': 'br;q=0, *;q=0.5' })).headers['content-encoding']).toBe('gzip');
  });

  it('caches hashed assets for a year and revalidates the page through its ETag', async () => {
    const asset = await get('/assets/app-3f9a1c.js', { 'accept-encoding': 'br' });
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const page = await get('/', { 'accept-encoding': 'br' });
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(brotliDecompressSync(page.body).toString()).toContain('<title>dashboard</title>');
    const etag = String(page.headers.etag);
    const again = await get('/', { 'accept-encoding': 'br', 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    // The gzip form is another representation: the brotli tag does not validate it.
    expect((await get('/', { 'accept-encoding': 'gzip', 'if-none-match': etag })).status).toBe(200);
  });

  it('serves a small file uncompressed without Vary, and HEAD without a body', async () => {
    const tiny = await get('/assets/tiny-00aa11.css', { 'accept-encoding': 'br, gzip' });
    expect(tiny.body.toString()).toBe('p{}');
    expect(tiny.headers['content-encoding']).toBeUndefined();
    expect(tiny.headers.vary).toBeUndefined();
    const head = await get('/assets/app-3f9a1c.js', { 'accept-encoding': 'br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(Number(head.headers['content-length'])).toBe(readFileSync(join(dir, 'bundle', 'assets', 'app-3f9a1c.js.br')).length);
  });

  it('answers 404 for files outside the folder, missing files and malformed escapes', async () => {
    expect((await get('/../secret.txt')).status).toBe(404);
    expect((await get('/%2e%2e/secret.txt')).status).toBe(404);
    expect((await get('/assets/missing.js')).status).toBe(404);
    expect((await get('/%E0%A4%A')).status).toBe(404);
    expect((await get('/assets')).status).toBe(404);
  });
});

describe('chooseEncoding', () => {
  it('takes the highest q the header gives, the better encoding on a tie, none for q=0 or no header', () => {
    expect(chooseEncoding('gzip, br', ['br', 'gzip'])).toBe('br');
    expect(chooseEncoding('br;q=0.5, gzip;q=0.8', ['br', 'gzip'])).toBe('gzip');
    expect(chooseEncoding('identity', ['br', 'gzip'])).toBeUndefined();
    expect(chooseEncoding('*;q=0', ['br', 'gzip'])).toBeUndefined();
    expect(chooseEncoding(undefined, ['br', 'gzip'])).toBeUndefined();
    expect(chooseEncoding(['gzip', 'deflate'], ['br', 'gzip'])).toBe('gzip');
  });
});
