import type { Plugin } from 'vite';
import { defaultMappings } from './default-mappings.js';
import { buildSamples } from './samples.js';

/** Files the page fetches next to `index.html`; generated at build time (and on request by the dev server). */
const FILES: Record<string, (repoRoot: string) => unknown> = {
  'samples.json': () => buildSamples(),
  'mappings.json': (repoRoot) => ({ files: defaultMappings(repoRoot) }),
};

export function playgroundData(repoRoot: string): Plugin {
  return {
    name: 'mapline-playground-data',
    generateBundle() {
      for (const [fileName, make] of Object.entries(FILES)) {
        this.emitFile({ type: 'asset', fileName, source: JSON.stringify(make(repoRoot)) });
      }
    },
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const name = (request.url ?? '').split('?')[0]!.replace(/^\//, '');
        const make = Object.hasOwn(FILES, name) ? FILES[name] : undefined;
        if (!make) return next();
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify(make(repoRoot)));
      });
    },
  };
}
