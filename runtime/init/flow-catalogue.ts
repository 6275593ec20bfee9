/**
 * The accounting document each shop order becomes, by the word a merchant picks it with, and the value of the
 * `document` setting of mappings/orders.map that chooses it (one process for all four; only one type runs).
 */
export const DOCUMENT_TYPES = {
  orders: 'orders',
  invoices: 'invoices',
  'invoice-drafts': 'invoicedrafts',
  quotes: 'quotes',
} as const;
export type DocumentType = keyof typeof DOCUMENT_TYPES;
/** The mapping the orders choice runs, with `document` set to the chosen type. */
export const ORDERS_FILE = 'mappings/orders.map';

export const FLOW_FILES = {
  /** Shop orders as the chosen accounting document (ORDERS_FILE with DOCUMENT_TYPES). */
  orders: ORDERS_FILE,
  customers: 'mappings/customers.map',
  products: 'mappings/products.map',
  stock: 'mappings/stock.map',
  'products-to-accounting': 'mappings/products-to-accounting.map',
} as const;
export type FlowChoice = keyof typeof FLOW_FILES;

/** Article labels as shop categories: offered with the products flow, which puts products in them. */
export const CATEGORIES_FILE = 'mappings/categories.map';
export const FLOW_CHOICES = Object.keys(FLOW_FILES) as FlowChoice[];

export const STOCK_CALCULATIONS = ['available', 'balance', 'available_floored'] as const;
export type StockCalculation = (typeof STOCK_CALCULATIONS)[number];

/** The mapping table `mapline init` fills with the shop's payment methods and the accounting's terms. */
export const TERMS_TABLE = 'terms_by_paymethod';
