import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eaccounting } from '../../../connectors/eaccounting/definition.js';
import { contractDefault } from '../../../connectors/eaccounting/sandbox/contract.js';
import type { JsonSchema } from '../../../connectors/json-schema.js';
import { startSandboxes, type RunningSandboxes } from '../../../connectors/sandbox/index.js';
import { BodyValidator } from '../../../connectors/sandbox/validation.js';
import { typesOf } from '../../../connectors/schemas.js';
import { ea, eaToken } from './helpers.js';

/**
 * The eAccounting sandbox against its contract, the schemas generated from the Swagger file (committed in
 * connectors/eaccounting/schemas): every entity, every property and every rule comes from those schemas and the
 * connector definition, never from a list in this file.
 */
let s: RunningSandboxes;
let token: string;
const validator = new BodyValidator();
type Json = Record<string, any>;

beforeAll(async () => {
  s = await startSandboxes({ seed: 'contract', anchor: '2026-06-01T00:00:00Z', sizes: { products: 20, customers: 15, orders: 30 } });
});
afterAll(() => s.close());
beforeEach(async () => {
  s.eaccounting.control.reset();
  token = await eaToken(s);
});

const entities = Object.values(eaccounting.entities);
const writable = entities.filter((entity) => entity.create);
const readSchema = (entity: string): JsonSchema => eaccounting.entities[entity]!.schemas.read;

/** Where `value` is not in the documented shape: a documented property missing or an undocumented one, at any depth. */
function shapeProblems(schema: JsonSchema, value: unknown, path: string): string[] {
  if (Array.isArray(value)) return schema.items ? value.flatMap((item, i) => shapeProblems(schema.items!, item, `${path}[${i}]`)) : [];
  if (value === null || typeof value !== 'object' || !schema.properties) return [];
  const documented = Object.keys(schema.properties);
  const present = Object.keys(value);
  return [
    ...documented.filter((name) => !present.includes(name)).map((name) => `${path}.${name} is documented but missing`),
    ...present.filter((name) => !documented.includes(name)).map((name) => `${path}.${name} is not documented`),
    ...documented.filter((name) => present.includes(name)).flatMap((name) => shapeProblems(schema.properties![name]!, (value as Json)[name], `${path}.${name}`)),
  ];
}

/** Everything wrong with a served record: shape, then the read schema's types, formats and enums. */
function contractProblems(entity: string, record: unknown, where: string): string[] {
  const schema = readSchema(entity);
  return [
    ...shapeProblems(schema, record, where),
    ...validator.validate(schema, structuredClone(record)).map((error) => `${where}.${error.field}: ${error.message}`),
  ];
}

async function listAll(entity: string): Promise<Json[]> {
  const answer = await ea(s, token, 'GET', `/v2/${entity}?$pagesize=1000`);
  expect(answer.status, entity).toBe(200);
  return answer.json.Data;
}

/** A create body made from a served record, as a client copying one would: unique fields get new values. */
function copyOf(entity: string, record: Json, tag: string): Json {
  const definition = eaccounting.entities[entity]!;
  const { [definition.idField]: _id, ...copy } = record;
  for (const field of definition.unique ?? []) copy[field] = `${tag}-${String(record[field]).slice(0, 8)}`;
  return copy;
}

