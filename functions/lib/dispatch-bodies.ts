/** Sending crawl messages: one per body, grouped by portal host, deduplicated within a run. */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Body } from '../../shared/crawl/registry.ts';
import { dedupId, messageGroup, type CrawlMessage } from './messages.ts';

export interface DispatchResult {
  runId: string;
  sent: number;
  failed: { bodyId: string; error: string }[];
}

/** Sends one message per body (batches of 10, the SQS maximum); reports the entries SQS refused. */
export async function dispatchBodies(bodies: Body[], sqs: SQSClient, queueUrl: string, runId: string, years?: number[]): Promise<DispatchResult> {
  const result: DispatchResult = { runId, sent: 0, failed: [] };
  for (let i = 0; i < bodies.length; i += 10) {
    const batch = bodies.slice(i, i + 10);
    const r = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((b, j) => ({
          Id: String(j),
          MessageBody: JSON.stringify({ bodyId: b.id, runId, ...(years ? { years } : {}) } satisfies CrawlMessage),
          MessageGroupId: messageGroup(b),
          MessageDeduplicationId: dedupId(runId, b.id),
        })),
      }),
    );
    result.sent += r.Successful?.length ?? 0;
    for (const f of r.Failed ?? []) result.failed.push({ bodyId: batch[Number(f.Id)]!.id, error: `${f.Code}: ${f.Message ?? ''}` });
  }
  return result;
}
