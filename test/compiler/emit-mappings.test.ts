import { beforeAll, describe, expect, it } from 'vitest';
import type { CompiledArtifact } from '../../compiler/artifact.js';
import { compile } from '../../compiler/compile.js';
import { connectors } from '../../connectors/registry.js';
import { evaluate, type Recorded } from './evaluate-helper.js';
import { accounting, companyBE, pickupDE, privatePersonNL } from './fixtures/ccv-orders.js';
import { compileMappings, flowNamed } from './mappings-helper.js';

const PSP_TERMS = '17fc695a-07a0-4a6e-8822-e8f36c031199';
const DAYS14_TERMS = 'bdd640fb-0667-4ad1-9c80-317fa3b1799d';
const CASH_TERMS = 'bd9c66b3-ad3c-4d6d-9a3d-1fa7bc8960a9';
const rowFlags = { IsTextRow: false, IsWorkCost: false, EligibleForReverseChargeOnVat: false };

let artifact: CompiledArtifact;
beforeAll(() => {
  artifact = compileMappings();
});

describe('the orders mapping, run by the jsonata package on realistic CCV orders', () => {
  it('books a private person in the Netherlands with prices including VAT, shipping, and the coupon at the 9 % of its goods', async () => {
    const flow = flowNamed(artifact, 'orders');
    const recorded: Recorded = { upserts: [] };
    const payload = await evaluate(flow, flow.payload.create!, privatePersonNL, accounting, {}, recorded);
    expect(recorded.upserts).toEqual([
      {
        entity: 'eaccounting.customers',
        key: 'EmailAddress',
        value: 'j.jansen@example.nl',
        payload: {
          Name: 'Jan Jansen', IsPrivatePerson: true, IsActive: true, EmailAddress: 'j.jansen@example.nl',
          InvoiceAddress1: 'Dorpsstraat 12A', InvoicePostalCode: '1234 AB', InvoiceCity: 'Utrecht', InvoiceCountryCode: 'NL',
          Telephone: '0301234567', TermsOfPaymentId: PSP_TERMS,
        },
        // An existing customer keeps the terms of payment it has: only `on create` sets them.
        updatePayload: {
          Name: 'Jan Jansen', IsPrivatePerson: true, IsActive: true, EmailAddress: 'j.jansen@example.nl',
          InvoiceAddress1: 'Dorpsstraat 12A', InvoicePostalCode: '1234 AB', InvoiceCity: 'Utrecht', InvoiceCountryCode: 'NL',
          Telephone: '0301234567',
        },
      },
    ]);
    expect(payload).toEqual({
      CustomerId: 'new-eaccounting.customers-j.jansen@example.nl',
      CurrencyCode: 'EUR',
      OrderDate: '2024-01-15',
      Status: 2,
      YourReference: 'WEB-1042',
      OurReference: 'Webshop',
      EuThirdParty: false,
      ReverseChargeOnConstructionServices: false,
      RotReducedInvoicingType: 0,
      DeliveryMethodCode: 'POST',
      DeliveryCustomerName: 'Jan Jansen',
      DeliveryAddress1: 'Dorpsstraat 12A',
      DeliveryPostalCode: '1234 AB',
      DeliveryCity: 'Utrecht',
      DeliveryCountryCode: 'NL',
      Rows: [
        { LineNumber: 1, ...rowFlags, ArticleId: 'art-kb', Text: 'Koffiebonen 1kg', Quantity: 2, UnitPrice: 29.95 },
        { LineNumber: 2, ...rowFlags, ArticleId: 'art-ship', Quantity: 1, UnitPrice: 4.95 },
        { LineNumber: 3, ...rowFlags, ArticleId: 'art-disc-9', Text: 'Korting WELKOM5 (9% btw)', Quantity: -1, UnitPrice: 5 },
      ],
    });
  });

  it('books a Belgian company with its contact person and VAT number, prices excluding VAT, a row discount as the price paid, and courier delivery', async () => {
    const flow = flowNamed(artifact, 'orders');
    const recorded: Recorded = { upserts: [] };
    const payload = (await evaluate(flow, flow.payload.create!, companyBE, accounting, {}, recorded)) as Record<string, unknown>;
    expect(recorded.upserts[0]!.payload).toEqual({
      Name: 'Brouwerij De Smet BV', IsPrivatePerson: false, IsActive: true, EmailAddress: "o'brien@brouwerij.example.be",
      ContactPersonName: "Sean O'Brien", InvoiceAddress1: 'Kerkstraat 3', InvoicePostalCode: '9000', InvoiceCity: 'Gent',
      InvoiceCountryCode: 'BE', Telephone: '0301234567', VatNumber: 'BE0123456789', TermsOfPaymentId: DAYS14_TERMS,
    });
    expect(payload).toMatchObject({
      OrderDate: '2024-02-01',
      YourReference: 'WEB-1043',
      DeliveryMethodCode: 'KOERIER',
      DeliveryCustomerName: 'Brouwerij De Smet BV',
      DeliveryAddress1: 'Havenlaan 88',
      DeliveryCountryCode: 'BE',
    });
    expect(payload.Rows).toEqual([
      { LineNumber: 1, ...rowFlags, ArticleId: 'art-ap', Text: 'Espressomachine', Quantity: 1, UnitPrice: 180 },
      { LineNumber: 2, ...rowFlags, ArticleId: 'art-kb', Text: 'Koffiebonen 1kg', Quantity: 3, UnitPrice: 27.48 },
      { LineNumber: 3, ...rowFlags, ArticleId: 'art-ship', Quantity: 1, UnitPrice: 5.74 },
    ]);
  });

  it('books a pickup in Germany with no shipping row and cash terms', async () => {
    const flow = flowNamed(artifact, 'orders');
    const recorded: Recorded = { upserts: [] };
    const payload = (await evaluate(flow, flow.payload.create!, pickupDE, accounting, {}, recorded)) as Record<string, unknown>;
    expect(recorded.upserts[0]!.payload).toMatchObject({ Name: 'Anna Schmidt', InvoiceAddress1: 'Hauptstraße 5', InvoiceCountryCode: 'DE', TermsOfPaymentId: CASH_TERMS });
    expect(payload.DeliveryMethodCode).toBe('AFHALEN');
    expect(payload.Rows).toEqual([{ LineNumber: 1, ...rowFlags, ArticleId: 'art-sv', Text: 'Theepot', Quantity: 1, UnitPrice: 24.95 }]);
  });

  it('books every order on the default customer when one is configured, without touching customers', async () => {
    const flow = flowNamed(artifact, 'orders');
    const recorded: Recorded = { upserts: [] };
    const payload = (await evaluate(flow, flow.payload.create!, privatePersonNL, accounting, { default_customer: '1000' }, recorded)) as Record<string, unknown>;
    expect(payload.CustomerId).toBe('cust-default');
    expect(recorded.upserts).toEqual([]);
  });

  it('fails the order with the SKU when an ordered product is not an article', async () => {
    const flow = flowNamed(artifact, 'orders');
    const order = { ...privatePersonNL, orderrows: [{ ...privatePersonNL.orderrows[0], product_number: 'NOPE-1' }] };
    await expect(evaluate(flow, flow.payload.create!, order, accounting)).rejects.toThrow(/Number = "NOPE-1": 0 records match/);
  });

  it('sends only completed orders in the chosen statuses, paid ones unless only_paid is off', async () => {
    const flow = flowNamed(artifact, 'orders');
    const filter = flow.filter!;
    expect(await evaluate(flow, filter, privatePersonNL)).toBe(true);
    expect(await evaluate(flow, filter, { ...privatePersonNL, paid: false })).toBe(false);
    expect(await evaluate(flow, filter, { ...privatePersonNL, paid: false }, {}, { only_paid: false })).toBe(true);
    expect(await evaluate(flow, filter, { ...privatePersonNL, status: 8 })).toBe(false);
    expect(await evaluate(flow, filter, { ...privatePersonNL, is_completed: false })).toBe(false);
  });

  it('recognises an order already sent by its order number, and writes the shop status back only when asked', async () => {
    const flow = flowNamed(artifact, 'orders');
    expect(flow.identify?.field).toBe('YourReference');
    expect(await evaluate(flow, flow.identify!.value, privatePersonNL)).toBe('WEB-1042');
    expect(flow.onExisting).toEqual({ action: 'skip' });
    const writeBack = flow.writeBack!;
    expect(await evaluate(flow, writeBack.when!, privatePersonNL)).toBe(false);
    expect(await evaluate(flow, writeBack.when!, privatePersonNL, {}, { sent_status: 2 })).toBe(true);
    expect(await evaluate(flow, writeBack.payload, privatePersonNL, {}, { sent_status: 2 })).toEqual({ status: 2 });
  });

  it('plans the I/O: order rows as a child collection, article and customer lookups, the customer upsert', () => {
    const plan = flowNamed(artifact, 'orders').plan;
    expect(plan.source).toEqual({ entity: { connector: 'ccvshop', entity: 'orders' }, children: ['orderrows'] });
    expect(plan.lookups.map((l) => `${l.entity.entity}.${l.key}`).sort()).toEqual([
      'articles.Number', 'articles.Number', 'articles.Number', 'customers.CustomerNumber',
    ]);
    expect(plan.upserts.map((u) => `${u.entity.entity}.${u.key}`)).toEqual(['customers.EmailAddress']);
    expect(plan.writes).toEqual([
      { entity: { connector: 'eaccounting', entity: 'orders' }, actions: ['create'], role: 'target' },
      { entity: { connector: 'ccvshop', entity: 'orders' }, actions: ['update'], role: 'write-back' },
    ]);
  });

  it("plans a product's category links as linked-child creates, and offers the field only where the target has such a child", () => {
    expect(flowNamed(artifact, 'products').plan.writes).toEqual([
      { entity: { connector: 'ccvshop', entity: 'products' }, actions: ['create', 'update'], role: 'target' },
      { entity: { connector: 'ccvshop', entity: 'producttocategories' }, actions: ['create'], role: 'linked-child' },
    ]);
    expect(flowNamed(artifact, 'stock').plan.writes.map((w) => w.role)).toEqual(['target']);
    const wrong = compile({
      files: [{ name: 'x.map', text: 'flow x: eaccounting.articles -> ccvshop.categories {\n  identify by name = Name\n  name = Name\n  producttocategories = each ArticleLabels as l {\n    category_id = 1\n  }\n}\n' }],
      connectors,
    });
    expect(wrong.diagnostics.map((d) => d.code)).toContain('ML3001');
  });

  it('traces each target field to its .map line and the source fields it reads', () => {
    const fields = flowNamed(artifact, 'orders').fields;
    const sourcesOf = (target: string) => fields.filter((f) => f.target === target).map((f) => f.sources);
    expect(sourcesOf('YourReference')).toEqual([['ordernumber_full']]);
    // Rows[].Quantity has three rules: the order rows, the shipping row and the coupon row.
    expect(sourcesOf('Rows[].Quantity')).toEqual([['orderrows[].count'], [], []]);
    expect(sourcesOf('DeliveryCity')).toEqual([['customer.deliveryaddress.city']]);
    expect(sourcesOf('CustomerId')[0]).toContain('customer.email');
    const quantity = fields.find((f) => f.target === 'Rows[].Quantity')!;
    expect(quantity.location.file).toBe('mappings/orders.map');
  });
});

