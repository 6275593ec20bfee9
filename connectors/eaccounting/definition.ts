import type { ConnectorDefinition, EntityDefinition, EntitySchemas, SearchSpec } from '../definition.js';
import { eaccountingSchemas } from './schemas/index.js';

/**
 * Visma eAccounting API v2, as described in `shared/apis/eaccounting.md` (section numbers below refer to it) and
 * the official Swagger file the schemas are generated from. Paths are relative to `.../v2`.
 */

const MINUTE_MS = 60_000;

/**
 * Overlap for `ChangedUtc`/`ModifiedUtc` cursors: records stamped just before a read but committed after it
 * would be missed by a strict `gt`; re-reading five minutes costs little since unchanged records are skipped by
 * content hash [G].
 */
const CURSOR_OVERLAP_MS = 5 * MINUTE_MS;

function odata(...fields: string[]): SearchSpec {
  return { style: 'odata', param: '$filter', fields };
}

/** §4: list `GET /x` (paged), `GET /x/{id}`. */
function readOnlyEntity(name: string, title: string, idField: string, schemas: EntitySchemas): EntityDefinition {
  return {
    name,
    title,
    idField,
    list: { method: 'GET', path: `/${name}` },
    get: { method: 'GET', path: `/${name}/{id}` },
    schemas,
  };
}

/** §4: create = POST → 201 with the object; update = PUT → 200, replacing the whole record; DELETE → 200. */
function writableEntity(
  name: string,
  title: string,
  schemas: EntitySchemas,
  options: { update: boolean; delete: boolean },
): EntityDefinition {
  return {
    name,
    title,
    idField: 'Id',
    list: { method: 'GET', path: `/${name}` },
    get: { method: 'GET', path: `/${name}/{id}` },
    create: { method: 'POST', path: `/${name}`, successStatus: 201 },
    ...(options.update
      ? { update: { method: 'PUT', path: `/${name}/{id}`, successStatus: 200, semantics: 'replace' } as const }
      : {}),
    ...(options.delete ? { delete: { method: 'DELETE', path: `/${name}/{id}`, successStatus: 200 } as const } : {}),
    schemas,
  };
}

