import type { Notification } from './messages.js';
import type { DeliveryResult } from './retry.js';

/** Somewhere notifications go (the webhook, e-mail). `send` never throws; its error names no secret. */
export interface NotificationChannel {
  /** Short and stable (`webhook`, `email`): it names the channel in warnings and in the ledger's flags. */
  readonly name: string;
  send(message: Notification): Promise<DeliveryResult>;
  close(): Promise<void>;
}
