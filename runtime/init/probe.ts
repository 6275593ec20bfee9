import { createClient } from '../../connectors/client/client.js';
import { ccvshop } from '../../connectors/ccvshop/definition.js';
import { eaccounting } from '../../connectors/eaccounting/definition.js';
import { SqliteStateStore } from '../state/sqlite-store.js';
import { tokenStoreFor } from '../state/token-store.js';
import { messageOf } from '../message-of.js';

export interface ShopPaymethod {
  /** What orders carry in `paymethod` (CCV `combined_name`). */
  readonly key: string;
  readonly label: string;
}

export interface AccountingTerms {
  readonly id: string;
  readonly name: string;
}

export type Probe<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** A quick client: two attempts, so a wrong URL or key is reported in seconds, not after a long backoff. */
const RETRY = { maxAttempts: 2 };

/** Connection test for the shop: a signed GET /paymethods, whose answer the payment-method table needs anyway. */
export async function probeCcvShop(connection: { baseUrl: string; publicKey: string; secret: string }): Promise<Probe<ShopPaymethod[]>> {
  const client = createClient(ccvshop, { baseUrl: connection.baseUrl, credentials: { publicKey: connection.publicKey, secret: connection.secret }, retry: RETRY });
  try {
    const items = await client.listAll('paymethods');
    return {
      ok: true,
      value: items.map((m) => {
        const r = m as { combined_name?: string; psp?: string; method?: string; label?: string; id?: unknown };
        const key = r.combined_name ?? `${r.psp ?? ''}_${r.method ?? ''}`;
        return { key, label: r.label ?? key };
      }),
    };
  } catch (error) {
    return { ok: false, error: messageOf(error) };
  } finally {
    await client.close();
  }
}

export interface EaccountingConnection {
  readonly state: string;
  readonly connection: string;
  readonly baseUrl?: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly identityUrl?: string;
}

/** Runs `use` with an eAccounting client on the tokens stored under `connection`; failures become a `Probe`. */
async function withEaccounting<T>(options: EaccountingConnection, use: (client: ReturnType<typeof createClient>) => Promise<T>): Promise<Probe<T>> {
  const store = SqliteStateStore.open(options.state);
  const client = createClient(eaccounting, {
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    credentials: { clientId: options.clientId, clientSecret: options.clientSecret, ...(options.identityUrl ? { identityUrl: options.identityUrl } : {}) },
    tokenStore: tokenStoreFor(store, options.connection),
    retry: RETRY,
  });
  try {
    return { ok: true, value: await use(client) };
  } catch (error) {
    return { ok: false, error: messageOf(error) };
  } finally {
    await client.close();
    await store.close();
  }
}

/**
 * Connection test for eAccounting with the tokens stored under `connection` in the state file (after the
 * sign-in): GET /termsofpayments, whose answer the payment-method table needs anyway.
 */
export function probeEaccounting(options: EaccountingConnection): Promise<Probe<AccountingTerms[]>> {
  return withEaccounting(options, async (client) =>
    (await client.listAll('termsofpayments'))
      .filter((t) => (t as { AvailableForSales?: boolean }).AvailableForSales !== false)
      .map((t) => {
        const r = t as { Id: string; Name?: string; NameEnglish?: string };
        return { id: r.Id, name: r.Name ?? r.NameEnglish ?? r.Id };
      }),
  );
}

/** The name of the eAccounting customer with this CustomerNumber, or undefined when there is none. */
export function findCustomer(options: EaccountingConnection, customerNumber: string): Promise<Probe<string | undefined>> {
  return withEaccounting(options, async (client) => {
    const found = (await client.search('customers', 'CustomerNumber', customerNumber)) as { Name?: string }[];
    return found[0] ? (found[0].Name ?? customerNumber) : undefined;
  });
}

/** Whether a token pair is stored for the connection (the sign-in was done). */
export async function hasToken(state: string, connection: string): Promise<boolean> {
  const store = SqliteStateStore.open(state);
  try {
    return (await store.loadToken(connection)) !== undefined;
  } finally {
    await store.close();
  }
}

