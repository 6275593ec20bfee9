import type { SandboxRecord } from '../../../sandbox/store.js';
import { round2 } from '../../../sandbox/seed-plan.js';
import type { EaContext } from '../context.js';
import type { EaResource } from './types.js';
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
  readonly finish?: (ctx: EaContext, record: SandboxRecord, customer: SandboxRecord, totals: DocumentTotals) => SandboxRecord;
}

const ORDER: DocumentKind = {
  name: 'orders', title: 'Order', numberField: 'Number', numberStart: 1, amountField: 'Amount', vatField: 'VatAmount', roundingsField: 'RoundingsAmount', modifiedField: 'ModifiedUtc', dateField: 'OrderDate',
  // §4.6 lists CustomerName among the order's read-only fields.
  finish: (_ctx, record, customer) => ({ ...record, CustomerName: customer.Name }),
};
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
    ...(options.update ? { update: (ctx: EaContext, body: SandboxRecord, existing?: SandboxRecord) => buildDocument(ctx, kind, body, existing) } : {}),
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
 * copied in.
 */
function buildDocument(ctx: EaContext, kind: DocumentKind, body: SandboxRecord, existing?: SandboxRecord) {
  const customer = ctx.find('customers', body.CustomerId);
  if (!customer) return { error: ctx.errors.missingReference('CustomerId', body.CustomerId, 'Customer') };
  if (body.TermsOfPaymentId != null && !ctx.find('termsofpayments', body.TermsOfPaymentId)) {
    return { error: ctx.errors.missingReference('TermsOfPaymentId', body.TermsOfPaymentId, 'TermsOfPayment') };
  }
  const deliveryMethod = body.DeliveryMethodId != null ? ctx.find('deliverymethods', body.DeliveryMethodId) : undefined;
  if (body.DeliveryMethodId != null && !deliveryMethod) {
    return { error: ctx.errors.missingReference('DeliveryMethodId', body.DeliveryMethodId, 'DeliveryMethod') };
  }

  const rows: SandboxRecord[] = [];
  const vatRules = documentVatRules(ctx, customer, body, ctx.company);
  const lines: VatLine[] = [];
  for (const [index, row] of ((body.Rows as SandboxRecord[] | null | undefined) ?? []).entries()) {
    if (row.IsTextRow === true) {
      if (typeof row.Text !== 'string' || row.Text.length === 0) {
        return { error: ctx.errors.validation([{ field: `Rows[${index}].Text`, keyword: 'required', message: `The Rows[${index}].Text field is required for a text row.` }]) };
      }
      rows.push({ ...row, Id: ctx.random.uuid(), ArticleId: null, Quantity: row.Quantity ?? null, UnitPrice: row.UnitPrice ?? null });
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
      ArticleId: article.Id,
      ArticleNumber: article.Number,
      Text: row.Text ?? article.Name,
      UnitPrice: unitPrice,
      Quantity: quantity,
      DiscountPercentage: discount,
      VatRate: rate,
      UnitId: article.UnitId,
      UnitName: article.UnitName,
      UnitAbbreviation: article.UnitAbbreviation,
      IsServiceArticle: article.IsServiceArticle ?? false,
      Amount: rowAmount,
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
    DeliveryMethodName: deliveryMethod?.Name ?? null,
    DeliveryMethodCode: deliveryMethod?.Code ?? null,
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

function nextNumber(ctx: EaContext, kind: DocumentKind): number {
  const highest = ctx.store.list(kind.name).reduce((max, record) => Math.max(max, Number(record[kind.numberField]) || 0), kind.numberStart - 1);
  return highest + 1;
}
