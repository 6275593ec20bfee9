import type { SandboxRequest, SandboxResponse } from './http-types.js';
import type { Router } from './router.js';

/** What a connector sandbox plugs into the shared host. */
export interface SandboxApp {
  /** `ccvshop` or `eaccounting`: the key used in data files and the control API. */
  readonly name: string;
  /** Answers one API request (auth, routing, rate limits, the resource logic). */
  handle(request: SandboxRequest): Promise<SandboxResponse> | SandboxResponse;
  /** The route pattern a request falls on, for logs and counts; null when unknown. */
  routeOf(method: string, path: string): string | null;
  /** The body an injected 5xx carries, in the API's own error shape. */
  faultResponse(request: SandboxRequest, status: number): SandboxResponse;
  /** A last touch on every answer (CCV signs responses). */
  finalize?(request: SandboxRequest, response: SandboxResponse): SandboxResponse;
  /** Forgets connector state that is not records (tokens, auth codes) on reset. */
  reset?(): void;
  /** Adds the connector's own control routes (under `/__sandbox`) to the shared ones. */
  controlRoutes?(router: Router): void;
  /** Stops work the connector started on its own (CCV's webhook deliveries) when the server closes. */
  close?(): Promise<void>;
}
