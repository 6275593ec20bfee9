export { deliver, originOf, type DeliveryOptions, type DeliveryResult } from './webhook.js';
export { SqliteNotificationLedger, type NotificationLedger } from './ledger.js';
export { Notifier, type NotifySettings, type CycleFacts, type NotifyReport } from './notifier.js';
export type { Notification, RecordFailedMessage, FailuresSummaryMessage, CycleFailedMessage, CycleRecoveredMessage } from './messages.js';
