/**
 * Public portals on public addresses (IPv4 and IPv6, .gov.cn names) in a network namespace, crawled with the
 * defaults a deployment has — no private-network switch. The crawler reaches them, and neither the HTTP fetcher
 * nor the browser ever reaches the machine's own network (loopback, a private address, the metadata service),
 * whether asked directly, by a name that resolves there, by a redirect or by a page's sub-resources.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { netnsUnavailable, startWorld, type World } from '../helpers/netns.ts';

const unavailable = netnsUnavailable();
if (unavailable) console.warn(`skipping the public-address world: ${unavailable}`);

interface Hits {
  requests: { site: string; method: string; path: string }[];
  sentinelHits: { sentinel: string; url: string }[];
}

describe.skipIf(unavailable !== null)('public portals in a network namespace', () => {
  let world: World;
  let home: string;
  beforeAll(async () => {
    world = await startWorld('fresh');
    home = mkdtempSync(join(tmpdir(), 'nianbao-public-'));
  });
  afterAll(async () => world?.close());

  it('discover, capture and run reach public IPv4 and IPv6 portals by default', async () => {
    const column = `${world.origins.trs}/zfxxgknb/index.html`;
    expect(column).toBe('http://www.jiaqu.gov.cn/zfxxgknb/index.html');
    const d = await world.nianbao('discover', column, '--json', '--delay', '0', '--render', 'static');
    expect(d.code, d.stderr).toBe(0);
    const found = JSON.parse(d.stdout);
    expect(found.status).toBe('ok');
    expect(found.reports.map((r: { year: number }) => r.year)).toEqual([2024, 2023, 2022, 2021, 2020, 2019]);
    expect(found.fetches.every((f: { outcome: string }) => f.outcome === 'ok')).toBe(true);

    // IPv6 only (www.bingqu.gov.cn has an AAAA record alone), a Hanweb column read through dataproxy.jsp.
    const v6 = JSON.parse(
      (await world.nianbao('discover', `${world.origins.hanweb}/col/col1229/index.html`, '--json', '--delay', '0', '--render', 'static')).stdout,
    );
    expect(v6.status).toBe('ok');
    expect(v6.reports.length).toBeGreaterThan(0);

    const page = found.reports[0].url as string;
    const first = await world.nianbao('--home', home, '--json', 'capture', page, '--body', 'jiaqu', '--year', '2024', '--parse');
    expect(first.code, first.stderr).toBe(0);
    const rec = JSON.parse(first.stdout);
    expect(rec).toMatchObject({ outcome: 'ok', status: 200, parsed: { rows: 32 } });
    // A static portal page answers a conditional GET with 304: a revisit of the archived bytes.
    const again = JSON.parse((await world.nianbao('--home', home, '--json', 'capture', page, '--body', 'jiaqu', '--year', '2024')).stdout);
    expect(again).toMatchObject({ outcome: 'not_modified', status: 304, sha256: rec.sha256, revisit: { id: rec.id } });

    const registry = join(home, 'portals.yaml');
    writeFileSync(
      registry,
      `bodies:\n${(
        [
          ['jiaqu', '甲区人民政府', `${world.origins.trs}/zfxxgknb/index.html`],
          ['bingqu', '丙区人民政府', `${world.origins.hanweb}/col/col1229/index.html`],
          ['xinqu', '新区人民政府', `${world.origins.dynamic}/xxgk/ndbg/index.jsp`],
          ['dingqu', '丁区人民政府', `${world.origins.trs2}/zfxxgknb/index.html`],
        ] as const
      )
        .map(([id, name, url]) => `  - id: ${id}\n    name: ${name}\n    level: government\n    region: '110101'\n    lists: [${url}]\n`)
        .join('')}`,
    );
    const run = await world.nianbao(
      '--home',
      home,
      '--json',
      'run',
      '--registry',
      registry,
      '--year',
      '2024',
      '--date',
      '2025-06-01',
      '--delay',
      '0',
      '--render',
      'static',
      '--channels',
      `jsonl:${join(home, 'alerts.jsonl')}`,
    );
    expect(run.code, run.stderr).toBe(0);
    const digest = JSON.parse(run.stdout);
    expect(Object.fromEntries(digest.results.map((r: { bodyId: string; status: string }) => [r.bodyId, r.status]))).toEqual({
      jiaqu: 'found',
      bingqu: 'found',
      xinqu: 'found',
      dingqu: 'found',
    });
    expect(run.stdout).not.toContain('unsafe_address');
    expect((await world.op<Hits>({ op: 'log' })).sentinelHits).toEqual([]);
  });

  it('a report’s attachment that is an OFD under a .doc link is fetched from its public portal, archived and read', async () => {
    await world.op({ op: 'state', site: 'trs3', action: 'ofd', year: 2024 });
    const ofdHome = mkdtempSync(join(tmpdir(), 'nianbao-public-ofd-'));
    const registry = join(ofdHome, 'portals.yaml');
    writeFileSync(registry, `bodies:\n  - id: wuqu\n    name: 戊区人民政府\n    level: government\n    lists: [${world.origins.trs3}/zfxxgknb/index.html]\n`);
    const alerts = join(ofdHome, 'alerts.jsonl');
    const run = await world.nianbao(
      ...['--home', ofdHome, '--json', 'run', '--registry', registry, '--year', '2024', '--date', '2025-06-01'],
      ...['--delay', '0', '--render', 'static', '--canary', 'http://www.gov.cn/', '--channels', `jsonl:${alerts}`],
    );
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).results.map((r: { status: string }) => r.status)).toEqual(['found']);
    const report = JSON.parse((await world.nianbao('--home', ofdHome, '--json', 'report', 'wuqu', '2024')).stdout) as {
      sources: { url: string; sha256: string }[];
    };
    // The page and the OFD are each a parsed source of the report; their figures agree, so nothing is raised.
    expect(report.sources.map((s) => new URL(s.url).pathname.split('.').pop()).sort()).toEqual(['doc', 'html']);
    const ofd = report.sources.find((s) => s.url.endsWith('.doc'))!;
    const got = await world.nianbao('--home', ofdHome, 'get', ofd.sha256, '--output', join(ofdHome, 'attachment'));
    expect(got.code, got.stderr).toBe(0);
    const bytes = readFileSync(join(ofdHome, 'attachment'));
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(bytes.includes(Buffer.from('OFD.xml'))).toBe(true);
    expect(existsSync(alerts) ? readFileSync(alerts, 'utf8').trim() : '').toBe('');
  });

  it('the HTTP fetcher refuses the machine’s own network: addresses, names that resolve there, redirects', async () => {
    await world.op({ op: 'clear-log' });
    const targets = [
      'http://127.0.0.1/',
      'http://localhost/',
      'http://[::1]/',
      'http://10.0.0.5/',
      'http://169.254.169.254/latest/meta-data/',
      'http://intranet.example.gov.cn/',
      'http://meta.example.gov.cn/latest/meta-data/',
      `${world.origins.hostile}/to-loopback`,
      `${world.origins.hostile}/to-intranet`,
      `${world.origins.hostile}/to-metadata`,
    ];
    for (const url of targets) {
      const r = await world.nianbao('--home', home, '--json', 'capture', url);
      expect({ url, code: r.code }).toEqual({ url, code: 1 });
      expect({ url, outcome: JSON.parse(r.stdout).outcome }).toEqual({ url, outcome: 'unsafe_address' });
    }
    const hits = await world.op<Hits>({ op: 'log' });
    expect(hits.sentinelHits).toEqual([]);
    // The redirects were asked of the public portal (and refused after it).
    expect(hits.requests.filter((r) => r.site === 'hostile').map((r) => r.path)).toEqual(
      expect.arrayContaining(['/to-loopback', '/to-intranet', '/to-metadata']),
    );
  });

  it('the browser refuses it too: navigation, redirects, names and every sub-resource', async () => {
    await world.op({ op: 'clear-log' });
    const embeds = `${world.origins.hostile}/embeds-internal.html`;
    const urls = [
      'http://localhost/',
      'http://intranet.example.gov.cn/',
      `${world.origins.hostile}/to-loopback`,
      `${world.origins.hostile}/to-intranet`,
      `${world.origins.hostile}/to-metadata`,
      embeds,
      `${world.origins.trs}/zfxxgknb/index.html`,
    ];
    const r = await world.exec([process.execPath, '--import', 'tsx', 'tests/netns/render.ts', ...urls]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, { outcome: string; hasBody: boolean; text: string | null }>;
    for (const url of urls.slice(0, 5)) {
      expect({ url, outcome: out[url]!.outcome, kept: out[url]!.hasBody }).toEqual({ url, outcome: 'unsafe_address', kept: false });
    }
    // The public page renders; what it pulls in from the machine's network does not load.
    expect(out[embeds]!.outcome).toBe('ok');
    expect(out[embeds]!.text).toContain('政府信息公开工作年度报告');
    expect(out[`${world.origins.trs}/zfxxgknb/index.html`]!.outcome).toBe('ok');
    expect((await world.op<Hits>({ op: 'log' })).sentinelHits).toEqual([]);
  }, 120_000);
});
