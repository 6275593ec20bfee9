import { readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { eaccounting } from '../../connectors/eaccounting/definition.js';
import { Asker, InitInputError, numberList, oneOf, text, url, yesNo } from './asker.js';
import { CATEGORIES_FILE, DOCUMENT_TYPES, FLOW_CHOICES, FLOW_FILES, STOCK_CALCULATIONS, type DocumentType, type FlowChoice } from './flow-catalogue.js';
import { findCustomer, hasToken, probeCcvShop, probeEaccounting, type AccountingTerms, type Probe, type ShopPaymethod } from './probe.js';
import { readTermsTable, writeTermsTable, type TermsRow } from './terms-table.js';

export interface SignInRequest {
  readonly connection: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly identityUrl?: string;
  readonly apiUrl?: string;
  readonly state: string;
}

export interface InitDeps {
  readonly asker: Asker;
  /** Absolute path of the config file to write. */
  readonly configPath: string;
  /** Where the default `mappings/` live. */
  readonly mappingsRoot: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The eAccounting sign-in (`mapline auth eaccounting`): stores the tokens in the state file; false when it failed. */
  readonly signIn: (request: SignInRequest) => Promise<boolean>;
  /** Leave the secrets out of the config (they then come from MAPLINE_..._SECRET in the environment). */
  readonly omitSecrets?: boolean;
}

/** What `mapline init` writes: the config and any generated `.map` copies. */
export interface InitPlan {
  readonly configPath: string;
  readonly config: Record<string, unknown>;
  readonly files: readonly { readonly path: string; readonly text: string }[];
}

/** The questions, in the order a merchant answers them; see docs/operations.md for the flags. */
export async function planInit(deps: InitDeps): Promise<InitPlan> {
  const { asker } = deps;
  const configDir = dirname(deps.configPath);

  asker.say('Systems');
  await asker.ask({ flag: 'shop', prompt: 'Webshop (ccvshop)', default: 'ccvshop', parse: oneOf(['ccvshop'] as const) });
  await asker.ask({ flag: 'accounting', prompt: 'Accounting system (eaccounting)', default: 'eaccounting', parse: oneOf(['eaccounting'] as const) });

  asker.say('');
  asker.say('CCV Shop: API keys from the shop admin (Settings > API), and the API address of your shop.');
  let shop: { baseUrl: string; publicKey: string; secret: string };
  let paymethods: ShopPaymethod[];
  for (;;) {
    const baseUrl = await asker.ask({ flag: 'ccv-url', prompt: 'Shop API URL (e.g. https://myshop.nl/api/rest/v1)', parse: url });
    const publicKey = await asker.ask({ flag: 'ccv-public-key', prompt: 'CCV public key', parse: text });
    const secret = deps.env.MAPLINE_CCVSHOP_SECRET || (await asker.ask({ flag: 'ccv-secret', prompt: 'CCV secret (not shown)', secret: true, parse: text }));
    shop = { baseUrl, publicKey, secret };
    const probe = await probeCcvShop(shop);
    if (await reportProbe(asker, 'CCV Shop', probe, (v) => `${v.length} payment methods`)) {
      paymethods = (probe as { value: ShopPaymethod[] }).value;
      break;
    }
  }

  asker.say('');
  asker.say('Visma eAccounting: the OAuth2 client of your Visma developer account; you sign in once in the browser.');
  const state = await asker.ask({ flag: 'state', prompt: 'State file (links, log, tokens)', default: 'mapline.state.sqlite', parse: text });
  const statePath = resolve(configDir, state);
  let accounting: { clientId: string; clientSecret: string; baseUrl: string; identityUrl?: string };
  let terms: AccountingTerms[];
  for (;;) {
    const clientId = await asker.ask({ flag: 'ea-client-id', prompt: 'eAccounting client id', parse: text });
    const clientSecret = deps.env.MAPLINE_EACCOUNTING_CLIENT_SECRET || (await asker.ask({ flag: 'ea-client-secret', prompt: 'eAccounting client secret (not shown)', secret: true, parse: text }));
    const baseUrl = await asker.ask({ flag: 'ea-url', prompt: 'eAccounting API URL', default: eaccounting.defaultBaseUrl, parse: url });
    const identity = await asker.ask({ flag: 'ea-identity-url', prompt: 'Identity server (empty: Visma\'s own)', default: '', parse: (t) => (t === '' ? { value: '' } : url(t)) });
    accounting = { clientId, clientSecret, baseUrl, ...(identity ? { identityUrl: identity } : {}) };
    if (await hasToken(statePath, 'eaccounting')) asker.say('  Signed in already (tokens found in the state file).');
    else {
      asker.say('  Signing in (mapline auth eaccounting) ...');
      const signed = await deps.signIn({ connection: 'eaccounting', clientId, clientSecret, state: statePath, apiUrl: baseUrl, ...(identity ? { identityUrl: identity } : {}) });
      if (!signed) {
        if (!asker.interactive) throw new InitInputError('the eAccounting sign-in failed (see above)');
        asker.say('  The sign-in failed; check the client id and secret.');
        continue;
      }
    }
    const probe = await probeEaccounting({ state: statePath, connection: 'eaccounting', ...accounting });
    if (await reportProbe(asker, 'eAccounting', probe, (v) => `${v.length} terms of payment`)) {
      terms = (probe as { value: AccountingTerms[] }).value;
      break;
    }
  }

  asker.say('');
  asker.say(`Flows: ${FLOW_CHOICES.join(', ')}`);
  const chosen = await asker.ask({ flag: 'flows', prompt: 'Flows to run (comma-separated)', default: 'orders,customers', parse: flowList });

  const flows: { file: string; settings: Record<string, unknown> }[] = [];
  const files: { path: string; text: string }[] = [];
  let termsRows: TermsAnswers | undefined;
  const fileFor = async (mapFile: string, settings: Record<string, unknown>): Promise<void> => {
    const source = join(deps.mappingsRoot, mapFile);
    const mapText = readFileSync(source, 'utf8');
    const table = readTermsTable(mapText);
    if (!table) {
      flows.push({ file: relativeTo(configDir, source), settings });
      return;
    }
    termsRows ??= await askTerms(asker, paymethods, terms, table);
    const copy = join(configDir, 'mapline-maps', basename(mapFile));
    const header = `# Generated by mapline init from ${mapFile}: the ${'terms_by_paymethod'} table holds this shop's payment methods\n# and this administration's terms of payment. Edit it freely; rerun mapline init to start again.\n`;
    files.push({ path: copy, text: header + writeTermsTable(mapText, termsRows.rows, termsRows.elseId, termsRows.elseComment) });
    flows.push({ file: relativeTo(configDir, copy), settings });
  };

  for (const flow of chosen) {
    asker.say('');
    if (flow === 'orders') {
      asker.say('Orders: which accounting document each paid shop order becomes.');
      const document = await asker.ask({ flag: 'document', prompt: `Document type (${Object.keys(DOCUMENT_TYPES).join(', ')})`, default: 'orders', parse: oneOf(Object.keys(DOCUMENT_TYPES) as DocumentType[]) });
      const mapFile = FLOW_FILES.orders;
      const defaults = readFileSync(join(deps.mappingsRoot, mapFile), 'utf8');
      asker.say(`  Shop order statuses: ${ORDER_STATUSES.map((name, i) => `${i + 1} ${name}`).join(', ')}`);
      const statuses = await asker.ask({ flag: 'statuses', prompt: 'Shop order statuses to send', default: defaultStatuses(defaults), parse: orderStatuses });
      let defaultCustomer: string | null;
      for (;;) {
        const customer = await asker.ask({ flag: 'default-customer', prompt: 'Book every order on one customer number (none: per shop customer)', default: 'none', parse: text });
        defaultCustomer = /^(none|-|)$/i.test(customer) ? null : customer;
        if (defaultCustomer === null) break;
        const found = await findCustomer({ state: statePath, connection: 'eaccounting', ...accounting }, defaultCustomer);
        if (found.ok && found.value !== undefined) {
          asker.say(`  Customer ${defaultCustomer}: ${found.value}.`);
          break;
        }
        const problem = found.ok ? `eAccounting has no customer with number ${defaultCustomer}` : `cannot look customer ${defaultCustomer} up: ${found.error}`;
        if (!asker.interactive) throw new InitInputError(`--default-customer: ${problem}`);
        asker.say(`  ${problem}.`);
      }
      // One mapping for every document type: the choice is its `document` setting.
      await fileFor(mapFile, { document: DOCUMENT_TYPES[document], statuses, default_customer: defaultCustomer });
    } else if (flow === 'customers') {
      asker.say('Customers: shop customers into eAccounting, matched by e-mail.');
      const update = await asker.ask({ flag: 'update-customers', prompt: 'Update customers that already exist (yes/no)', default: 'yes', parse: yesNo });
      await fileFor(FLOW_FILES.customers, { update_existing: update });
    } else if (flow === 'products') {
      asker.say('Products: eAccounting articles marked "send to webshop" become shop products.');
      const update = await asker.ask({ flag: 'update-products', prompt: 'Update products that already exist in the shop (yes/no)', default: 'no', parse: yesNo });
      const categories = await asker.ask({ flag: 'categories', prompt: 'Make a shop category of each article label and put the products in them (yes/no)', default: 'yes', parse: yesNo });
      // The categories must exist before products are put in them: their flow runs first.
      if (categories) await fileFor(CATEGORIES_FILE, { update_existing: true });
      await fileFor(FLOW_FILES.products, { update_existing: update, link_categories: categories });
    } else if (flow === 'stock') {
      asker.say('Stock: the shop stock follows eAccounting.');
      const calculation = await asker.ask({ flag: 'stock-calculation', prompt: `Stock figure (${STOCK_CALCULATIONS.join(', ')})`, default: 'available', parse: oneOf(STOCK_CALCULATIONS) });
      await fileFor(FLOW_FILES.stock, { calculation });
    } else {
      asker.say('Products to accounting: shop products become eAccounting articles.');
      const update = await asker.ask({ flag: 'update-articles', prompt: 'Update articles that already exist (yes/no)', default: 'no', parse: yesNo });
      await fileFor(FLOW_FILES['products-to-accounting'], { update_existing: update });
    }
  }

  const secrets = !deps.omitSecrets;
  const config = {
    $schema: relativeTo(configDir, join(deps.mappingsRoot, 'mapline.config.schema.json')),
    state,
    connections: {
      ccvshop: { baseUrl: shop.baseUrl, publicKey: shop.publicKey, ...(secrets ? { secret: shop.secret } : {}) },
      eaccounting: {
        baseUrl: accounting.baseUrl,
        clientId: accounting.clientId,
        ...(secrets ? { clientSecret: accounting.clientSecret } : {}),
        ...(accounting.identityUrl ? { identityUrl: accounting.identityUrl } : {}),
      },
    },
    flows,
  };
  return { configPath: deps.configPath, config, files };
}

async function reportProbe<T>(asker: Asker, system: string, probe: Probe<T>, describe: (value: T) => string): Promise<boolean> {
  if (probe.ok) {
    asker.say(`  Connection test: ${system} answered (${describe(probe.value)}).`);
    return true;
  }
  if (!asker.interactive) throw new InitInputError(`${system} connection test failed: ${probe.error}`);
  asker.say(`  Connection test failed: ${probe.error}`);
  asker.say('  Enter the details again.');
  return false;
}

function flowList(value: string): { value: FlowChoice[] } | { error: string } {
  const names = value.split(/[\s,]+/).filter((n) => n !== '');
  const unknown = names.filter((n) => !(FLOW_CHOICES as string[]).includes(n));
  if (names.length === 0) return { error: 'choose at least one flow' };
  if (unknown.length > 0) return { error: `unknown flow ${unknown.join(', ')} (choose from ${FLOW_CHOICES.join(', ')})` };
  return { value: [...new Set(names)] as FlowChoice[] };
}

/** CCV Shop order statuses 1..14 (API notes; a shop may rename them, not renumber them). */
const ORDER_STATUSES = ['new', 'in process', 'wait for manufacturer', 'wait for payment', 'sent', 'delivered', 'completed', 'cancelled', 'wait for supplier', 'being packaged', 'ready to be collected', 'being assembled', 'backorder', 'reserved'];

function orderStatuses(value: string): { value: number[] } | { error: string } {
  const parsed = numberList(value);
  if ('error' in parsed) return parsed;
  const wrong = parsed.value.filter((n) => n < 1 || n > ORDER_STATUSES.length);
  return wrong.length > 0 ? { error: `no shop order status ${wrong.join(', ')} (they are 1 to ${ORDER_STATUSES.length})` } : parsed;
}

function defaultStatuses(mapText: string): string {
  return /^\s*statuses\s*=\s*\[([^\]]*)\]/m.exec(mapText)?.[1]?.replace(/\s+/g, '') ?? '1,2';
}

