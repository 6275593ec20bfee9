import nodemailer from 'nodemailer';
import type { EmailConfig } from '../config/config.js';
import type { NotificationChannel } from './channel.js';
import { emailText } from './email-text.js';
import { withRetries, type DeliveryOptions } from './retry.js';

/** How e-mail goes out: the config's `notify.email` with its CA file read (PEM certificates to trust for the server). */
export type EmailSettings = Omit<EmailConfig, 'caFile'> & { readonly ca?: string };

/**
 * E-mail over SMTP with nodemailer: a plain-text message per notification (`email-text.ts`). Retries what an
 * SMTP server calls transient (connection errors, 4yz replies); a 5yz reply (an address refused, a login
 * refused) is not retried. Errors name the server by host and port, the SMTP code and nodemailer's error code,
 * and are scrubbed of the password in case a server echoes it.
 */
export function emailChannel(settings: EmailSettings, options: DeliveryOptions = {}): NotificationChannel {
  const timeout = options.timeoutMs ?? 10_000;
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.security === 'tls',
    requireTLS: settings.security === 'starttls',
    ignoreTLS: settings.security === 'none',
    ...(settings.user !== undefined ? { auth: { user: settings.user, pass: settings.password ?? '' } } : {}),
    ...(settings.ca !== undefined ? { tls: { ca: settings.ca } } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    logger: false,
    debug: false,
  });
  const server = `${settings.host}:${settings.port}`;
  return {
    name: 'email',
    send: (message) => {
      const { subject, text } = emailText(message);
      return withRetries(options, async () => {
        try {
          await transport.sendMail({ from: settings.from, to: [...settings.to], subject, text, headers: { 'X-Mapline-Kind': message.kind } });
          return { ok: true };
        } catch (error) {
          const { code, responseCode, message: detail } = error as { code?: string; responseCode?: number; message?: string };
          const said = responseCode !== undefined ? `answered ${responseCode}` : `failed (${code ?? 'error'})`;
          const text = scrub(`e-mail via ${server} ${said}: ${firstLine(detail)}`, settings.password);
          return { ok: false, error: text, retry: responseCode === undefined || responseCode < 500 || responseCode === 503 };
        }
      });
    },
    close: async () => transport.close(),
  };
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0]!.slice(0, 200);
}

function scrub(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join('(password)') : text;
}
