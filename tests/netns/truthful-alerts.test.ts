/**
 * Alerts a watchdog can act on, in the public-address world: a page whose counter, clock and adverts change on
 * every visit is not "changed", a real edit of a figure is — once; a column that is too large, a gzip bomb, not
 * HTML, undecodable, gone (410) or refused (400) is never "missing"; a list page that fails is never "removed";
 * our own network going down raises no alert about the portals.
 */
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'libsql';
import { dbFile } from '../../shared/store/local.ts';
import { netnsUnavailable, startWorld, type World } from '../helpers/netns.ts';

const unavailable = netnsUnavailable();
if (unavailable) console.warn(`skipping the public-address world: ${unavailable}`);

type Digest = {
  results: { bodyId: string; year: number; status: string; outcome: string; failure?: { outcome: string; reason: string } }[];
  outage: { outcome: string; bodies: number } | null;
};
type Sent = { event: string; alert: { bodyId: string; kind: string; detail: string; summaryZh: string; evidence: Record<string, unknown> } };

/** A home with its registry, run by date in the world. */
function watchdog(world: () => World, bodies: [id: string, name: string, level: string, url: string][]) {
  const home = mkdtempSync(join(tmpdir(), 'nianbao-truth-'));
  const registry = join(home, 'portals.yaml');
  const sent = join(home, 'alerts.jsonl');
  writeFileSync(
    registry,
    `bodies:\n${bodies.map(([id, name, level, url]) => `  - id: ${id}\n    name: ${name}\n    level: ${level}\n    region: '110101'\n    lists: [${url}]\n`).join('')}`,
  );
  return {
    home,
    async run(date: string, ...extra: string[]): Promise<{ code: number | null; digest: Digest; stderr: string }> {
      const r = await world().nianbao(
        '--home',
        home,
        '--json',
        'run',
        '--registry',
        registry,
        '--date',
        date,
        '--delay',
        '0',
        '--render',
        'static',
        '--retries',
        '0',
        '--channels',
        `jsonl:${sent}`,
        ...extra,
      );
      if (!r.stdout.trim()) throw new Error(`run ${date}: ${r.stderr}`);
      return { code: r.code, digest: JSON.parse(r.stdout) as Digest, stderr: r.stderr };
    },
    sent(): Sent[] {
      return existsSync(sent)
        ? readFileSync(sent, 'utf8')
            .trim()
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as Sent)
        : [];
    },
    statuses: (d: Digest) => Object.fromEntries(d.results.map((r) => [r.bodyId, r.status])),
  };
}