describe('eAccounting responses have exactly the documented shape', () => {
  it.each(entities.map((entity) => entity.name))('%s: every listed record and a GET by id', async (entity) => {
    const records = await listAll(entity);
    expect(records.length, `a fresh sandbox serves ${entity}`).toBeGreaterThan(0);
    expect(records.flatMap((record, index) => contractProblems(entity, record, `${entity}[${index}]`))).toEqual([]);
    const idField = eaccounting.entities[entity]!.idField;
    const one = await ea(s, token, 'GET', `/v2/${entity}/${encodeURIComponent(String(records[0]![idField]))}`);
    expect(one.status).toBe(200);
    expect(contractProblems(entity, one.json, entity)).toEqual([]);
  });

  it.each(writable.map((entity) => entity.name))('%s: a POST of a copy and a PUT of a served record (GET-modify-PUT) answer the documented shape', async (entity) => {
    const [record] = await listAll(entity);
    const created = await ea(s, token, 'POST', `/v2/${entity}`, copyOf(entity, record!, 'COPY'));
    expect(created.status, created.text).toBe(201);
    expect(contractProblems(entity, created.json, `POST ${entity}`)).toEqual([]);
    if (!eaccounting.entities[entity]!.update) return;
    // Read-only properties (Id, CreatedUtc, totals, ...) go back unchanged: accepted and ignored.
    const replaced = await ea(s, token, 'PUT', `/v2/${entity}/${record!.Id}`, record);
    expect(replaced.status, replaced.text).toBe(200);
    expect(contractProblems(entity, replaced.json, `PUT ${entity}`)).toEqual([]);
  });

  it('records loaded through the control API are served in the contract shape too', async () => {
    const [unit] = await listAll('units');
    s.eaccounting.control.putRecords('units', [{ Id: '0c5e3b7a-3c1e-4d0e-9c51-2b1f6a8d9e01', Name: 'Doos', AbbreviationEnglish: 'box' }]);
    const served = await ea(s, token, 'GET', '/v2/units/0c5e3b7a-3c1e-4d0e-9c51-2b1f6a8d9e01');
    expect(served.json).toEqual({ Id: '0c5e3b7a-3c1e-4d0e-9c51-2b1f6a8d9e01', Name: 'Doos', Code: null, Abbreviation: null });
    expect(Object.keys(served.json)).toEqual(Object.keys(unit!));
  });

  it('fills what a document does not have with the API defaults: [] for lists, false, 0 where 0 is allowed, else null', async () => {
    const [customer] = await listAll('customers');
    const [article] = (await listAll('articles')).filter((a) => a.IsStock);
    const order = await ea(s, token, 'POST', '/v2/orders', {
      CustomerId: customer!.Id, CurrencyCode: 'EUR', OrderDate: '2026-05-14', Status: 2, EuThirdParty: false, ReverseChargeOnConstructionServices: false, RotReducedInvoicingType: 0,
      Rows: [{ LineNumber: 1, IsTextRow: false, IsWorkCost: false, EligibleForReverseChargeOnVat: false, ArticleId: article!.Id, Quantity: 1 }],
    });
    expect(order.status, order.text).toBe(201);
    expect(order.json).toMatchObject({ DeliveredAmount: 0, Persons: [], Notes: [], IsNotDelivered: false, DeliveryDate: null, DeliveryMethodCode: null, BuyersOrderReference: null });
    expect(order.json.Rows[0]).toMatchObject({ DeliveredQuantity: 0, WorkCostType: 0, ProjectId: null, CostCenterItemId1: null, CostCenterItemId2: null, CostCenterItemId3: null });
    for (const extra of ['CustomerName', 'CustomerNumber', 'IncludesVat']) expect(order.json).not.toHaveProperty(extra);
    for (const extra of ['Amount', 'VatRate', 'IsServiceArticle', 'UnitId']) expect(order.json.Rows[0]).not.toHaveProperty(extra);
    expect(article).not.toHaveProperty('IsServiceArticle');
  });

  it('the default rule reads each property schema', () => {
    expect(contractDefault({ type: ['array', 'null'] })).toEqual([]);
    expect(contractDefault({ type: 'boolean' })).toBe(false);
    expect(contractDefault({ type: ['number', 'null'], minimum: 0, maximum: 1 })).toBe(0);
    // An order's Status is 1..4: 0 is no value it can have.
    expect(contractDefault(readSchema('orders').properties!['Status']!)).toBeNull();
    expect(contractDefault({ type: 'integer', enum: [1, 2, 3] })).toBeNull();
    expect(contractDefault({ type: ['string', 'null'], format: 'uuid' })).toBeNull();
    expect(contractDefault({ type: ['object', 'null'], properties: {} })).toBeNull();
  });
});

