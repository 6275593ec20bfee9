import type { SandboxResponse } from '../../../sandbox/http-types.js';
import type { SandboxRecord } from '../../../sandbox/store.js';
import { round2 } from '../../../sandbox/seed-plan.js';
import type { EaContext, EaRecords } from '../context.js';
import { isError, type EaResource } from './types.js';
import { cents, documentTotals, documentVatRules, type DocumentTotals, type VatLine } from './vat.js';

/** How one kind of sales document names its number, totals and stamps (the API is not consistent, §5). */
interface DocumentKind {
  readonly name: string;
  readonly title: string;
  readonly numberField: string;
  readonly numberStart: number;
  readonly amountField: string;
  readonly vatField: string;
  readonly roundingsField: string;
  readonly modifiedField?: string;
  readonly dateField?: string;
  readonly finish?: (ctx: EaRecords, record: SandboxRecord, customer: SandboxRecord, totals: DocumentTotals) => SandboxRecord;
}

const ORDER: DocumentKind = { name: 'orders', title: 'Order', numberField: 'Number', numberStart: 1, amountField: 'Amount', vatField: 'VatAmount', roundingsField: 'RoundingsAmount', modifiedField: 'ModifiedUtc', dateField: 'OrderDate' };
const QUOTE: DocumentKind = { name: 'quotes', title: 'Quote', numberField: 'Number', numberStart: 1, amountField: 'TotalAmount', vatField: 'VatAmount', roundingsField: 'RoundingsAmount', dateField: 'QuoteDate' };
const DRAFT: DocumentKind = {
  name: 'customerinvoicedrafts', title: 'CustomerInvoiceDraft', numberField: '', numberStart: 0, amountField: 'TotalAmount', vatField: 'TotalVatAmount', roundingsField: 'TotalRoundings',
  finish: (_ctx, record) => ({ ...record, TotalAmountBaseCurrency: record.TotalAmount, TotalVatAmountBaseCurrency: record.TotalVatAmount, InvoiceCurrencyCode: record.InvoiceCurrencyCode ?? 'EUR' }),
};
const INVOICE: DocumentKind = {
  name: 'customerinvoices', title: 'CustomerInvoice', numberField: 'InvoiceNumber', numberStart: 20240000, amountField: 'TotalAmount', vatField: 'TotalVatAmount', roundingsField: 'TotalRoundings', modifiedField: 'ModifiedUtc', dateField: 'InvoiceDate',
  finish: (ctx, record, customer, totals) => {
    const total = round2((record.TotalAmount as number) + (record.TotalVatAmount as number));
    const terms = ctx.find('termsofpayments', record.TermsOfPaymentId ?? customer.TermsOfPaymentId);
    const invoiceDate = String(record.InvoiceDate);
    const due = record.DueDate ?? new Date(Date.parse(invoiceDate.slice(0, 10)) + Number(terms?.NumberOfDays ?? 14) * 86_400_000).toISOString().slice(0, 10);
    return {
      ...record,
      CurrencyCode: customer.CurrencyCode ?? 'EUR',
      TotalAmountInvoiceCurrency: record.TotalAmount,
      TotalVatAmountInvoiceCurrency: record.TotalVatAmount,
      RemainingAmount: total,
      RemainingAmountInvoiceCurrency: total,
      CustomerEmail: customer.EmailAddress ?? null,
      TermsOfPaymentId: terms?.Id ?? null,
      DueDate: due,
      PaymentReferenceNumber: String(record.InvoiceNumber),
      // "A summary of amounts for each VAT rate"; VatPercent on the codings' scale (a fraction).
      VatSpecification: totals.perRate.map((r) => ({ AmountInvoiceCurrency: r.net, VatAmountInvoiceCurrency: r.vat, VatPercent: r.rate })),
      SendType: record.SendType ?? 0,
    };
  },
};

function resource(kind: DocumentKind, options: { update: boolean; delete: boolean }): EaResource {
  return {
    name: kind.name,
    title: kind.title,
    list: true,
    get: true,
    create: (ctx, body) => buildDocument(ctx, kind, body),
    ...(options.update ? { update: (ctx: EaRecords, body: SandboxRecord, existing?: SandboxRecord) => buildDocument(ctx, kind, body, existing) } : {}),
    ...(options.delete
      ? {
          delete: (ctx: EaContext, record: SandboxRecord) =>
            // §4.6: shipped (3) and invoiced (4) orders cannot be deleted.
            kind.name === 'orders' && (record.Status === 3 || record.Status === 4) ? ctx.errors.cannotBeDeleted('order', 'is shipped or invoiced') : undefined,
        }
      : {}),
  };
}

