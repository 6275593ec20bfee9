import { jsonResponse, type SandboxResponse } from '../../sandbox/http-types.js';

/**
 * CCV's error body: `{status, code, developermessage}` (§3, shape [H]). Codes the notes list are used as is
 * (404.20, 405.10, 429.10, 429.11, 500.40, 500.70); the 400 and 401 sub-codes are the sandbox's own guesses
 * (docs/sandbox.md).
 */
export function ccvError(status: number, code: string, developermessage: string): SandboxResponse {
  return jsonResponse(status, { status, code, developermessage });
}

export const CcvErrors = {
  invalidResourceName: (path: string) => ccvError(404, '404.20', `Invalid resource name: ${path}`),
  methodNotAllowed: (method: string, resource: string) => ccvError(405, '405.10', `Method ${method} not allowed on ${resource}`),
  notFound: (resource: string, id: string) => ccvError(404, '404.10', `Resource ${resource} with id ${id} not found`),
  badRequest: (message: string) => ccvError(400, '400.10', message),
  missingAuth: () => ccvError(401, '401.10', 'Missing authentication header(s): x-public, x-date and x-hash are required'),
  unknownPublicKey: () => ccvError(401, '401.20', 'Unknown public key (x-public)'),
  badDate: (reason: string) => ccvError(401, '401.30', `Invalid x-date: ${reason}`),
  badHash: () => ccvError(401, '401.40', 'Invalid hash (x-hash): the signature does not match the request'),
  methodRateLimit: (method: string, resource: string, limit: number) =>
    ccvError(429, '429.10', `Rate limit exceeded for ${method} ${resource}: each method in each resource has a limit of ${limit} requests per minute`),
  totalRateLimit: (limit: number) =>
    ccvError(429, '429.11', `Rate limit exceeded: the API has a total limit of ${limit} requests per minute`),
  internal: (status: number) => ccvError(status, `${status}.00`, 'Internal server error'),
  /** PropertyAlreadyExists: a second product-category link, a second invoice of an order. */
  alreadyExists: (message: string) => ccvError(500, '500.40', `Property already exists: ${message}`),
  /** MethodNotAllowedOnResource: the method exists, but not for this record in its present state. */
  notAllowedOnResource: (message: string) => ccvError(500, '500.70', `Method not allowed on this resource: ${message}`),
} as const;
