import type { EaResource } from './types.js';

/** Read-only reference data (§4.10): list and get by id (countries by code). */
const readOnly = (name: string, title: string): EaResource => ({ name, title, list: true, get: true });

export const referenceResources: readonly EaResource[] = [
  readOnly('articleaccountcodings', 'ArticleAccountCoding'),
  readOnly('units', 'Unit'),
  readOnly('termsofpayments', 'TermsOfPayment'),
  readOnly('vatcodes', 'VatCode'),
  readOnly('deliverymethods', 'DeliveryMethod'),
  readOnly('deliveryterms', 'DeliveryTerm'),
  readOnly('countries', 'Country'),
];
