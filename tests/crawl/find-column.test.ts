/**
 * `nianbao registry find`: from a portal's home page, through its navigation, to the annual-report column — on the
 * replica portals (a TRS 门户网站 with its 政府信息公开 page, a Hanweb site with its 政务公开 page, a GBK TRS site).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findColumn, idOf, levelOf, siteName } from '../../shared/crawl/find-column.ts';
import { HttpFetcher } from '../../shared/crawl/fetcher.ts';
import { parseRegistry } from '../../shared/crawl/registry.ts';
import { startReplica, type Replica } from '../../shared/demo/replica/server.ts';
import { ManualClock } from '../helpers/clock.ts';
import { stringify } from 'yaml';
import { main } from '../../shared/cli/index.ts';

let replica: Replica;
let fetcher: HttpFetcher;
beforeAll(async () => {
  process.env.NIANBAO_ALLOW_PRIVATE_NETWORK = '1';
  replica = await startReplica();
  fetcher = new HttpFetcher({ clock: new ManualClock(), minDelayMs: 0 });
});
afterAll(async () => {
  await fetcher.close();
  await replica.close();
});

describe('registry find', () => {
  it('TRS: home → 政府信息公开 → 政府信息公开年报, a ready entry (the notice about compiling the report is not taken for it)', async () => {
    const r = await findColumn(`${replica.origin('trs')}/`, { fetcher });
    expect(r.column).toBe(`${replica.origin('trs')}/zfxxgknb/index.html`);
    if (!r.column) return;
    expect(r.path).toEqual([`${replica.origin('trs')}/`, `${replica.origin('trs')}/zwgk/index.html`]);
    expect(r.reports.length).toBeGreaterThanOrEqual(2);
    expect(r.entry).toMatchObject({ name: '某某区人民政府', level: 'government', kind: 'trs', lists: [r.column] });
    // What it prints is a registry entry that loads.
    const reg = parseRegistry(stringify({ bodies: [r.entry] }));
    expect(reg.problems).toEqual([]);
    expect(reg.bodies[0]!.lists).toEqual([r.column]);
  });

  it('Hanweb: home → 政务公开 → 政府信息公开年度报告 (/col/col1229/)', async () => {
    const r = await findColumn(`${replica.origin('hanweb')}/`, { fetcher });
    expect(r.column).toBe(`${replica.origin('hanweb')}/col/col1229/index.html`);
    if (r.column) expect(r.entry).toMatchObject({ kind: 'hanweb', name: '某某市交通运输局', level: 'department' });
  });

  it('a GBK portal, and a start URL that is the column already', async () => {
    expect((await findColumn(`${replica.origin('trsGbk')}/index.html`, { fetcher })).column).toBe(`${replica.origin('trsGbk')}/zfxxgknb/index.html`);
    expect((await findColumn(`${replica.origin('trs')}/zfxxgknb/index.html`, { fetcher })).column).toBe(`${replica.origin('trs')}/zfxxgknb/index.html`);
  });

  it('a site with no way to a column says what it tried', async () => {
    const r = await findColumn(`${replica.origin('hostile')}/embeds-internal.html`, { fetcher });
    expect(r.column).toBeNull();
    if ('tried' in r) expect(r.tried.map((t) => t.outcome)).toContain('no link to the annual-report column');
  });

  it('`nianbao registry find URL` prints the entry, ready to paste under `bodies:`', async () => {
    const out: string[] = [];
    const write = process.stdout.write;
    const errWrite = process.stderr.write;
    process.stdout.write = ((c: string) => {
      out.push(String(c));
      return true;
    }) as typeof process.stdout.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    let code: number;
    try {
      code = await main(['registry', 'find', `${replica.origin('trs')}/`, '--delay', '0']);
    } finally {
      process.stdout.write = write;
      process.stderr.write = errWrite;
    }
    expect(code).toBe(0);
    const reg = parseRegistry(`bodies:\n${out.join('')}`);
    expect(reg.problems).toEqual([]);
    expect(reg.bodies[0]).toMatchObject({ name: '某某区人民政府', lists: [`${replica.origin('trs')}/zfxxgknb/index.html`] });
  });

  it('names, levels and ids', () => {
    expect(siteName('<title>某某市人民政府门户网站_首页</title>')).toBe('某某市人民政府');
    expect(levelOf('某某街道办事处')).toBe('township');
    expect(levelOf('某某市教育局')).toBe('department');
    expect(idOf('https://www.qingdao.gov.cn/zwgk/szfgk/gknb/index.html')).toBe('qingdao-gknb');
  });
});
