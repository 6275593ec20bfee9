import type { JsonSchema } from '../../json-schema.js';
import { closed, guess, integer, nullable, object, string } from './fields.js';

/**
 * Personalinfo: an order's `customer` and a user's `userinfo` (ccvshop.md §4, [M]). Addresses hold many optional
 * parts, and the notes' example has nulls in them, so every address part may be null.
 */

const addressParts: Record<string, JsonSchema> = {
  gender: nullable(string('Gender')),
  initials: nullable(string('Initials')),
  first_name: nullable(string('First name')),
  last_name: nullable(string('Last name')),
  full_name: nullable(string('Full name')),
  company: nullable(string('Company name')),
  address_line_1: nullable(string('First address line: the alternative to street plus housenumber')),
  address_line_2: nullable(string('Second address line: the alternative to street plus housenumber')),
  street: nullable(string('Street')),
  housenumber: nullable(integer('House number (an integer; the suffix is separate)')),
  housenumber_suffix: nullable(string('House number suffix, e.g. "A"')),
  zipcode: nullable(string('Postal code')),
  city: nullable(string('City')),
  province: nullable(string('Province')),
  country: nullable(string('Country, full name (e.g. "Nederland")')),
  country_code: nullable(string('Country code, ISO 3166-1 alpha-2', { maxLength: 2 })),
  telephone: nullable(string('Telephone number')),
  fax: nullable(string('Fax number')),
  mobile: nullable(string('Mobile number')),
  comment: nullable(string('Comment')),
};

/** The delivery address is the billing address without first_name, last_name and fax (it has only full_name). */
const deliveryParts: Record<string, JsonSchema> = Object.fromEntries(
  Object.entries(addressParts).filter(([name]) => !['first_name', 'last_name', 'fax'].includes(name)),
);

const personalFields: Record<string, JsonSchema> = {
  email: nullable(string('E-mail address of the customer')),
  customertype: nullable(guess(string('Customer type: business or consumer (exact values unknown, e.g. "consumer")'))),
  bankaccount: nullable(string('Bank account')),
  iban: nullable(string('IBAN')),
  bic: nullable(string('BIC')),
  bank: nullable(string('Bank')),
  tenname: nullable(string('Name of the bank account holder')),
  bankname: nullable(string('Bank name')),
  reference: nullable(string('Reference')),
  reservationnumber: nullable(string('Reservation number')),
  income: nullable(string('Income')),
  branch: nullable(string('Branch')),
  website: nullable(string('Website')),
  clubcity: nullable(string('Club city')),
  clubcomment: nullable(string('Club comment')),
  clubname: nullable(string('Club name')),
  fair: nullable(string('Fair')),
  booth: nullable(string('Booth')),
  carbrand: nullable(string('Car brand')),
  cartype: nullable(string('Car type')),
  carweight: nullable(string('Car weight')),
  birthdate: nullable(string('Birth date')),
  birthtime: nullable(string('Birth time')),
  birthplace: nullable(string('Birth place')),
  cardnumber: nullable(string('Card number')),
  btw: nullable(string('VAT number (btw)')),
  kvk: nullable(string('Chamber of Commerce number (KvK)')),
  costcentre: nullable(string('Cost centre')),
  findus: nullable(string('How the customer found the shop')),
  ssnnumber: nullable(string('Social security number')),
  zzppass: nullable(string('ZZP pass')),
  branche: nullable(string('Deprecated: use branch')),
  beurs: nullable(string('Deprecated: use fair')),
  stand: nullable(string('Deprecated: use booth')),
};

export const personalinfoRead: JsonSchema = object('Customer data (Personalinfo)', {
  billingaddress: object('Billing address', addressParts),
  deliveryaddress: object('Delivery address (no first_name, last_name or fax; use full_name)', deliveryParts),
  ...personalFields,
});

/** Personalinfo as the order PATCH takes it [M]: the same fields, closed. */
export const personalinfoWrite: JsonSchema = closed('Customer data (Personalinfo input)', {
  billingaddress: closed('Billing address', addressParts),
  deliveryaddress: closed('Delivery address (no first_name, last_name or fax; use full_name)', deliveryParts),
  ...personalFields,
});
