import type { Fix, Notification, RecordFailedMessage } from './messages.js';

/**
 * A notification as an e-mail a person reads on a phone: the subject names the integration and what happened,
 * the body says which flow and record, why (with the `.map` file:line), and what to do about it.
 */
export function emailText(message: Notification): { subject: string; text: string } {
  const head = `Integration: ${message.integration}`;
  switch (message.kind) {
    case 'record-failed':
      return {
        subject: `[Mapline] ${message.integration}: ${message.flow} record ${message.recordId} failed`,
        text: lines(head, '', ...record(message), '', ...fix(message.fix), '', `History: ${message.log.command}`),
      };
    case 'records-failed':
      return {
        subject: `[Mapline] ${message.integration}: ${message.count} records failed`,
        text: lines(
          head,
          `Failed: ${Object.entries(message.byFlow).map(([flow, n]) => `${n} in ${flow}`).join(', ')}`,
          '',
          ...message.sample.flatMap((r) => [...record(r), '']),
          ...(message.count > message.sample.length ? [`... and ${message.count - message.sample.length} more: ${message.log.command}`, ''] : []),
          ...fix(message.fix),
        ),
      };
    case 'cycle-failed':
      return {
        subject: `[Mapline] ${message.integration}: the run failed`,
        text: lines(head, `At: ${message.at}`, `Reason: ${message.reason}`, ...message.errors.map((e) => `  ${e.flow}: ${e.message}`), '', ...fix(message.fix), '', `Log: ${message.log.command}`),
      };
    case 'cycle-recovered':
      return {
        subject: `[Mapline] ${message.integration}: running again`,
        text: lines(head, `Failing since: ${message.failedSince}`, `Ran fine again at: ${message.at}`),
      };
  }
}

function record(r: Omit<RecordFailedMessage, 'source' | 'kind' | 'integration'>): string[] {
  return [
    `Flow: ${r.flow}`,
    `Record: ${r.recordId} (attempt ${r.attempts}, ${r.failedAt})`,
    `Reason: ${r.reason}`,
    r.location ? `Where: ${r.location.file}:${r.location.line}:${r.location.column}` : 'Where: not in the mapping (see the reason)',
  ];
}

function fix(f: Fix): string[] {
  return [`Fix: ${f.advice}`, `  Retry: ${f.command}`, ...(f.url ? [`  Or in the dashboard: ${f.url}`] : [])];
}

function lines(...parts: string[]): string {
  return `${parts.join('\n')}\n`;
}
