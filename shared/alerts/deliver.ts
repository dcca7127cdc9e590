/**
 * Delivery: every alert is sent once when it opens and once when it resolves, to every channel. What a
 * channel has received is recorded on the alert, so a re-run (or a run after a crash) sends only what is
 * missing — nothing twice, nothing lost. A failing channel is retried with backoff and reported.
 *
 * Recording a send touches only the alert's `sent` list, through a versioned update of the stored alert
 * (never a write-back of the copy read before sending): a dismissal or a resolution made while the
 * message was on its way stays.
 */
import type { Alert, AlertEvent, Clock, Notifier, StateStore } from '../store/ports.ts';
import { inOutbox, settleKey } from '../store/outbox.ts';
import { updateAlert } from './decide.ts';

export interface DeliveryReport {
  sent: { alert: string; channel: string; event: AlertEvent }[];
  failed: { alert: string; channel: string; event: AlertEvent; error: string }[];
  /**
   * Alerts in the outbox that could not be read (store/records.ts), each named: not sent, and kept in the outbox.
   * The other alerts go out: one damaged record must not hold back every delivery.
   */
  damaged: string[];
}

export interface DeliveryOptions {
  retries?: number;
  backoffMs?: number;
  /** Deliver only these alerts (a crawl function delivers the alerts of the bodies it crawled). */
  only?: (alert: Alert) => boolean;
  /** Deliver only these bodies' alerts (their part of the outbox). */
  bodies?: string[];
  /** How old a claim must be before another deliverer may take it over (default 15 minutes). */
  staleMs?: number;
}

/** The events of an alert still to send to some channel: the opening, and the resolution once resolved. */
const eventsOf = (a: Alert): AlertEvent[] => (a.state === 'resolved' ? ['opened', 'resolved'] : a.state === 'open' ? ['opened'] : []);

export async function deliverAlerts(state: StateStore, notifiers: Notifier[], clock: Clock, opts: DeliveryOptions = {}): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: [], failed: [], damaged: [] };
  // No channel: nothing is delivered, and nothing leaves the outbox (a channel configured later gets it).
  if (!notifiers.length) return report;
  // The outbox only — never every alert ever raised (outbox.ts).
  const onDamaged = (e: Error) => void report.damaged.push(e.message);
  const due = (await state.undelivered(opts.bodies, { onDamaged })).filter((a) => opts.only?.(a) ?? true);
  for (const listed of due) {
    // Read it again: it may have been dismissed or resolved since the listing (by a watchdog, another run).
    const alert = (await state.getAlert(listed.id)) ?? listed;
    if (!inOutbox(alert)) continue;
    for (const event of eventsOf(alert)) {
      for (const n of notifiers) {
        if (alert.sent[event].includes(n.name)) continue;
        // Another deliverer may be sending this very event (a crawl function, the daily run): only the one
        // holding the claim sends; a claim whose holder died mid-send is taken over after `staleMs`.
        if (!(await state.claimDelivery(alert, event, n.name, clock.now(), opts.staleMs ?? 15 * 60_000))) {
          // Sent by a deliverer that died before recording it on the alert: record it now, never send it again.
          if (await state.deliveryCompleted(alert, event, n.name)) await recordSent(state, alert, event, n.name);
          continue;
        }
        const error = await sendWithRetries(n, alert, event, clock, opts);
        if (error) {
          await state.releaseDelivery(alert, event, n.name);
          report.failed.push({ alert: alert.id, channel: n.name, event, error: error.message });
          continue;
        }
        await state.completeDelivery(alert, event, n.name);
        await recordSent(state, alert, event, n.name);
        report.sent.push({ alert: alert.id, channel: n.name, event });
      }
    }
    await settle(state, alert.id, notifiers);
  }
  return report;
}

/**
 * Takes the alert out of the outbox once the stored alert records every event sent to every channel. Read from
 * the store, not from this deliverer's copy: two deliverers may each have sent to a different channel.
 */
async function settle(state: StateStore, id: string, notifiers: Notifier[]): Promise<void> {
  await updateAlert(state, id, (a) => {
    if (!a || !inOutbox(a) || !eventsOf(a).every((e) => notifiers.every((n) => a.sent[e].includes(n.name)))) return false;
    return { ...a, settled: settleKey(a) };
  });
}

async function sendWithRetries(n: Notifier, alert: Alert, event: AlertEvent, clock: Clock, opts: DeliveryOptions): Promise<Error | undefined> {
  const retries = opts.retries ?? 2;
  const backoff = opts.backoffMs ?? 1000;
  let error: Error | undefined;
  for (let attempt = 0; attempt <= retries; attempt++) {
    try {
      await n.send(alert, event);
      return undefined;
    } catch (e) {
      error = e instanceof Error ? e : new Error(String(e));
      if (attempt < retries) await clock.sleep(backoff * 2 ** attempt);
    }
  }
  return error;
}

/** Adds `channel` to the alert's `sent[event]` — only if the stored alert is still the same opening. */
async function recordSent(state: StateStore, sent: Alert, event: AlertEvent, channel: string): Promise<void> {
  await updateAlert(state, sent.id, (a) => {
    if (!a || a.openedAt !== sent.openedAt || a.sent[event].includes(channel)) return false;
    a.sent[event].push(channel);
    return a;
  });
  if (!sent.sent[event].includes(channel)) sent.sent[event].push(channel);
}