describe('the other document mappings give the same order as their document type', () => {
  it('invoice drafts carry the order number, rows with the draft row flags, and the shipping row', async () => {
    const flow = flowNamed(artifact, 'invoicedrafts');
    const payload = (await evaluate(flow, flow.payload.create!, privatePersonNL, accounting)) as Record<string, unknown>;
    expect(payload).toMatchObject({ InvoiceDate: '2024-01-15', YourReference: 'WEB-1042', EuThirdParty: false, RotReducedInvoicingType: 0 });
    expect(payload.Rows).toEqual([
      { LineNumber: 1, IsTextRow: false, ReversedConstructionServicesVatFree: false, ArticleId: 'art-kb', Text: 'Koffiebonen 1kg', Quantity: 2, UnitPrice: 29.95 },
      { LineNumber: 2, IsTextRow: false, ReversedConstructionServicesVatFree: false, ArticleId: 'art-ship', Quantity: 1, UnitPrice: 4.95 },
      { LineNumber: 3, IsTextRow: false, ReversedConstructionServicesVatFree: false, ArticleId: 'art-disc-9', Text: 'Korting WELKOM5 (9% btw)', Quantity: -1, UnitPrice: 5 },
    ]);
  });

  it('invoices carry terms of payment from the payment method and VAT-free rows for chosen countries', async () => {
    const flow = flowNamed(artifact, 'invoices');
    const payload = (await evaluate(flow, flow.payload.create!, pickupDE, accounting, { vat_free_countries: ['DE'] })) as Record<string, unknown>;
    expect(payload).toMatchObject({ TermsOfPaymentId: CASH_TERMS, YourReference: 'WEB-1044' });
    expect(payload.Rows).toEqual([{ ArticleId: 'art-sv', Text: 'Theepot', Quantity: 1, UnitPrice: 24.95, IsVatFree: true }]);
  });

  it('quotes get a due date after the validity period, and article rows without line numbers', async () => {
    const flow = flowNamed(artifact, 'quotes');
    const payload = (await evaluate(flow, flow.payload.create!, pickupDE, accounting)) as Record<string, unknown>;
    expect(payload).toMatchObject({ QuoteDate: '2024-01-15', DueDate: '2024-02-14' });
    expect(payload.Rows).toEqual([{ ArticleId: 'art-sv', Text: 'Theepot', Quantity: 1, UnitPrice: 24.95 }]);
  });

  it('customers are created or updated by e-mail, company versus private person', async () => {
    const flow = flowNamed(artifact, 'customers');
    expect(flow.identify?.field).toBe('EmailAddress');
    expect(flow.onExisting.action).toBe('update');
    const company = (await evaluate(flow, flow.payload.create!, companyBE)) as Record<string, unknown>;
    expect(company).toMatchObject({ Name: 'Brouwerij De Smet BV', IsPrivatePerson: false, ContactPersonName: "Sean O'Brien", VatNumber: 'BE0123456789' });
    const person = (await evaluate(flow, flow.payload.update!, privatePersonNL)) as Record<string, unknown>;
    expect(person).toMatchObject({ Name: 'Jan Jansen', IsPrivatePerson: true });
    expect(person).not.toHaveProperty('ContactPersonName');
  });
});
