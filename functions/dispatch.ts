/**
 * dispatch — EventBridge Scheduler (Asia/Shanghai) → one crawl message per registry body on the FIFO
 * queue. Thin wiring: the registry, the queue and the clients come from the environment.
 */
import type { Body } from '../shared/crawl/registry.ts';
import { shanghaiDate } from '../shared/deadlines.ts';
import { clientsFromEnv } from './lib/aws.ts';
import { registryBodies } from './lib/bodies.ts';
import { configFromEnv, requiredEnv } from './lib/config.ts';
import { observe } from './lib/observe.ts';
import type { Context } from 'aws-lambda';
import { dispatchBodies, type DispatchResult } from './lib/dispatch-bodies.ts';

/** The Scheduler's event: `{ "years": [2024] }` optionally; the schedule's time names the run. */
const obs = observe('dispatch');

export async function handler(event: { years?: number[]; time?: string } = {}, context?: Context): Promise<DispatchResult> {
  obs.start(context);
  const config = configFromEnv();
  const queueUrl = requiredEnv('NIANBAO_QUEUE_URL');
  const runId = shanghaiDate(event.time ? Date.parse(event.time) : Date.now());
  const log = obs.log.child({ runId });
  const bodies = [...registryBodies(config.registryFile).values()];
  // Bodies that need a browser (registry `render: browser`) go to the browser-crawl queue when there is one.
  const browserQueue = process.env.NIANBAO_BROWSER_QUEUE_URL;
  const needsBrowser = (b: Body) => browserQueue !== undefined && b.render === 'browser';
  const sqs = clientsFromEnv().sqs;
  const plain = await dispatchBodies(
    bodies.filter((b) => !needsBrowser(b)),
    sqs,
    queueUrl,
    runId,
    event.years,
  );
  const browser = browserQueue ? await dispatchBodies(bodies.filter(needsBrowser), sqs, browserQueue, runId, event.years) : { runId, sent: 0, failed: [] };
  const result: DispatchResult = { runId, sent: plain.sent + browser.sent, failed: [...plain.failed, ...browser.failed] };
  obs.count('MessagesDispatched', result.sent);
  obs.flush();
  log.log(result.failed.length ? 'error' : 'info', 'dispatched', {
    bodies: bodies.length,
    sent: result.sent,
    browser: browser.sent,
    failed: result.failed.length,
    firstFailures: result.failed.slice(0, 5),
  });
  return result;
}
