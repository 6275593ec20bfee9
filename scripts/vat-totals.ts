/**
 * Prints, per document mapping, the shop order's total and VAT next to the total and VAT the eAccounting sandbox
 * computed for the document it became, for the coupon cases of scripts/vat-cases.ts, and how many of a seeded
 * shop's orders match to the cent. Runs both sandboxes on loopback, like the e2e test (test/e2e/document-vat.test.ts).
 * `node --import tsx scripts/vat-totals.ts [--orders N]`
 */
import { VAT_CASES } from './vat-cases.js';
import { bookVatCases, documentTotal, DOCUMENT_FLOWS } from '../test/e2e/vat-booking.js';

const ordersArg = process.argv.indexOf('--orders');
const orders = ordersArg > 0 ? Number(process.argv[ordersArg + 1]) : 200;
const money = (n: number) => n.toFixed(2).padStart(8);
const out = (line: string) => process.stdout.write(`${line}\n`);

for (const kind of DOCUMENT_FLOWS) {
  const booked = await bookVatCases(kind, { seed: 'vat-totals', sizes: { orders, customers: Math.round(orders / 2), products: 30 } });
  try {
    out(`${kind.file} (document = ${kind.document}) -> eaccounting.${kind.entity}`);
    out(`  ${'case'.padEnd(26)} ${'shop total'.padStart(10)} ${'shop VAT'.padStart(8)} ${'doc total'.padStart(10)} ${'doc VAT'.padStart(8)}  equal`);
    for (const c of VAT_CASES) {
      const document = booked.documentOf(c);
      if (!document) {
        out(`  ${c.label.padEnd(26)} not booked`);
        continue;
      }
      const totals = documentTotal(kind, document);
      const equal = totals.total === c.totals.price && totals.vat === c.totals.tax;
      out(`  ${c.label.padEnd(26)} ${money(c.totals.price).padStart(10)} ${money(c.totals.tax)} ${money(totals.total).padStart(10)} ${money(totals.vat)}  ${equal ? 'yes' : 'NO'}`);
    }
    let exact = 0;
    let compared = 0;
    let worst = 0;
    const off: string[] = [];
    for (const order of booked.seededOrders) {
      const document = booked.documentOfOrder(order);
      if (!document) continue;
      compared++;
      const totals = documentTotal(kind, document);
      const diff = Math.round((totals.total - (order.total_price as number)) * 100);
      if (diff === 0 && totals.vat === order.total_tax) exact++;
      else {
        worst = Math.max(worst, Math.abs(diff));
        const customer = booked.customerOf(document);
        off.push(`${String(order.ordernumber_full)} (${customer.IsPrivatePerson === true ? 'private person' : 'company'} ${String(customer.InvoiceCountryCode)}, shop prices ${order.order_row_taxes_included === true ? 'incl.' : 'excl.'} VAT)`);
      }
    }
    out(`  seeded orders: ${exact} of ${compared} to the cent; the others differ by at most ${worst} cent(s): ${off.join(', ') || 'none'}`);
    if (booked.failed.length > 0) out(`  failed: ${booked.failed.join('; ')}`);
    out('');
  } finally {
    await booked.close();
  }
}
