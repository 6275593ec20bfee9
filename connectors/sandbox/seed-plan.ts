import { SeededRandom } from './rng.js';

/**
 * The shared seed description both sandboxes are built from, so they agree: the shop's product numbers are the
 * accounting system's article numbers, some shop customers already exist in accounting (same e-mail), and the
 * shop's paymethods are the ones the mappings translate. Connector seeds turn this neutral plan into records.
 * Pure (no Node imports): the playground build generates its sample data from it too.
 */
export interface SeedSizes {
  readonly products: number;
  readonly customers: number;
  readonly orders: number;
}

export const DEFAULT_SIZES: SeedSizes = { products: 40, customers: 30, orders: 60 };

export interface PlanCategory {
  readonly key: string;
  readonly name: string;
  readonly prefix: string;
  readonly vatRate: number;
  readonly products: readonly string[];
}

export interface PlanProduct {
  readonly index: number;
  readonly number: string;
  readonly ean: string;
  readonly name: string;
  readonly category: string;
  /** Sell price including VAT (the shop's prices include VAT). */
  readonly priceIncl: number;
  readonly purchasePrice: number;
  readonly vatRate: number;
  readonly stock: number;
  /** Quantity reserved by open orders in accounting. */
  readonly reserved: number;
  readonly active: boolean;
  readonly weight: number;
  readonly createdAt: string;
  readonly changedAt: string;
}

export interface PlanCustomer {
  readonly index: number;
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly company: string | null;
  readonly vatNumber: string | null;
  readonly kvk: string | null;
  readonly countryCode: string;
  readonly countryName: string;
  readonly street: string;
  readonly housenumber: number;
  readonly housenumberSuffix: string | null;
  readonly zipcode: string;
  readonly city: string;
  readonly telephone: string;
  /** Set when the customer already exists in accounting (matched on e-mail by the mappings). */
  readonly accountingNumber: string | null;
}

export interface PlanPaymethod {
  readonly id: number;
  readonly psp: string;
  readonly method: string;
  readonly combinedName: string;
  readonly label: string;
  /** Whether payment is normally done at checkout (unpaid orders then are rare). */
  readonly instant: boolean;
}

export interface PlanOrderRow {
  readonly product: number;
  readonly count: number;
  /** Discount per unit, incl. VAT. */
  readonly discount: number;
}

export interface PlanOrder {
  readonly index: number;
  readonly customer: number;
  readonly createdAt: string;
  readonly completed: boolean;
  readonly paid: boolean;
  readonly status: number;
  readonly deliverMethod: 'shipping' | 'delivery' | 'pickup';
  readonly paymethod: number;
  readonly shipping: number;
  readonly coupon: { readonly code: string; readonly discount: number; readonly type: 'fixed' | 'percentage' } | null;
  readonly rows: readonly PlanOrderRow[];
}

export interface SeedPlan {
  readonly seed: string | number;
  readonly anchor: string;
  readonly categories: readonly PlanCategory[];
  readonly products: readonly PlanProduct[];
  readonly customers: readonly PlanCustomer[];
  readonly paymethods: readonly PlanPaymethod[];
  readonly orders: readonly PlanOrder[];
}

const CATEGORIES: readonly Omit<PlanCategory, 'products'>[] = [
  { key: 'koffie', name: 'Koffie', prefix: 'KOF', vatRate: 9 },
  { key: 'thee', name: 'Thee', prefix: 'THE', vatRate: 9 },
  { key: 'servies', name: 'Servies', prefix: 'SRV', vatRate: 21 },
  { key: 'apparaten', name: 'Apparaten', prefix: 'APP', vatRate: 21 },
  { key: 'boeken', name: "Boeken & cadeau's", prefix: 'BOE', vatRate: 9 },
];

const PRODUCT_NAMES: Record<string, readonly string[]> = {
  koffie: ['Koffiebonen Arabica', 'Espressobonen Donker', 'Filterkoffie Huismerk', 'Decafé Bonen', 'Koffiepads Mild', 'Cold Brew Blend'],
  thee: ['Groene Thee Sencha', 'Earl Grey', 'Rooibos Vanille', 'Muntthee Vers', 'Chai Kruiden', 'Jasmijnthee'],
  servies: ['Koffiemok Steengoed', 'Espressokopjes (set van 4)', 'Theepot Glas', 'Melkkannetje', 'Latte Glas', 'Schotel Wit'],
  apparaten: ['Melkopschuimer', 'Handmolen Keramisch', 'French Press 1L', 'Waterkoker Zwanenhals', 'Weegschaal Barista', 'Pour-over Set'],
  boeken: ["Het Koffieboek", "Thee van A tot Z", 'Cadeaubon Proeverij', "Barista's Handboek", 'Wenskaart Koffie', 'Receptenkaartjes'],
};

