import type { SandboxRequest, SandboxResponse } from './http-types.js';

export type RouteParams = Readonly<Record<string, string>>;
export type RouteHandler = (request: SandboxRequest, params: RouteParams) => SandboxResponse | Promise<SandboxResponse>;

interface Route {
  readonly method: string;
  readonly pattern: string;
  readonly segments: readonly string[];
  readonly handler: RouteHandler;
}

export type RouteMatch =
  | { readonly kind: 'found'; readonly pattern: string; readonly params: RouteParams; readonly handler: RouteHandler }
  /** The path exists, but not for this method. */
  | { readonly kind: 'method-not-allowed'; readonly pattern: string; readonly allowed: readonly string[] }
  | { readonly kind: 'not-found' };

/**
 * A tiny path router: patterns like `/orders/{id}/orderrows`, matched segment by segment. A trailing slash is
 * optional, because real clients send both (CCV's SDK omits it, other clients add it).
 */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: RouteHandler): this {
    this.routes.push({ method: method.toUpperCase(), pattern, segments: splitPath(pattern), handler });
    return this;
  }

  match(method: string, path: string): RouteMatch {
    const segments = splitPath(path);
    const allowed: string[] = [];
    let pathPattern: string | undefined;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      if (route.method === method.toUpperCase()) {
        return { kind: 'found', pattern: route.pattern, params, handler: route.handler };
      }
      allowed.push(route.method);
      pathPattern ??= route.pattern;
    }
    if (pathPattern !== undefined) return { kind: 'method-not-allowed', pattern: pathPattern, allowed };
    return { kind: 'not-found' };
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function matchSegments(pattern: readonly string[], actual: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i] as string;
    const value = actual[i] as string;
    if (expected.startsWith('{') && expected.endsWith('}')) {
      params[expected.slice(1, -1)] = safeDecode(value);
    } else if (expected.toLowerCase() !== value.toLowerCase()) {
      return undefined;
    }
  }
  return params;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
