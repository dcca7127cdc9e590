/** Posting alerts from SNS messages to webhooks, and reading the webhook list from its secret. */
import type { SNSEvent } from 'aws-lambda';
import { webhookFrom, type WebhookNotifier } from '../../shared/alerts/channels.ts';
import type { Alert } from '../../shared/store/ports.ts';
import { ALERT_SCHEMA } from '../../shared/store/records.ts';
import { jsonChecker } from '../../shared/schema/check.ts';
import { PoisonMessageError } from './messages.ts';
import { ConfigError } from './config.ts';
import { errorDetails, type Logger } from './log.ts';

/** Parses the secret's webhook list; an entry that is not a webhook spec is a configuration error. */
export function webhooksFromSecret(secret: string, secretName: string): WebhookNotifier[] {
  return secret
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s && !s.startsWith('#'))
    .map((s) => {
      const w = webhookFrom(s);
      if (!w) throw new ConfigError(`secret ${secretName}: "${s.slice(0, 40)}" is not a webhook spec (webhook[:json|dingtalk|wecom|feishu|slack]=URL)`);
      return w;
    });
}

/** The message the SNS channel publishes (`SnsNotifier`): the alert and whether it opened or resolved. */
interface AlertMessage {
  event: 'opened' | 'resolved';
  alert: Alert;
}

const ALERT_MESSAGE = {
  type: 'object',
  required: ['event', 'alert'],
  properties: { event: { enum: ['opened', 'resolved'] }, alert: ALERT_SCHEMA },
};

const readAlertMessage = jsonChecker<AlertMessage>(ALERT_MESSAGE, (m) => new PoisonMessageError(m));

/**
 * Posts each alert of the event to every webhook, retrying each post once. A webhook that still fails is
 * logged and the others are not held back; the function fails (and SNS retries the whole message) only
 * when no webhook took it, so a healthy robot is not sent the same alert twice.
 */
export async function notifyWebhooks(event: SNSEvent, webhooks: WebhookNotifier[], log: Logger): Promise<{ sent: number; failed: number }> {
  let sent = 0;
  let failed = 0;
  for (const record of event.Records) {
    let m: AlertMessage;
    try {
      m = readAlertMessage(record.Sns.Message, `SNS message ${record.Sns.MessageId}`);
    } catch (e) {
      log.log('error', 'unreadable alert message (dropped)', { messageId: record.Sns.MessageId, ...errorDetails(e) });
      continue;
    }
    let delivered = 0;
    for (const w of webhooks) {
      try {
        await w.send(m.alert, m.event).catch(() => w.send(m.alert, m.event));
        delivered++;
        sent++;
      } catch (e) {
        failed++;
        log.log('error', 'webhook failed', { alert: m.alert.id, channel: w.name, ...errorDetails(e) });
      }
    }
    if (webhooks.length && !delivered) throw new Error(`alert ${m.alert.id}: no webhook accepted it`);
  }
  return { sent, failed };
}