/** The first property of `schema` (a write schema) that `pick` accepts, with its name. */
function firstProperty(schema: JsonSchema, pick: (property: JsonSchema) => boolean): [string, JsonSchema] | undefined {
  return Object.entries(schema.properties ?? {}).find(([, property]) => pick(property));
}

describe('eAccounting request bodies are checked against the operation schema', () => {
  const expectRefusal = (answer: { status: number; json: Json }, field: string, code: string) => {
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ ErrorCode: 2000, DeveloperErrorMessage: expect.stringMatching(/^DataModelValidationError: /), ErrorId: expect.stringMatching(/^[0-9a-f-]{36}$/), Errors: expect.any(Array) });
    expect(answer.json.Errors).toContainEqual({ Field: field, ErrorCode: code, Message: expect.stringContaining(field), Key: null });
  };

  it.each(writable.map((entity) => entity.name))('%s: an unknown field, at the top or in a nested row, is a 400 naming it', async (entity) => {
    const [record] = await listAll(entity);
    const body = copyOf(entity, record!, 'UNK');
    expectRefusal(await ea(s, token, 'POST', `/v2/${entity}`, { ...body, MaplineUnknownField: 1 }), 'MaplineUnknownField', 'UnknownProperty');
    if (eaccounting.entities[entity]!.update) {
      expectRefusal(await ea(s, token, 'PUT', `/v2/${entity}/${record!.Id}`, { ...record, MaplineUnknownField: 1 }), 'MaplineUnknownField', 'UnknownProperty');
    }
    // The first list of closed objects (Rows, ArticleLabels, ...) the record has items in.
    const schema = eaccounting.entities[entity]!.schemas.create!;
    const nested = Object.keys(schema.properties ?? {}).find((name) => schema.properties![name]!.items?.additionalProperties === false && Array.isArray(body[name]) && body[name].length > 0);
    if (schema.properties?.['Rows']) expect(nested).toBe('Rows');
    if (nested) {
      const items = body[nested] as Json[];
      const withUnknown = { ...body, [nested]: [{ ...items[0], MaplineUnknownField: 1 }, ...items.slice(1)] };
      expectRefusal(await ea(s, token, 'POST', `/v2/${entity}`, withUnknown), `${nested}[0].MaplineUnknownField`, 'UnknownProperty');
    }
  });

  it.each(writable.map((entity) => entity.name))('%s: required, maxLength, enum and type rules of the create schema are 400s', async (entity) => {
    const [record] = await listAll(entity);
    const body = copyOf(entity, record!, 'RULE');
    const schema = eaccounting.entities[entity]!.schemas.create!;
    const required = schema.required?.[0];
    if (required) {
      const { [required]: _dropped, ...without } = body;
      expectRefusal(await ea(s, token, 'POST', `/v2/${entity}`, without), required, 'Required');
    }
    const long = firstProperty(schema, (property) => property.maxLength !== undefined && !property.format && !property.pattern);
    if (long) expectRefusal(await ea(s, token, 'POST', `/v2/${entity}`, { ...body, [long[0]]: 'x'.repeat(long[1].maxLength! + 1) }), long[0], 'StringLength');
    const enumerated = firstProperty(schema, (property) => property.enum !== undefined && typesOf(property).includes('integer'));
    if (enumerated) expectRefusal(await ea(s, token, 'POST', `/v2/${entity}`, { ...body, [enumerated[0]]: 999 }), enumerated[0], 'InvalidValue');
    const flag = firstProperty(schema, (property) => typesOf(property).includes('boolean'));
    if (flag) expectRefusal(await ea(s, token, 'POST', `/v2/${entity}`, { ...body, [flag[0]]: 'yes' }), flag[0], 'InvalidType');
    expect([required, long, flag].filter(Boolean).length, `${entity} has rules to break`).toBeGreaterThan(0);
  });

  it('refuses an order naming its delivery method by id (the contract has only DeliveryMethodCode)', async () => {
    const [order] = await listAll('orders');
    const [method] = await listAll('deliverymethods');
    const answer = await ea(s, token, 'POST', '/v2/orders', { ...copyOf('orders', order!, 'X'), DeliveryMethodId: method!.Id });
    expectRefusal(answer, 'DeliveryMethodId', 'UnknownProperty');
  });
});

