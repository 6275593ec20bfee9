/**
 * A large mapping that compiles cleanly against the real connectors: `flows` copies of a customers-and-orders
 * flow pair, each with many rules, to measure compile time and editor latency on files the size integrators
 * write (`linesOf` tells how many lines a given size has).
 */
export function generateLargeMapping(targetLines: number): string {
  const parts: string[] = [
    '# Generated for benchmarks: many flows with many rules.',
    'settings {',
    '  statuses  = [1, 2, 5, 6, 7]',
    '  only_paid = true',
    '}',
    'table terms {',
    '  "ccvonlinepayments_ideal" => "17fc695a-07a0-4a6e-8822-e8f36c031199"',
    '  else                      => "bdd640fb-0667-4ad1-9c80-317fa3b1799d"',
    '}',
  ];
  for (let i = 0; parts.length < targetLines; i++) parts.push(...flowPair(i));
  return `${parts.slice(0, Math.max(targetLines, parts.length)).join('\n')}\n`;
}

function flowPair(i: number): string[] {
  return [
    `flow customers_${i}: ccvshop.orders -> eaccounting.customers {`,
    '  when is_completed and (paid or not settings.only_paid)',
    '  identify by EmailAddress = customer.email',
    '  on existing: update',
    '  let billing = customer.billingaddress',
    '  Name               = truncate(billing.company ?? billing.full_name, 50)',
    '  IsPrivatePerson    = billing.company == null',
    '  IsActive           = true',
    '  EmailAddress       = customer.email',
    '  ContactPersonName  = if billing.company != null then billing.full_name',
    '  InvoiceAddress1    = truncate("{billing.street} {billing.housenumber}{billing.housenumber_suffix}", 50)',
    '  InvoicePostalCode  = billing.zipcode',
    '  InvoiceCity        = billing.city',
    '  InvoiceCountryCode = billing.country_code',
    '  Telephone          = billing.telephone',
    '  VatNumber          = customer.btw',
    '  TermsOfPaymentId   = terms[paymethod]',
    '}',
    `flow orders_${i}: ccvshop.orders -> eaccounting.orders {`,
    '  when status in settings.statuses',
    '  identify by YourReference = ordernumber_full',
    '  CustomerId    = (find eaccounting.customers by EmailAddress = customer.email).Id',
    '  CurrencyCode  = currency',
    '  OrderDate     = date(create_date)',
    '  Status        = 2',
    '  YourReference = ordernumber_full',
    '  EuThirdParty  = false',
    '  ReverseChargeOnConstructionServices = false',
    '  RotReducedInvoicingType = 0',
    '  Rows = each orderrows as row at i {',
    '    LineNumber = i + 1',
    '    IsTextRow  = false',
    '    IsWorkCost = false',
    '    EligibleForReverseChargeOnVat = false',
    '    ArticleId  = (find eaccounting.articles by Number = row.product_number).Id',
    '    Quantity   = row.count',
    '    UnitPrice  = round(row.price / (1 + row.tax / 100), 2)',
    '  }',
    '}',
  ];
}
