/**
 * Delivery: every alert is sent once when it opens and once when it resolves, to every channel. What a
 * channel has received is recorded on the alert, so a re-run (or a run after a crash) sends only what is
 * missing — nothing twice, nothing lost. A failing channel is retried with backoff and reported.
 */
import type { Alert, Clock, Notifier, StateStore } from '../store/ports.ts';

export interface DeliveryReport {
  sent: { alert: string; channel: string; event: 'opened' | 'resolved' }[];
  failed: { alert: string; channel: string; event: 'opened' | 'resolved'; error: string }[];
}

export interface DeliveryOptions {
  retries?: number;
  backoffMs?: number;
  /**
   * Deliver only these alerts (a crawl function delivers the alerts of the bodies it crawled).
   */
  only?: (alert: Alert) => boolean;
  /** How old a claim must be before another deliverer may take it over (default 15 minutes). */
  staleMs?: number;
}

export async function deliverAlerts(state: StateStore, notifiers: Notifier[], clock: Clock, opts: DeliveryOptions = {}): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: [], failed: [] };
  const retries = opts.retries ?? 2;
  const backoff = opts.backoffMs ?? 1000;
  const due = (await state.alerts()).filter((a) => a.state !== 'dismissed' && (opts.only?.(a) ?? true));
  for (const alert of due) {
    const events: ('opened' | 'resolved')[] = alert.state === 'resolved' ? ['opened', 'resolved'] : ['opened'];
    let changed = false;
    for (const event of events) {
      for (const n of notifiers) {
        if (alert.sent[event].includes(n.name)) continue;
        // An alert opened and resolved before it was ever sent: only the resolution is news... but the
        // watchdog never heard of it, so both go out, in order.
        // Another deliverer may be sending this very event (a crawl function, the daily run): only the one
        // holding the claim sends; a claim whose holder died mid-send is taken over after `staleMs`.
        if (!(await state.claimDelivery(alert, event, n.name, clock.now(), opts.staleMs ?? 15 * 60_000))) continue;
        let error: unknown;
        for (let attempt = 0; attempt <= retries; attempt++) {
          try {
            await n.send(alert, event);
            error = undefined;
            break;
          } catch (e) {
            error = e;
            if (attempt < retries) await clock.sleep(backoff * 2 ** attempt);
          }
        }
        if (error) {
          await state.releaseDelivery(alert, event, n.name);
          report.failed.push({ alert: alert.id, channel: n.name, event, error: (error as Error).message });
          continue;
        }
        await state.completeDelivery(alert, event, n.name);
        alert.sent[event].push(n.name);
        changed = true;
        report.sent.push({ alert: alert.id, channel: n.name, event });
      }
    }
    if (changed) await state.putAlert(alert as Alert);
  }
  return report;
}
