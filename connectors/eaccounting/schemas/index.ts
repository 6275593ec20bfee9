import type { EntitySchemas } from '../../definition.js';

/** Placeholder schemas until the generated ones land (open objects accept anything). */
const open = { type: 'object' } as const;

export const eaccountingSchemas = {
  customers: { read: open, create: open, update: open },
  articles: { read: open, create: open, update: open },
  articlelabels: { read: open, create: open, update: open },
  articleaccountcodings: { read: open },
  units: { read: open },
  orders: { read: open, create: open, update: open },
  quotes: { read: open, create: open, update: open },
  customerinvoicedrafts: { read: open, create: open, update: open },
  customerinvoices: { read: open, create: open },
  termsofpayments: { read: open },
  vatcodes: { read: open },
  deliverymethods: { read: open },
  countries: { read: open },
} satisfies Record<string, EntitySchemas>;