/**
 * Payment method -> terms of payment, one question per payment method the shop has. Answers: the number in the
 * list, the terms' name, or its id; the flag `--terms ideal=3,manual_banktransfer="14 dagen"` answers by key.
 * The default is what the default mapping had for that method, when this administration has those terms.
 */
interface TermsAnswers {
  readonly rows: TermsRow[];
  readonly elseId: string;
  readonly elseComment: string;
}

async function askTerms(asker: Asker, paymethods: readonly ShopPaymethod[], terms: readonly AccountingTerms[], defaults: Map<string, string>): Promise<TermsAnswers> {
  if (terms.length === 0) throw new InitInputError('eAccounting has no terms of payment available for sales; add one there first');
  asker.say('');
  asker.say('Payment method -> terms of payment. eAccounting\'s terms:');
  terms.forEach((t, i) => asker.say(`  ${i + 1}. ${t.name}`));
  const pick = (answer: string): { value: AccountingTerms } | { error: string } => {
    const byIndex = /^\d+$/.test(answer) ? terms[Number(answer) - 1] : undefined;
    const found = byIndex ?? terms.find((t) => t.id === answer || t.name.toLowerCase() === answer.toLowerCase());
    return found ? { value: found } : { error: `"${answer}" is not one of the terms above (give its number, name or id)` };
  };
  const known = (id: string | undefined): AccountingTerms | undefined => terms.find((t) => t.id === id);
  const fallback = known(defaults.get('else')) ?? terms[0]!;
  const flagged = asker.flag('terms') ?? '';
  const given = new Map<string, string>();
  for (const part of flagged.split(',').filter((p) => p.includes('='))) {
    const at = part.indexOf('=');
    given.set(part.slice(0, at).trim(), part.slice(at + 1).trim().replace(/^"|"$/g, ''));
  }
  const rows: TermsRow[] = [];
  for (const method of paymethods) {
    const preset = known(defaults.get(method.key)) ?? fallback;
    const answer = given.get(method.key);
    let chosen: AccountingTerms;
    if (answer !== undefined) {
      const parsed = pick(answer);
      if ('error' in parsed) throw new InitInputError(`--terms ${method.key}: ${parsed.error}`);
      chosen = parsed.value;
    } else if (asker.interactive) {
      chosen = await asker.ask({ flag: `terms:${method.key}`, prompt: `  ${method.label} (${method.key})`, default: String(terms.indexOf(preset) + 1), parse: pick });
    } else chosen = preset;
    rows.push({ paymethod: method.key, termsId: chosen.id, comment: `${method.label} -> ${chosen.name}` });
  }
  return { rows, elseId: fallback.id, elseComment: `any other method -> ${fallback.name}` };
}

function relativeTo(dir: string, file: string): string {
  const rel = relative(dir, file);
  return rel.startsWith('..') || rel === '' ? file : rel;
}
