import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { playgroundData } from './build/data-plugin.js';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * The playground bundle: Monaco (editor core only, no bundled languages), the `.map` checker in a web worker,
 * and two JSON files generated at build time (sample records from the sandboxes' seed code, default mappings).
 * Everything is served from `dist/`; nothing is fetched from the internet.
 */
export default defineConfig({
  root: here,
  base: './',
  logLevel: 'warn',
  plugins: [playgroundData(fileURLToPath(new URL('..', import.meta.url)))],
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    reportCompressedSize: false,
  },
});
