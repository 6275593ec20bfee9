/** First ids per entity, in the ranges the notes' examples show. */
export const CCV_ID_BASE = {
  orders: 781000,
  orderrows: 5550000,
  products: 320000,
  categories: 5000,
  producttocategories: 610000,
  webhooks: 70,
  ordernotes: 4410000,
  ordermessages: 4420000,
  ordernotifications: 4430000,
  invoices: 9100000,
  productphotos: 990000,
  ordernumber: 1000,
  invoicenumber: 2024000,
} as const;
