/**
 * The dashboard without a browser: every page from the demo's store (the scenario the CLI runs), the live server's
 * guards (Host, CSRF, form token, archived bytes as downloads only), the static site's folder rules, escaping of
 * hostile names, and the overview's size at 3,000 bodies × 7 years.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dismissAlert } from '../../shared/alerts/decide.ts';
import { type FetchOutcome, OUTCOMES } from '../../shared/crawl/outcomes.ts';
import type { Body } from '../../shared/crawl/registry.ts';
import { runDemo } from '../../shared/demo/scenario.ts';
import { loopbackHosts, siteApp } from '../../shared/site/app.ts';
import { overviewData, reportView, type SiteSources } from '../../shared/site/data.ts';
import { folderWriter } from '../../shared/site/fs-writer.ts';
import { overviewPage, overviewScript } from '../../shared/site/pages/overview.ts';
import { startOfDay, writeSite } from '../../shared/site/static.ts';
import { openLocalStore, type LocalStore } from '../../shared/store/local.ts';
import { MemoryStateStore, MemoryStore } from '../../shared/store/memory.ts';
import type { BodyYearState, Status } from '../../shared/store/ports.ts';
import { StoredRecordError } from '../../shared/store/records.ts';
import { foundState, movedChange, storedReport } from '../helpers/records.ts';
import { parse } from 'yaml';

const home = mkdtempSync(join(tmpdir(), 'nianbao-site-'));
let store: LocalStore;
let bodies: Body[];
let src: SiteSources & { captures: LocalStore['store'] };
const NOW = Date.parse('2025-06-04T00:00:00Z');
const HOST = '127.0.0.1:8080';
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'nianbao.js');

beforeAll(async () => {
  ({ bodies } = await runDemo(home, { json: true }));
  store = await openLocalStore(home);
  src = { state: store.state, reports: store.store, captures: store.store, bodies, now: () => NOW };
}, 120_000);
afterAll(() => store?.close());

const app = () =>
  siteApp({
    src,
    archive: store.archive,
    dismiss: (id, reason) => dismissAlert(store.state, id, reason, new Date(NOW).toISOString()),
    allowedHosts: () => loopbackHosts('127.0.0.1', 8080),
    secret: Buffer.alloc(32, 7),
  });
const get = (path: string, headers: Record<string, string> = {}) => app().request(`http://${HOST}${path}`, { headers: { host: HOST, ...headers } });

describe('the demo store keeps its registry', () => {
  it('registry.yaml in the home names every demo body', () => {
    const kept = parse(readFileSync(join(home, 'registry.yaml'), 'utf8')) as { bodies: Body[] };
    expect(kept.bodies.map((b) => b.id).sort()).toEqual(bodies.map((b) => b.id).sort());
  });
});

describe('pages of the live server', () => {
  it('the overview data has every demo body and a status for each of its years', async () => {
    const data = await overviewData(src);
    expect(data.bodies.map((b) => b[0]).sort()).toEqual(bodies.map((b) => b.id).sort());
    expect(data.years).toEqual([2024, 2025]);
    const row = (id: string) => data.cells[data.bodies.findIndex((b) => b[0] === id)];
    expect(row('demo-wu')![0]).toBe('r'); // removed after publication: never shown as found
    expect(row('demo-yi')![0]).toBe('l'); // published 15 February, due 31 January
    expect(row('demo-geng')).toBe('kk'); // no column known: unknown, not missing
  });

  it('serves every kind of page in Chinese, with the data escaped into scripts', async () => {
    for (const path of ['/index.html', '/alerts.html', '/years.html', '/year/2024.html', '/body/demo-jia.html', '/report/demo-ding/2024.html']) {
      const r = await get(path);
      expect(r.status, path).toBe(200);
      const text = await r.text();
      expect(text, path).toContain('<html lang="zh-CN">');
      expect(r.headers.get('content-security-policy'), path).toContain("script-src 'self'");
    }
    const data = await (await get('/data/overview.js')).text();
    expect(data).toContain('甲区人民政府');
  });

  it('the report page marks the failing cell of an inconsistent report and shows the finding', async () => {
    const text = await (await get('/report/demo-ding/2024.html')).text();
    expect(text).toMatch(/<td class="fig m-error"[^>]*data-cell="table3\.granted\.total"/);
    expect(text).toContain('T3-ROW-TOTAL');
    expect(text).toContain('表三「（一）予以公开」行：各列之和5，总计0');
  });

  it("the year's page lists the rules its reports raised, gravest first, with the bodies that raised them linked", async () => {
    const text = await (await get('/year/2024.html')).text();
    const row = (rule: string) => new RegExp(`<tr class="sev-[a-z]+" data-rule="${rule}">[\\s\\S]*?</tr>`).exec(text)?.[0];
    // 丁区's table 三 does not add up (the demo's inconsistent report): an error, and its report page linked.
    expect(row('T3-RESULTS')).toContain('href="../report/demo-ding/2024.html">丁区人民政府</a>');
    expect(row('T3-RESULTS')).toContain('错误 error');
    const rules = [...text.matchAll(/data-rule="([A-Z0-9-]+)"/g)].map((m) => m[1]!);
    const severities = rules.map((r) => /<tr class="sev-([a-z]+)" data-rule="/.exec(text.slice(text.indexOf(`data-rule="${r}"`) - 40))![1]);
    const rank = { error: 0, warning: 1, info: 2 } as Record<string, number>;
    expect(severities.map((s) => rank[s!])).toEqual([...severities.map((s) => rank[s!])].sort());
    expect(text).toContain('nianbao findings --year 2024');
    expect(text).not.toContain('尚未统计');
  });

  it("a year's reports last crawled before findings were counted are said to be uncounted, not clean", async () => {
    const state = new MemoryStateStore();
    await state.putState(foundState('old-body', { mainSha256: 'a'.repeat(64) })); // a state of an older nianbao
    const live = siteApp({
      src: { state, reports: new MemoryStore(), captures: new MemoryStore(), bodies: [], now: () => NOW },
      archive: store.archive,
      dismiss: async () => null,
    });
    const text = await (await live.request('/year/2024.html')).text();
    expect(text).toContain('另有 1 份报告的核查结果尚未统计');
    expect(text).toContain('其余报告没有发现问题');
  });

  it('a changed report shows old → new per figure; a removed one says so', async () => {
    const jia = await (await get('/report/demo-jia/2024.html')).text();
    expect(jia).toContain('发布后的修改');
    expect(jia).toMatch(/table3\.received\.total<\/code><\/td><td>634<\/td><td>635/);
    const wu = await (await get('/report/demo-wu/2024.html')).text();
    expect(wu).toContain('Removed after publication');
    // Its alert: the copy from before the removal is named as such, not as the capture that found it gone.
    const alerts = await (await get('/alerts.html')).text();
    const item = alerts.slice(alerts.indexOf('class="alert k-removed'), alerts.indexOf('</li>', alerts.indexOf('class="alert k-removed')));
    expect(item).toContain('删除前的存档 last archived copy');
    expect(item).toContain('(404)');
  });

  it('an unreachable alert lists its failed crawls with the outcome in Chinese, its code beside', async () => {
    const page = await (await get('/body/demo-ji.html')).text();
    const failures = [...page.matchAll(/ (\S+) <code>(\w+)<\/code><br>/g)];
    expect(failures.length).toBeGreaterThan(0);
    for (const [, zh, code] of failures) expect(zh).toBe(OUTCOMES[code as FetchOutcome].zh);
  });

  it('the body page lists its years, its alerts and the capture timeline with the first sighting', async () => {
    const text = await (await get('/body/demo-jia.html')).text();
    expect(text).toContain('首次发现 first seen');
    expect(text).toContain('data-chart="body-series"');
    expect(text).toMatch(/data-capture="[^"]+"/);
    expect(text).toContain('发布后被修改');
  });

  it('unknown bodies and years are 404 pages that name what is missing', async () => {
    const r = await get('/body/nobody.html');
    expect(r.status).toBe(404);
    expect(await r.text()).toContain('nobody');
    expect((await get('/report/demo-jia/1999.html')).status).toBe(404);
    expect((await get('/assets/../nianbao.db')).status).toBe(404);
  });
});

describe('the live server guards', () => {
  it('answers only on its own address (DNS rebinding)', async () => {
    expect((await get('/index.html', { host: 'evil.example:8080' })).status).toBe(421);
    expect((await get('/index.html', { host: 'localhost:8080' })).status).toBe(200);
    expect(loopbackHosts('0.0.0.0', 8080)).toBeUndefined();
  });

  it('archived bytes are downloads only: attachment, octet-stream, nosniff, a sandboxing policy', async () => {
    const cap = (await store.store.byBody('demo-jia', 2024)).items.find((c) => c.sha256 && c.url.endsWith('.html'))!;
    const r = await get(`/archive/${cap.sha256}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/octet-stream');
    expect(r.headers.get('content-disposition')).toMatch(/^attachment; filename=/);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
    expect(Buffer.from(await r.arrayBuffer())).toEqual(Buffer.from((await store.archive.get(cap.sha256!))!));
    expect((await get('/archive/not-a-sha')).status).toBe(400);
    expect((await get(`/archive/${'0'.repeat(64)}`)).status).toBe(404);
  });

  it('dismissing needs this origin, the form token and a reason; then the alert is kept as dismissed', async () => {
    const open = (await store.state.alerts('open'))[0]!;
    const token = /name="csrf" value="([^"]+)"/.exec(await (await get('/alerts.html')).text())![1]!;
    const post = (body: string, origin?: string) =>
      app().request(`http://${HOST}/alerts/${open.id}/dismiss`, {
        method: 'POST',
        body,
        headers: { host: HOST, 'content-type': 'application/x-www-form-urlencoded', ...(origin ? { origin } : {}) },
      });
    const form = (csrf: string, reason: string) => new URLSearchParams({ csrf, reason }).toString();
    expect((await post(form(token, 'known, see ticket 12'), 'http://evil.example')).status).toBe(403);
    expect((await post(form('forged', 'known, see ticket 12'), `http://${HOST}`)).status).toBe(403);
    expect((await post(form(token, 'x'), `http://${HOST}`)).status).toBe(400);
    expect((await store.state.getAlert(open.id))!.state).toBe('open');
    const ok = await post(form(token, 'known, see ticket 12'), `http://${HOST}`);
    expect(ok.status).toBe(303);
    const stored = (await store.state.getAlert(open.id))!;
    expect(stored.state).toBe('dismissed');
    expect(stored.dismissReason).toBe('known, see ticket 12');
    const page = await (await get('/alerts.html')).text();
    expect(page).toContain('known, see ticket 12');
  });
});

describe('hostile names', () => {
  it('a body name with markup is text on every page, and cannot end the data script', async () => {
    const evil: Body = { id: 'evil', name: '<script>alert(1)</script>局', level: 'department', region: '110101', lists: ['https://x.gov.cn/a"onmouseover="x'] };
    const state = new MemoryStateStore();
    await state.putState({
      bodyId: 'evil',
      year: 2024,
      status: 'found',
      missedAt: [],
      consecutiveFailures: 0,
      deadline: '2025-01-31',
      updatedAt: '2025-02-01',
    });
    const s: SiteSources = { state, reports: new MemoryStore(), captures: new MemoryStore(), bodies: [evil], now: () => NOW };
    const data = overviewScript(await overviewData(s));
    expect(data).not.toContain('</script>');
    const live = siteApp({ src: { ...s, captures: new MemoryStore() }, archive: store.archive, dismiss: async () => null });
    const body = await (await live.request('/body/evil.html')).text();
    expect(body).not.toContain('<script>alert(1)');
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;局');
    expect(body).not.toContain('"onmouseover="');
  });
});

describe('a report that moved to another URL', () => {
  it('the report page and its alert name the old address beside the new one, and the dates old → new', async () => {
    const state = new MemoryStateStore();
    const change = movedChange();
    await state.putState(foundState('moved', { reportUrl: change.url, pageDate: '2025-01-24', earlierVersionDate: '2025-01-24', changes: [change] }));
    const { catalogue } = await import('../../shared/alerts/catalogue.ts');
    const { reconcileAlerts } = await import('../../shared/alerts/decide.ts');
    const body: Body = { id: 'moved', name: '某区人民政府', level: 'government', lists: [] };
    await reconcileAlerts(state, { bodyId: 'moved', bodyName: body.name, year: 2024 }, [catalogue.changed(body, 2024, change)], ['changed'], change.at);
    const live = siteApp({
      src: { state, reports: new MemoryStore(), captures: new MemoryStore(), bodies: [body], now: () => NOW },
      archive: store.archive,
      dismiss: async () => null,
    });
    const report = await (await live.request('/report/moved/2024.html')).text();
    expect(report).toContain('原地址 moved from: <a href="https://www.example.gov.cn/old.html"');
    expect(report).toContain('<del>2025-01-24</del> → <ins>2025-06-10</ins>');
    const page = await (await live.request('/body/moved.html')).text();
    expect(page).toContain('<dt>原地址 moved from</dt><dd><a href="https://www.example.gov.cn/old.html"');
  });
});

describe('an unread alert on the pages', () => {
  it('names each unread figure and why, in each language; an alert stored with the reason as `actual` too', async () => {
    const { alertItem } = await import('../../shared/site/pages/alert-item.ts');
    const { catalogue } = await import('../../shared/alerts/catalogue.ts');
    const ctx = { mode: 'static' as const, root: '', generatedAt: new Date(NOW).toISOString() };
    const c = catalogue.unread({ name: '某区人民政府' }, 2024, [{ cell: 'table2.regulations.issued', reason: 'not a number / 不是数字' }], {
      sha256: 'c'.repeat(64),
      time: '2025-02-01T02:00:00.000Z',
      url: 'https://www.example.gov.cn/r.html',
    });
    const alert = {
      ...c,
      id: 'u1',
      bodyId: 'b',
      bodyName: '某区人民政府',
      year: 2024,
      state: 'open' as const,
      openedAt: '2025-02-01T02:00:00.000Z',
      sent: { opened: [], resolved: [] },
      version: 1,
    };
    const legacy = { ...alert, evidence: { ...alert.evidence, figures: [{ cell: 'table2.regulations.issued', actual: 'not a number / 不是数字' }] } };
    for (const a of [alert, legacy]) {
      const item = String(alertItem(ctx, a));
      expect(item).toContain('<code>table2.regulations.issued</code> 未能读取：不是数字 <span class="en">could not be read: not a number</span>');
      expect(item).not.toContain('应为 expected');
    }
  });
});

describe('a stored record that cannot be read', () => {
  it('is left out of the live pages, each of which says how many it left out', async () => {
    const state = new MemoryStateStore();
    await state.putState(foundState('sound'));
    const broken = new StoredRecordError('stored record state of gone 2024 (SQLite states): not JSON');
    // The store as SQLite's would be with one damaged row: the listing hands it over when asked to, else throws.
    const listing: SiteSources['state'] = {
      getState: (b, y) => state.getState(b, y),
      getAlert: (id) => state.getAlert(id),
      alerts: (st) => state.alerts(st),
      alertsOf: (b, y) => state.alertsOf(b, y),
      states: async (year, o) => {
        if (!o?.onDamaged) throw broken;
        o.onDamaged(broken);
        return state.states(year);
      },
    };
    const live = siteApp({
      src: { state: listing, reports: new MemoryStore(), captures: new MemoryStore(), bodies: [], now: () => NOW },
      archive: store.archive,
      dismiss: async () => null,
    });
    const years = await live.request('/years.html');
    expect(years.status).toBe(200);
    const text = await years.text();
    expect(text).toContain('2024');
    expect(text).toContain('1 条存储记录已损坏，无法读取，未显示在本站 · 1 stored record could not be read and is not shown');
    expect(await (await live.request('/year/2024.html')).text()).toContain('1 stored record could not be read');
    // The overview's rows come from its data script, which carries the notice for assets/overview.js to draw.
    expect(await (await live.request('/data/overview.js')).text()).toContain('"damaged":"1 条存储记录已损坏');
    // A page that read no listing has nothing to say (counted per request, not since the server started).
    expect(await (await live.request('/alerts.html')).text()).not.toContain('could not be read');

    // The static site: every listing meets it again, and the caller (the site function's log) is told once.
    const told: string[] = [];
    const out = join(mkdtempSync(join(tmpdir(), 'nianbao-static-damaged-')), 'site');
    const summary = await writeSite(
      { state: listing, reports: new MemoryStore(), captures: new MemoryStore(), bodies: [], now: () => NOW, onDamaged: (e) => void told.push(e.message) },
      folderWriter(out),
    );
    expect(told).toEqual([broken.message]);
    expect(summary.damaged).toEqual([broken.message]);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('1 stored record could not be read');
  });
});

describe('a report whose current source cannot be read (a SQLite home damaged on disk)', () => {
  it('the live report and body pages show the rest and say so; no other source stands in for it; the static site keeps its pages', async () => {
    const { dbFile } = await import('../../shared/store/local.ts');
    const { default: Database } = await import('libsql');
    const home = mkdtempSync(join(tmpdir(), 'nianbao-site-damaged-source-'));
    const local = await openLocalStore(home);
    const e = 'e'.repeat(64);
    const f = 'f'.repeat(64);
    try {
      await local.state.putState(foundState('body-e', { reportSha256: e }));
      for (const [sha, parsedAt, total] of [
        [e, '2025-02-01T02:00:00.000Z', 70],
        [f, '2025-03-01T02:00:00.000Z', 99],
      ] as const)
        await local.store.putParsed(storedReport('body-e', sha, { url: `https://www.e.gov.cn/${sha[0]}.html`, title: `某区2024年报告 ${sha[0]}`, parsedAt }), [
          { bodyId: 'body-e', year: 2024, sha256: sha, row: 'table3.received', values: { total } },
        ]);
      const db = new Database(dbFile(home));
      try {
        db.prepare('UPDATE reports SET data = ? WHERE sha256 = ?').run('{"bodyId":"body-e"', e);
      } finally {
        db.close();
      }
      const body: Body = { id: 'body-e', name: '某区人民政府', level: 'government', lists: [] };
      const sources = { state: local.state, reports: local.store, captures: local.store, bodies: [body], now: () => NOW };
      const live = siteApp({ src: sources, archive: local.archive, dismiss: async () => null });
      const report = await live.request('/report/body-e/2024.html');
      expect(report.status).toBe(200);
      const page = await report.text();
      expect(page).toContain('1 stored record could not be read');
      expect(page).toContain("the current source's stored record could not be read and is not shown");
      // The other source is listed among the sources, but its figures (99) are not shown as the report's.
      expect(page).toContain(f);
      expect(page).not.toMatch(/>99</);
      const bodyPage = await live.request('/body/body-e.html');
      expect(bodyPage.status).toBe(200);
      expect(await bodyPage.text()).toContain('1 stored record could not be read');

      // The static site is unchanged: the body's pages keep their last version, and the record is named.
      const told: string[] = [];
      const summary = await writeSite({ ...sources, onDamaged: (x) => void told.push(x.message) }, folderWriter(join(home, 'site')));
      expect(summary.damaged).toEqual([expect.stringMatching(/^stored record report of body-e 2024 \(SQLite reports\): not JSON/)]);
      expect(existsSync(join(home, 'site', 'report', 'body-e', '2024.html'))).toBe(false);
    } finally {
      await local.close();
    }
  });
});

describe("a body's page", () => {
  it("heads each year's row with the report's current source, not the source parsed last (an attachment parsed with its page)", async () => {
    const state = new MemoryStateStore();
    const reports = new MemoryStore();
    const page = 'a'.repeat(64);
    const attachment = 'b'.repeat(64);
    await state.putState(foundState('yi', { reportSha256: page }));
    // Page and attachment are parsed in the same crawl, at the same moment; the attachment sorts last.
    for (const [sha, title] of [
      [page, '乙区2024年政府信息公开工作年度报告'],
      [attachment, '附件：乙区2024年年报.pdf'],
    ] as const)
      await reports.putParsed(storedReport('yi', sha, { title }), []);
    const live = siteApp({
      src: { state, reports, captures: new MemoryStore(), bodies: [{ id: 'yi', name: '乙区人民政府', level: 'government', lists: [] }], now: () => NOW },
      archive: store.archive,
      dismiss: async () => null,
    });
    const html = await (await live.request('/body/yi.html')).text();
    const row = html.slice(html.indexOf('<tr data-year="2024">'));
    expect(row).toContain('<td>乙区2024年政府信息公开工作年度报告</td>');
    expect(row).not.toContain('<td>附件：乙区2024年年报.pdf</td>');
  });
});

describe('the static site', () => {
  it('writes every page with relative links, and rewrites its own folder without stale pages', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'nianbao-static-')), 'site');
    const summary = await writeSite(src, folderWriter(out));
    for (const f of [
      'index.html',
      'alerts.html',
      'years.html',
      'data/overview.js',
      'assets/echarts.min.js',
      'body/demo-jia.html',
      'report/demo-ding/2024.html',
    ]) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    expect(summary.bodies).toBe(bodies.length);
    // 4 assets, the data and its time, overview, alerts, years, 404, 2 year pages and their 4 downloads, 7 body pages,
    // 14 report pages.
    expect(summary).toMatchObject({ pages: 4 + 2 + 4 + 2 + 4 + 7 + 14, skipped: 0, downloadsSkipped: 0, unchanged: 0 });
    // The year's downloads are the files the command line writes from the same home, byte for byte (the figures by
    // another path: the export's own CSV writer), and the year's page links them.
    for (const [kind, command] of [
      ['findings', 'findings'],
      ['figures', 'export'],
    ] as const) {
      const cli = spawnSync(process.execPath, [BIN, '--home', home, command, '--year', '2024'], { encoding: 'utf8' });
      const file = readFileSync(join(out, `year/2024-${kind}.csv`), 'utf8');
      expect(file.split('\n').length, kind).toBeGreaterThan(2);
      expect(file, kind).toBe(cli.stdout);
      expect(readFileSync(join(out, 'year/2024.html'), 'utf8')).toContain(`href="../year/2024-${kind}.csv"`);
    }
    expect(readFileSync(join(out, 'year/2024-findings.csv'), 'utf8')).toMatch(/\ndemo-ding,丁区人民政府,[^\n]*,T3-RESULTS,error,/);
    // The live server makes the same file on request, as a download.
    const live = await get('/year/2024-figures.csv');
    expect(live.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(live.headers.get('content-disposition')).toBe('attachment; filename="nianbao-2024-figures.csv"');
    // Compared as bytes: Response.text() would drop the byte-order mark spreadsheets need.
    expect(Buffer.from(await live.arrayBuffer()).equals(readFileSync(join(out, 'year/2024-figures.csv')))).toBe(true);
    const report = readFileSync(join(out, 'report/demo-ding/2024.html'), 'utf8');
    expect(report).toContain('href="../../assets/site.css"');
    expect(report).not.toMatch(/href="\/(?!\/)/); // nothing absolute: it opens from file://
    expect(report).toContain('nianbao alerts dismiss'); // no live form: the CLI command instead
    writeFileSync(join(out, 'body', 'gone.html'), 'stale');
    await writeSite(src, folderWriter(out));
    expect(existsSync(join(out, 'body', 'gone.html'))).toBe(false);
  });

  it('written again the next day from the same data, only the time and the overview data differ', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nianbao-static-'));
    const files = async (day: number) => {
      const out = join(dir, `day${day}`);
      const written = new Map<string, string>();
      const writer = folderWriter(out);
      await writeSite(
        { ...src, now: () => NOW + day * 86_400_000 },
        {
          write: (p, b, t) => {
            written.set(p, Buffer.from(b).toString('base64'));
            return writer.write(p, b, t);
          },
        },
      );
      return written;
    };
    const [first, second] = [await files(0), await files(1)];
    const differing = [...first.keys()].filter((p) => first.get(p) !== second.get(p)).sort();
    expect(differing).toEqual(['data/generated.js', 'data/overview.js']);
    expect(Buffer.from(second.get('data/generated.js')!, 'base64').toString()).toContain('2025-06-05 00:00 UTC');
    const page = Buffer.from(first.get('body/demo-jia.html')!, 'base64').toString();
    expect(page).toContain('<script src="../data/generated.js"></script>');
    expect(page).toContain('<span data-generated>');
  });

  it('a run cut short every day still rewrites every body in turn: each day begins elsewhere in the list', async () => {
    const rewritten = new Set<string>();
    for (let day = 0; day < 7; day++) {
      let started = 0;
      const bodiesWritten: string[] = [];
      const summary = await writeSite(
        src,
        {
          write: async (path) => {
            if (path.startsWith('body/')) bodiesWritten.push(path);
            return true;
          },
        },
        // One body at a time, cut after three: as if the 15 minutes ran out every day.
        { concurrency: 1, shouldStop: () => started++ >= 3, day },
      );
      expect(summary.skipped).toBe(bodies.length - 3);
      expect(summary.downloadsSkipped).toBe(2); // yesterday's downloads stay, never a file cut short
      expect(bodiesWritten).toHaveLength(3);
      for (const p of bodiesWritten) rewritten.add(p);
    }
    expect(rewritten.size).toBe(bodies.length);
    // At scale too: consecutive days' starts spread over the list, whatever its length (prime to it or not).
    for (const n of [7919, 10_000, 30_000]) {
      const starts = Array.from({ length: 10 }, (_, day) => startOfDay(20_000 + day, n)).sort((a, b) => a - b);
      const gaps = starts.map((s, i) => (starts[i + 1] ?? starts[0]! + n) - s);
      expect(Math.max(...gaps), String(n)).toBeLessThan(n / 4);
    }
  });

  it('never writes into a folder of other files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nianbao-static-'));
    mkdirSync(join(dir, 'mine'));
    expect(() => folderWriter(dir)).toThrow(/not empty and not a nianbao site/);
  });
});

describe('the overview at scale', () => {
  it('3,000 bodies × 7 years: the page and its data stay under 1 MB', async () => {
    const state = new MemoryStateStore();
    const statuses: Status[] = ['found', 'late', 'missing', 'unreachable', 'unknown', 'pending'];
    const many: Body[] = [];
    for (let i = 0; i < 3000; i++) {
      many.push({ id: `body-${i}`, name: `某省某市第${i}区人民政府办公室`, level: 'department', region: `${11 + (i % 50)}0000`, lists: [] });
      for (let y = 2019; y <= 2025; y++) {
        const s: BodyYearState = {
          bodyId: `body-${i}`,
          year: y,
          status: statuses[(i + y) % 6]!,
          missedAt: [],
          consecutiveFailures: 0,
          deadline: `${y + 1}-01-31`,
          updatedAt: '',
        };
        if (i % 7 === 0) s.unreadCells = 3;
        await state.putState(s);
      }
    }
    const s: SiteSources = { state, reports: new MemoryStore(), captures: new MemoryStore(), bodies: many, now: () => NOW };
    const data = await overviewData(s);
    expect(data.cells.every((c) => c.length === 7)).toBe(true);
    const bytes = Buffer.byteLength(overviewScript(data)) + Buffer.byteLength(overviewPage({ mode: 'static', root: '', generatedAt: '' }));
    expect(bytes).toBeLessThan(1_000_000);
  });

  it('a report view of a body-year never parsed has no cells and no findings (not a clean report)', async () => {
    const v = await reportView(src, 'demo-geng', 2024);
    expect(v?.current).toBeNull();
    expect(v?.cells.size).toBe(0);
  });
});
