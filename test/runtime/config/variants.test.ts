import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../runtime/config/load.js';
import { prepareRun, readMapSources } from '../../../runtime/sync.js';

/**
 * orders.map is one process for four document types; its `document` setting (from the config) decides which
 * variant runs. The config, the CLI's `--flow` and a config's `flows` list all go through that choice.
 */
const repo = join(import.meta.dirname, '../../..');
const ordersFile = join(repo, 'mappings/orders.map');
const sources = [{ file: ordersFile, name: 'mappings/orders.map', text: readFileSync(ordersFile, 'utf8') }];
const connections = { ccvshop: { baseUrl: 'http://127.0.0.1:1/api/rest/v1', publicKey: 'pk', secret: 's' }, eaccounting: { clientId: 'c', clientSecret: 'cs' } };

function configWith(entry: Record<string, unknown>, file = 'mappings/orders.map') {
  return parseConfig({ connections, flows: [{ file, ...entry }] }, join(repo, 'mapline.config.json'));
}

function flowsRun(entry: Record<string, unknown>, request: { flows?: string[] } = {}): readonly string[] {
  const prepared = prepareRun(configWith(entry), sources, request);
  if (prepared.kind !== 'ready') throw new Error('orders.map does not compile');
  return prepared.flows;
}

describe('the document setting of orders.map', () => {
  it('runs the orders variant by default and the chosen document type otherwise, under its own flow name', () => {
    expect(flowsRun({})).toEqual(['orders']);
    expect(flowsRun({ settings: { document: 'quotes' } })).toEqual(['quotes']);
    expect(flowsRun({ settings: { document: 'invoicedrafts' } })).toEqual(['invoicedrafts']);
    expect(flowsRun({ settings: { document: 'invoices' } })).toEqual(['invoices']);
  });

  it('reads the flow name written in the file as the chosen variant, in the config and on the command line', () => {
    expect(flowsRun({ flows: ['orders'], settings: { document: 'invoices' } })).toEqual(['invoices']);
    expect(flowsRun({ settings: { document: 'quotes' } }, { flows: ['orders'] })).toEqual(['quotes']);
  });

  it('refuses a value that is not a document type, and a variant the setting does not choose, saying what to set', () => {
    expect(() => flowsRun({ settings: { document: 'quote' } })).toThrow(
      'setting "document" must be one of "orders", "invoicedrafts", "invoices", "quotes" (it chooses what orders in mappings/orders.map writes), not "quote"',
    );
    expect(() => flowsRun({}, { flows: ['invoices'] })).toThrow(
      'flow "invoices" runs only when the setting document is "invoices", and it is "orders" (set "settings": { "document": "invoices" } for mappings/orders.map)',
    );
  });

  it('tells a config that still names a retired document file what to write instead', () => {
    const config = configWith({}, 'mappings/quotes.map');
    expect(() => readMapSources(config)).toThrow(
      'mappings/quotes.map: cannot read this .map file: the order documents are one mapping now: write { "file": "mappings/orders.map", "settings": { "document": "quotes" } } instead of "mappings/quotes.map" in the config (the flow keeps its name "quotes", so what was sent stays sent)',
    );
  });
});
