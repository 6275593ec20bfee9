import type { EntitySchemas } from '../../definition.js';
import { categoryCreate, categoryRead, categoryUpdate } from './categories.js';
import { invoiceRead } from './invoices.js';
import { ordermessageRead } from './ordermessages.js';
import { ordernoteRead } from './ordernotes.js';
import { orderrowRead, orderrowUpdate } from './orderrows.js';
import { orderRead, orderUpdate } from './orders.js';
import { packageRead } from './packages.js';
import { paymethodRead } from './paymethods.js';
import { productphotoRead } from './productphotos.js';
import { productCreate, productRead, productUpdate } from './products.js';
import { producttocategoryCreate, producttocategoryRead } from './producttocategories.js';
import { webhookCreate, webhookRead, webhookUpdate } from './webhooks.js';

/** The CCV Shop schemas per entity, written by hand from `shared/apis/ccvshop.md`. */
export const ccvshopSchemas = {
  orders: { read: orderRead, update: orderUpdate },
  orderrows: { read: orderrowRead, update: orderrowUpdate },
  ordernotes: { read: ordernoteRead },
  ordermessages: { read: ordermessageRead },
  invoices: { read: invoiceRead },
  products: { read: productRead, create: productCreate, update: productUpdate },
  categories: { read: categoryRead, create: categoryCreate, update: categoryUpdate },
  producttocategories: { read: producttocategoryRead, create: producttocategoryCreate },
  productphotos: { read: productphotoRead },
  paymethods: { read: paymethodRead },
  packages: { read: packageRead },
  webhooks: { read: webhookRead, create: webhookCreate, update: webhookUpdate },
} satisfies Record<string, EntitySchemas>;
