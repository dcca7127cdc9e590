/**
 * site — daily, after the deadline check: the dashboard as a static site (shared/site) written to the site bucket's
 * `site/` prefix, from the table. CloudFront serves it when the stack is deployed with `-c site=public`; otherwise
 * it is there for operators to copy or sync. Dismissing alerts stays with the CLI and the signed API.
 */
import type { Context } from 'aws-lambda';
import { bucketWriter } from '../shared/site/s3-writer.ts';
import { writeSite } from '../shared/site/static.ts';
import { systemClock } from '../shared/store/ports.ts';
import { clientsFromEnv } from './lib/aws.ts';
import { registryBodies } from './lib/bodies.ts';
import { requiredEnv } from './lib/config.ts';
import { awsStores } from './lib/deps.ts';
import { observe } from './lib/observe.ts';

const obs = observe('site');

/** Time kept for the last body's pages and the log line, when the invocation's time runs out. */
const RESERVE_MS = 60_000;

export async function handler(_event: unknown = {}, context?: Context) {
  obs.start(context);
  try {
    const clients = clientsFromEnv();
    const stores = awsStores(clients, { bucket: requiredEnv('NIANBAO_BUCKET'), table: requiredEnv('NIANBAO_TABLE') });
    const bodies = [...registryBodies(requiredEnv('NIANBAO_REGISTRY')).values()];
    const summary = await writeSite(
      {
        state: stores.state,
        reports: stores.reports,
        captures: stores.captures,
        bodies,
        now: systemClock.now,
        // A damaged record is left out of the pages (which say how many) and named in the log, not a failed site.
        onDamaged: (e) => obs.log.log('error', 'stored record damaged', { error: e.message }),
      },
      bucketWriter(clients.s3, requiredEnv('NIANBAO_SITE_BUCKET')),
      {
        concurrency: 8,
        shouldStop: () => (context ? context.getRemainingTimeInMillis() < RESERVE_MS : false),
        // A different first body each day: if the 15 minutes do not reach the end of the list, the bodies left over
        // are others tomorrow, never the same ones for ever.
        day: Math.floor(systemClock.now() / 86_400_000),
      },
    );
    // Pages whose bytes were already in the bucket are not written again (s3-writer.ts): counted apart.
    obs.count('SitePagesWritten', summary.pages - summary.unchanged);
    if (summary.unchanged) obs.count('SitePagesUnchanged', summary.unchanged);
    // A site cut short is said, and counted: its bodies keep yesterday's pages.
    if (summary.skipped) obs.count('SiteBodiesSkipped', summary.skipped);
    if (summary.downloadsSkipped) obs.count('SiteDownloadsSkipped', summary.downloadsSkipped);
    if (summary.damaged.length) obs.count('StoredRecordsDamaged', summary.damaged.length);
    obs.log.log(summary.skipped || summary.downloadsSkipped || summary.damaged.length ? 'warn' : 'info', 'site written', { ...summary });
    return summary;
  } finally {
    obs.flush();
  }
}
