/**
 * Keeps secrets out of everything a user or log can see: error messages, serialised errors, log events.
 * Two layers: names that always mean a secret (headers, body keys, query parameters) are masked by name, and
 * every secret value the client knows (keys, client secret, current tokens) is masked wherever it appears.
 */
export const REDACTED = '[redacted]';

/** Header and body-field names whose values are secrets. */
const SECRET_NAME = /secret|password|token|authorization|api[-_]?key|^x-hash$|^x-public$/i;
/** Query parameters are stricter: an OAuth callback carries the one-time `code`. */
const SECRET_QUERY_NAME = /^(code|code_verifier|state)$/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

export class Redactor {
  readonly #values = new Set<string>();

  /** Registers a value that must never be shown (ignored when too short to be a secret rather than a word). */
  addSecret(value: string | undefined): void {
    if (value !== undefined && value.length >= 6) this.#values.add(value);
  }

  /** Masks every known secret value inside a free text (messages from the API may echo what we sent). */
  text(input: string): string {
    let output = input;
    for (const value of this.#values) output = output.split(value).join(REDACTED);
    return output;
  }

  /** Masks secret query parameters by name, then known values. `path` is path+query as sent. */
  path(pathAndQuery: string): string {
    const q = pathAndQuery.indexOf('?');
    if (q < 0) return this.text(pathAndQuery);
    const query = pathAndQuery
      .slice(q + 1)
      .split('&')
      .map((pair) => {
        const eq = pair.indexOf('=');
        const name = decodeSafely(eq < 0 ? pair : pair.slice(0, eq));
        return eq >= 0 && (isSecretName(name) || SECRET_QUERY_NAME.test(name)) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
      })
      .join('&');
    return this.text(`${pathAndQuery.slice(0, q)}?${query}`);
  }

  /** Masks a JSON-ish value: secret-named keys by name, known secret values anywhere. */
  value(input: unknown): unknown {
    if (typeof input === 'string') return this.text(input);
    if (Array.isArray(input)) return input.map((item) => this.value(item));
    if (input !== null && typeof input === 'object') {
      const output: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(input)) output[key] = isSecretName(key) ? REDACTED : this.value(item);
      return output;
    }
    return input;
  }

  /** A request body for an error: parsed and masked when JSON, masked as text otherwise. */
  body(raw: string | undefined, contentType: string | undefined): unknown {
    if (raw === undefined || raw === '') return undefined;
    if (contentType?.includes('application/x-www-form-urlencoded')) return REDACTED; // OAuth forms carry codes and tokens
    try {
      return this.value(JSON.parse(raw));
    } catch {
      return this.text(raw);
    }
  }
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