export const orders = resource(ORDER, { update: true, delete: true });
export const quotes = resource(QUOTE, { update: true, delete: true });
export const customerInvoiceDrafts = resource(DRAFT, { update: true, delete: true });
export const customerInvoices: EaResource = {
  ...resource(INVOICE, { update: false, delete: false }),
  // §4.9: GET /v2/customerinvoices takes `modifiedSinceUtc` besides OData.
  listFilter: (query, records) => {
    const since = query.get('modifiedSinceUtc');
    if (since === null || since === '') return records;
    const at = Date.parse(/T/.test(since) && !/(Z|[+-]\d{2}:\d{2})$/.test(since) ? `${since}Z` : since);
    if (Number.isNaN(at)) return { problem: `modifiedSinceUtc '${since}' is not a valid date-time` };
    return records.filter((record) => Date.parse(String(record.ModifiedUtc)) >= at);
  },
};

/**
 * Shared rules for orders, quotes, drafts and invoices: the customer and every article must exist (400,
 * 3000), non-text rows need an ArticleId, row texts and prices default from the article, totals are
 * computed (amounts excluding VAT; VAT from the article's coding and the customer, vat.ts), customer fields are
 * copied in. The fields set here are those the kinds share; each kind's read schema keeps the ones it documents.
 */
function buildDocument(ctx: EaRecords, kind: DocumentKind, body: SandboxRecord, existing?: SandboxRecord) {
  const customer = ctx.find('customers', body.CustomerId);
  if (!customer) return { error: ctx.errors.missingReference('CustomerId', body.CustomerId, 'Customer') };
  if (body.TermsOfPaymentId != null && !ctx.find('termsofpayments', body.TermsOfPaymentId)) {
    return { error: ctx.errors.missingReference('TermsOfPaymentId', body.TermsOfPaymentId, 'TermsOfPayment') };
  }
  const deliveryMethod = deliveryCopy(ctx, body, customer, DELIVERY_METHOD);
  if (isError(deliveryMethod)) return deliveryMethod;
  const deliveryTerm = deliveryCopy(ctx, body, customer, DELIVERY_TERM);
  if (isError(deliveryTerm)) return deliveryTerm;

  const rows: SandboxRecord[] = [];
  const vatRules = documentVatRules(ctx, customer, body, ctx.company);
  const lines: VatLine[] = [];
  for (const [index, row] of ((body.Rows as SandboxRecord[] | null | undefined) ?? []).entries()) {
    if (row.IsTextRow === true) {
      if (typeof row.Text !== 'string' || row.Text.length === 0) {
        return { error: ctx.errors.validation([{ field: `Rows[${index}].Text`, keyword: 'required', message: `The Rows[${index}].Text field is required for a text row.` }]) };
      }
      rows.push({ ...row, Id: ctx.random.uuid(), LineNumber: row.LineNumber ?? index + 1, ArticleId: null, Quantity: row.Quantity ?? null, UnitPrice: row.UnitPrice ?? null });
      continue;
    }
    if (row.ArticleId == null) {
      return { error: ctx.errors.validation([{ field: `Rows[${index}].ArticleId`, keyword: 'required', message: `The Rows[${index}].ArticleId field is required when IsTextRow is false.` }]) };
    }
    const article = ctx.find('articles', row.ArticleId);
    if (!article) return { error: ctx.errors.missingReference(`Rows[${index}].ArticleId`, row.ArticleId, 'Article') };
    const coding = ctx.find('articleaccountcodings', article.CodingId);
    const rate = vatRules.rateOf(row, Number(coding?.VatRatePercent ?? 0));
    const quantity = Number(row.Quantity ?? 1);
    // A row without a price takes the article's, on the basis the document's prices are on.
    const unitPrice = row.UnitPrice == null ? Number((vatRules.includesVat ? article.GrossPrice : article.NetPrice) ?? 0) : Number(row.UnitPrice);
    const discount = Number(row.DiscountPercentage ?? 0);
    const rowAmount = cents(quantity * unitPrice * (1 - discount));
    lines.push({ amount: rowAmount, rate });
    rows.push({
      ...row,
      Id: ctx.random.uuid(),
      // Where the row's LineNumber is read-only or optional (quotes, drafts, invoices) the API numbers the rows.
      LineNumber: row.LineNumber ?? index + 1,
      ArticleId: article.Id,
      ArticleNumber: article.Number,
      Text: row.Text ?? article.Name,
      UnitPrice: unitPrice,
      Quantity: quantity,
      DiscountPercentage: discount,
      UnitId: article.UnitId,
      UnitName: row.UnitName ?? article.UnitName,
      UnitAbbreviation: article.UnitAbbreviation,
      // CustomerInvoiceRowApi's names for the row's amount excluding VAT and its VAT rate (a fraction, as the coding's).
      AmountNoVat: rowAmount,
      PercentVat: rate,
    });
  }

  const totals = documentTotals(lines, vatRules.includesVat);
  const now = ctx.now();
  let record: SandboxRecord = {
    Id: existing?.Id ?? ctx.random.uuid(),
    ...body,
    CustomerId: customer.Id,
    CustomerNumber: customer.CustomerNumber,
    CustomerIsPrivatePerson: customer.IsPrivatePerson,
    InvoiceCustomerName: body.InvoiceCustomerName ?? customer.Name,
    InvoiceAddress1: body.InvoiceAddress1 || customer.InvoiceAddress1 || null,
    InvoiceAddress2: body.InvoiceAddress2 || customer.InvoiceAddress2 || null,
    InvoicePostalCode: body.InvoicePostalCode || customer.InvoicePostalCode || null,
    InvoiceCity: body.InvoiceCity || customer.InvoiceCity || null,
    InvoiceCountryCode: body.InvoiceCountryCode || customer.InvoiceCountryCode || null,
    CurrencyCode: body.CurrencyCode ?? customer.CurrencyCode ?? 'EUR',
    CurrencyRate: body.CurrencyRate ?? 1,
    ...deliveryMethod,
    ...deliveryTerm,
    IncludesVat: vatRules.includesVat,
    Rows: rows,
    [kind.amountField]: totals.net,
    [kind.vatField]: totals.vat,
    [kind.roundingsField]: 0,
    CreatedUtc: existing?.CreatedUtc ?? now,
    ...(kind.modifiedField ? { [kind.modifiedField]: now } : {}),
    ...(kind.dateField ? { [kind.dateField]: body[kind.dateField] ?? existing?.[kind.dateField] ?? now.slice(0, 10) } : {}),
  };
  if (kind.numberField) {
    record[kind.numberField] = existing?.[kind.numberField] ?? nextNumber(ctx, kind);
  }
  if (kind.finish) record = kind.finish(ctx, record, customer, totals);
  return record;
}

