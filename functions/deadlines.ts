/**
 * deadlines — daily: pending reports become missing once their deadline (条例 第四十九条: 31 January for
 * departments, 31 March for governments, plus the grace days) has passed; then every undelivered alert goes out.
 */
import { checkDeadlines, deliverAlerts } from '../shared/pipeline.ts';
import type { Body } from '../shared/crawl/registry.ts';
import type { Clock, StateStore, Notifier } from '../shared/store/ports.ts';
import { systemClock } from '../shared/store/ports.ts';
import { clientsFromEnv } from './lib/aws.ts';
import { registryBodies } from './lib/bodies.ts';
import { configFromEnv } from './lib/config.ts';
import { awsDeps } from './lib/deps.ts';
import { observe } from './lib/observe.ts';
import type { Context } from 'aws-lambda';

export async function runDeadlines(
  bodies: Body[],
  deps: { state: StateStore; notifiers: Notifier[]; clock: Clock },
  opts: { graceDays: number; years?: number[] | undefined },
) {
  const results = await checkDeadlines(bodies, deps, opts);
  const delivery = await deliverAlerts(deps.state, deps.notifiers, deps.clock);
  const counts: Record<string, number> = {};
  for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return {
    counts,
    alertsChanged: results.reduce((n, r) => n + r.alertsChanged, 0),
    sent: delivery.sent.length,
    failed: delivery.failed,
    // Body-years whose records could not be read (checked no further), and outbox alerts not sent for that reason.
    errors: results.filter((r) => r.outcome === 'error').map((r) => ({ bodyId: r.bodyId, year: r.year, error: r.error ?? '' })),
    damaged: delivery.damaged,
  };
}

const obs = observe('deadlines');

export async function handler(event: { years?: number[] } = {}, context?: Context) {
  obs.start(context);
  try {
    const config = configFromEnv();
    const summary = await runDeadlines([...registryBodies(config.registryFile).values()], awsDeps(clientsFromEnv(), config, systemClock), {
      graceDays: config.graceDays,
      years: event.years,
    });
    obs.count('AlertsOpened', summary.alertsChanged);
    obs.count('AlertsDelivered', summary.sent);
    if (summary.failed.length) obs.count('AlertDeliveryFailures', summary.failed.length);
    const damaged = summary.errors.length + summary.damaged.length;
    if (damaged) obs.count('StoredRecordsDamaged', damaged);
    obs.log.log(summary.failed.length || damaged ? 'warn' : 'info', 'deadlines checked', summary);
    return summary;
  } finally {
    obs.flush();
  }
}