const SIZES_SUFFIX = ['250g', '500g', '1kg', 'klein', 'groot', 'XL', 'bruin', 'wit'];

interface CountryData {
  readonly code: string;
  readonly name: string;
  readonly cities: readonly { city: string; zip: () => string }[];
  readonly streets: readonly string[];
  readonly firstNames: readonly string[];
  readonly lastNames: readonly string[];
  readonly companies: readonly string[];
  readonly vat: (r: SeededRandom) => string;
  readonly phone: (r: SeededRandom) => string;
  readonly emailDomain: string;
}

function countries(r: SeededRandom): readonly CountryData[] {
  const digits = (n: number) => Array.from({ length: n }, () => r.int(0, 9)).join('');
  return [
    {
      code: 'NL', name: 'Nederland', emailDomain: 'example.nl',
      cities: [{ city: 'Utrecht', zip: () => `35${digits(2)} ${'AB'}` }, { city: 'Amsterdam', zip: () => `10${digits(2)} GA` }, { city: "'s-Hertogenbosch", zip: () => `52${digits(2)} KL` }, { city: 'Groningen', zip: () => `97${digits(2)} CD` }],
      streets: ['Dorpsstraat', 'Kerkstraat', 'Molenweg', 'Havenkade', 'Stationsplein'],
      firstNames: ['Jan', 'Anna', 'Pieter', 'Sanne', 'Daan', 'Femke', 'Joost', 'Eva'],
      lastNames: ['Jansen', 'de Vries', 'van den Berg', 'Bakker', "van 't Hof", 'Visser', 'Smit', 'de Jong'],
      companies: ['Bakkerij De Vries B.V.', 'Koffiehuis Het Anker', "Lunchroom 't Hoekje", 'Kantoorgemak B.V.'],
      vat: () => `NL${digits(9)}B01`, phone: () => `030${digits(7)}`,
    },
    {
      code: 'BE', name: 'België', emailDomain: 'example.be',
      cities: [{ city: 'Antwerpen', zip: () => `20${digits(2)}` }, { city: 'Gent', zip: () => `90${digits(2)}` }, { city: 'Leuven', zip: () => `30${digits(2)}` }],
      streets: ['Meir', 'Veldstraat', 'Bondgenotenlaan', 'Grote Markt'],
      firstNames: ['Lotte', 'Wout', 'Elke', 'Bram'],
      lastNames: ['Peeters', 'Janssens', 'Maes', 'Van Damme'],
      companies: ['Brouwerij Van Damme BV', 'Chocolaterie Maes'],
      vat: () => `BE0${digits(9)}`, phone: () => `+32 3 ${digits(7)}`,
    },
    {
      code: 'DE', name: 'Duitsland', emailDomain: 'example.de',
      cities: [{ city: 'Köln', zip: () => `50${digits(3)}` }, { city: 'Düsseldorf', zip: () => `40${digits(3)}` }],
      streets: ['Hauptstraße', 'Bahnhofstraße', 'Königsallee'],
      firstNames: ['Jürgen', 'Lena', 'Matthias', 'Sophie'],
      lastNames: ['Müller', 'Schmidt', 'Weiß', 'Groß'],
      companies: ['Müller Kaffeerösterei GmbH', 'Bürobedarf Weiß GmbH'],
      vat: () => `DE${digits(9)}`, phone: () => `+49 221 ${digits(6)}`,
    },
    {
      code: 'FR', name: 'Frankrijk', emailDomain: 'example.fr',
      cities: [{ city: 'Lille', zip: () => `59${digits(3)}` }, { city: 'Paris', zip: () => `75${digits(3)}` }],
      streets: ['Rue de la Paix', "Rue de l'Église", 'Boulevard Victor Hugo'],
      firstNames: ['Amélie', 'Jérôme', 'Chloé', 'Théo'],
      lastNames: ['Dupont', "D'Arcy", 'Lefèvre', 'Moreau'],
      companies: ['Café Dupont SARL', "Maison D'Arcy"],
      vat: () => `FR${digits(11)}`, phone: () => `+33 1 ${digits(8)}`,
    },
    {
      code: 'GB', name: 'Verenigd Koninkrijk', emailDomain: 'example.co.uk',
      cities: [{ city: 'London', zip: () => `SW1A ${r.int(1, 9)}AA` }, { city: 'Manchester', zip: () => `M${r.int(1, 9)} ${r.int(1, 9)}AB` }],
      streets: ['High Street', 'Baker Street', 'Queen’s Road'],
      firstNames: ['Oliver', 'Amelia', 'Harry', 'Isla'],
      lastNames: ['Smith', "O'Neill", 'Taylor', 'Brown'],
      companies: ["O'Neill Trading Ltd", 'Taylor & Sons Ltd'],
      vat: () => `GB${digits(9)}`, phone: () => `+44 20 ${digits(8)}`,
    },
  ];
}