describe.skipIf(unavailable !== null)('truthful alerts in the public-address world', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld('fresh');
  });
  afterAll(async () => world?.close());

  it('counters, clocks and adverts are not a change; a figure edited is one `changed` alert, with old → new', async () => {
    const w = watchdog(
      () => world,
      [
        ['xinqu', '新区人民政府', 'government', `${world.origins.dynamic}/xxgk/ndbg/index.jsp`],
        ['jiaqu', '甲区人民政府', 'government', `${world.origins.trs}/zfxxgknb/index.html`],
      ],
    );
    for (const date of ['2025-06-01', '2025-06-02', '2025-06-03']) {
      const r = await w.run(date, '--year', '2024');
      expect(r.code, r.stderr).toBe(0);
      expect(w.statuses(r.digest)).toEqual({ xinqu: 'found', jiaqu: 'found' });
    }
    expect(w.sent()).toEqual([]);
    // The archive keeps every version of the bytes: the dynamic page changed on every visit.
    const captures = JSON.parse((await world.nianbao('--home', w.home, '--json', 'captures', 'xinqu', '--year', '2024')).stdout) as {
      url: string;
      changed?: unknown;
    }[];
    expect(captures.filter((c) => c.url.includes('content.jsp') && c.changed).length).toBeGreaterThanOrEqual(2);

    await world.op({ op: 'state', site: 'dynamic', action: 'change', year: 2024 });
    await w.run('2025-06-04', '--year', '2024');
    await w.run('2025-06-05', '--year', '2024');
    const sent = w.sent();
    expect(sent.map((s) => `${s.event} ${s.alert.bodyId} ${s.alert.kind}`)).toEqual(['opened xinqu changed']);
    const figures = (sent[0]!.alert.evidence.figures as { cell: string; old: number; new: number }[]).map((f) => f.cell);
    expect(figures).toEqual(expect.arrayContaining(['table3.granted.natural_person', 'table3.received.total', 'table3.total_handled.total']));
    expect(figures.every((c) => c.startsWith('table'))).toBe(true);
    expect(sent[0]!.alert.evidence.previousSha256).not.toBe(sent[0]!.alert.evidence.sha256);
  }, 120_000);

  it('a column that cannot be read as a list is unreachable — never missing — and says why', async () => {
    const q = world.origins.hostile;
    const w = watchdog(
      () => world,
      [
        ['huge', '甲局', 'department', `${q}/columns/huge/index.html`],
        ['bomb', '乙局', 'department', `${q}/columns/bomb/index.html`],
        ['binary', '丙局', 'department', `${q}/columns/binary/index.html`],
        ['pdf', '丁局', 'department', `${q}/columns/pdf/index.html`],
        ['gone', '戊局', 'department', `${q}/columns/gone/index.html`],
        ['bad', '己局', 'department', `${q}/columns/bad/index.html`],
      ],
    );
    const first = await w.run('2025-06-01', '--year', '2024');
    expect(first.code).toBe(1);
    expect(w.statuses(first.digest)).toEqual({
      huge: 'unreachable',
      bomb: 'unreachable',
      binary: 'unreachable',
      pdf: 'unreachable',
      gone: 'unreachable',
      bad: 'unreachable',
    });
    const why = Object.fromEntries(first.digest.results.map((r) => [r.bodyId, r.failure!.outcome]));
    expect(why).toEqual({ huge: 'too_large', bomb: 'too_large', binary: 'not_a_list', pdf: 'not_a_list', gone: 'gone', bad: 'client_error' });
    expect(w.sent()).toEqual([]); // one failed crawl is not yet an alert
    await w.run('2025-06-02', '--year', '2024');
    expect(w.sent()).toEqual([]); // two crawls within a day are not either
    await w.run('2025-06-04', '--year', '2024');
    const sent = w.sent();
    expect(sent.map((s) => s.alert.kind).sort()).toEqual(Array(6).fill('unreachable'));
    expect(sent.find((s) => s.alert.bodyId === 'gone')!.alert.summaryZh).toContain('栏目已迁移或不存在');
    expect(sent.find((s) => s.alert.bodyId === 'huge')!.alert.summaryZh).not.toContain('栏目已迁移');
    expect((sent[0]!.alert.evidence.failures as unknown[]).length).toBe(3);
  }, 180_000);

  it('a failing list page is not a removal; the report’s own 404 is, once', async () => {
    const w = watchdog(() => world, [['wuqu', '戊区人民政府', 'government', `${world.origins.trs3}/zfxxgknb/index.html`]]);
    // The 2021 report sits on the third list page (index_2.html).
    expect(w.statuses((await w.run('2025-06-01', '--year', '2021')).digest)).toEqual({ wuqu: 'found' });
    await world.op({ op: 'state', site: 'trs3', action: 'fail-page', page: 2 });
    expect(w.statuses((await w.run('2025-06-02', '--year', '2021')).digest)).toEqual({ wuqu: 'found' });
    expect(w.sent()).toEqual([]);
    await world.op({ op: 'state', site: 'trs3', action: 'heal-page', page: 2 });
    await world.op({ op: 'state', site: 'trs3', action: 'remove', year: 2021 });
    await w.run('2025-06-03', '--year', '2021');
    await w.run('2025-06-04', '--year', '2021');
    const sent = w.sent();
    expect(sent.map((s) => `${s.event} ${s.alert.kind}`)).toEqual(['opened removed']);
    expect(sent[0]!.alert.evidence).toMatchObject({ status: 404, outcome: 'not_found' });
  }, 120_000);

  it('when our own network is down, no portal is blamed: one operator warning, no alert, nothing counted', async () => {
    const o = world.origins;
    const w = watchdog(
      () => world,
      [
        ['body-a', '甲区人民政府', 'government', `${o.trs}/zfxxgknb/index.html`],
        ['body-b', '乙区教育局', 'department', `${o.trsGbk}/zfxxgknb/index.html`],
        ['body-c', '丙区人民政府', 'government', `${o.hanweb}/col/col1229/index.html`],
        ['body-d', '丁区人民政府', 'government', `${o.trs2}/zfxxgknb/index.html`],
        ['body-e', '戊区人民政府', 'government', `${o.trs4}/zfxxgknb/index.html`],
        ['body-f', '新区人民政府', 'government', `${o.dynamic}/xxgk/ndbg/index.jsp`],
      ],
    );
    const ok = await w.run('2025-06-01', '--year', '2024');
    expect(Object.values(w.statuses(ok.digest))).toEqual(Array(6).fill('found'));
    await world.op({ op: 'network', up: false });
    try {
      for (const date of ['2025-06-02', '2025-06-04', '2025-06-06']) {
        const r = await w.run(date, '--year', '2024', '--unreachable-after', '2', '--unreachable-hours', '24');
        expect(r.code).toBe(1);
        expect(r.digest.outage, JSON.stringify(r.digest.results)).toMatchObject({ outcome: 'connection_error', bodies: 6 });
        expect(r.digest.results.every((x) => x.outcome === 'outage')).toBe(true);
        // Nothing recorded: each body-year keeps the status it had, never `unreachable`.
        expect(Object.values(w.statuses(r.digest))).toEqual(Array(6).fill('found'));
      }
    } finally {
      await world.op({ op: 'network', up: true });
    }
    expect(w.sent()).toEqual([]);
    const after = await w.run('2025-06-07', '--year', '2024', '--unreachable-after', '2', '--unreachable-hours', '24');
    expect(after.code).toBe(0);
    expect(Object.values(w.statuses(after.digest))).toEqual(Array(6).fill('found'));
    const states = JSON.parse((await world.nianbao('--home', w.home, '--json', 'status', '--year', '2024')).stdout) as { consecutive_failures: number }[];
    expect(states.map((s) => s.consecutive_failures)).toEqual(Array(6).fill(0));
    expect(w.sent()).toEqual([]);
  }, 180_000);

  it('a run of one body cannot tell by numbers: the canary tells — down with ours, nobody blamed; up, the portal’s failure counts', async () => {
    const canary = ['--canary', 'http://www.gov.cn/'];
    const w = watchdog(
      () => world,
      [
        ['solo', '甲区人民政府', 'government', `${world.origins.trs}/zfxxgknb/index.html`],
        // A portal whose name no longer resolves (its DNS record gone): a failure below HTTP that is the portal's.
        ['gone', '癸区人民政府', 'government', 'http://www.guiqu.gov.cn/zfxxgknb/index.html'],
      ],
    );
    const solo = ['--body', 'solo', '--year', '2024', ...canary];
    expect((await w.run('2025-06-01', ...solo)).digest.results.map((r) => r.status)).toEqual(['found']);
    await world.op({ op: 'network', up: false });
    try {
      const down = await w.run('2025-06-02', ...solo);
      expect(down.code).toBe(1);
      expect(down.digest.outage).toMatchObject({ outcome: 'connection_error', bodies: 1, of: 1, canaries: ['http://www.gov.cn/'] });
      expect(down.digest.results.map((r) => [r.outcome, r.status])).toEqual([['outage', 'found']]);
    } finally {
      await world.op({ op: 'network', up: true });
    }
    const gone = await w.run('2025-06-03', '--body', 'gone', '--year', '2024', ...canary);
    expect(gone.digest.outage).toBeNull();
    expect(gone.digest.results.map((r) => [r.outcome, r.status, r.failure?.outcome])).toEqual([['access_failure', 'unreachable', 'dns_error']]);
    const states = JSON.parse((await world.nianbao('--home', w.home, '--json', 'status', '--year', '2024')).stdout) as {
      body: string;
      consecutive_failures: number;
    }[];
    expect(Object.fromEntries(states.map((s) => [s.body, s.consecutive_failures]))).toEqual({ solo: 0, gone: 1 });
    expect(w.sent()).toEqual([]);

    // The portal that is gone, its stored state damaged (a disk that filled up mid-write): its failure cannot be
    // recorded at the end of the run. That body is an error of its own; the other is crawled and recorded as ever.
    const db = new Database(dbFile(w.home));
    try {
      expect(db.prepare('UPDATE states SET data = ? WHERE body_id = ?').run('{"bodyId":"gone","year":2024,"status":"unre', 'gone').changes).toBe(1);
    } finally {
      db.close();
    }
    const both = await w.run('2025-06-04', '--year', '2024', ...canary);
    expect(both.code).toBe(1);
    expect(both.digest.results.map((r) => [r.bodyId, r.outcome, r.status])).toEqual([
      ['solo', 'crawled', 'found'],
      ['gone', 'error', 'error'],
    ]);
    expect((both.digest as Digest & { errors: { bodyId: string; error: string }[] }).errors).toEqual([
      { bodyId: 'gone', error: expect.stringMatching(/^stored record state of gone 2024 \(SQLite states\): not JSON/) },
    ]);
  }, 120_000);
});
