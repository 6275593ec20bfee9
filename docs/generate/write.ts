import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorCodesPage, stdlibPage } from './reference.js';

const docs = join(import.meta.dirname, '..');
writeFileSync(join(docs, 'stdlib.md'), stdlibPage());
writeFileSync(join(docs, 'error-codes.md'), errorCodesPage());
process.stdout.write('wrote docs/stdlib.md and docs/error-codes.md\n');
