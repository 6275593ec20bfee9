import type { AuthPlugin, AuthPluginFactory } from './auth-plugin.js';
import { UsageError } from './errors.js';

/** `auth.type: 'api-key'`: a fixed key in the header the definition names. */
export const apiKeyAuth: AuthPluginFactory = (context): AuthPlugin => {
  const spec = context.spec;
  if (spec.type !== 'api-key') throw new UsageError(context.definition.name, 'api-key plug-in used for another auth type');
  const key = context.credentials.apiKey;
  if (!key) throw new UsageError(context.definition.name, 'credentials.apiKey is required');
  context.redactor.addSecret(key);
  return { headers: async () => ({ [spec.header.toLowerCase()]: key }) };
};

/** `auth.type: 'none'`. */
export const noAuth: AuthPluginFactory = () => ({ headers: async () => ({}) });
