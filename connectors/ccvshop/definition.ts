import type { ConnectorDefinition, PagingSpec } from '../definition.js';
import { ccvshopSchemas } from './schemas/index.js';

/**
 * CCV Shop REST API v1, as described in `shared/apis/ccvshop.md` (section numbers below refer to it).
 * Paths are relative to `https://<shop>/api/rest/v1`; the trailing slash is optional on the real API (§4).
 */

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** §2: `start`/`size` offsets, follow `next` until null; max size 250 (MH clamps to 1..250, [L]). */
const offsetPaging: PagingSpec = {
  style: 'offset',
  startParam: 'start',
  sizeParam: 'size',
  maxSize: 250,
  itemsField: 'items',
  nextField: 'next',
};

export const ccvshop: ConnectorDefinition = {
  name: 'ccvshop',
  title: 'CCV Shop',
  // Every shop has its own host; the config (or the sandbox) sets the real one. CCV's public demo shop here.
  defaultBaseUrl: 'https://demo.ccvshop.nl/api/rest/v1',
  // §1: x-date may differ at most 5 minutes from server time [H].
  auth: { type: 'ccv-hmac', maxClockSkewSeconds: 300 },
  paging: offsetPaging,
  // §3: per resource and method per minute [M]. The total API limit exists but its number is unknown [G].
  rateLimits: [
    { scope: 'endpoint', methods: ['GET'], limit: 150, windowMs: MINUTE_MS },
    { scope: 'endpoint', methods: ['POST', 'PATCH', 'PUT', 'DELETE'], limit: 100, windowMs: MINUTE_MS },
  ],
  // §3: `{status, code: "429.10", developermessage}`; no Retry-After, so back off about a minute on 429 [L].
  errors: { codeField: 'code', messageField: 'developermessage', defaultRetryAfterMs: MINUTE_MS },
  // §1: the official SDK's default media type.
  headers: { Accept: 'application/vnd.verto.webshop+json' },
  entities: {
    orders: {
      name: 'orders',
      title: 'Orders',
      idField: 'id',
      // `is_completed` defaults to true, so unfinished baskets stay hidden (§5 pitfall 3).
      list: { method: 'GET', path: '/orders' },
      get: { method: 'GET', path: '/orders/{id}' },
      update: { method: 'PATCH', path: '/orders/{id}', successStatus: 204, semantics: 'merge' },
      // §2 orders filters: search field -> query parameter (`paid` is filtered as `is_paid`).
      search: {
        style: 'query',
        fields: {
          ordernumber: 'ordernumber',
          status: 'status',
          paid: 'is_paid',
          paymethod_id: 'paymethod_id',
          transaction_id: 'transaction_id',
        },
      },
      // §2/§5: no modify-date filter; read from the create date (date only, as the JDK README sends it) and
      // re-poll recent orders so payment and status changes are seen. A day of overlap covers the unknown time
      // zone of `min_create_date`; 14 days of re-polling covers the usual pay-and-ship period [G].
      cursor: {
        style: 'created-since',
        field: 'create_date',
        param: 'min_create_date',
        format: 'date',
        overlapMs: DAY_MS,
        repollWindowMs: 14 * DAY_MS,
      },
      // §2 `orderby`: a field, `<field>_desc` for descending [M]. Newest first, so a customer's latest order is the
      // one that settles their record in a run.
      newestFirst: { orderby: 'create_date_desc' },
      children: {
        orderrows: { path: '/orders/{parentId}/orderrows', entity: 'orderrows' },
        // The merchant's notes and the customer's messages, read only when a flow uses them.
        ordernotes: { path: '/orders/{parentId}/ordernotes', entity: 'ordernotes' },
        ordermessages: { path: '/orders/{parentId}/ordermessages', entity: 'ordermessages' },
      },
      schemas: ccvshopSchemas.orders,
    },
    orderrows: {
      name: 'orderrows',
      title: 'Order rows',
      idField: 'id',
      // Rows are listed only under their order (a paged collection).
      list: { method: 'GET', path: '/orders/{parentId}/orderrows' },
      get: { method: 'GET', path: '/orderrows/{id}' },
      // §4: `{count, price, discount}` on orders that are not completed; the order's totals are recomputed.
      update: { method: 'PATCH', path: '/orderrows/{id}', successStatus: 204, semantics: 'merge' },
      delete: { method: 'DELETE', path: '/orderrows/{id}', successStatus: 204 },
      schemas: ccvshopSchemas.orderrows,
    },
    ordernotes: {
      name: 'ordernotes',
      title: 'Order notes',
      idField: 'id',
      // §4 `GET|POST /orders/{id}/ordernotes`. Not declared writable: the client creates only at paths without a
      // parent id, and a note is created under its order's path.
      list: { method: 'GET', path: '/orders/{parentId}/ordernotes' },
      get: { method: 'GET', path: '/ordernotes/{id}' },
      schemas: ccvshopSchemas.ordernotes,
    },
    ordermessages: {
      name: 'ordermessages',
      title: 'Order messages',
      idField: 'id',
      list: { method: 'GET', path: '/orders/{parentId}/ordermessages' },
      get: { method: 'GET', path: '/ordermessages/{id}' },
      schemas: ccvshopSchemas.ordermessages,
    },
    invoices: {
      name: 'invoices',
      title: 'Invoices',
      idField: 'id',
      list: { method: 'GET', path: '/invoices' },
      get: { method: 'GET', path: '/invoices/{id}' },
      // §2 invoices filters with exact values (`status` takes names there, the resource holds numbers).
      search: {
        style: 'query',
        fields: { invoicenumber: 'invoicenumber', invoicenumber_full: 'invoicenumber_full', ordernumber: 'ordernumber', ordernumber_full: 'ordernumber_full' },
      },
      schemas: ccvshopSchemas.invoices,
    },
    products: {
      name: 'products',
      title: 'Products',
      idField: 'id',
      list: { method: 'GET', path: '/products' },
      get: { method: 'GET', path: '/products/{id}' },
      create: { method: 'POST', path: '/products', successStatus: 201 },
      update: { method: 'PATCH', path: '/products/{id}', successStatus: 204, semantics: 'merge' },
      delete: { method: 'DELETE', path: '/products/{id}', successStatus: 204 },
      // §2 products filters. `productname` is a LIKE match of at least 3 characters, so `name` is not exact.
      search: {
        style: 'query',
        fields: { productnumber: 'productnumber', eannumber: 'eannumber', mpnnumber: 'mpnnumber', name: 'productname' },
      },
      // §2: products sort by `modifydate_desc` [M].
      newestFirst: { orderby: 'modifydate_desc' },
      children: {
        productphotos: { path: '/products/{parentId}/productphotos', entity: 'productphotos' },
        // A flow may set `producttocategories` like an array field: the runtime links the product to each category.
        producttocategories: {
          path: '/products/{parentId}/producttocategories',
          entity: 'producttocategories',
          link: { parentField: 'product_id', key: 'category_id' },
        },
      },
      readBack: { active: 'is_active', package_id: 'package.id', brand_id: 'brand.id', supplier_id: 'supplier.id' },
      schemas: ccvshopSchemas.products,
    },
    categories: {
      name: 'categories',
      title: 'Categories',
      idField: 'id',
      list: { method: 'GET', path: '/categories' },
      get: { method: 'GET', path: '/categories/{id}' },
      create: { method: 'POST', path: '/categories', successStatus: 201 },
      update: { method: 'PATCH', path: '/categories/{id}', successStatus: 204, semantics: 'merge' },
      delete: { method: 'DELETE', path: '/categories/{id}', successStatus: 204 },
      readBack: { parentcategory_id: 'parentcategory.id' },
      schemas: ccvshopSchemas.categories,
    },
    producttocategories: {
      name: 'producttocategories',
      title: 'Product to category links',
      idField: 'id',
      // There is no top-level list; links are listed under a product (see products.children).
      list: { method: 'GET', path: '/products/{parentId}/producttocategories' },
      get: { method: 'GET', path: '/producttocategories/{id}' },
      create: { method: 'POST', path: '/producttocategories', successStatus: 201 },
      delete: { method: 'DELETE', path: '/producttocategories/{id}', successStatus: 204 },
      schemas: ccvshopSchemas.producttocategories,
    },
    productphotos: {
      name: 'productphotos',
      title: 'Product photos',
      idField: 'id',
      list: { method: 'GET', path: '/products/{parentId}/productphotos' },
      get: { method: 'GET', path: '/productphotos/{id}' },
      schemas: ccvshopSchemas.productphotos,
    },
    paymethods: {
      name: 'paymethods',
      title: 'Payment methods',
      idField: 'id',
      // §2: `/paymethods` is `{href, items}` only, not paged [M].
      list: { method: 'GET', path: '/paymethods', paging: { style: 'none', itemsField: 'items' } },
      schemas: ccvshopSchemas.paymethods,
    },
    packages: {
      name: 'packages',
      title: 'Packages',
      idField: 'id',
      // §4: `/packages` drives the shipping-cost calculation; a product's `package_id` names one.
      list: { method: 'GET', path: '/packages' },
      get: { method: 'GET', path: '/packages/{id}' },
      schemas: ccvshopSchemas.packages,
    },
    webhooks: {
      name: 'webhooks',
      title: 'Webhooks',
      idField: 'id',
      list: { method: 'GET', path: '/webhooks' },
      get: { method: 'GET', path: '/webhooks/{id}' },
      create: { method: 'POST', path: '/webhooks', successStatus: 201 },
      update: { method: 'PATCH', path: '/webhooks/{id}', successStatus: 204, semantics: 'merge' },
      delete: { method: 'DELETE', path: '/webhooks/{id}', successStatus: 204 },
      schemas: ccvshopSchemas.webhooks,
    },
  },
};
