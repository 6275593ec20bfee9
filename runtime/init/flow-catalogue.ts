/**
 * The default flows `mapline init` offers, by the name a merchant picks them with. The order documents are
 * alternatives: one `.map` file per document type, and only one of them runs.
 */
export const DOCUMENT_FILES = {
  orders: 'mappings/orders.map',
  invoices: 'mappings/invoices.map',
  'invoice-drafts': 'mappings/invoice-drafts.map',
  quotes: 'mappings/quotes.map',
} as const;
export type DocumentType = keyof typeof DOCUMENT_FILES;

export const FLOW_FILES = {
  /** Shop orders as the chosen accounting document (DOCUMENT_FILES). */
  orders: null,
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
