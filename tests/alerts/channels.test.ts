/** Alert formats for the webhook robots, and the SNS channel against fauxqs (SNS → SQS subscription). */
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { startFauxqs } from 'fauxqs';
import { describe, expect, it } from 'vitest';
import { SnsNotifier, channelsFrom } from '../../shared/alerts/channels.ts';
import { alertId } from '../../shared/alerts/decide.ts';
import { markdownMessage, textMessage, webhookBody } from '../../shared/alerts/format.ts';
import type { Alert } from '../../shared/store/ports.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const alert: Alert = {
  id: alertId('b', 2024, 'inconsistent', 'T3-BALANCE:table3.received.total'),
  bodyId: 'b',
  bodyName: '某某区人民政府',
  region: '110101',
  year: 2024,
  kind: 'inconsistent',
  detail: 'T3-BALANCE:table3.received.total',
  state: 'open',
  summaryZh: '某某区人民政府2024年度报告：表三「总计」列：一+二=70，三(七)+四=71',
  summaryEn: 'table 3 total: received + carried over = 70, handled + carried forward = 71',
  evidence: {
    rules: ['T3-BALANCE'],
    cells: ['table3.received.total'],
    figures: [{ cell: 'table3.received.total', expected: 70, actual: 71 }],
    sha256: 'a'.repeat(64),
    url: 'http://x.gov.cn/r.html',
    retrieve: `nianbao get ${'a'.repeat(64)}`,
  },
  openedAt: '2025-06-01T02:00:00.000Z',
  sent: { opened: [], resolved: [] },
  version: 1,
};

describe('alert messages', () => {
  it('carry the body, year, kind, both summaries, the evidence and how to get the snapshot', () => {
    const t = textMessage(alert, 'opened');
    for (const s of [
      '某某区人民政府 2024年度报告：数据不一致',
      alert.summaryZh,
      alert.summaryEn,
      'rules: T3-BALANCE',
      'expected 70, actual 71',
      `nianbao get ${'a'.repeat(64)}`,
    ])
      expect(t).toContain(s);
    expect(textMessage(alert, 'resolved')).toMatch(/^【已解除】/);
    expect(markdownMessage(alert, 'opened')).toMatch(/^### /);
  });

  it('a removal shows the capture that found the report gone and, apart, the last archived copy of it', () => {
    const removed: Alert = {
      ...alert,
      kind: 'removed',
      detail: 'http://x.gov.cn/r.html',
      evidence: {
        url: 'http://x.gov.cn/r.html',
        status: 404,
        outcome: 'not_found',
        captureTime: '2025-06-02T02:00:00.000Z',
        captureId: 'cap404',
        sha256: 'b'.repeat(64),
        retrieve: `nianbao get ${'b'.repeat(64)}`,
      },
    };
    const lines = textMessage(removed, 'opened').split('\n');
    expect(lines).toContain('capture: 2025-06-02T02:00:00.000Z HTTP 404 (cap404) — 报告已不在 the report is gone');
    expect(lines).toContain(`last archived copy / 删除前的存档: sha256 ${'b'.repeat(64)}`);
    expect(lines.some((l) => l.startsWith('capture:') && l.includes('b'.repeat(64)))).toBe(false);
  });

  it('fits the webhook robots: DingTalk, WeCom, Feishu, Slack and generic JSON', () => {
    expect(webhookBody(alert, 'opened', 'dingtalk')).toMatchObject({
      msgtype: 'markdown',
      markdown: { title: expect.any(String), text: expect.stringContaining('T3-BALANCE') },
    });
    expect(webhookBody(alert, 'opened', 'wecom')).toMatchObject({ msgtype: 'markdown', markdown: { content: expect.stringContaining('T3-BALANCE') } });
    expect(webhookBody(alert, 'opened', 'feishu')).toMatchObject({ msg_type: 'text', content: { text: expect.stringContaining('T3-BALANCE') } });
    expect(webhookBody(alert, 'opened', 'slack')).toMatchObject({ text: expect.stringContaining('T3-BALANCE') });
    expect(webhookBody(alert, 'resolved', 'json')).toEqual({ event: 'resolved', alert });
  });

  it('parses channel specs and names the bad one', () => {
    expect(channelsFrom('console,jsonl,webhook:wecom=https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x', '/tmp/h').map((c) => c.name)).toEqual([
      'console',
      'jsonl:/tmp/h/alerts.jsonl',
      'webhook:wecom:qyapi.weixin.qq.com',
    ]);
    expect(() => channelsFrom('carrier-pigeon', '/tmp/h')).toThrow(/unknown alert channel "carrier-pigeon"/);
  });
});

describe('SNS channel (fauxqs)', () => {
  it('publishes the alert to the topic; a subscribed queue receives it', async () => {
    const f = await startFauxqs({ port: 0, logger: false } as Parameters<typeof startFauxqs>[0]);
    const cfg = { endpoint: `http://127.0.0.1:${f.port}`, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } };
    const sns = new SNSClient(cfg);
    const sqs = new SQSClient(cfg);
    try {
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'nianbao-alerts' }));
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'alerts-inbox' }));
      await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:000000000000:alerts-inbox` }));
      await new SnsNotifier(sns, TopicArn!).send(alert, 'opened');
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1, MaxNumberOfMessages: 1 }));
      const body = JSON.parse(r.Messages![0]!.Body!);
      const message = typeof body.Message === 'string' ? body.Message : JSON.stringify(body);
      expect(message).toContain('T3-BALANCE');
    } finally {
      sns.destroy();
      sqs.destroy();
      await f.stop();
    }
  });
});
