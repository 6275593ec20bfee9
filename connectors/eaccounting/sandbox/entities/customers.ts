import type { SandboxRecord } from '../../../sandbox/store.js';
import type { EaRecords } from '../context.js';
import { customerDefaults } from '../seed.js';
import type { EaResource } from './types.js';

/**
 * Customers: `CustomerNumber` is unique (4000 Conflict) and auto-assigned when omitted; `TermsOfPaymentId`,
 * `DeliveryMethodId` and `DeliveryTermId` must exist (400, 3000); PUT replaces the record, keeping only
 * read-only fields.
 */
export const customers: EaResource = {
  name: 'customers',
  title: 'Customer',
  list: true,
  get: true,
  create: (ctx, body) => buildCustomer(ctx, body),
  update: (ctx, body, existing) => buildCustomer(ctx, body, existing),
  delete: (ctx, record) => {
    const used = ['orders', 'quotes', 'customerinvoicedrafts', 'customerinvoices'].some((entity) =>
      ctx.store.list(entity).some((doc) => doc.CustomerId === record.Id),
    );
    return used ? ctx.errors.cannotBeDeleted('customer', 'has transactions; set IsActive to false instead') : undefined;
  },
};

/** §4.1: "2-char country code followed by 8-12 numbers and letters"; the real API also asks VIES (not simulated). */
const VAT_NUMBER = /^[A-Z]{2}[0-9A-Za-z]{8,12}$/;

function buildCustomer(ctx: EaRecords, body: SandboxRecord, existing?: SandboxRecord) {
  if (typeof body.VatNumber === 'string' && body.VatNumber !== '' && !VAT_NUMBER.test(body.VatNumber)) {
    return { error: ctx.errors.invalidVatNumber(body.VatNumber) };
  }
  const terms = ctx.find('termsofpayments', body.TermsOfPaymentId);
  if (!terms) return { error: ctx.errors.missingReference('TermsOfPaymentId', body.TermsOfPaymentId, 'TermsOfPayment') };
  if (body.DeliveryMethodId != null && !ctx.find('deliverymethods', body.DeliveryMethodId)) {
    return { error: ctx.errors.missingReference('DeliveryMethodId', body.DeliveryMethodId, 'DeliveryMethod') };
  }
  if (body.DeliveryTermId != null && !ctx.find('deliveryterms', body.DeliveryTermId)) {
    return { error: ctx.errors.missingReference('DeliveryTermId', body.DeliveryTermId, 'DeliveryTerm') };
  }
  let number = body.CustomerNumber;
  if (number === undefined || number === null || number === '') {
    number = existing?.CustomerNumber ?? nextCustomerNumber(ctx);
  } else {
    const taken = ctx.store.list('customers').find((c) => String(c.CustomerNumber) === String(number) && c.Id !== existing?.Id);
    if (taken) return { error: ctx.errors.conflict('CustomerNumber', number) };
  }
  return {
    ...customerDefaults(),
    ...body,
    Id: existing?.Id ?? ctx.random.uuid(),
    CustomerNumber: String(number),
    TermsOfPaymentId: terms.Id,
    TermsOfPayment: terms,
    PayToAccountId: existing?.PayToAccountId ?? null,
    LastInvoiceDate: existing?.LastInvoiceDate ?? null,
    IsFutureInvoiceDateAllowed: existing?.IsFutureInvoiceDateAllowed ?? false,
    ChangedUtc: ctx.now(),
  } satisfies SandboxRecord;
}

function nextCustomerNumber(ctx: EaRecords): string {
  const highest = ctx.store.list('customers').reduce((max, c) => {
    const n = Number(c.CustomerNumber);
    return Number.isInteger(n) ? Math.max(max, n) : max;
  }, 0);
  return String(Math.max(highest, 1000) + 1);
}
