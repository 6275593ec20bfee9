type Rec = Record<string, unknown>;

export interface BadOrder {
  /** What is wrong with it, for the test name. */
  readonly problem: string;
  readonly order: Rec;
  readonly rows: Rec[];
}

type Change = (order: Rec, rows: Rec[]) => void;
const customer = (o: Rec) => o.customer as Rec;
const billing = (o: Rec) => customer(o).billingaddress as Rec;

/** Each broken one way: what is wrong, and how to break a good order that way. */
const BREAKAGES: readonly (readonly [string, Change])[] = [
  ['no customer at all', (o) => delete o.customer],
  ['an order row without its product number', (_, rows) => delete rows[0]!.product_number],
  ['no currency', (o) => delete o.currency],
  ['a create date that is a number', (o) => (o.create_date = 1_700_000_000)],
  ['a row count that is a string', (_, rows) => (rows[0]!.count = 'two')],
  ['a shipping total that is a string', (o) => (o.total_shipping = 'free')],
  ['an unknown delivery method', (o) => (o.deliver_method = 'teleport')],
  ['an unknown country code', (o) => (billing(o).country_code = 'XX')],
  ['a VAT number eAccounting refuses', (o) => (customer(o).btw = 'NL-NOT-A-VAT')],
  ['a customer e-mail that is an object', (o) => (customer(o).email = { address: 'x@example.nl' })],
  ['an order number of 5,000 characters', (o) => (o.ordernumber_full = `BAD-${'9'.repeat(5000)}`)],
  ['a 1 MB product name', (_, rows) => (rows[0]!.product_name = 'x'.repeat(1_000_000))],
  [
    'lone UTF-16 surrogates and NUL characters in the names',
    (o) => {
      billing(o).full_name = 'Bad \ud800 Name \u0000';
      billing(o).city = '\udfff\u0000';
    },
  ],
];

export const BAD_ORDER_PROBLEMS: readonly string[] = BREAKAGES.map(([problem]) => problem);

/**
 * Shop orders that are eligible by the mapping's filter (completed, paid, status 1) but broken one way each,
 * built from a good seeded order and its rows. Ids from 880001 up, order numbers BAD-1...
 */
export function badOrders(template: Rec, templateRows: readonly Rec[]): BadOrder[] {
  return BREAKAGES.map(([problem, change], i) => {
    const n = i + 1;
    const id = 880_000 + n;
    const order: Rec = { ...structuredClone(template), id, ordernumber: 880_000 + n, ordernumber_full: `BAD-${n}`, is_completed: true, paid: true, status: 1 };
    const rows = templateRows.map((r, j) => ({ ...structuredClone(r), id: 88_000_000 + n * 100 + j, order_id: id }));
    change(order, rows);
    return { problem, order, rows };
  });
}
