import { ccvDate, ccvSignature } from '../../../connectors/ccvshop/hmac.js';
import { connectEaccountingSandbox, type RunningSandboxes } from '../../../connectors/sandbox/index.js';

export interface CcvCall {
  readonly method?: string;
  /** Path and query, e.g. `/api/rest/v1/orders/?size=5`. */
  readonly uri: string;
  readonly body?: string;
  /** Override what gets signed (to tamper with a request after signing). */
  readonly signed?: { readonly uri?: string; readonly body?: string; readonly date?: string };
  readonly date?: string;
  readonly publicKey?: string;
  readonly secret?: string;
}

export interface CcvAnswer {
  readonly status: number;
  readonly text: string;
  readonly json: any;
  readonly headers: Headers;
}

/** A CCV request signed as a real client signs it, over real HTTP. */
export async function ccv(s: RunningSandboxes, call: CcvCall): Promise<CcvAnswer> {
  const method = call.method ?? 'GET';
  const date = call.date ?? ccvDate(new Date(s.clock.now()));
  const publicKey = call.publicKey ?? s.ccvshop.publicKey;
  const hash = ccvSignature(call.secret ?? s.ccvshop.secret, {
    publicKey,
    method,
    uri: call.signed?.uri ?? call.uri,
    body: call.signed?.body ?? call.body ?? '',
    date: call.signed?.date ?? date,
  });
  const response = await fetch(`${s.ccvshop.origin}${call.uri}`, {
    method,
    headers: { 'x-public': publicKey, 'x-date': date, 'x-hash': hash, ...(call.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(call.body !== undefined ? { body: call.body } : {}),
  });
  const text = await response.text();
  return { status: response.status, text, json: text ? JSON.parse(text) : undefined, headers: response.headers };
}

/** An eAccounting call with a bearer token. */
export async function ea(s: RunningSandboxes, token: string, method: string, path: string, body?: unknown): Promise<CcvAnswer> {
  const response = await fetch(`${s.eaccounting.origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, text, json: text ? JSON.parse(text) : undefined, headers: response.headers };
}

export async function eaToken(s: RunningSandboxes): Promise<string> {
  return (await connectEaccountingSandbox(s)).access_token;
}

/** `$filter=...` etc. encoded as a client would. */
export function query(params: Record<string, string | number>): string {
  return new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
}

export const TERMS_14_DAYS = 'bdd640fb-0667-4ad1-9c80-317fa3b1799d';
