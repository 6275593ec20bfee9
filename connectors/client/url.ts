/**
 * Builds the path+query a request is sent (and, for CCV, signed) with. It is built once per request and never
 * re-encoded afterwards, so the bytes signed are the bytes sent.
 */
export type QueryValue = string | number | boolean;
export type QueryParams = Readonly<Record<string, QueryValue | undefined>>;

/** Fills `{id}`, `{parentId}`, ... placeholders, each value encoded as one path segment. */
export function fillPath(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`path ${template} needs a value for {${name}}`);
    return encodeURIComponent(String(value));
  });
}

/**
 * `name=value&...` in insertion order. Values are percent-encoded, but `$`, `:` and `,` stay readable (OData
 * names and datetimes); spaces become `%20`, never `+`.
 */
export function queryString(params: QueryParams): string {
  return Object.entries(params)
    .filter((entry): entry is [string, QueryValue] => entry[1] !== undefined)
    .map(([name, value]) => `${encodeQueryPart(name)}=${encodeQueryPart(String(value))}`)
    .join('&');
}

export function withQuery(path: string, params: QueryParams): string {
  const query = queryString(params);
  if (query === '') return path;
  return `${path}${path.includes('?') ? '&' : '?'}${query}`;
}

function encodeQueryPart(text: string): string {
  return encodeURIComponent(text).replace(/%24/g, '$').replace(/%3A/gi, ':').replace(/%2C/gi, ',');
}

/**
 * The rate-limit unit for an endpoint: its path template without placeholder segments, so `/orders/{id}` and
 * `/orders` count together and `/orders/{parentId}/orderrows` counts as `/orders/orderrows`.
 */
export function endpointKey(template: string): string {
  const key = template
    .split('/')
    .filter((segment) => segment !== '' && !/^\{\w+\}$/.test(segment))
    .join('/');
  return `/${key}`;
}
