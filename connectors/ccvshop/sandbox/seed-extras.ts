import type { EntityRecords, SandboxRecord } from '../../sandbox/store.js';
import { isoSeconds } from '../../sandbox/seed-plan.js';
import { CCV_ID_BASE } from './ids.js';
import { invoiceRecord } from './invoices.js';
import { PACKAGE } from './order-totals.js';

/**
 * The CCV resources the shared seed plan knows nothing about but the orders, products and categories link to:
 * order notes and customer messages, invoices of the paid orders, product photos, packages, a few
 * subcategories, and the webshop with its settings. Derived from the records by fixed rules (no randomness),
 * so the same seed still gives the same data byte for byte.
 */

/** §4 status enum [M] with the names a Dutch shop's backend shows (the merchant can rename them). */
const ORDER_STATUSES: readonly [number, string, string, string][] = [
  [1, 'New', 'Nieuw', '#3c8dbc'],
  [2, 'In process', 'In behandeling', '#f39c12'],
  [3, 'Wait for manufacturer', 'Wacht op fabrikant', '#605ca8'],
  [4, 'Wait for payment', 'Wacht op betaling', '#dd4b39'],
  [5, 'Sent', 'Verzonden', '#00a65a'],
  [6, 'Delivered', 'Afgeleverd', '#008d4c'],
  [7, 'Completed', 'Afgerond', '#001f3f'],
  [8, 'Cancelled', 'Geannuleerd', '#777777'],
  [9, 'Wait for supplier', 'Wacht op leverancier', '#605ca8'],
  [10, 'Is being packaged', 'Wordt ingepakt', '#00c0ef'],
  [11, 'Ready to be collected', 'Klaar om op te halen', '#39cccc'],
  [12, 'Is being assembled', 'Wordt samengesteld', '#00c0ef'],
  [13, 'Backorder', 'Backorder', '#ff851b'],
  [14, 'Reserved', 'Gereserveerd', '#d81b60'],
];

export const ORDER_STATUS_IDS: readonly number[] = ORDER_STATUSES.map(([id]) => id);

export const WEBSHOP_ID = 1;

const PACKAGES: readonly SandboxRecord[] = [
  { id: PACKAGE.id, name: PACKAGE.name },
  { id: 80832, name: 'Brievenbuspakje' },
  { id: 80833, name: 'Groot pakket' },
];

const INTERNAL_NOTES = [
  'Klant belde: graag na 17:00 bezorgen.',
  'Let op: factuur op bedrijfsnaam, niet op de contactpersoon.',
  'Cadeauverpakking gevraagd, kaartje zonder prijs.',
  'Samen verzenden met de vorige bestelling van deze klant.',
];
const EXTERNAL_NOTES = ['Uw bestelling wordt morgen verzonden.', 'Eén artikel komt later; we sturen het kosteloos na.'];
const CUSTOMER_MESSAGES = [
  'Graag bij de buren afgeven als we niet thuis zijn.',
  'Het is een cadeau: wilt u de pakbon zonder prijzen meesturen?',
  'Kan de bezorging op zaterdag?',
  "Graag de bonen gemalen voor een filterapparaat.",
];

/** Subcategories under the plan's first two categories: names that are no article label. */
const SUBCATEGORIES: readonly [parentIndex: number, name: string][] = [
  [0, 'Espresso & ristretto'],
  [1, 'Thee-accessoires'],
];

const HOUR_MS = 3_600_000;

export interface SeededCore {
  readonly orders: readonly SandboxRecord[];
  readonly products: readonly SandboxRecord[];
}

export function seedExtras({ orders, products }: SeededCore): EntityRecords {
  const ordernotes: SandboxRecord[] = [];
  const ordermessages: SandboxRecord[] = [];
  const invoices: SandboxRecord[] = [];
  orders.forEach((order, i) => {
    if (!order.is_completed) return;
    const created = String(order.create_date);
    if (i % 3 === 0) ordernotes.push(note(CCV_ID_BASE.ordernotes + ordernotes.length + 1, order, INTERNAL_NOTES[(i / 3) % INTERNAL_NOTES.length]!, 'internal', later(created, 1)));
    if (i % 7 === 2) ordernotes.push(note(CCV_ID_BASE.ordernotes + ordernotes.length + 1, order, EXTERNAL_NOTES[i % EXTERNAL_NOTES.length]!, 'external', later(created, 20)));
    if (i % 5 === 1) ordermessages.push({ id: CCV_ID_BASE.ordermessages + ordermessages.length + 1, order_id: order.id, message: CUSTOMER_MESSAGES[i % CUSTOMER_MESSAGES.length], create_date: created });
    if (typeof order.invoicenumber === 'number') invoices.push(invoiceRecord(order, CCV_ID_BASE.invoices + invoices.length + 1, order.invoicenumber, created));
  });
  const productphotos: SandboxRecord[] = [];
  products.forEach((product, i) => {
    if (i % 4 === 3) return;
    const slug = String(product.name).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    productphotos.push({ id: CCV_ID_BASE.productphotos + productphotos.length + 1, product_id: product.id, filename: `${slug}.jpg`, alttext: product.name, is_mainphoto: true });
    if (i % 5 === 0) productphotos.push({ id: CCV_ID_BASE.productphotos + productphotos.length + 1, product_id: product.id, filename: `${slug}-detail.jpg`, alttext: `${String(product.name)} (detail)`, is_mainphoto: false });
  });
  return {
    ordernotes,
    ordermessages,
    ordernotifications: [],
    orderaffiliatenetworks: [],
    orderlabels: [],
    invoices,
    productphotos,
    attributecombinations: [],
    packages: PACKAGES.map((p) => ({ ...p })),
    users: [],
    webshops: [webshop()],
  };
}

/** Subcategory records to add after the plan's categories (ids follow on, parent set). */
export function subcategories(categories: readonly SandboxRecord[], make: (name: string, id: number, position: number) => SandboxRecord): SandboxRecord[] {
  const lastId = categories.reduce((max, c) => Math.max(max, Number(c.id)), 0);
  return SUBCATEGORIES.flatMap(([parentIndex, name], i) => {
    const parent = categories[parentIndex];
    return parent ? [{ ...make(name, lastId + 1 + i, 1), parentcategory: { id: parent.id } }] : [];
  });
}

function note(id: number, order: SandboxRecord, text: string, type: string, createDate: string): SandboxRecord {
  return { id, order_id: order.id, note: text, type, create_date: createDate };
}

function later(iso: string, hours: number): string {
  return isoSeconds(Date.parse(iso) + hours * HOUR_MS);
}

function webshop(): SandboxRecord {
  return {
    id: WEBSHOP_ID,
    name: 'Koffie & Co',
    is_multishop_system: false,
    product_limit: -1,
    product_limit_left: -1,
    settings: {
      webshop_enabled: true,
      currency: 'EUR',
      prices_include_vat: true,
      languages: ['nl', 'en'],
      backend_language: 'nl',
      stock: true,
      ordering_without_stock: 'no',
      order_status: ORDER_STATUSES.map(([id, status, name, background]) => ({ id, status, status_name: name, text_color: '#ffffff', background_color: background })),
    },
  };
}
