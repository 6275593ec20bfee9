import { basename, dirname, join } from 'node:path';

/**
 * The order-document mappings that were one file per document type before `orders.map` got its `document`
 * setting, by the setting value that replaces each. A config that still names one of them gets a message saying
 * what to write instead (the variant keeps the old flow name, so its links and state carry over).
 */
export const RETIRED_DOCUMENT_FILES: Readonly<Record<string, string>> = {
  'quotes.map': 'quotes',
  'invoices.map': 'invoices',
  'invoice-drafts.map': 'invoicedrafts',
};

/** What to write instead of a `.map` file that cannot be read because it was retired; undefined for any other file. */
export function retiredFileAdvice(shownName: string): string | undefined {
  const document = RETIRED_DOCUMENT_FILES[basename(shownName)];
  if (document === undefined) return undefined;
  const orders = join(dirname(shownName), 'orders.map');
  return (
    `the order documents are one mapping now: write { "file": "${orders}", "settings": { "document": "${document}" } } ` +
    `instead of "${shownName}" in the config (the flow keeps its name "${document}", so what was sent stays sent)`
  );
}
