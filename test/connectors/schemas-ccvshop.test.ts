import { describe, expect, it } from 'vitest';
import { ccvshop } from '../../connectors/ccvshop/definition.js';
import { invoiceCreate } from '../../connectors/ccvshop/schemas/invoices.js';
import { ordernoteCreate } from '../../connectors/ccvshop/schemas/ordernotes.js';
import { ordernotificationCreate, ordernotificationRead } from '../../connectors/ccvshop/schemas/ordernotifications.js';
import type { JsonSchema } from '../../connectors/json-schema.js';
import { apiExample, compile, errorsOf } from './schemas-helpers.js';

const schemasOf = (entity: string) => ccvshop.entities[entity]!.schemas;
const order = apiExample('ccvshop.md', 'Order `GET /api/rest/v1/orders/781001`:') as Record<string, unknown>;
const product = apiExample('ccvshop.md', 'Product `GET /api/rest/v1/products/320011') as Record<string, unknown>;
const rows = apiExample('ccvshop.md', 'Order rows `GET /api/rest/v1/orders/781001/orderrows`') as { items: unknown[] };

/** Every property schema, with its dotted path, for checks that must hold on each field. */
function fieldsOf(schema: JsonSchema, path = ''): [string, JsonSchema][] {
  const own = Object.entries(schema.properties ?? {}).flatMap(([name, field]) => [
    [`${path}${name}`, field] as [string, JsonSchema],
    ...fieldsOf(field, `${path}${name}.`),
  ]);
  return schema.items ? [...own, ...fieldsOf(schema.items, `${path}[].`)] : own;
}

describe.each(Object.keys(ccvshop.entities))('CCV Shop %s schemas', (entity) => {
  it('compile with ajv in strict mode', () => {
    for (const schema of Object.values(schemasOf(entity)) as JsonSchema[]) expect(() => compile(schema)).not.toThrow();
  });

  it('describe every field, for hover help in the playground', () => {
    for (const schema of Object.values(schemasOf(entity)) as JsonSchema[]) {
      const undescribed = fieldsOf(schema).filter(([, field]) => !field.description).map(([path]) => path);
      expect(undescribed).toEqual([]);
    }
  });

  it('keep the id field in the read schema', () => {
    expect(schemasOf(entity).read.properties).toHaveProperty(ccvshop.entities[entity]!.idField);
  });
});

describe('the API notes examples', () => {
  it('the order is a valid order read, with orderrows as a link', () => {
    expect(errorsOf(compile(schemasOf('orders').read), order)).toEqual([]);
    expect(schemasOf('orders').read.properties?.['orderrows']?.properties).toHaveProperty('href');
  });

  it('the order rows are valid order row reads', () => {
    const validate = compile(schemasOf('orderrows').read);
    expect(rows.items.length).toBeGreaterThan(0);
    for (const row of rows.items) expect(errorsOf(validate, row)).toEqual([]);
  });

  it('the product is a valid product read', () => {
    expect(errorsOf(compile(schemasOf('products').read), product)).toEqual([]);
  });

  it('the product read is not a valid create: is_active and package are read names', () => {
    const create = compile(schemasOf('products').create!);
    const errors = errorsOf(create, product);
    expect(errors.join('\n')).toContain('must NOT have additional properties');
    const rejected = (create.errors ?? []).map((error) => (error.params as { additionalProperty?: string }).additionalProperty);
    expect(rejected).toContain('is_active');
    expect(rejected).toContain('package');
    expect(errors.join('\n')).toContain("must have required property 'package_id'");
  });

  it('the webhook create body and its answer validate', () => {
    const body = { event: 'orders.updated.ispaid', address: 'https://connector.example/hooks/ccv', is_active: true };
    expect(errorsOf(compile(schemasOf('webhooks').create!), body)).toEqual([]);
    const answer = { href: 'https://shop.example.nl/api/rest/v1/webhooks/77/', id: 77, createdate: '2024-01-15T10:00:00Z', key: 'k', ...body };
    expect(errorsOf(compile(schemasOf('webhooks').read), answer)).toEqual([]);
    expect(errorsOf(compile(schemasOf('webhooks').update!), answer)).not.toEqual([]);
  });
});