/** How a document names the copy of one delivery reference, and where the customer keeps its default. */
interface DeliveryReference {
  readonly entity: string;
  readonly title: string;
  readonly codeField: string;
  readonly nameField: string;
  readonly customerField: string;
}

const DELIVERY_METHOD: DeliveryReference = { entity: 'deliverymethods', title: 'DeliveryMethod', codeField: 'DeliveryMethodCode', nameField: 'DeliveryMethodName', customerField: 'DeliveryMethodId' };
const DELIVERY_TERM: DeliveryReference = { entity: 'deliveryterms', title: 'DeliveryTerm', codeField: 'DeliveryTermCode', nameField: 'DeliveryTermName', customerField: 'DeliveryTermId' };

/**
 * A document keeps its own copy of the delivery method's (term's) code and name. A code in the body must be
 * one of `/v2/deliverymethods` (`/v2/deliveryterms`), in any letter case, else 400 ErrorCode 3000 naming the
 * field; its name comes along unless the body gives one. A body with a name and no code keeps just that name.
 * A body with neither (always so for quotes and invoices, where the fields are read-only) copies the
 * customer's default (`DeliveryMethodId`, `DeliveryTermId`), if it has one.
 */
function deliveryCopy(ctx: EaRecords, body: SandboxRecord, customer: SandboxRecord, reference: DeliveryReference): SandboxRecord | { error: SandboxResponse } {
  const code = body[reference.codeField];
  const name = body[reference.nameField];
  let chosen: SandboxRecord | undefined;
  if (code != null) {
    chosen = ctx.store.list(reference.entity).find((item) => String(item.Code).toLowerCase() === String(code).toLowerCase());
    if (!chosen) return { error: ctx.errors.missingReference(reference.codeField, code, reference.title, 'code') };
  } else if (name == null) {
    chosen = ctx.find(reference.entity, customer[reference.customerField]);
  }
  return { [reference.codeField]: chosen?.Code ?? null, [reference.nameField]: name ?? chosen?.Name ?? null };
}

function nextNumber(ctx: EaRecords, kind: DocumentKind): number {
  const highest = ctx.store.list(kind.name).reduce((max, record) => Math.max(max, Number(record[kind.numberField]) || 0), kind.numberStart - 1);
  return highest + 1;
}