describe('eAccounting delivery methods and terms on documents', () => {
  const orderBody = (customerId: string, articleId: string): Json => ({
    CustomerId: customerId, CurrencyCode: 'EUR', OrderDate: '2026-05-14', Status: 2, EuThirdParty: false, ReverseChargeOnConstructionServices: false, RotReducedInvoicingType: 0,
    Rows: [{ LineNumber: 1, IsTextRow: false, IsWorkCost: false, EligibleForReverseChargeOnVat: false, ArticleId: articleId, Quantity: 1 }],
  });

  it('stores DeliveryMethodCode and DeliveryTermCode as sent, with the names of the methods they name, through POST, GET and PUT', async () => {
    const [customer] = await listAll('customers');
    const [article] = await listAll('articles');
    const methods = await listAll('deliverymethods');
    const terms = await listAll('deliveryterms');
    const [post, courier] = [methods.find((m) => m.Code === 'POST')!, methods.find((m) => m.Code === 'KOERIER')!];
    const created = await ea(s, token, 'POST', '/v2/orders', { ...orderBody(customer!.Id, article!.Id), DeliveryMethodCode: 'POST', DeliveryTermCode: terms[0]!.Code });
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({ DeliveryMethodCode: 'POST', DeliveryMethodName: post.Name, DeliveryTermCode: terms[0]!.Code, DeliveryTermName: terms[0]!.Name });
    const read = await ea(s, token, 'GET', `/v2/orders/${created.json.Id}`);
    expect(read.json).toMatchObject({ DeliveryMethodCode: 'POST', DeliveryTermCode: terms[0]!.Code });
    const changed = await ea(s, token, 'PUT', `/v2/orders/${created.json.Id}`, { ...read.json, DeliveryMethodCode: 'koerier', DeliveryMethodName: null });
    expect(changed.json).toMatchObject({ DeliveryMethodCode: 'KOERIER', DeliveryMethodName: courier.Name });
    const draft = await ea(s, token, 'POST', '/v2/customerinvoicedrafts', { CustomerId: customer!.Id, EuThirdParty: false, RotReducedInvoicingType: 0, DeliveryMethodCode: 'AFHALEN', Rows: [] });
    expect(draft.json).toMatchObject({ DeliveryMethodCode: 'AFHALEN', DeliveryMethodName: methods.find((m) => m.Code === 'AFHALEN')!.Name });
  });

  it('refuses a code no delivery method or term has with 400 ErrorCode 3000 naming the field', async () => {
    const [customer] = await listAll('customers');
    const [article] = await listAll('articles');
    for (const field of ['DeliveryMethodCode', 'DeliveryTermCode']) {
      const answer = await ea(s, token, 'POST', '/v2/orders', { ...orderBody(customer!.Id, article!.Id), [field]: 'NOPE' });
      expect(answer.status).toBe(400);
      expect(answer.json).toMatchObject({ ErrorCode: 3000, Errors: [{ Field: field, ErrorCode: 'ResourceNotFound', Key: null }] });
    }
  });

  it("copies the customer's default delivery method and term when the document names none (always so on quotes and invoices)", async () => {
    const [customer] = await listAll('customers');
    const [article] = await listAll('articles');
    const [method] = await listAll('deliverymethods');
    const [term] = await listAll('deliveryterms');
    const updated = await ea(s, token, 'PUT', `/v2/customers/${customer!.Id}`, { ...customer, DeliveryMethodId: method!.Id, DeliveryTermId: term!.Id });
    expect(updated.status, updated.text).toBe(200);
    const order = await ea(s, token, 'POST', '/v2/orders', orderBody(customer!.Id, article!.Id));
    const quote = await ea(s, token, 'POST', '/v2/quotes', { CustomerId: customer!.Id, Rows: [{ ArticleId: article!.Id, Quantity: 1 }] });
    for (const document of [order.json, quote.json]) {
      expect(document).toMatchObject({ DeliveryMethodCode: method!.Code, DeliveryMethodName: method!.Name, DeliveryTermCode: term!.Code, DeliveryTermName: term!.Name });
    }
    const badTerm = await ea(s, token, 'PUT', `/v2/customers/${customer!.Id}`, { ...customer, DeliveryTermId: '00000000-0000-4000-8000-000000000000' });
    expect(badTerm.json).toMatchObject({ ErrorCode: 3000, Errors: [{ Field: 'DeliveryTermId' }] });
  });
});

