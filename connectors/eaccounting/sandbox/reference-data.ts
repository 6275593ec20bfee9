import type { SandboxRecord } from '../../sandbox/store.js';

/**
 * Reference data with fixed ids, the same for every seed and size, so mapping tables (paymethod -> terms of
 * payment, VAT rate -> coding, deliver method -> delivery method) can name them. docs/sandbox.md lists them.
 * Only properties the Swagger file documents: the seed is put in the contract's shape anyway.
 */
export const EA_IDS = {
  termsOfPayment: {
    days14: 'bdd640fb-0667-4ad1-9c80-317fa3b1799d',
    days30: '23b8c1e9-3924-46de-beb1-3b9046685257',
    cash: 'bd9c66b3-ad3c-4d6d-9a3d-1fa7bc8960a9',
    card: '972a8469-1641-4f82-8b9d-2434e465e150',
    psp: '17fc695a-07a0-4a6e-8822-e8f36c031199',
    days8: '9a1de644-815e-46d1-bb8f-aa1837f8a88b',
  },
  units: {
    piece: 'b74d0fb1-32e7-4629-8fad-c1a606cb0fb3',
    hour: '6b65a6a4-8b81-48f6-b38a-088ca65ed389',
    kilogram: '47378190-96da-4dac-b2ff-5d2a386ecbe0',
  },
  codings: {
    goods21: 'c241330b-01a9-471f-9e8a-774bcf36d58b',
    goods9: '6c307511-b2b9-437a-a8df-6ec4ce4a2bbd',
    goods0: '371ecd7b-27cd-4130-8722-9389571aa876',
    services21: '1a2a73ed-562b-4f79-8374-59eef50bea63',
    shipping21: '5be6128e-18c2-4797-a142-ea7d17be3111',
    shipping9: '80b682f5-2236-43b0-937b-67154d916033',
    shipping0: 'f7b2e489-8ae0-4978-adfe-9875cd7f855a',
  },
  vatCodes: {
    high: '43b7a3a6-9a8d-4a03-980d-7b71d8f56413',
    low: '759cde66-bacf-43d0-8b1f-9163ce9ff57f',
    zero: 'ec1b8ca1-f91e-4d4c-9ff4-9b7889463e85',
    reverseChargeEu: '4b0dbb41-8d52-48f1-942c-3fe860e7a113',
    exportOutsideEu: 'e2acf72f-9e57-4f7a-a0ee-89aed453dd32',
  },
  deliveryMethods: {
    post: '3139d32c-93cd-49bf-9c94-1cf0dc98d2c1',
    pickup: 'a9488d99-0bbb-4599-91ce-5dd2b45ed1f0',
    courier: 'fc377a4c-4a15-444d-85e7-ce8a3a578a8e',
    dhl: 'ddd1dfb2-3b98-4ef8-9af6-1a26146d3f31',
  },
  deliveryTerms: {
    franco: 'aa744a84-9de9-490e-b10c-233b33630183',
    exWarehouse: '4078e91d-6a62-4883-9112-cd9d3db277eb',
    dap: '11eb2887-c98d-4bbb-ba55-b8d4d86abc6e',
  },
  articleLabels: {
    koffie: '7412b293-4729-4739-a14f-f3d719db3ad0',
    thee: '29a3b2e9-5d65-4441-9588-42dea2bc372f',
    servies: 'ab9099a4-35a2-40ae-9af3-05535ec42e08',
    apparaten: 'aefcfad8-efc8-4849-b3aa-7efe4458a885',
    boeken: 'a28defe3-9bf0-4273-9247-6f57a5e5a5ab',
    webshop: '3eabedcb-baa8-4dd4-88bd-64072bcfbe01',
  },
} as const;

/** The shipping article the order mappings book `total_shipping` on (eAccounting orders have no freight field). */
export const SHIPPING_ARTICLE_NUMBER = 'VERZEND';

/** The discount article the order mappings book an order's coupon discount on, as a negative row. */
export const DISCOUNT_ARTICLE_NUMBER = 'KORTING';

const CHANGED = '2024-01-01T00:00:00Z';

export function termsOfPayments(): SandboxRecord[] {
  const t = EA_IDS.termsOfPayment;
  const row = (Id: string, Name: string, NameEnglish: string, NumberOfDays: number, TermsOfPaymentTypeId: number, TermsOfPaymentTypeText: string) =>
    ({ Id, Name, NameEnglish, NumberOfDays, TermsOfPaymentTypeId, TermsOfPaymentTypeText, AvailableForSales: true, AvailableForPurchase: TermsOfPaymentTypeId === 0 });
  return [
    row(t.days14, '14 dagen', '14 days', 14, 0, 'Normal'),
    row(t.days30, '30 dagen', '30 days', 30, 0, 'Normal'),
    row(t.days8, '8 dagen', '8 days', 8, 0, 'Normal'),
    row(t.cash, 'Contant', 'Cash', 0, 2, 'Cash'),
    row(t.card, 'Pinbetaling', 'Card payment', 0, 3, 'CardPayment'),
    row(t.psp, 'Betaald via webshop (PSP)', 'Paid via payment service provider', 0, 5, 'PaymentServiceProvider'),
  ];
}

export function units(): SandboxRecord[] {
  const u = EA_IDS.units;
  return [
    { Id: u.piece, Name: 'Stuks', Code: 'st', Abbreviation: 'st' },
    { Id: u.hour, Name: 'Uur', Code: 'h', Abbreviation: 'u' },
    { Id: u.kilogram, Name: 'Kilogram', Code: 'kg', Abbreviation: 'kg' },
  ];
}