const PAYMETHODS: readonly PlanPaymethod[] = [
  { id: 1, psp: 'ccvonlinepayments', method: 'ideal', combinedName: 'ccvonlinepayments_ideal', label: 'iDEAL', instant: true },
  { id: 2, psp: 'ccvonlinepayments', method: 'card', combinedName: 'ccvonlinepayments_card', label: 'Creditcard', instant: true },
  { id: 3, psp: 'ccvonlinepayments', method: 'bancontact', combinedName: 'ccvonlinepayments_bancontact', label: 'Bancontact', instant: true },
  { id: 4, psp: 'paypal', method: 'paypal', combinedName: 'paypal_paypal', label: 'PayPal', instant: true },
  { id: 5, psp: 'manual', method: 'banktransfer', combinedName: 'manual_banktransfer', label: 'Bankoverschrijving', instant: false },
  { id: 6, psp: 'manual', method: 'onpickup', combinedName: 'manual_onpickup', label: 'Betalen bij afhalen', instant: false },
];

/** CCV order statuses the seed uses: 1 New, 2 In process, 4 Wait for payment, 5 Sent, 6 Delivered, 7 Completed, 8 Cancelled. */
const PAID_STATUSES = [1, 2, 5, 5, 6, 7, 7, 11];

export interface PlanOptions {
  readonly seed: string | number;
  readonly sizes?: Partial<SeedSizes>;
  /** The instant dates are counted back from; defaults to the start of the current UTC day. */
  readonly anchor?: string;
}

export function buildSeedPlan(options: PlanOptions): SeedPlan {
  const sizes = { ...DEFAULT_SIZES, ...options.sizes };
  const anchor = options.anchor ?? startOfUtcDay(new Date()).toISOString();
  const anchorMs = Date.parse(anchor);
  const products = planProducts(SeededRandom.derive(options.seed, 'products'), sizes.products, anchorMs);
  const categories = CATEGORIES.map((category) => ({
    ...category,
    products: products.filter((p) => p.category === category.key).map((p) => p.number),
  }));
  const customers = planCustomers(SeededRandom.derive(options.seed, 'customers'), sizes.customers);
  const orders = planOrders(SeededRandom.derive(options.seed, 'orders'), sizes.orders, products, customers, anchorMs);
  return { seed: options.seed, anchor, categories, products, customers, paymethods: PAYMETHODS, orders };
}

function planProducts(r: SeededRandom, count: number, anchorMs: number): PlanProduct[] {
  const out: PlanProduct[] = [];
  const usedNames = new Set<string>();
  for (let i = 0; i < count; i++) {
    const category = CATEGORIES[i % CATEGORIES.length] as (typeof CATEGORIES)[number];
    const base = r.pick(PRODUCT_NAMES[category.key] ?? ['Artikel']);
    let name = usedNames.has(base) ? `${base} ${r.pick(SIZES_SUFFIX)}` : base;
    if (usedNames.has(name)) name = `${name} ${i + 1}`;
    usedNames.add(name);
    const priceIncl = r.amount(category.vatRate === 9 ? 3 : 8, category.vatRate === 9 ? 35 : 180);
    const createdMs = anchorMs - r.int(120, 720) * 86_400_000;
    const changedMs = createdMs + r.int(0, Math.floor((anchorMs - createdMs) / 86_400_000)) * 86_400_000 + r.int(0, 86_399) * 1000;
    const stock = r.chance(0.1) ? 0 : r.int(1, 120);
    out.push({
      index: i,
      number: `${category.prefix}-${1001 + i}`,
      ean: ean13(`871${String(4000000 + i * 37 + r.int(0, 36)).padStart(9, '0')}`),
      name,
      category: category.key,
      priceIncl,
      purchasePrice: Math.round(priceIncl * r.amount(0.35, 0.6) * 100) / 100,
      vatRate: category.vatRate,
      stock,
      reserved: stock > 0 && r.chance(0.4) ? r.int(1, Math.min(5, stock)) : 0,
      active: r.chance(0.92),
      weight: r.amount(0.1, 2.5),
      createdAt: isoSeconds(createdMs),
      changedAt: isoSeconds(Math.min(changedMs, anchorMs - 1000)),
    });
  }
  return out;
}