export const eaccounting: ConnectorDefinition = {
  name: 'eaccounting',
  title: 'Visma eAccounting',
  defaultBaseUrl: 'https://eaccountingapi.vismaonline.com/v2',
  // §1: authorization code on Visma's identity server, Basic client authentication [H].
  auth: {
    type: 'oauth2',
    authorizeUrl: 'https://identity.vismaonline.com/connect/authorize',
    tokenUrl: 'https://identity.vismaonline.com/connect/token',
    scopes: ['ea:api', 'offline_access', 'ea:sales', 'ea:accounting'],
    clientAuth: 'basic',
    // §1: let the user pick the company; only companies that have eAccounting [H].
    authorizeParams: { prompt: 'select_account', acr_values: 'service:44643EB1-3F76-4C1C-A672-402AE8085934' },
  },
  // §2: `$page` is 1-based [M]; the max page size is not documented, clients use 1000 [G].
  paging: {
    style: 'page',
    pageParam: '$page',
    sizeParam: '$pagesize',
    firstPage: 1,
    maxSize: 1000,
    itemsField: 'Data',
    metaField: 'Meta',
    currentPageField: 'CurrentPage',
    totalPagesField: 'TotalNumberOfPages',
  },
  // §3: 600 requests per minute per client and endpoint [H].
  rateLimits: [{ scope: 'endpoint', methods: [], limit: 600, windowMs: MINUTE_MS }],
  // §3: `{ErrorCode, DeveloperErrorMessage, ErrorId, Errors}`; a 429 says "Try again in 55 seconds." [H].
  errors: {
    codeField: 'ErrorCode',
    messageField: 'DeveloperErrorMessage',
    idField: 'ErrorId',
    detailsField: 'Errors',
    retryAfterPattern: 'Try again in (\\d+) seconds',
    defaultRetryAfterMs: MINUTE_MS,
  },
  headers: { Accept: 'application/json' },
  entities: {
    customers: {
      ...writableEntity('customers', 'Customers', eaccountingSchemas.customers, { update: true, delete: true }),
      search: odata('CustomerNumber', 'Name', 'EmailAddress', 'VatNumber', 'CorporateIdentityNumber', 'IsActive', 'WebshopCustomerNumber'),
      cursor: { style: 'odata-modified', field: 'ChangedUtc', overlapMs: CURSOR_OVERLAP_MS },
      // §4.1: "for batch POST requests it is mandatory"; a duplicate answers 4000 Conflict [G].
      unique: ['CustomerNumber'],
    },
    articles: {
      // §4.2: no DELETE on articles.
      ...writableEntity('articles', 'Articles', eaccountingSchemas.articles, { update: true, delete: false }),
      search: odata('Number', 'Name', 'IsActive', 'CodingId', 'UnitId'),
      cursor: { style: 'odata-modified', field: 'ChangedUtc', overlapMs: CURSOR_OVERLAP_MS },
      unique: ['Number'],
    },
    // The Swagger file has POST, PUT and DELETE on article labels, so they are writable.
    articlelabels: {
      ...writableEntity('articlelabels', 'Article labels', eaccountingSchemas.articlelabels, { update: true, delete: true }),
      search: odata('Name'),
    },
    articleaccountcodings: {
      ...readOnlyEntity('articleaccountcodings', 'Article account codings', 'Id', eaccountingSchemas.articleaccountcodings),
      search: odata('Name', 'Type', 'IsActive'),
    },
    units: {
      ...readOnlyEntity('units', 'Units', 'Id', eaccountingSchemas.units),
      search: odata('Name', 'Code', 'Abbreviation'),
    },
    orders: {
      ...writableEntity('orders', 'Orders', eaccountingSchemas.orders, { update: true, delete: true }),
      search: odata('Number', 'CustomerId', 'YourReference', 'OurReference', 'Status'),
      cursor: { style: 'odata-modified', field: 'ModifiedUtc', overlapMs: CURSOR_OVERLAP_MS },
    },
    quotes: {
      ...writableEntity('quotes', 'Quotes', eaccountingSchemas.quotes, { update: true, delete: true }),
      search: odata('Number', 'CustomerId', 'Status'),
    },
    customerinvoicedrafts: {
      ...writableEntity('customerinvoicedrafts', 'Customer invoice drafts', eaccountingSchemas.customerinvoicedrafts, {
        update: true,
        delete: true,
      }),
      search: odata('CustomerId', 'YourReference', 'OurReference'),
    },
    // §4.9: invoices are created (or converted from drafts and orders) and never replaced.
    customerinvoices: {
      ...writableEntity('customerinvoices', 'Customer invoices', eaccountingSchemas.customerinvoices, {
        update: false,
        delete: false,
      }),
      search: odata('InvoiceNumber', 'CustomerId', 'YourReference', 'OurReference'),
      cursor: { style: 'odata-modified', field: 'ModifiedUtc', overlapMs: CURSOR_OVERLAP_MS },
    },
    termsofpayments: {
      ...readOnlyEntity('termsofpayments', 'Terms of payment', 'Id', eaccountingSchemas.termsofpayments),
      search: odata('Name', 'NumberOfDays', 'TermsOfPaymentTypeId'),
    },
    vatcodes: {
      ...readOnlyEntity('vatcodes', 'VAT codes', 'Id', eaccountingSchemas.vatcodes),
      search: odata('Code', 'VatRate'),
    },
    deliverymethods: {
      ...readOnlyEntity('deliverymethods', 'Delivery methods', 'Id', eaccountingSchemas.deliverymethods),
      search: odata('Name', 'Code'),
    },
    // Orders and invoice drafts copy a delivery term's `Code` and `Name` (`DeliveryTermCode`), customers name one by id.
    deliveryterms: {
      ...readOnlyEntity('deliveryterms', 'Delivery terms', 'Id', eaccountingSchemas.deliveryterms),
      search: odata('Name', 'Code'),
    },
    // Countries have no Id: the ISO alpha-2 `Code` is the key (`/countries/{countrycode}`).
    countries: {
      ...readOnlyEntity('countries', 'Countries', 'Code', eaccountingSchemas.countries),
      search: odata('Code', 'Name'),
    },
  },
};
