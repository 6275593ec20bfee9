import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { playgroundData } from './build/data-plugin.js';
import { precompress } from './build/precompress.js';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * The playground bundle: Monaco (editor core only, no bundled languages), the `.map` checker in a web worker,
 * and two JSON files generated at build time (sample records from the sandboxes' seed code, default mappings).
 * Everything is served from `dist/`, each file also stored brotli- and gzip-compressed; nothing is fetched from
 * the internet. The runtime's evaluator (JSONata) is a chunk of its own, loaded on the first run.
 */
export default defineConfig({
  root: here,
  base: './',
  logLevel: 'warn',
  plugins: [playgroundData(fileURLToPath(new URL('..', import.meta.url))), precompress()],
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    reportCompressedSize: false,
  },
});
