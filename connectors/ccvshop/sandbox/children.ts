import type { SandboxRecord } from '../../sandbox/store.js';

/**
 * The child collections a CCV resource links to (`"ordernotes": {"href": ".../orders/1/ordernotes/"}`), declared
 * once: the renderer writes the links from this table and the router serves `GET /{parent}/{id}/{name}` (paged)
 * and `GET /{entity}/{id}` from it, so a rendered link always has a route behind it.
 */
export interface ChildCollection {
  /** The link field on the parent and the last path segment: `/orders/{id}/ordernotes`. */
  readonly name: string;
  /** Store entity of the child records; each one is also served on its own at `/{entity}/{id}`. */
  readonly entity: string;
  /** The id of the parent a child record belongs to. */
  readonly parentOf: (record: SandboxRecord) => unknown;
}

const byField = (name: string, entity: string, field: string): ChildCollection => ({ name, entity, parentOf: (record) => record[field] });

/**
 * Per parent entity, its child links (§4). Collections the notes only name (labels, affiliate networks, variants)
 * are served empty unless a data file fills them; the seed fills rows, notes, messages, invoices and photos.
 */
export const CHILD_COLLECTIONS = {
  orders: [
    byField('orderrows', 'orderrows', 'order_id'),
    byField('ordernotes', 'ordernotes', 'order_id'),
    byField('ordermessages', 'ordermessages', 'order_id'),
    byField('ordernotifications', 'ordernotifications', 'order_id'),
    byField('orderaffiliatenetworks', 'orderaffiliatenetworks', 'order_id'),
    byField('orderlabels', 'orderlabels', 'order_id'),
    byField('invoices', 'invoices', 'order_id'),
  ],
  products: [
    byField('productphotos', 'productphotos', 'product_id'),
    byField('producttocategories', 'producttocategories', 'product_id'),
    byField('attributecombinations', 'attributecombinations', 'product_id'),
  ],
  categories: [
    byField('producttocategories', 'producttocategories', 'category_id'),
    // Subcategories: categories whose parent is this one.
    { name: 'categories', entity: 'categories', parentOf: (record) => (record.parentcategory as { id?: unknown } | null | undefined)?.id },
  ],
} as const satisfies Record<string, readonly ChildCollection[]>;

export type ParentEntity = keyof typeof CHILD_COLLECTIONS;

export function childCollection(parent: ParentEntity, name: string): ChildCollection | undefined {
  return (CHILD_COLLECTIONS[parent] as readonly ChildCollection[]).find((child) => child.name === name);
}

/** The `{href}` link of every child collection of one parent record. */
export function childLinks(base: string, parent: ParentEntity, id: unknown): Record<string, { href: string }> {
  const self = `${base}/${parent}/${String(id)}/`;
  return Object.fromEntries(CHILD_COLLECTIONS[parent].map((child) => [child.name, { href: `${self}${child.name}/` }]));
}
