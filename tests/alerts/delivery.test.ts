/**
 * Delivery is once per fact even with several deliverers at once (crawl functions and the daily run in
 * AWS): claims in the table (dynalite over HTTP) decide who sends.
 */
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertWriteConflictError, dismissAlert, updateAlert } from '../../shared/alerts/decide.ts';
import { deliverAlerts } from '../../shared/alerts/deliver.ts';
import { documentClient, ensureTable } from '../../shared/store/dynamo-client.ts';
import { ManualClock } from '../helpers/clock.ts';
import { systemClock, type Alert, type Notifier } from '../../shared/store/ports.ts';
import { DynamoStateStore } from '../../shared/store/state.ts';
import { openAlert } from '../helpers/records.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let db: ReturnType<typeof dynalite>;
let state: DynamoStateStore;
beforeAll(async () => {
  db = dynalite({ createTableMs: 0 });
  await new Promise<void>((r) => db.listen(0, '127.0.0.1', () => r()));
  const doc = documentClient(`http://127.0.0.1:${(db.address() as { port: number }).port}`);
  await ensureTable(doc, 'delivery');
  state = new DynamoStateStore(doc, 'delivery');
});
afterAll(() => new Promise((r) => db.close(r)));

const alert = (id: string, openedAt = '2025-06-01T02:00:00.000Z'): Alert => openAlert(id, { openedAt });

/** A channel that takes its time (so two deliverers overlap) and records what it sent. */
function slowChannel(name: string, sent: string[]): Notifier {
  return {
    name,
    async send(a, event) {
      await new Promise((r) => setTimeout(r, 30));
      sent.push(`${a.id} ${event}`);
    },
  };
}

