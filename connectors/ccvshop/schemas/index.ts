import type { EntitySchemas } from '../../definition.js';

/** Placeholder schemas until the hand-written ones land (open objects accept anything). */
const open = { type: 'object' } as const;

export const ccvshopSchemas = {
  orders: { read: open, update: open },
  orderrows: { read: open },
  products: { read: open, create: open, update: open },
  categories: { read: open, create: open, update: open },
  producttocategories: { read: open, create: open },
  paymethods: { read: open },
  webhooks: { read: open, create: open, update: open },
} satisfies Record<string, EntitySchemas>;
