import { ccvHmacAuth } from '../ccvshop/auth.js';
import { oauth2Auth } from '../eaccounting/auth.js';
import { apiKeyAuth, noAuth } from './api-key-auth.js';
import type { AuthPluginTable } from './auth-plugin.js';

/** The built-in plug-ins, one per `AuthSpec['type']`. A new API reusing one of these needs no code at all. */
export const defaultAuthPlugins: AuthPluginTable = {
  none: noAuth,
  'api-key': apiKeyAuth,
  'ccv-hmac': ccvHmacAuth,
  oauth2: oauth2Auth,
};
