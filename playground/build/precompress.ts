import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'vite';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/** Files worth compressing: text, and fonts that are not compressed already (`woff2` is). */
export const COMPRESSIBLE = /\.(html|js|mjs|css|json|svg|ttf|map|txt|wasm)$/;

/**
 * Writes `NAME.br` (brotli, best quality) and `NAME.gz` (gzip -9) next to every compressible file a build
 * writes, so the server sends the smallest form the browser accepts without compressing on each request
 * (`playground/server/static-files.ts`). A form that is not smaller than the file is not written. For every
 * bundle built with vite here: the playground and anything served next to it.
 */
export function precompress(options: { readonly minBytes?: number } = {}): Plugin {
  const minBytes = options.minBytes ?? 1024;
  return {
    name: 'mapline-precompress',
    apply: 'build',
    enforce: 'post',
    async writeBundle(output, bundle) {
      const dir = output.dir ?? 'dist';
      const files = Object.keys(bundle).filter((name) => COMPRESSIBLE.test(name));
      await Promise.all(files.map((name) => compressFile(join(dir, name), minBytes)));
    },
  };
}

export async function compressFile(path: string, minBytes = 1024): Promise<void> {
  const bytes = await readFile(path);
  if (bytes.length < minBytes) return;
  const [br, gzipped] = await Promise.all([
    brotli(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }),
    gz(bytes, { level: 9 }),
  ]);
  if (br.length < bytes.length) await writeFile(`${path}.br`, br);
  if (gzipped.length < bytes.length) await writeFile(`${path}.gz`, gzipped);
}
