import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('mapline demo (npm start)', () => {
  it('syncs the sandboxes with no credentials, exits 0, and its second run creates nothing; the catalogue flows publish the new articles', () => {
    const state = join(mkdtempSync(join(tmpdir(), 'mapline-demo-')), 'state.sqlite');
    const result = runCli(['demo', '--orders', '20', '--state', state]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const [first, second] = result.stdout.split('Second run');
    const created = (text: string, flow: string) => Number(new RegExp(`^\\s+${flow}\\s+\\d+\\s+(\\d+)`, 'm').exec(text)?.[1]);
    expect(created(first!, 'orders')).toBeGreaterThan(0);
    expect(created(first!, 'customers')).toBeGreaterThan(0);
    expect(created(second!, 'orders')).toBe(0);
    expect(created(second!, 'customers')).toBe(0);
    // The catalogue runs too: the articles new in eAccounting are published, each in its labels' categories.
    expect(created(first!, 'products')).toBe(3);
    expect(created(second!, 'products')).toBe(0);
    expect(result.stdout).toMatch(/CCV Shop sandbox now sells 3 of the 3 new articles, with [3-9] category links/);
    // The shipping and discount articles (VERZEND, KORTING, ...) are marked for the webshop but hold no stock.
    expect(result.stdout).toMatch(/Articles without stock \(shipping, discounts\) sold in the shop: 0 of [1-9]\d*\n/);
    expect(result.stdout).toContain(`mapline logs --state ${state}`);
  });
});