function planCustomers(r: SeededRandom, count: number): PlanCustomer[] {
  const data = countries(r);
  const out: PlanCustomer[] = [];
  const usedEmails = new Set<string>();
  // Fixed people first, so even small seeds hold the hard cases: apostrophes in e-mail and name, a company
  // with VAT number and contact name, a foreign private person.
  const fixed: Omit<PlanCustomer, 'index' | 'accountingNumber'>[] = [
    { email: "o'brien@example.ie", firstName: 'Siobhán', lastName: "O'Brien", company: null, vatNumber: null, kvk: null, countryCode: 'IE', countryName: 'Ierland', street: 'Grafton Street', housenumber: 21, housenumberSuffix: null, zipcode: 'D02 XY45', city: 'Dublin', telephone: '+353 1 6771234' },
    { email: 'inkoop@devries.example.nl', firstName: 'Anna', lastName: 'de Vries', company: 'Bakkerij De Vries B.V.', vatNumber: 'NL123456789B01', kvk: '12345678', countryCode: 'NL', countryName: 'Nederland', street: 'Kerkstraat', housenumber: 12, housenumberSuffix: 'A', zipcode: '1017 GA', city: 'Amsterdam', telephone: '0205550101' },
    { email: 'j.jansen@example.nl', firstName: 'Jan', lastName: 'Jansen', company: null, vatNumber: null, kvk: null, countryCode: 'NL', countryName: 'Nederland', street: 'Dorpsstraat', housenumber: 12, housenumberSuffix: null, zipcode: '3512 AB', city: 'Utrecht', telephone: '0301234567' },
    { email: 'bestellingen@vandamme.example.be', firstName: 'Wout', lastName: 'Van Damme', company: 'Brouwerij Van Damme BV', vatNumber: 'BE0123456749', kvk: null, countryCode: 'BE', countryName: 'België', street: 'Veldstraat', housenumber: 88, housenumberSuffix: 'bus 2', zipcode: '9000', city: 'Gent', telephone: '+32 9 2234567' },
    { email: 'einkauf@mueller-kaffee.example.de', firstName: 'Jürgen', lastName: 'Müller', company: 'Müller Kaffeerösterei GmbH', vatNumber: 'DE123456789', kvk: null, countryCode: 'DE', countryName: 'Duitsland', street: 'Hauptstraße', housenumber: 5, housenumberSuffix: null, zipcode: '50667', city: 'Köln', telephone: '+49 221 123456' },
    { email: 'amelie.dupont@example.fr', firstName: 'Amélie', lastName: 'Dupont', company: null, vatNumber: null, kvk: null, countryCode: 'FR', countryName: 'Frankrijk', street: "Rue de l'Église", housenumber: 3, housenumberSuffix: null, zipcode: '59000', city: 'Lille', telephone: '+33 3 20123456' },
    { email: 'orders@oneill-trading.example.co.uk', firstName: 'Harry', lastName: "O'Neill", company: "O'Neill Trading Ltd", vatNumber: 'GB123456789', kvk: null, countryCode: 'GB', countryName: 'Verenigd Koninkrijk', street: 'High Street', housenumber: 221, housenumberSuffix: null, zipcode: 'SW1A 1AA', city: 'London', telephone: '+44 20 79460000' },
  ];
  for (let i = 0; i < count; i++) {
    let person: Omit<PlanCustomer, 'index' | 'accountingNumber'>;
    if (i < fixed.length) {
      person = fixed[i] as (typeof fixed)[number];
    } else {
      const country = r.chance(0.55) ? (data[0] as CountryData) : r.pick(data);
      const isCompany = r.chance(0.35);
      const firstName = r.pick(country.firstNames);
      const lastName = r.pick(country.lastNames);
      const company = isCompany ? r.pick(country.companies) : null;
      const local = `${firstName[0]}.${lastName}`.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/\s+/g, '');
      let email = `${local}@${isCompany ? company!.toLowerCase().replace(/[^a-z]+/g, '').slice(0, 16) + '.' : ''}${country.emailDomain}`;
      for (let n = 2; usedEmails.has(email); n++) email = email.replace(/^([^@]*?)(\d*)@/, `$1${n}@`);
      const location = r.pick(country.cities);
      person = {
        email, firstName, lastName, company,
        vatNumber: isCompany ? country.vat(r) : null,
        kvk: isCompany && country.code === 'NL' ? String(r.int(10000000, 99999999)) : null,
        countryCode: country.code, countryName: country.name,
        street: r.pick(country.streets), housenumber: r.int(1, 250), housenumberSuffix: r.chance(0.15) ? r.pick(['A', 'B', 'bis', '2']) : null,
        zipcode: location.zip(), city: location.city, telephone: country.phone(r),
      };
    }
    usedEmails.add(person.email);
    // About a third already exists in accounting; the customer numbers are what a merchant would have.
    const known = i % 3 === 1 || i === 0;
    out.push({ ...person, index: i, accountingNumber: known ? String(10001 + i) : null });
  }
  return out;
}