describe('write shapes', () => {
  it('a product create needs name, price, discount, package_id and taxtariff, and takes active', () => {
    const create = compile(schemasOf('products').create!);
    const minimal = { name: 'Koffiebonen 1kg', price: 29.95, discount: 0, package_id: 80831, taxtariff: 'normal', active: true };
    expect(errorsOf(create, minimal)).toEqual([]);
    const { taxtariff: _dropped, ...withoutTariff } = minimal;
    expect(errorsOf(create, withoutTariff).join()).toContain("must have required property 'taxtariff'");
  });

  it('a product PATCH needs nothing: a stock change alone is valid', () => {
    expect(errorsOf(compile(schemasOf('products').update!), { stock: 99 })).toEqual([]);
    expect(errorsOf(compile(schemasOf('products').update!), { stock: '99' }).join()).toContain('/stock must be number');
  });

  it('an order PATCH takes status and paid, and rejects read-only fields', () => {
    const update = compile(schemasOf('orders').update!);
    expect(errorsOf(update, { status: 5, paid: true, mail: false, track_and_trace_code: '3SABC' })).toEqual([]);
    expect(errorsOf(update, { status: 99 }).join()).toContain('/status must be equal to one of the allowed values');
    expect(errorsOf(update, { id: 1 }).join()).toContain('must NOT have additional properties');
  });

  it('a category create needs a name; a product-to-category link needs both ids', () => {
    expect(errorsOf(compile(schemasOf('categories').create!), {}).join()).toContain("'name'");
    expect(errorsOf(compile(schemasOf('producttocategories').create!), { product_id: 1, category_id: 2 })).toEqual([]);
    expect(errorsOf(compile(schemasOf('producttocategories').create!), { product_id: 1 }).join()).toContain("'category_id'");
  });

  it('an order row PATCH takes count, price and discount only', () => {
    const update = compile(schemasOf('orderrows').update!);
    expect(errorsOf(update, { count: 2.5, price: 9.95, discount: 0 })).toEqual([]);
    expect(errorsOf(update, { tax: 9 }).join()).toContain('must NOT have additional properties');
    expect(errorsOf(update, { count: -1 }).join()).toContain('/count must be >= 0');
  });

  it('an order note, notification and invoice are created from the bodies the sandbox takes', () => {
    expect(errorsOf(compile(ordernoteCreate), { note: 'Gebeld' })).toEqual([]);
    expect(errorsOf(compile(ordernoteCreate), { note: '' }).join()).toContain('/note must NOT have fewer than 1 characters');
    expect(errorsOf(compile(ordernoteCreate), { note: 'x', type: 'external' }).join()).toContain('must NOT have additional properties');
    expect(errorsOf(compile(ordernotificationCreate), {}).join()).toContain("'type'");
    expect(errorsOf(compile(invoiceCreate), {})).toEqual([]);
    expect(errorsOf(compile(invoiceCreate), { status: 4 }).join()).toContain('/status must be equal to one of the allowed values');
    for (const schema of [ordernoteCreate, ordernotificationCreate, ordernotificationRead, invoiceCreate]) {
      expect(fieldsOf(schema).filter(([, field]) => !field.description).map(([path]) => path)).toEqual([]);
    }
  });

  it('fields the notes say may be null accept null; others do not', () => {
    const read = compile(schemasOf('orders').read);
    expect(errorsOf(read, { ...order, ordernumber: null, deliver_date: null })).toEqual([]);
    expect(errorsOf(read, { ...order, paid: null }).join()).toContain('/paid must be boolean');
  });
});
