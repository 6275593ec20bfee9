import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

/**
 * Golden files: the expected output of a case lives next to the test as a plain text file, so a reviewer reads
 * exactly what a user would see. `UPDATE_GOLDEN=1 npx vitest run ...` rewrites them from the current output;
 * otherwise the output must match byte for byte (a missing golden file fails and says how to create it).
 *
 *   expectGolden(new URL('./golden/ML1001.txt', import.meta.url), rendered);
 */
export function expectGolden(file: string | URL, actual: string): void {
  const path = typeof file === 'string' ? file : fileURLToPath(file);
  const text = actual.endsWith('\n') ? actual : `${actual}\n`;
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return;
  }
  if (!existsSync(path)) {
    throw new Error(`golden file ${path} is missing; run the test with UPDATE_GOLDEN=1 to create it, then review it`);
  }
  expect(text, `output differs from ${path} (UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(path, 'utf8'));
}