function planOrders(r: SeededRandom, count: number, products: readonly PlanProduct[], customers: readonly PlanCustomer[], anchorMs: number): PlanOrder[] {
  const out: PlanOrder[] = [];
  if (products.length === 0 || customers.length === 0) return out;
  const dayMs = 86_400_000;
  for (let i = 0; i < count; i++) {
    // Every customer orders at least once (in order), every seventh order is Jan Jansen again, and later
    // orders pick with a skew towards the first customers: repeat buyers with the same e-mail.
    const skewed = Math.floor(Math.pow(r.next(), 1.8) * customers.length);
    const customer = i > 0 && i % 7 === 0 ? Math.min(2, customers.length - 1) : i < customers.length ? i : skewed;
    const completed = !r.chance(0.08);
    const paymethod = r.pick(PAYMETHODS);
    const deliverMethod: PlanOrder['deliverMethod'] = paymethod.method === 'onpickup' ? 'pickup' : r.chance(0.1) ? 'pickup' : r.chance(0.1) ? 'delivery' : 'shipping';
    const paid = completed && (paymethod.instant ? r.chance(0.9) : r.chance(0.4));
    const status = !completed ? 1 : !paid ? r.pick([4, 4, 1, 8]) : r.pick(PAID_STATUSES);
    const rowCount = r.int(1, 4);
    const rows: PlanOrderRow[] = [];
    const usedProducts = new Set<number>();
    for (let k = 0; k < rowCount; k++) {
      const product = r.int(0, products.length - 1);
      if (usedProducts.has(product)) continue;
      usedProducts.add(product);
      const price = (products[product] as PlanProduct).priceIncl;
      rows.push({ product, count: r.chance(0.7) ? 1 : r.int(2, 6), discount: r.chance(0.15) ? Math.round(price * 0.1 * 100) / 100 : 0 });
    }
    const coupon = r.chance(0.15)
      ? r.chance(0.5)
        ? { code: 'WELKOM5', discount: 5, type: 'fixed' as const }
        : { code: "ZOMER10", discount: 10, type: 'percentage' as const }
      : null;
    const shipping = deliverMethod === 'pickup' ? 0 : r.pick([4.95, 4.95, 6.95, 0]);
    // Create dates spread over the last four months, in order.
    const createdMs = anchorMs - Math.round(((count - i) / Math.max(count, 1)) * 120 * dayMs) + r.int(0, 3600) * 1000;
    out.push({ index: i, customer, createdAt: isoSeconds(createdMs), completed, paid, status, deliverMethod, paymethod: paymethod.id, shipping, coupon, rows });
  }
  return out;
}

function ean13(twelve: string): string {
  const digits = twelve.slice(0, 12).split('').map(Number);
  const sum = digits.reduce((acc, d, i) => acc + d * (i % 2 === 0 ? 1 : 3), 0);
  return `${twelve.slice(0, 12)}${(10 - (sum % 10)) % 10}`;
}

function startOfUtcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

/** `2024-01-15T09:58:12Z`: UTC without milliseconds, as both APIs print dates. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function round2(value: number): number {
  return Math.round((value + Number.EPSILON) * 100) / 100;
}
