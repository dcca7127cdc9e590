/**
 * notify — SNS alerts topic → the webhooks (DingTalk, WeCom, Feishu, Slack or plain JSON) listed in a
 * Secrets Manager secret: one spec per line or comma, `webhook[:format]=URL` (robot URLs carry their
 * access tokens, hence a secret). Email subscribers get the topic's messages directly.
 */
import type { Context, SNSEvent } from 'aws-lambda';
import type { WebhookNotifier } from '../shared/alerts/channels.ts';
import { requiredEnv } from './lib/config.ts';
import { observe } from './lib/observe.ts';
import { notifyWebhooks, webhooksFromSecret } from './lib/webhooks.ts';
import { secretString } from './lib/secrets.ts';

let webhooks: Promise<WebhookNotifier[]> | undefined;

const obs = observe('notify');

export async function handler(event: SNSEvent, context?: Context) {
  obs.start(context);
  const name = requiredEnv('NIANBAO_WEBHOOK_SECRET');
  webhooks ??= secretString(name).then(
    (secret) => webhooksFromSecret(secret, name),
    (e) => {
      webhooks = undefined; // read the secret again on the next invocation
      throw e;
    },
  );
  const log = obs.log;
  const result = await notifyWebhooks(event, await webhooks, log);
  obs.count('WebhooksSent', result.sent);
  if (result.failed) obs.count('WebhooksFailed', result.failed);
  obs.flush();
  log.log(result.failed ? 'warn' : 'info', 'webhooks notified', result);
  return result;
}
