import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, sharedDir, VENDORED } from '../../scripts/vendor-reference.js';

/**
 * The committed extracts of the reference material, as `scripts/vendor-reference.ts` writes them. No test reads
 * the reference material itself (it lives beside the repository, `../shared`, and a fresh clone has nothing
 * there): whether the extracts are still what it makes is `npm run vendor:reference -- --check`, run by hand
 * where the material is.
 */

describe('vendored reference extracts', () => {
  it('are committed, each one the script writes', () => {
    for (const path of Object.values(VENDORED)) expect(existsSync(join(repoRoot, path)), path).toBe(true);
  });

  it('find ../shared beside the repository, or where MAPLINE_SHARED_DIR says', () => {
    expect(sharedDir({ MAPLINE_SHARED_DIR: '/elsewhere/shared' })).toBe('/elsewhere/shared');
    expect(sharedDir({})).toBe(join(repoRoot, '..', 'shared'));
  });

  it('keep of the Swagger file only the entities Mapline exposes and what they use', () => {
    const extract = JSON.parse(readFileSync(join(repoRoot, VENDORED.swagger), 'utf8')) as { paths: Record<string, unknown>; definitions: Record<string, unknown> };
    expect(Object.keys(extract.paths)).toContain('/v2/customers/{customerId}');
    expect(Object.keys(extract.paths).filter((p) => p.startsWith('/v2/accountbalances'))).toEqual([]);
    const refs = new Set([...JSON.stringify(extract).matchAll(/"#\/definitions\/([^"]+)"/g)].map((m) => m[1]!));
    expect([...refs].filter((name) => !(name in extract.definitions))).toEqual([]);
  });
});
