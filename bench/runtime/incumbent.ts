import type { Json } from '../../compiler/index.js';
import type { ConnectorClient } from '../../runtime/engine/ports.js';
import { customerByHand, DISCOUNT_ARTICLES, isEligible, orderByHand, SHIPPING_ARTICLES } from './orders-by-hand.js';

type Rec = Record<string, unknown>;

export interface IncumbentResult {
  readonly created: number;
  readonly failed: number;
  readonly calls: number;
}

/**
 * What the incumbent integration does, per order, over the same HTTP client Mapline uses: read the shop's
 * orders, and for each eligible one read its rows, check whether it was already booked, find its customer,
 * create or update the customer, check every product (and the shipping and discount articles), then create
 * the order. No caching and no bulk reads: one question per fact, as the hand-written scripts in the field do.
 */
export async function runIncumbent(clients: Readonly<Record<string, ConnectorClient>>): Promise<IncumbentResult> {
  const shop = clients.ccvshop!;
  const books = clients.eaccounting!;
  let created = 0;
  let failed = 0;
  for (const order of (await shop.list('orders')) as Rec[]) {
    if (!isEligible(order)) continue;
    try {
      const rows = (await shop.children('orders', String(order.id), 'orderrows')) as Rec[];
      if ((await books.search('orders', 'YourReference', order.ordernumber_full as Json)).length > 0) continue;
      const customer = customerByHand(order);
      const found = (await books.search('customers', 'EmailAddress', customer.EmailAddress as Json)) as Rec[];
      const customerId = found[0] ? String(found[0].Id) : String(((await books.create('customers', customer as Json)) as Rec).Id);
      if (found[0]) await books.update('customers', customerId, { ...found[0], ...customer } as Json);
      const articleIds = new Map<string, string>();
      const numbers = [...rows.map((r) => String(r.product_number)), ...Object.values(SHIPPING_ARTICLES), ...Object.values(DISCOUNT_ARTICLES)];
      for (const number of numbers) {
        const article = (await books.search('articles', 'Number', number)) as Rec[];
        if (article[0]) articleIds.set(number, String(article[0].Id));
      }
      const payload = orderByHand(order, rows, customerId, customer.IsPrivatePerson === true, (number) => {
        const id = articleIds.get(number);
        if (id === undefined) throw new Error(`no article ${number}`);
        return id;
      });
      await books.create('orders', payload as Json);
      created++;
    } catch {
      failed++;
    }
  }
  return { created, failed, calls: shop.callCount() + books.callCount() };
}
