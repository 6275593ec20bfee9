import { readFileSync } from 'node:fs';
import { compile } from '../compiler/index.js';
import { connectors } from '../connectors/registry.js';
const files = process.argv.slice(2).map((f) => ({ name: f, text: readFileSync(f, 'utf8') }));
const r = compile({ files, connectors: connectors as any });
for (const d of r.diagnostics) console.log(d.file, d.range.start, d.code, d.severity, d.message, d.hint ?? '');
console.log(r.artifact?.flows.map((f) => `${f.name} -> ${f.target.entity} ${JSON.stringify(f.variant)}`));
