/**
 * Discovery against the replica portals: TRS (paginated, GBK variant), Hanweb (dataproxy.jsp), Hanweb
 * xxgk (addressed by year), a JS-built list and a 412 challenge (real Chromium from @sparticuz/chromium).
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserRenderer } from '../../shared/crawl/browser.ts';
import { allowedHost, discover } from '../../shared/crawl/discover.ts';
import { HttpFetcher } from '../../shared/crawl/fetcher.ts';
import { reportYear } from '../../shared/crawl/links.ts';
import { gatewayOriginal } from '../../shared/crawl/gateway.ts';
import { startReplica, type Replica } from '../../shared/demo/replica/server.ts';
import { ManualClock } from '../helpers/clock.ts';

let replica: Replica;
let fetcher: HttpFetcher;
let renderer: BrowserRenderer;
beforeAll(async () => {
  process.env.NIANBAO_ALLOW_PRIVATE_NETWORK = '1';
  replica = await startReplica();
  fetcher = new HttpFetcher({ clock: new ManualClock(), minDelayMs: 1000, timeoutMs: 5000, retries: 1 });
  renderer = new BrowserRenderer({ timeoutMs: 20_000 });
});
afterAll(async () => {
  await renderer.close();
  await fetcher.close();
  await replica.close();
  delete process.env.NIANBAO_ALLOW_PRIVATE_NETWORK;
});

const YEARS = [2024, 2023, 2022, 2021, 2020, 2019];

describe('report titles', () => {
  it.each([
    ['某某区人民政府2024年政府信息公开工作年度报告', 2024],
    ['2023年度某某局政府信息公开工作年度报告（全文）', 2023],
    ['某某县2022年政务公开年度报告.pdf', 2022],
    ['某某镇2021年政府信息公开年报', 2021],
    ['关于2023年度政府信息公开工作年度报告编制工作的通知', null],
    ['政府信息公开指南', null],
    ['某某区2024年国民经济和社会发展统计公报', null],
    // The year in Chinese numerals, after the name, or an older year's "工作报告": the report all the same.
    ['某某区二〇二三年政府信息公开工作年度报告', 2023],
    ['某某局二零二二年度政府信息公开工作年度报告', 2022],
    ['某某区政府信息公开工作年度报告（2023年）', 2023],
    ['某某县2015年政府信息公开工作报告', 2015],
    ['某某市2024年政府工作报告', null],
    ['关于做好二〇二三年政府信息公开工作年度报告编制工作的通知', null],
    // Infographics posted beside the report, often above it: not the report.
    ['一图读懂某某区2024年政府信息公开工作年度报告', null],
    ['图解：某某区2024年政府信息公开工作年度报告', null],
    ['某某区2024年政府信息公开工作年度报告（图解）', null],
    ['【图说】2023年度某某局政府信息公开工作年度报告', null],
    // A corrected edition is the report (crawl/versions.ts chooses it); a notice of the correction is not.
    ['某某区2024年政府信息公开工作年度报告（更正版）', 2024],
    ['某某区2024年政府信息公开工作年度报告修订稿', 2024],
    ['关于某某区2024年政府信息公开工作年度报告的更正说明', null],
    ['某某区2024年政府信息公开工作年度报告更正说明', null],
  ])('%s → %s', (title, year) => expect(reportYear(title)).toBe(year));

  it('a Big5 gateway URL stands for the page it mirrors', () => {
    expect(gatewayOriginal('https://www.beijing.gov.cn/gate/big5/www.beijing.gov.cn/gongkai/zfxxgk/gknb/')).toBe(
      'https://www.beijing.gov.cn/gongkai/zfxxgk/gknb/',
    );
    expect(gatewayOriginal('http://big5.www.gov.cn/gate/big5/www.gov.cn//gzdt/2013-03/29/content_2365767.htm')).toBe(
      'http://www.gov.cn/gzdt/2013-03/29/content_2365767.htm',
    );
    expect(gatewayOriginal('http://127.0.0.2:8080/gate/big5/127.0.0.2:8080/zfxxgknb/?page=2')).toBe('http://127.0.0.2:8080/zfxxgknb/?page=2');
    for (const other of ['https://www.beijing.gov.cn/gongkai/zfxxgk/gknb/', 'https://x.gov.cn/gate/big5/', 'not a url'])
      expect(gatewayOriginal(other)).toBeNull();
  });

  it('accepts the list host, any .gov.cn host and the registry extras; nothing else', () => {
    const list = 'http://127.0.0.2:8080/zfxxgknb/index.html';
    expect(allowedHost('http://127.0.0.2:8080/a.html', list)).toBe(true);
    expect(allowedHost('https://www.pingtan.gov.cn/a.html', list)).toBe(true);
    expect(allowedHost('http://www.haose21.com/a.html', list)).toBe(false);
    expect(allowedHost('http://61.150.65.235/a.html', list, ['61.150.65.235'])).toBe(true);
  });
});

describe('TRS portal (paginated list, createPageHTML)', () => {
  it('finds every report across the pages, with attachments, the pdf.js file and the page date', async () => {
    const d = await discover({ lists: [`${replica.origin('trs')}/zfxxgknb/index.html`] }, { fetcher });
    expect(d.status).toBe('ok');
    expect(d.reports.map((r) => r.year)).toEqual(YEARS);
    const r2024 = d.reports[0]!;
    expect(r2024).toMatchObject({ published: '2025-01-24', via: 'static' });
    expect(r2024.attachments.map((a) => a.type).sort()).toEqual(['doc', 'pdf']);
    expect(r2024.page?.text).toContain('TRS_Editor');
    const paths = replica.log.filter((l) => l.site === 'trs').map((l) => l.path);
    expect(paths).toEqual(expect.arrayContaining(['/zfxxgknb/index_1.html', '/zfxxgknb/index_2.html']));
  });

  it('a column given through its Big5 gateway is read at the page the gateway mirrors', async () => {
    const origin = replica.origin('trs');
    const d = await discover({ lists: [`${origin}/gate/big5/${new URL(origin).host}/zfxxgknb/index.html`] }, { fetcher, followReports: false });
    expect(d.status).toBe('ok');
    expect(d.reports.map((r) => r.year)).toEqual(YEARS);
    expect(d.fetches[0]!.url).toBe(`${origin}/zfxxgknb/index.html`);
  });

  it('does not take the infographic posted beside a report for a second report of its year', async () => {
    replica.state.notices.push('一图读懂某某区人民政府2024年政府信息公开工作年度报告');
    try {
      const d = await discover({ lists: [`${replica.origin('trs')}/zfxxgknb/index.html`] }, { fetcher, followReports: false });
      expect(d.reports.filter((r) => r.year === 2024).map((r) => r.title)).toEqual(['某某区人民政府2024年政府信息公开工作年度报告']);
    } finally {
      replica.state.notices.pop();
    }
  });

  it('skips and logs links to hosts that are not government hosts (hijacked mirrors)', async () => {
    const d = await discover({ lists: [`${replica.origin('trs')}/zfxxgknb/index.html`] }, { fetcher, followReports: false });
    expect(d.skipped.some((s) => s.url.includes('haose21.com'))).toBe(true);
    expect(d.reports.every((r) => !r.url.includes('haose21'))).toBe(true);
  });

  it('reads a GBK portal the same way', async () => {
    const d = await discover({ lists: [`${replica.origin('trsGbk')}/zfxxgknb/index.html`] }, { fetcher, followReports: false });
    expect(d.reports.map((r) => r.year)).toEqual(YEARS);
    expect(d.reports[0]!.title).toBe('某某区人民政府2024年政府信息公开工作年度报告');
  });

  it('sees a report appear and disappear as the portal changes', async () => {
    replica.state.publish(2025, '2026-01-15');
    let d = await discover({ lists: [`${replica.origin('trs')}/zfxxgknb/index.html`] }, { fetcher, followReports: false });
    expect(d.reports[0]!.year).toBe(2025);
    replica.state.remove(2025);
    d = await discover({ lists: [`${replica.origin('trs')}/zfxxgknb/index.html`] }, { fetcher, followReports: false });
    expect(d.reports.map((r) => r.year)).toEqual(YEARS);
  });
});

describe('a generic CMS list (?page=N and 下一页 links)', () => {
  it('follows the page links to every report', async () => {
    const d = await discover({ lists: [`${replica.origin('trs')}/xxgk/list.jsp?page=1`] }, { fetcher, followReports: false });
    expect(d.reports.map((r) => r.year)).toEqual(YEARS);
    expect(replica.log.some((l) => l.path === '/xxgk/list.jsp?page=3')).toBe(true);
  });
});

describe('the replica admin endpoint', () => {
  it('publishes, changes and removes a report between runs', async () => {
    const admin = (action: string) => fetch(`${replica.origin('trs')}/__admin/${action}?year=2026&date=2027-01-05`, { method: 'POST' });
    expect((await admin('publish')).status).toBe(200);
    let d = await discover({ lists: [`${replica.origin('trs')}/zfxxgknb/index.html`] }, { fetcher, followReports: false });
    expect(d.reports[0]).toMatchObject({ year: 2026 });
    expect((await admin('change')).status).toBe(200);
    expect(replica.state.reports.get(2026)!.revision).toBe(1);
    expect((await admin('remove')).status).toBe(200);
    d = await discover({ lists: [`${replica.origin('trs')}/zfxxgknb/index.html`] }, { fetcher, followReports: false });
    expect(d.reports[0]!.year).toBe(2024);
    expect((await fetch(`${replica.origin('trs')}/__admin/publish`, { method: 'POST' })).status).toBe(400);
  });
});

describe('Hanweb portal (dataproxy.jsp)', () => {
  it('reads the column through dataproxy.jsp (POST with the column/unit ids), not the browser', async () => {
    const d = await discover({ lists: [`${replica.origin('hanweb')}/col/col1229/index.html`] }, { fetcher, renderer });
    expect(d.reports.map((r) => r.year)).toEqual(YEARS);
    expect(d.reports.every((r) => r.via === 'static')).toBe(true);
    const proxy = replica.log.find((l) => l.site === 'hanweb' && l.path.startsWith('/module/web/jpage/dataproxy.jsp'));
    expect(proxy).toMatchObject({ method: 'POST' });
    expect(d.reports[0]!.url).toMatch(/\/art\/2025\/1\/24\/art_1229_82024\.html$/);
  });

  it('probes the xxgk annual-report viewer by year and finds only the published years', async () => {
    const d = await discover(
      { lists: [`${replica.origin('hanweb')}/module/xxgk/xxgkAnnualReport.jsp?area=113304830025582868`], kind: 'hanweb-xxgk' },
      { fetcher, years: [2025, 2024, 2023] },
    );
    expect(d.reports.map((r) => r.year)).toEqual([2024, 2023]);
    expect(d.reports[0]!.url).toMatch(/fbtime=2024/);
  });

  it('a viewer that files reports by the year they were published (fbtime=2025: the 2024 report): the year the report states', async () => {
    replica.state.xxgkByPublication = true;
    try {
      const d = await discover(
        { lists: [`${replica.origin('hanweb')}/module/xxgk/xxgkAnnualReport.jsp?area=01251010-053`], kind: 'hanweb-xxgk' },
        { fetcher, years: [2025, 2024, 2023] },
      );
      expect(d.reports.map((r) => [r.year, new URL(r.url).searchParams.get('fbtime')])).toEqual([
        [2024, '2025'],
        [2023, '2024'],
      ]);
      expect(d.reports[0]!.title).toContain('2024年');
    } finally {
      replica.state.xxgkByPublication = false;
    }
  });
});

describe('the browser fallback (real Chromium)', () => {
  it('renders a list built by JavaScript; the report pages stay static', async () => {
    const d = await discover({ lists: [`${replica.origin('jslist')}/ndbg/index.html`] }, { fetcher, renderer });
    expect(d.reports.map((r) => r.year)).toEqual(YEARS);
    expect(d.fetches.find((f) => f.url.endsWith('/ndbg/index.html') && f.via === 'browser')?.outcome).toBe('ok');
    expect(d.reports.every((r) => r.via === 'static')).toBe(true);
    const rendered = d.captures.find((c) => c.via === 'browser') as { responses?: { url: string; body: string }[] };
    expect(rendered.responses?.find((x) => x.url.endsWith('/api/ndbg.json'))?.body).toContain('年度报告');
  });

  it('passes a 412 cookie challenge and uses the browser for that portal', async () => {
    const d = await discover({ lists: [`${replica.origin('challenge')}/zfxxgknb/index.html`] }, { fetcher, renderer, followReports: true });
    expect(d.status).toBe('ok');
    expect(d.reports.map((r) => r.year)).toEqual(YEARS);
    expect(d.fetches[0]).toMatchObject({ outcome: 'blocked', via: 'static', status: 412 });
    expect(d.reports.every((r) => r.via === 'browser')).toBe(true);
    expect(replica.log.some((l) => l.site === 'challenge' && /rs_ok=1/.test(l.headers.cookie ?? ''))).toBe(true);
  });

  it('a crawler without a browser says the portal needs one (challenge, scripted list), unless the body is static', async () => {
    const challenged = await discover({ lists: [`${replica.origin('challenge')}/zfxxgknb/index.html`] }, { fetcher });
    expect(challenged.needsBrowser).toBe(true);
    const scripted = await discover({ lists: [`${replica.origin('jslist')}/ndbg/index.html`] }, { fetcher });
    expect(scripted.needsBrowser).toBe(true);
    const plain = await discover({ lists: [`${replica.origin('trs')}/zfxxgknb/index.html`] }, { fetcher, followReports: false });
    expect(plain.needsBrowser).toBeUndefined();
    const forcedStatic = await discover({ lists: [`${replica.origin('challenge')}/zfxxgknb/index.html`], render: 'static' }, { fetcher });
    expect(forcedStatic.needsBrowser).toBeUndefined();
  });

  it('without the browser, a challenged portal is unreachable — not "no report"', async () => {
    const d = await discover({ lists: [`${replica.origin('challenge')}/zfxxgknb/index.html`], render: 'static' }, { fetcher, renderer });
    expect(d.status).toBe('unreachable');
    expect(d.reports).toEqual([]);
  });

  it('removes its temporary profile when closed', async () => {
    const r = new BrowserRenderer({ timeoutMs: 10_000 });
    await r.render(`${replica.origin('trs')}/zfxxgknb/index.html`);
    const profile = (r as unknown as { profile: string }).profile;
    expect(existsSync(profile)).toBe(true);
    await r.close();
    expect(existsSync(profile)).toBe(false);
  });
});
