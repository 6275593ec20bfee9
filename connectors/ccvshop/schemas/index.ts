import type { EntitySchemas } from '../../definition.js';
import { categoryCreate, categoryRead, categoryUpdate } from './categories.js';
import { orderRead, orderUpdate } from './orders.js';
import { orderrowRead } from './orderrows.js';
import { paymethodRead } from './paymethods.js';
import { productCreate, productRead, productUpdate } from './products.js';
import { producttocategoryCreate, producttocategoryRead } from './producttocategories.js';
import { webhookCreate, webhookRead, webhookUpdate } from './webhooks.js';

/** The CCV Shop schemas per entity, written by hand from `shared/apis/ccvshop.md`. */
export const ccvshopSchemas = {
  orders: { read: orderRead, update: orderUpdate },
  orderrows: { read: orderrowRead },
  products: { read: productRead, create: productCreate, update: productUpdate },
  categories: { read: categoryRead, create: categoryCreate, update: categoryUpdate },
  producttocategories: { read: producttocategoryRead, create: producttocategoryCreate },
  paymethods: { read: paymethodRead },
  webhooks: { read: webhookRead, create: webhookCreate, update: webhookUpdate },
} satisfies Record<string, EntitySchemas>;