describe('a fresh eAccounting sandbox holds sales documents', () => {
  const documents = ['orders', 'quotes', 'customerinvoicedrafts', 'customerinvoices'];

  it.each(documents)('%s: listed over several pages of 2, each record once', async (entity) => {
    const first = await ea(s, token, 'GET', `/v2/${entity}?$pagesize=2`);
    const { TotalNumberOfPages: pages, TotalNumberOfResults: total } = first.json.Meta;
    expect(pages).toBeGreaterThanOrEqual(3);
    const ids: string[] = [];
    for (let page = 1; page <= pages; page++) {
      const answer = await ea(s, token, 'GET', `/v2/${entity}?$pagesize=2&$page=${page}`);
      expect(answer.json.Data.length).toBe(page < pages ? 2 : total - 2 * (pages - 1));
      ids.push(...answer.json.Data.map((record: Json) => record.Id));
    }
    expect(new Set(ids).size).toBe(total);
  });

  it('for the seeded customers and articles, with totals from their rows, numbered by date', async () => {
    const customers = new Set((await listAll('customers')).map((c) => c.Id));
    const articles = new Map((await listAll('articles')).map((a) => [a.Id, a]));
    const orders = await listAll('orders');
    for (const document of [...orders, ...(await listAll('customerinvoices'))]) {
      expect(customers.has(document.CustomerId)).toBe(true);
      for (const row of document.Rows.filter((r: Json) => r.ArticleId !== null)) expect(articles.get(row.ArticleId)?.Number).toBe(row.ArticleNumber);
    }
    for (const order of orders) {
      const sum = order.Rows.reduce((total: number, row: Json) => total + (row.IsTextRow ? 0 : row.Quantity * row.UnitPrice * (1 - row.DiscountPercentage)), 0);
      // A private person's prices include VAT (docs/sandbox.md), a business's exclude it.
      expect(order.CustomerIsPrivatePerson ? order.Amount + order.VatAmount : order.Amount).toBeCloseTo(sum, 1);
    }
    const byNumber = [...orders].sort((a, b) => a.Number - b.Number);
    expect(byNumber.map((o) => o.OrderDate)).toEqual([...byNumber.map((o) => o.OrderDate)].sort());
    expect(new Set(orders.map((o) => o.Status)).size).toBeGreaterThan(1);
  });

  it("never with a shop order's number as YourReference, so the order flows still create every shop order's document", async () => {
    const shopNumbers = new Set(s.ccvshop.control.records('orders').map((o) => o.ordernumber_full).filter((n) => n !== null));
    const references = (await Promise.all(documents.map(listAll))).flat().map((d) => d.YourReference).filter((r) => r != null);
    expect(references.length).toBeGreaterThan(0);
    expect(references.filter((reference) => shopNumbers.has(reference))).toEqual([]);
  });

  it('none when started with --data-only', async () => {
    const bare = await startSandboxes({ seed: 'contract', dataOnly: true, data: {} });
    try {
      for (const entity of documents) expect(bare.eaccounting.control.records(entity)).toEqual([]);
    } finally {
      await bare.close();
    }
  });
});
