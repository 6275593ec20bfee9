import { describe, expect, it } from 'vitest';
import { eaccounting } from '../../connectors/eaccounting/definition.js';
import type { JsonSchema } from '../../connectors/json-schema.js';
import {
  eaccountingSchemaDir,
  generateEaccountingSchemas,
  readSwagger,
  staleFiles,
} from '../../scripts/gen-eaccounting-schemas.js';
import { apiExample, compile, errorsOf } from './schemas-helpers.js';

const schemasOf = (entity: string) => eaccounting.entities[entity]!.schemas;

describe('eAccounting schemas generated from the Swagger file', () => {
  it('regenerating them from the committed Swagger extract changes no byte and leaves no stray file', () => {
    const files = generateEaccountingSchemas(readSwagger());
    expect(staleFiles(files, eaccountingSchemaDir)).toEqual([]);
  });

  it('give read-only reference data only a read schema', () => {
    for (const entity of ['units', 'vatcodes', 'countries', 'termsofpayments', 'deliverymethods', 'articleaccountcodings']) {
      expect(Object.keys(schemasOf(entity)), entity).toEqual(['read']);
    }
    // Invoices are created, never replaced; article labels have POST and PUT in the Swagger file.
    expect(Object.keys(schemasOf('customerinvoices'))).toEqual(['read', 'create']);
    expect(Object.keys(schemasOf('articlelabels'))).toEqual(['read', 'create', 'update']);
  });

  it('keep read-only properties in reads, marked, and leave them out of writes', () => {
    const { read, create, update } = schemasOf('customers');
    expect(read.properties?.['ChangedUtc']).toMatchObject({ readOnly: true, format: 'date-time' });
    expect(create?.properties).not.toHaveProperty('ChangedUtc');
    expect(create?.properties).not.toHaveProperty('Id');
    expect(update?.properties).not.toHaveProperty('Id');
    // `TermsOfPayment` is a `$ref` with `readOnly` beside it: the mark belongs to the property.
    expect(read.properties?.['TermsOfPayment']).toMatchObject({ readOnly: true, type: ['object', 'null'] });
    expect(create?.properties).not.toHaveProperty('TermsOfPayment');
  });

  it('require on update what create requires, since PUT replaces the record', () => {
    for (const entity of ['customers', 'articles', 'orders', 'quotes', 'customerinvoicedrafts', 'articlelabels']) {
      const { create, update } = schemasOf(entity);
      expect(update?.required, entity).toEqual(create?.required);
      expect(update?.properties, entity).toEqual(create?.properties);
    }
    expect(schemasOf('customers').create?.required).toEqual(
      ['InvoiceCity', 'InvoicePostalCode', 'Name', 'TermsOfPaymentId', 'IsPrivatePerson', 'IsActive'],
    );
    expect(schemasOf('articles').create?.required).toEqual(['IsActive', 'Number', 'Name', 'CodingId', 'UnitId']);
  });

  it('keep descriptions, lengths, bounds and formats, and drop number patterns', () => {
    const netPrice = schemasOf('articles').read.properties?.['NetPrice'];
    expect(netPrice).toMatchObject({ description: 'Format: Max 2 decimals', minimum: 0, maximum: 10000000 });
    expect(netPrice).not.toHaveProperty('pattern');
    expect(schemasOf('articles').create?.properties?.['Number']).toMatchObject({ maxLength: 40 });
    expect(schemasOf('articles').create?.properties?.['CodingId']).toMatchObject({ format: 'uuid' });
    const withPatterns = JSON.stringify(Object.values(eaccounting.entities).map((entity) => entity.schemas));
    expect(withPatterns).not.toContain('\\\\d{1,2}');
  });

  it('inline nested definitions (order rows) with their own required lists', () => {
    const rows = schemasOf('orders').create?.properties?.['Rows'];
    expect(rows?.items?.required).toEqual(['LineNumber', 'IsTextRow', 'IsWorkCost', 'EligibleForReverseChargeOnVat']);
    expect(JSON.stringify(schemasOf('orders'))).not.toContain('$ref');
  });
});

describe.each(Object.keys(eaccounting.entities))('eAccounting %s schemas', (entity) => {
  it('compile with ajv in strict mode', () => {
    for (const schema of Object.values(schemasOf(entity)) as JsonSchema[]) expect(() => compile(schema)).not.toThrow();
  });
});

describe('the API notes examples', () => {
  it('customer POST body is a valid customer create', () => {
    const body = apiExample('eaccounting.md', 'POST `/v2/customers`');
    expect(errorsOf(compile(schemasOf('customers').create!), body)).toEqual([]);
  });

  it('article POST body is a valid article create', () => {
    const body = apiExample('eaccounting.md', 'POST `/v2/articles`:');
    expect(errorsOf(compile(schemasOf('articles').create!), body)).toEqual([]);
  });

  it('order POST body is a valid order create, rows and all', () => {
    const body = apiExample('eaccounting.md', 'POST `/v2/orders`:');
    expect(errorsOf(compile(schemasOf('orders').create!), body)).toEqual([]);
  });

  it('article GET list items are valid article reads', () => {
    const page = apiExample('eaccounting.md', 'GET `/v2/articles?$filter') as { Data: unknown[] };
    const validate = compile(schemasOf('articles').read);
    expect(page.Data).toHaveLength(2);
    for (const item of page.Data) expect(errorsOf(validate, item)).toEqual([]);
  });

  it('a read record is not a valid write: read-only fields are rejected', () => {
    const page = apiExample('eaccounting.md', 'GET `/v2/articles?$filter') as { Data: unknown[] };
    const errors = errorsOf(compile(schemasOf('articles').update!), page.Data[0]);
    expect(errors.join('\n')).toContain('must NOT have additional properties');
  });

  it('a customer without its required fields is rejected, naming them', () => {
    const errors = errorsOf(compile(schemasOf('customers').create!), { Name: 'Only a name' });
    expect(errors.join('\n')).toContain("must have required property 'InvoiceCity'");
    expect(errors.join('\n')).toContain("must have required property 'TermsOfPaymentId'");
  });

  it('dates: writes take YYYY-MM-DD, reads accept a date with or without time', () => {
    const create = compile(schemasOf('orders').create!);
    const body = apiExample('eaccounting.md', 'POST `/v2/orders`:') as Record<string, unknown>;
    expect(errorsOf(create, { ...body, OrderDate: '14-03-2026' }).join()).toContain('/OrderDate must match format "date"');
    const read = compile(schemasOf('orders').read);
    const record = { ...body, Id: '3f2c1a9e-0b7d-4c55-9a61-2e8f4d1b7c11', OrderDate: '2026-03-14T00:00:00' };
    expect(errorsOf(read, record)).toEqual([]);
  });
});