describe('delivery claims', () => {
  it('two deliverers at once send each alert once per channel', async () => {
    for (const id of ['a1', 'a2', 'a3']) await state.saveAlert(alert(id));
    const sent: string[] = [];
    const channel = slowChannel('webhook:json:example.org', sent);
    const [one, two] = await Promise.all([deliverAlerts(state, [channel], systemClock), deliverAlerts(state, [channel], systemClock)]);
    expect(sent.sort()).toEqual(['a1 opened', 'a2 opened', 'a3 opened']);
    expect(one.sent.length + two.sent.length).toBe(3);
    // Nothing is left to send, whoever recorded what.
    expect((await deliverAlerts(state, [channel], systemClock)).sent).toEqual([]);
  });

  it('a claim whose deliverer died is taken over once stale; a fresh one is left alone', async () => {
    await state.saveAlert(alert('b1'));
    const clock = new ManualClock(Date.UTC(2025, 5, 1, 3));
    expect(await state.claimDelivery(alert('b1'), 'opened', 'sns:alerts', clock.now(), 60_000)).toBe(true); // then "died"
    const sent: string[] = [];
    const only = (a: Alert) => a.id === 'b1';
    expect((await deliverAlerts(state, [slowChannel('sns:alerts', sent)], clock, { only, staleMs: 60_000 })).sent).toEqual([]);
    await clock.sleep(61_000);
    expect((await deliverAlerts(state, [slowChannel('sns:alerts', sent)], clock, { only, staleMs: 60_000 })).sent).toHaveLength(1);
    expect(sent).toEqual(['b1 opened']);
  });

  it('a send completed by a deliverer that died before recording it is recorded by the next — not sent again — and the alert leaves the outbox', async () => {
    const k9 = alert('k9');
    await state.saveAlert(k9);
    const clock = new ManualClock(Date.UTC(2025, 5, 1, 3));
    // The first deliverer claimed, sent and completed — then died before writing `sent` on the alert.
    expect(await state.claimDelivery(k9, 'opened', 'sns:alerts', clock.now(), 60_000)).toBe(true);
    await state.completeDelivery(k9, 'opened', 'sns:alerts');
    expect((await state.undelivered()).map((a) => a.id)).toContain('k9');
    const sent: string[] = [];
    const r = await deliverAlerts(state, [slowChannel('sns:alerts', sent)], clock, { only: (a) => a.id === 'k9' });
    expect(r.sent).toEqual([]);
    expect(sent).toEqual([]);
    expect((await state.getAlert('k9'))?.sent.opened).toEqual(['sns:alerts']);
    expect((await state.undelivered()).map((a) => a.id)).not.toContain('k9');
  });

  it('a failed send gives its claim back for the next run', async () => {
    await state.saveAlert(alert('c1'));
    const only = (a: Alert) => a.id === 'c1';
    const failing: Notifier = { name: 'webhook:json:down.example.org', send: async () => Promise.reject(new Error('HTTP 500')) };
    const r = await deliverAlerts(state, [failing], new ManualClock(), { only, retries: 0 });
    expect(r.failed).toHaveLength(1);
    const sent: string[] = [];
    const again = await deliverAlerts(state, [slowChannel('webhook:json:down.example.org', sent)], new ManualClock(), { only });
    expect(again.sent).toHaveLength(1);
  });

  it('an alert raised again after it resolved is a new opening and is delivered again', async () => {
    const first = alert('d1');
    await state.saveAlert(first);
    const sent: string[] = [];
    const channel = slowChannel('sns:alerts', sent);
    const only = (a: Alert) => a.id === 'd1';
    await deliverAlerts(state, [channel], systemClock, { only });
    await updateAlert(state, 'd1', () => alert('d1', '2025-07-01T02:00:00.000Z')); // reopened: a new openedAt, nothing sent
    await deliverAlerts(state, [channel], systemClock, { only });
    expect(sent).toEqual(['d1 opened', 'd1 opened']);
  });

  it('a dismissal made while the alert is being sent stays dismissed (only `sent` is recorded)', async () => {
    await state.saveAlert(alert('e1'));
    const only = (a: Alert) => a.id === 'e1';
    const dismissing: Notifier = {
      name: 'webhook:json:slow.example.org',
      async send() {
        await dismissAlert(state, 'e1', 'false alarm: the report is on the portal', '2025-06-01T03:00:00.000Z');
      },
    };
    const r = await deliverAlerts(state, [dismissing], new ManualClock(), { only });
    expect(r.sent).toHaveLength(1);
    const stored = (await state.getAlert('e1'))!;
    expect(stored.state).toBe('dismissed');
    expect(stored.dismissReason).toContain('false alarm');
    expect(stored.sent.opened).toEqual(['webhook:json:slow.example.org']);
  });

  it('an alert others keep writing is given up for now — retry later — never overwritten', async () => {
    await state.saveAlert(alert('w1'));
    const busy = new Proxy(state, {
      get(target, prop, receiver) {
        if (prop === 'saveAlert') return async () => false; // every write loses the race
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const error = await updateAlert(busy, 'w1', (a) => ({ ...a!, state: 'resolved' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AlertWriteConflictError);
    expect((error as AlertWriteConflictError).next).toBe('retry');
    expect((await state.getAlert('w1'))!.state).toBe('open');
  });

  it('an update from an alert the caller has just read writes without reading it again; a stale one loses its write and is read afresh', async () => {
    let reads = 0;
    const counting = new Proxy(state, {
      get(target, prop, receiver) {
        if (prop === 'getAlert')
          return (id: string) => {
            reads++;
            return target.getAlert(id);
          };
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    // Known to be absent: created with no read.
    await updateAlert(counting, 'k1', () => alert('k1'), null);
    expect(reads).toBe(0);
    const known = (await state.getAlert('k1'))!;
    // Another writer resolves it; our update from the older copy is refused, then applied to what is stored.
    await updateAlert(state, 'k1', (a) => ({ ...a!, state: 'resolved', resolvedAt: '2025-06-02T00:00:00.000Z' }));
    const after = await updateAlert(counting, 'k1', (a) => ({ ...a!, dismissReason: 'checked by hand' }), known);
    expect(reads).toBe(1);
    expect(after!.state).toBe('resolved');
    expect(after!.resolvedAt).toBe('2025-06-02T00:00:00.000Z');
    expect((await state.getAlert('k1'))!.dismissReason).toBe('checked by hand');
  });

  it('leaving an alert alone is decided on a fresh read, not on what the caller read (an index read may lag)', async () => {
    await state.saveAlert(alert('k2'));
    const known = (await state.getAlert('k2'))!; // open, as a lagging list would still say
    await updateAlert(state, 'k2', (a) => ({ ...a!, state: 'resolved', resolvedAt: '2025-06-02T00:00:00.000Z' }));
    // Reopen unless open: the known copy says "open, leave it", the stored one says resolved.
    const reopened = await updateAlert(
      state,
      'k2',
      (a) => (a && a.state !== 'resolved' ? false : { ...alert('k2', '2025-06-03T00:00:00.000Z'), version: 0 }),
      known,
    );
    expect(reopened!.state).toBe('open');
    expect(reopened!.openedAt).toBe('2025-06-03T00:00:00.000Z');
  });

  it('a write based on a stale read is refused (versions)', async () => {
    expect(await state.saveAlert(alert('f1'))).toBe(true);
    const a = (await state.getAlert('f1'))!;
    const b = (await state.getAlert('f1'))!;
    expect(await state.saveAlert({ ...a, state: 'resolved' })).toBe(true);
    expect(await state.saveAlert({ ...b, state: 'dismissed' })).toBe(false);
    expect((await state.getAlert('f1'))!.state).toBe('resolved');
  });
});

describe('the outbox', () => {
  it('delivery reads the outbox only — never every alert — and an alert leaves it once every channel has it', async () => {
    // A season of history: many alerts, all delivered long ago.
    const old = Array.from({ length: 30 }, (_, i) => alert(`h${i}`, `2024-0${1 + (i % 9)}-01T00:00:00.000Z`));
    for (const a of old) await state.saveAlert({ ...a, sent: { opened: ['sns:alerts'], resolved: [] }, settled: `opened@${a.openedAt}` });
    await state.saveAlert(alert('g1'));
    await state.saveAlert(alert('g2'));
    let fullReads = 0;
    const counting = new Proxy(state, {
      get(target, prop, receiver) {
        if (prop === 'alerts' || prop === 'alertsOf') fullReads++;
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const sent: string[] = [];
    let failing = true;
    const flaky: Notifier = {
      name: 'webhook:json:flaky.example.org',
      async send(a, event) {
        if (failing && a.id === 'g2') throw new Error('503');
        sent.push(`${a.id} ${event}`);
      },
    };
    const sns = slowChannel('sns:alerts', sent);
    const only = (a: Alert) => a.id.startsWith('g') || a.id.startsWith('h');
    const first = await deliverAlerts(counting, [sns, flaky], new ManualClock(), { only, retries: 0 });
    expect(fullReads).toBe(0);
    expect(first.sent.map((s) => `${s.alert} ${s.channel}`).sort()).toEqual(['g1 sns:alerts', 'g1 webhook:json:flaky.example.org', 'g2 sns:alerts']);
    expect(first.failed.map((f) => f.alert)).toEqual(['g2']);
    const outbox = (await state.undelivered()).map((a) => a.id).filter((id) => id.startsWith('g') || id.startsWith('h'));
    expect(outbox).toEqual(['g2']); // g1 settled; g2 still owes the flaky channel; the history was never in it
    failing = false;
    const second = await deliverAlerts(counting, [sns, flaky], new ManualClock(), { only, retries: 0 });
    expect(second.sent.map((s) => `${s.alert} ${s.channel}`)).toEqual(['g2 webhook:json:flaky.example.org']);
    expect((await state.undelivered()).map((a) => a.id).filter((id) => id.startsWith('g'))).toEqual([]);
    expect(fullReads).toBe(0);
  });
});
