/**
 * The dashboard in real Chromium (playwright-core + @sparticuz/chromium's binary), over the demo's store served by
 * @hono/node-server on loopback as `nianbao serve` serves it, and the static site opened from file://.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dismissAlert } from '../../shared/alerts/decide.ts';
import type { Body } from '../../shared/crawl/registry.ts';
import { runDemo } from '../../shared/demo/scenario.ts';
import { loopbackHosts, siteApp } from '../../shared/site/app.ts';
import type { SiteSources } from '../../shared/site/data.ts';
import { StoredRecordError } from '../../shared/store/records.ts';
import { folderWriter } from '../../shared/site/fs-writer.ts';
import { writeSite } from '../../shared/site/static.ts';
import { openLocalStore, type LocalStore } from '../../shared/store/local.ts';
import { launchChromium } from '../../scripts/lib-chromium.ts';

const home = mkdtempSync(join(tmpdir(), 'nianbao-dash-'));
const staticDir = join(mkdtempSync(join(tmpdir(), 'nianbao-dash-site-')), 'site');
let store: LocalStore;
let bodies: Body[];
let server: ServerType;
let base: string;
let browser: Browser;
/** Console errors and page errors of every page opened: there must be none. */
const problems: string[] = [];

beforeAll(async () => {
  ({ bodies } = await runDemo(home, { json: true }));
  store = await openLocalStore(home);
  const src = { state: store.state, reports: store.store, captures: store.store, bodies, now: Date.now };
  let port = 0;
  const app = siteApp({
    src,
    archive: store.archive,
    dismiss: (id, reason) => dismissAlert(store.state, id, reason, new Date().toISOString()),
    allowedHosts: () => loopbackHosts('127.0.0.1', port),
  });
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
      port = info.port;
      base = `http://127.0.0.1:${info.port}`;
      resolve();
    });
  });
  await writeSite(src, folderWriter(staticDir));
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
  await store?.close();
});

