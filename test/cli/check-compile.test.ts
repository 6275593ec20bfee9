import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARTIFACT_FORMAT, ARTIFACT_VERSION } from '../../compiler/artifact.js';
import { expectGolden } from '../helpers/golden.js';
import { runCli } from '../helpers/cli.js';

const golden = (name: string) => join(import.meta.dirname, 'golden', name);

describe('mapline check', () => {
  it('passes every default mapping and the language sketch (exit 0; warnings do not fail)', () => {
    const maps = readdirSync('mappings').filter((f) => f.endsWith('.map')).map((f) => `mappings/${f}`);
    const result = runCli(['check', ...maps]);
    expect(result.stdout).toContain('0 errors');
    expect(result.status).toBe(0);
    // The sketch's flows share names with the default mappings (flow names are global), so it is checked alone.
    const sketch = runCli(['check', 'test/compiler/fixtures/sketch.map']);
    expect(sketch.stdout).toBe('1 file checked: no problems\n');
    expect(sketch.status).toBe(0);
  });

  it('prints each problem with file:line:col, code, a code frame and the hint, and exits 1', () => {
    const result = runCli(['check', 'test/compiler/diagnostics/ML2001-unknown-source-field.map', 'test/compiler/diagnostics/ML3002-read-only-field.map']);
    expect(result.status).toBe(1);
    expectGolden(golden('check-two-files.txt'), result.stdout);
  });

  it('prints the same diagnostics as JSON with --json, lines and columns included', () => {
    const result = runCli(['check', '--json', 'test/compiler/diagnostics/ML2001-unknown-source-field.map']);
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual([
      {
        code: 'ML2001',
        severity: 'error',
        message: 'unknown field "zipcod" on ccvshop.orders',
        hint: 'did you mean "zipcode"?',
        file: 'test/compiler/diagnostics/ML2001-unknown-source-field.map',
        range: { start: 283, end: 289 },
        line: 8,
        column: 31,
        endLine: 8,
        endColumn: 37,
        fixes: [{ title: 'Change to "zipcode"', range: { start: 283, end: 289 }, text: 'zipcode', line: 8, column: 31, endLine: 8, endColumn: 37 }],
      },
    ]);
  });

  it('exits 2 on bad usage: no file, or a file that does not exist', () => {
    expect(runCli(['check']).status).toBe(2);
    const missing = runCli(['check', 'no-such-file.map']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no-such-file.map');
  });
});

describe('mapline compile', () => {
  it('writes the versioned artifact with JSONata, plan and source map', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'mapline-compile-')), 'orders.json');
    const result = runCli(['compile', 'mappings/orders.map', '-o', out]);
    expect(result.status).toBe(0);
    const artifact = JSON.parse(readFileSync(out, 'utf8'));
    expect(artifact.format).toBe(ARTIFACT_FORMAT);
    expect(artifact.version).toBe(ARTIFACT_VERSION);
    const flow = artifact.flows[0];
    expect(flow.name).toBe('orders');
    expect(flow.payload.create.jsonata).toContain('$upsert("eaccounting.customers", "EmailAddress", $$.customer.email');
    expect(flow.payload.create.segments.length).toBeGreaterThan(10);
    expect(flow.fields.find((f: { target: string }) => f.target === 'OrderDate').location.file).toBe('mappings/orders.map');
  });

  it('prints diagnostics and writes no artifact when the mapping has errors (exit 1)', () => {
    const result = runCli(['compile', 'test/compiler/diagnostics/ML3001-unknown-target-field.map']);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('ML3001');
  });
});
