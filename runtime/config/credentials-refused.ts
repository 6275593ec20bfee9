import { ApiError, AuthError } from '../../connectors/client/index.js';
import type { ConnectorDefinition } from '../../connectors/definition.js';
import { CredentialsRefusedError } from '../engine/ports.js';
import { ENV_FIELDS, envName, type MaplineConfig } from './config.js';

type CredentialField = keyof typeof ENV_FIELDS;

const FIELD_NAMES: Readonly<Record<CredentialField, string>> = {
  publicKey: 'public key',
  secret: 'secret',
  clientId: 'client id',
  clientSecret: 'client secret',
  apiKey: 'API key',
  baseUrl: 'base URL',
};

/** The credential fields an auth type reads, for a refusal that does not say which one is wrong. */
function fieldsOf(definition: ConnectorDefinition): CredentialField[] {
  switch (definition.auth.type) {
    case 'ccv-hmac':
      return ['publicKey', 'secret'];
    case 'oauth2':
      return ['clientId', 'clientSecret'];
    case 'api-key':
      return ['apiKey'];
    case 'none':
      return [];
  }
}

/**
 * Turns a client error that means "the API refused this connection's credentials" into one that says so and
 * names where each credential is set (the environment variable or `connections.<name>.<field>` in the config),
 * never its value. Any other error is returned as it is.
 */
export function explainRefusal(config: MaplineConfig, name: string, definition: ConnectorDefinition): (error: unknown) => unknown {
  return (error) => {
    let status: number;
    let fields: CredentialField[];
    let detail = '';
    if (error instanceof AuthError && error.refused) {
      status = error.refused.status;
      fields = error.refused.fields.filter((f): f is CredentialField => Object.hasOwn(ENV_FIELDS, f));
      detail = error.refused.reason;
    } else if (error instanceof AuthError && error.oauthError === 'invalid_client') {
      status = 401;
      fields = ['clientId', 'clientSecret'];
    } else if (error instanceof ApiError && error.status === 401) {
      status = 401;
      fields = fieldsOf(definition);
      detail = [error.code, error.developerMessage].filter((p) => p !== undefined && p !== '').join(' ');
    } else {
      return error;
    }
    const what = fields.map((f) => `the ${FIELD_NAMES[f]}`).join(' and ');
    const places = fields.map((f) => whereSet(config, name, f)).join('; ');
    const signIn = definition.auth.type === 'oauth2' ? ` If they are right, sign in again: mapline auth ${name}.` : '';
    return new CredentialsRefusedError(
      definition.name,
      `${definition.title} refused the credentials of connection "${name}" (HTTP ${status})${detail ? `: ${detail}` : ''}. Check ${what}: ${places}.${signIn}`,
    );
  };
}

/** Where a credential of a connection comes from: the environment when it set it (it wins), else the config file. */
function whereSet(config: MaplineConfig, name: string, field: CredentialField): string {
  const variable = envName(name, field);
  const setting = `connections.${name}.${field}`;
  return config.fromEnvironment?.[name]?.includes(field)
    ? `${variable} in the environment (it overrides ${setting} in ${config.path})`
    : `${setting} in ${config.path} (or ${variable} in the environment)`;
}