async function open(url: string): Promise<Page> {
  const page = await browser.newPage({ locale: 'zh-CN' });
  page.on('console', (m) => m.type() === 'error' && problems.push(`${url}: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`${url}: ${e.message}`));
  await page.goto(url);
  return page;
}

/** The overview's rows as [body id, statuses of its cells]. */
async function overviewRows(page: Page): Promise<[string, string[]][]> {
  await page.waitForSelector('#overview tbody tr');
  return page.$$eval('#overview tbody tr', (trs) =>
    trs.map(
      (tr) =>
        [tr.getAttribute('data-body') ?? '', [...tr.querySelectorAll('td.cell')].map((td) => td.getAttribute('data-status') ?? 'none')] as [string, string[]],
    ),
  );
}

describe('the dashboard in Chromium', () => {
  it('the overview shows every demo body with its status', async () => {
    const page = await open(`${base}/index.html`);
    const rows = await overviewRows(page);
    expect(rows.map(([id]) => id).sort()).toEqual(bodies.map((b) => b.id).sort());
    const status = Object.fromEntries(rows.map(([id, s]) => [id, s[0]]));
    expect(status).toMatchObject({ 'demo-wu': 'removed', 'demo-yi': 'late', 'demo-bing': 'late', 'demo-jia': 'found', 'demo-geng': 'unknown' });
    expect(await page.locator('#counts').textContent()).toContain('7 / 7');
    await page.close();
  });

  it('a filter narrows it, and the view is kept in the URL', async () => {
    const page = await open(`${base}/index.html`);
    await overviewRows(page);
    await page.selectOption('select[name=year]', '2024');
    await page.selectOption('select[name=status]', 'late');
    await expect.poll(async () => (await overviewRows(page)).map(([id]) => id).sort()).toEqual(['demo-bing', 'demo-yi']);
    expect(page.url()).toContain('status=late');
    await page.fill('input[name=q]', '乙区');
    await expect.poll(async () => (await overviewRows(page)).map(([id]) => id)).toEqual(['demo-yi']);
    await page.close();
  });

  it('the report page of an inconsistent report marks the failing cell and shows the finding', async () => {
    const page = await open(`${base}/report/demo-ding/2024.html`);
    const cell = page.locator('td[data-cell="table3.granted.total"]');
    await expect.poll(() => cell.getAttribute('class')).toContain('m-error');
    expect(await cell.textContent()).toBe('0');
    expect(await page.locator('li.finding[data-rule="T3-ROW-TOTAL"]').textContent()).toContain('各列之和5，总计0');
    // Its chart-less page and the body page's chart draw without errors.
    const body = await open(`${base}/body/demo-jia.html`);
    await body.waitForSelector('[data-chart] svg');
    await page.close();
    await body.close();
  });

  it('a dismiss from the alerts page is stored, with its reason', async () => {
    const page = await open(`${base}/alerts.html`);
    const first = page.locator('#open-alerts li.alert').first();
    const id = (await first.getAttribute('data-alert'))!;
    await first.locator('input[name=reason]').fill('已向该单位核实 checked with the body');
    await Promise.all([page.waitForURL(/dismissed=/), first.locator('button[type=submit]').click()]);
    expect(await page.locator('.notice').textContent()).toContain(id);
    const stored = await store.state.getAlert(id);
    expect(stored?.state).toBe('dismissed');
    expect(stored?.dismissReason).toBe('已向该单位核实 checked with the body');
    await page.close();
  });

  it('the static site opened from file:// shows the same overview', async () => {
    const live = await overviewRows(await open(`${base}/index.html`));
    const page = await open(pathToFileURL(join(staticDir, 'index.html')).href);
    const fromDisk = await overviewRows(page);
    expect(fromDisk.sort()).toEqual(live.sort());
    await page.click('a[href="body/demo-jia.html"]');
    await page.waitForURL(/body\/demo-jia\.html$/);
    expect(await page.locator('h1').textContent()).toContain('甲区人民政府');
    // The time the site was written comes from data/generated.js (pages stay the same bytes from day to day).
    expect(await page.locator('[data-generated]').textContent()).toMatch(/^20\d\d-\d\d-\d\d \d\d:\d\d UTC$/);
    await page.close();
  });

  it('the live overview says how many stored records it left out, above the table', async () => {
    // The demo's store as it would be with one damaged state: the listing hands it over when asked (ListOptions).
    const broken = new StoredRecordError('stored record state of demo-jia 2024 (SQLite states): not JSON');
    broken.record = { bodyId: 'demo-jia', year: 2024 }; // as the SQLite listing tells it
    const state: SiteSources['state'] = {
      getState: (b, y) => store.state.getState(b, y),
      getAlert: (id) => store.state.getAlert(id),
      alerts: (s, o) => store.state.alerts(s, o),
      alertsOf: (b, y, o) => store.state.alertsOf(b, y, o),
      states: async (year, o) => {
        if (!o?.onDamaged) throw broken;
        o.onDamaged(broken);
        return (await store.state.states(year, o)).filter((s) => s.bodyId !== 'demo-jia' || s.year !== 2024);
      },
    };
    const app = siteApp({
      src: { state, reports: store.store, captures: store.store, bodies, now: Date.now },
      archive: store.archive,
      dismiss: async () => null,
    });
    const other = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
    });
    try {
      const page = await open(`http://127.0.0.1:${(other.address() as { port: number }).port}/index.html`);
      await page.waitForSelector('#overview tbody tr');
      const notices = page.locator('.notice.damaged');
      expect(await notices.count()).toBe(1);
      expect(await notices.textContent()).toContain('1 条存储记录已损坏，无法读取，未显示在本站 · 1 stored record could not be read and is not shown');
      // Above the counts and the table, where it is read first; coloured as a fault, not as the green of a confirmation.
      expect(await page.$eval('.notice.damaged', (n) => n.nextElementSibling?.id)).toBe('counts');
      const colour = await page.$eval('.notice.damaged', (n) => {
        const view = n.ownerDocument.defaultView as unknown as { getComputedStyle(e: unknown): { color: string } };
        return view.getComputedStyle(n).color;
      });
      expect(colour).toBe('rgb(198, 40, 40)');
      // Its cell is marked, not drawn as "no record".
      const cell = page.locator('tr[data-body="demo-jia"] td.cell').nth(0);
      expect(await cell.getAttribute('data-status')).toBe('damaged');
      expect(await cell.textContent()).toBe('!');
      await page.close();
    } finally {
      await new Promise((r) => other.close(r));
    }
  });

  it('no page logged an error', () => {
    expect(problems).toEqual([]);
  });
});
