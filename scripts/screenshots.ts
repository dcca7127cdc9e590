/**
 * The README's screenshots of the dashboard, taken from the demo (offline, replica portals): the overview and the
 * report page of the demo's inconsistent report. `npx tsx scripts/screenshots.ts` rewrites docs/img/dashboard-*.png.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { dismissAlert } from '../shared/alerts/decide.ts';
import { runDemo } from '../shared/demo/scenario.ts';
import { loopbackHosts, siteApp } from '../shared/site/app.ts';
import { openLocalStore } from '../shared/store/local.ts';
import { launchChromium } from './lib-chromium.ts';

const out = join(import.meta.dirname, '..', 'docs', 'img');
const home = mkdtempSync(join(tmpdir(), 'nianbao-screenshots-'));
const { bodies } = await runDemo(home, { json: true });
const store = await openLocalStore(home);
// The pages say when their data was read: the demo's last day, not the day the screenshots were taken.
const now = () => Date.parse('2025-06-03T10:00:00Z');
let port = 0;
const app = siteApp({
  src: { state: store.state, reports: store.store, captures: store.store, bodies, now },
  archive: store.archive,
  dismiss: (id, reason) => dismissAlert(store.state, id, reason, new Date(now()).toISOString()),
  allowedHosts: () => loopbackHosts('127.0.0.1', port),
});
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => (port = info.port));
await new Promise((r) => server.once('listening', r));
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 620 }, locale: 'zh-CN' });
  await page.goto(`http://127.0.0.1:${port}/index.html`);
  await page.waitForSelector('#overview tbody tr');
  await page.screenshot({ path: join(out, 'dashboard-overview.png') });
  await page.setViewportSize({ width: 1200, height: 1500 });
  await page.goto(`http://127.0.0.1:${port}/report/demo-ding/2024.html`);
  await page.locator('table.t3').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(out, 'dashboard-report.png'), fullPage: false, clip: { x: 0, y: 0, width: 1200, height: 1500 } });
  console.log(`wrote ${join(out, 'dashboard-overview.png')} and dashboard-report.png`);
} finally {
  await browser.close();
  server.close();
  await store.close();
  rmSync(home, { recursive: true, force: true });
}
