/**
 * Delivery channels (Notifier port): the console, a JSONL file, webhooks, and SNS. A channel that fails is
 * retried (with backoff through the Clock) and reported; it never blocks the others, and an alert it could
 * not deliver stays undelivered for that channel, to be sent by the next run — never lost.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { ConfigError } from '../errors.ts';
import { dirname } from 'node:path';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { request } from 'undici';
import { systemClock, type Clock, type Alert, type Notifier } from '../store/ports.ts';
import { textMessage, title, webhookBody, type WebhookFormat } from './format.ts';

export class ConsoleNotifier implements Notifier {
  readonly name = 'console';
  constructor(private readonly write: (s: string) => void = (s) => process.stderr.write(s)) {}
  async send(a: Alert, event: 'opened' | 'resolved'): Promise<void> {
    this.write(`\n${textMessage(a, event)}\n`);
  }
}

export class JsonlNotifier implements Notifier {
  readonly name: string;
  constructor(
    private readonly file: string,
    private readonly clock: Pick<Clock, 'now'> = systemClock,
  ) {
    this.name = `jsonl:${file}`;
  }
  async send(a: Alert, event: 'opened' | 'resolved'): Promise<void> {
    mkdirSync(dirname(this.file), { recursive: true });
    appendFileSync(this.file, `${JSON.stringify({ event, at: new Date(this.clock.now()).toISOString(), alert: a })}\n`);
  }
}

export class WebhookNotifier implements Notifier {
  readonly name: string;
  constructor(
    private readonly url: string,
    private readonly format: WebhookFormat = 'json',
    private readonly timeoutMs = 10_000,
  ) {
    this.name = `webhook:${format}:${new URL(url).host}`;
  }
  async send(a: Alert, event: 'opened' | 'resolved'): Promise<void> {
    const res = await request(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'nianbao alerts' },
      body: JSON.stringify(webhookBody(a, event, this.format)),
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`${this.name}: HTTP ${res.statusCode} ${text.slice(0, 200)}`);
    // DingTalk/WeCom/Feishu answer 200 with an error code in the body.
    const code = /"(?:errcode|code|StatusCode)"\s*:\s*(\d+)/.exec(text)?.[1];
    if (code && code !== '0') throw new Error(`${this.name}: robot error ${text.slice(0, 200)}`);
  }
}

export class SnsNotifier implements Notifier {
  readonly name: string;
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {
    this.name = `sns:${topicArn.split(':').pop()}`;
  }
  async send(a: Alert, event: 'opened' | 'resolved'): Promise<void> {
    await this.sns.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: title(a, event).slice(0, 99),
        // MessageStructure json: one string per protocol (SNS Publish API). People (email) read the text;
        // functions and queues (the notify function, archivists' SQS subscriptions) get the alert itself.
        Message: JSON.stringify({
          default: textMessage(a, event),
          email: textMessage(a, event),
          lambda: JSON.stringify({ event, alert: a }),
          sqs: JSON.stringify({ event, alert: a }),
        }),
        MessageStructure: 'json',
        MessageAttributes: { kind: { DataType: 'String', StringValue: a.kind }, body: { DataType: 'String', StringValue: a.bodyId } },
      }),
    );
  }
}

/** A webhook channel from its spec, `webhook[:json|dingtalk|wecom|feishu|slack]=URL`, or null if `spec` is not one. */
export function webhookFrom(spec: string): WebhookNotifier | null {
  const m = /^webhook(?::(json|dingtalk|wecom|feishu|slack))?=(https?:\/\/\S+)$/.exec(spec.trim());
  return m ? new WebhookNotifier(m[2]!, (m[1] ?? 'json') as WebhookFormat) : null;
}

/** Throws, naming the entry, unless every entry of a channel spec is a channel (no file or network touched). */
export function checkChannels(spec: string): string {
  for (const s of spec
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)) {
    if (s !== 'console' && s !== 'jsonl' && !s.startsWith('jsonl:') && !webhookFrom(s)) {
      throw new ConfigError(`unknown alert channel "${s}" (console, jsonl[:FILE], webhook[:json|dingtalk|wecom|feishu|slack]=URL)`);
    }
  }
  return spec;
}

/** Channels from a comma-separated spec: console, jsonl:FILE, webhook[:format]=URL. */
export function channelsFrom(spec: string, home: string, clock: Pick<Clock, 'now'> = systemClock): Notifier[] {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      if (s === 'console') return new ConsoleNotifier();
      if (s === 'jsonl') return new JsonlNotifier(`${home}/alerts.jsonl`, clock);
      if (s.startsWith('jsonl:')) return new JsonlNotifier(s.slice(6), clock);
      const webhook = webhookFrom(s);
      if (webhook) return webhook;
      throw new ConfigError(`unknown alert channel "${s}" (console, jsonl[:FILE], webhook[:json|dingtalk|wecom|feishu|slack]=URL)`);
    });
}
