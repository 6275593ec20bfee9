/**
 * Part of `npm run build`: gives the built CLI chevrotain's own single-file build. Chevrotain's package entry
 * (`lib/src/api.js`) loads some 690 modules (640 of them lodash-es), which is most of `mapline check`'s start-up
 * time; the package also ships the same code bundled as `lib/chevrotain.mjs`, which its `exports` do not expose.
 * Node resolves a bare `chevrotain` from `dist/...` through `dist/node_modules` first, so a copy of that bundle
 * there, as a package named chevrotain, is what the built code loads. Sources (tsx, vitest) and the playground
 * (vite) still use the package entry; where the copy is missing (a packed tarball leaves out node_modules
 * folders), Node falls back to the package entry: slower to start, the same code.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const root = join(import.meta.dirname, '..');
const require = createRequire(join(root, 'package.json'));
const entry = require.resolve('chevrotain'); // .../chevrotain/lib/src/api.js
const bundle = join(dirname(entry), '..', 'chevrotain.mjs');
const version = (require(join(dirname(entry), '..', '..', 'package.json')) as { version: string }).version;
const target = join(root, 'dist', 'node_modules', 'chevrotain');
mkdirSync(target, { recursive: true });
copyFileSync(bundle, join(target, 'chevrotain.mjs'));
writeFileSync(
  join(target, 'package.json'),
  `${JSON.stringify({ name: 'chevrotain', version, private: true, type: 'module', exports: { '.': './chevrotain.mjs' } }, null, 2)}\n`,
);
