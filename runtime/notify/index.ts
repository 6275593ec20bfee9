export { deliver, originOf, webhookChannel, type DeliveryOptions, type DeliveryResult } from './webhook.js';
export { emailChannel, type EmailSettings } from './email.js';
export { emailText } from './email-text.js';
export type { NotificationChannel } from './channel.js';
export { SqliteNotificationLedger, type NotificationLedger } from './ledger.js';
export { Notifier, channelsOf, type NotifySettings, type CycleFacts, type NotifyReport } from './notifier.js';
export type { Notification, NotifyContext, RecordFailedMessage, FailuresSummaryMessage, CycleFailedMessage, CycleRecoveredMessage } from './messages.js';
