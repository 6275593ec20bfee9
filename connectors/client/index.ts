/** The connector HTTP client: one generic core driven by `ConnectorDefinition`s, auth as plug-ins. */
export { createClient, type ClientOptions, type ConnectorClient, type ListOptions } from './client.js';
export type { AuthContext, AuthPlugin, AuthPluginFactory, AuthPluginTable, Credentials, OutgoingRequest } from './auth-plugin.js';
export { defaultAuthPlugins } from './default-auth-plugins.js';
export { CallCounter, type CallCount } from './call-counter.js';
export * from './errors.js';
export type { ClientLogEvent, ClientLogger } from './logger.js';
export type { ApiRecord, Page } from './paging.js';
export type { RetryPolicy } from './executor.js';
export { rateWindowKeys, type RateBudget, type RateBudgetContext, type RateBudgetFactory, type RateWindowKey, type Release } from './rate-budget.js';
export { MemoryTokenStore, type TokenPair, type TokenStore } from './token-store.js';
export { odataEquals, odataLiteral } from './odata.js';