/** Article codings: `VatRatePercent` is a fraction (0.21), as the Net/Gross rule `Gross = Net * (1 + rate)` reads. */
export function articleAccountCodings(): SandboxRecord[] {
  const c = EA_IDS.codings;
  const row = (Id: string, Name: string, NameEnglish: string, Type: string, VatRate: string, VatRatePercent: number, account: number) => ({
    Id, Name, NameEnglish, Type, VatRate, IsActive: true, VatRatePercent,
    DomesticSalesSubjectToReversedConstructionVatAccountNumber: null,
    DomesticSalesSubjectToVatAccountNumber: account,
    DomesticSalesVatExemptAccountNumber: 8300,
    ForeignSalesSubjectToMossAccountNumber: 8410,
    ForeignSalesSubjectToThirdPartySalesAccountNumber: 8420,
    ForeignSalesSubjectToVatWithinEuAccountNumber: 8400,
    ForeignSalesVatExemptOutsideEuAccountNumber: 8500,
    ForeignSalesVatExemptWithinEuAccountNumber: 8400,
    DomesticSalesVatCodeExemptAccountNumber: 8300,
    ChangedUtc: CHANGED,
  });
  return [
    row(c.goods21, 'Goederen 21%', 'Goods 21%', 'Goods', '21', 0.21, 8000),
    row(c.goods9, 'Goederen 9%', 'Goods 9%', 'Goods', '9', 0.09, 8010),
    row(c.goods0, 'Goederen 0%', 'Goods 0%', 'Goods', '0', 0, 8020),
    row(c.services21, 'Diensten 21%', 'Services 21%', 'Service', '21', 0.21, 8100),
    row(c.shipping21, 'Verzendkosten 21%', 'Shipping 21%', 'Service', '21', 0.21, 8200),
    row(c.shipping9, 'Verzendkosten 9%', 'Shipping 9%', 'Service', '9', 0.09, 8210),
    row(c.shipping0, 'Verzendkosten 0%', 'Shipping 0%', 'Service', '0', 0, 8220),
  ];
}

export function vatCodes(): SandboxRecord[] {
  const v = EA_IDS.vatCodes;
  const row = (Id: string, Code: string, Description: string, VatRate: number, accounts: [number | null, number | null, number | null]) => ({
    Id, Code, Description, VatRate, RelatedAccounts: { AccountNumber1: accounts[0], AccountNumber2: accounts[1], AccountNumber3: accounts[2] },
  });
  return [
    row(v.high, '1a', 'Leveringen/diensten belast met hoog tarief', 0.21, [1671, null, null]),
    row(v.low, '1b', 'Leveringen/diensten belast met laag tarief', 0.09, [1672, null, null]),
    row(v.zero, '1e', 'Leveringen/diensten belast met 0% of niet bij u belast', 0, [null, null, null]),
    row(v.reverseChargeEu, '3b', 'Leveringen naar/diensten in landen binnen de EU', 0, [null, null, null]),
    row(v.exportOutsideEu, '3a', 'Leveringen naar landen buiten de EU', 0, [null, null, null]),
  ];
}

export function deliveryMethods(): SandboxRecord[] {
  const d = EA_IDS.deliveryMethods;
  return [
    { Id: d.post, Name: 'PostNL', Code: 'POST' },
    { Id: d.pickup, Name: 'Afhalen', Code: 'AFHALEN' },
    { Id: d.courier, Name: 'Koerier', Code: 'KOERIER' },
    { Id: d.dhl, Name: 'DHL', Code: 'DHL' },
  ];
}

export function deliveryTerms(): SandboxRecord[] {
  const t = EA_IDS.deliveryTerms;
  return [
    { Id: t.franco, Name: 'Franco huis', Code: 'FRANCO' },
    { Id: t.exWarehouse, Name: 'Af magazijn', Code: 'AF' },
    { Id: t.dap, Name: 'Geleverd ter plaatse (DAP)', Code: 'DAP' },
  ];
}

export function countries(): SandboxRecord[] {
  const row = (Code: string, Name: string, IsEuMember: boolean) => ({ Name, Code, IsEuMember });
  return [
    row('NL', 'Nederland', true),
    row('BE', 'België', true),
    row('DE', 'Duitsland', true),
    row('FR', 'Frankrijk', true),
    row('IE', 'Ierland', true),
    row('LU', 'Luxemburg', true),
    row('AT', 'Oostenrijk', true),
    row('ES', 'Spanje', true),
    row('IT', 'Italië', true),
    row('SE', 'Zweden', true),
    row('GB', 'Verenigd Koninkrijk', false),
    row('US', 'Verenigde Staten', false),
    row('CH', 'Zwitserland', false),
    row('NO', 'Noorwegen', false),
  ];
}

export function articleLabels(): SandboxRecord[] {
  const l = EA_IDS.articleLabels;
  return [
    { Id: l.koffie, Name: 'Koffie', Description: 'Koffiebonen en -pads' },
    { Id: l.thee, Name: 'Thee', Description: 'Losse thee en zakjes' },
    { Id: l.servies, Name: 'Servies', Description: null },
    { Id: l.apparaten, Name: 'Apparaten', Description: null },
    { Id: l.boeken, Name: "Boeken & cadeau's", Description: null },
    { Id: l.webshop, Name: 'Webshop', Description: 'Verkocht in de webshop' },
  ];
}
