/**
 * The pipeline end to end against the replica portals (real HTTP on loopback), dynalite and a folder
 * archive: a scripted multi-run scenario must produce exactly the alerts a watchdog expects, each sent once.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonlNotifier, WebhookNotifier } from '../../shared/alerts/channels.ts';
import { HttpFetcher } from '../../shared/crawl/fetcher.ts';
import type { Body } from '../../shared/crawl/registry.ts';
import { ReplicaState } from '../../shared/demo/replica/state.ts';
import { startReplica, type SiteName } from '../../shared/demo/replica/server.ts';
import { columnUrl, seasonStates } from '../../shared/demo/season.ts';
import { run, type PipelineDeps } from '../../shared/pipeline.ts';
import { sniffInput } from '../../shared/report/input.ts';
import { DynamoStore } from '../../shared/store/dynamo.ts';
import { FsArchiveStore } from '../../shared/store/fs-archive.ts';
import { documentClient, ensureTable } from '../../shared/store/dynamo-client.ts';
import { ManualClock } from '../helpers/clock.ts';
import type { Alert, Notifier } from '../../shared/store/ports.ts';
import { DynamoStateStore } from '../../shared/store/state.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let db: Server;
let endpoint: string;
beforeAll(async () => {
  process.env.NIANBAO_ALLOW_PRIVATE_NETWORK = '1';
  db = dynalite({ createTableMs: 0 });
  await new Promise<void>((r) => db.listen(0, '127.0.0.1', () => r()));
  endpoint = `http://127.0.0.1:${(db.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => db.close(() => r()));
  delete process.env.NIANBAO_ALLOW_PRIVATE_NETWORK;
});

async function world(table: string, start = Date.UTC(2025, 5, 1, 2, 0, 0) /* 2025-06-01 10:00 in Shanghai */) {
  const doc = documentClient(endpoint);
  await ensureTable(doc, table);
  const archive = new FsArchiveStore(mkdtempSync(join(tmpdir(), 'nianbao-e2e-')));
  const store = new DynamoStore(doc, archive, table);
  const clock = new ManualClock(start);
  const fetcher = new HttpFetcher({ clock, minDelayMs: 100, retries: 0, timeoutMs: 5000, revalidate: { log: store, archive } });
  const deps = (notifiers: Notifier[]): PipelineDeps => ({
    fetcher,
    archive,
    captures: store,
    reports: store,
    state: new DynamoStateStore(doc, table),
    notifiers,
    clock,
  });
  return { doc, archive, store, clock, fetcher, deps };
}

/** A body whose column is the TRS replica portal `portal`'s annual-report column. */
const trsBody = (replica: { origin(portal: string): string }, portal: string, id: string, name: string): Body => ({
  id,
  name,
  level: 'government',
  lists: [`${replica.origin(portal)}/zfxxgknb/index.html`],
});

/** A fresh JSONL file for the alerts a run sends. */
const alertsFile = () => join(mkdtempSync(join(tmpdir(), 'nianbao-alerts-')), 'alerts.jsonl');

const sent = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { event: string; alert: Alert })
    .map((x) => `${x.event} ${x.alert.bodyId} ${x.alert.kind}${x.alert.kind === 'inconsistent' ? ` ${x.alert.detail.split(':')[0]}` : ''}`)
    .sort();

describe('a watchdog season on the replica portals', () => {
  it('raises exactly the expected alerts over three runs, each delivered once to each channel', async () => {
    const states = seasonStates();
    const replica = await startReplica(new ReplicaState(), states);
    const w = await world('e2e-season');
    const list = (site: SiteName) => columnUrl(replica, site);
    const bodies: Body[] = [
      { id: 'a-on-time', name: '甲区人民政府', level: 'government', region: '110101', lists: [list('trs')] },
      { id: 'b-late', name: '乙局', level: 'department', region: '110101', lists: [list('trsGbk')] },
      { id: 'c-missing', name: '丙区人民政府', level: 'government', region: '110102', lists: [list('hanweb')] },
      { id: 'd-inconsistent', name: '丁区人民政府', level: 'government', region: '110105', lists: [list('trs2')] },
      { id: 'e-removed', name: '戊区人民政府', level: 'government', region: '110106', lists: [list('trs3')] },
      { id: 'f-unreachable', name: '己区人民政府', level: 'government', region: '110107', lists: [list('trs4')] },
      { id: 'g-unknown', name: '庚街道办事处', level: 'township', region: '110108', lists: [] },
    ];
    const file = alertsFile();
    // A webhook receiver that fails twice, then accepts.
    let hits = 0;
    const received: unknown[] = [];
    const hook: HttpServer = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (++hits <= 2) return res.writeHead(500).end('busy');
        received.push(JSON.parse(body));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0}');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
    const webhook = new WebhookNotifier(`http://127.0.0.1:${(hook.address() as { port: number }).port}/robot`, 'dingtalk');
    const notifiers = [new JsonlNotifier(file), webhook];
    const opts = { years: [2024], unreachableAfter: 2, unreachableHours: 24, concurrency: 3 };
    try {
      const run1 = await run(bodies, w.deps(notifiers), opts);
      expect(Object.fromEntries(run1.results.map((r) => [r.bodyId, r.status]))).toEqual({
        'a-on-time': 'found',
        'b-late': 'late',
        'c-missing': 'missing',
        'd-inconsistent': 'found',
        'e-removed': 'found',
        'f-unreachable': 'unreachable',
        'g-unknown': 'unknown',
      });
      expect(sent(file)).toEqual([
        'opened b-late late',
        'opened c-missing missing',
        'opened d-inconsistent inconsistent T3-RESULTS',
        'opened d-inconsistent inconsistent T3-ROW-TOTAL',
      ]);
      expect(run1.delivery.failed).toEqual([]);

      // Between runs: a report is changed, another removed, the missing one published (late), the outage goes on.
      await w.clock.sleep(86_400_000);
      states.trs.change(2024);
      states.trs3.remove(2024);
      states.hanweb.publish(2024, '2025-06-02');
      const run2 = await run(bodies, w.deps(notifiers), opts);
      expect(run2.results.find((r) => r.bodyId === 'c-missing')!.status).toBe('late');
      await w.clock.sleep(86_400_000);
      states.trs4.down = false;
      await run(bodies, w.deps(notifiers), opts);

      expect(sent(file)).toEqual([
        'opened a-on-time changed',
        'opened b-late late',
        'opened c-missing late',
        'opened c-missing missing',
        'opened d-inconsistent inconsistent T3-RESULTS',
        'opened d-inconsistent inconsistent T3-ROW-TOTAL',
        'opened e-removed removed',
        'opened f-unreachable unreachable',
        'resolved c-missing missing',
        'resolved f-unreachable unreachable',
      ]);
      // The webhook got every message once, after failing twice (retried with backoff).
      expect(received).toHaveLength(10);
      expect(received[0]).toMatchObject({ msgtype: 'markdown', markdown: { title: expect.stringContaining('年度报告') } });
      const changed = (await w.deps([]).state.alerts()).find((a) => a.kind === 'changed')!;
      expect(changed.evidence.figures!.map((f) => f.cell)).toEqual(expect.arrayContaining(['table3.granted.natural_person', 'table3.received.total']));
      expect(changed.evidence.previousSha256).not.toBe(changed.evidence.sha256);
      expect(changed.evidence.retrieve).toMatch(/^nianbao get [0-9a-f]{64}/);
    } finally {
      await new Promise<void>((r) => hook.close(() => r()));
      await w.fetcher.close();
      w.doc.destroy();
      await replica.close();
    }
  });

  it('a run killed before delivery, run again, sends every alert exactly once and duplicates nothing', async () => {
    const states = { trs: new ReplicaState([2022, 2023]), trs2: new ReplicaState() };
    states.trs2.corrupt(2024);
    const replica = await startReplica(new ReplicaState(), states);
    const w = await world('e2e-resume');
    const bodies: Body[] = [trsBody(replica, 'trs', 'm', '某某区人民政府'), trsBody(replica, 'trs2', 'n', '某某县人民政府')];
    const file = alertsFile();
    const dying: Notifier = { name: `jsonl:${file}`, send: async () => Promise.reject(new Error('process killed')) };
    try {
      const first = await run(bodies, w.deps([dying]), { years: [2024] });
      expect(first.delivery.failed.length).toBeGreaterThan(0);
      const alertsAfterFirst = (await w.deps([]).state.alerts()).length;
      await run(bodies, w.deps([new JsonlNotifier(file)]), { years: [2024] });
      await run(bodies, w.deps([new JsonlNotifier(file)]), { years: [2024] });
      expect((await w.deps([]).state.alerts()).length).toBe(alertsAfterFirst);
      expect(sent(file)).toEqual(['opened m missing', 'opened n inconsistent T3-RESULTS', 'opened n inconsistent T3-ROW-TOTAL']);
    } finally {
      await w.fetcher.close();
      w.doc.destroy();
      await replica.close();
    }
  });

  it('adds DUPLICATE-REPORT, SOURCE-MISMATCH and ATTACHMENT-BROKEN findings as inconsistent alerts', async () => {
    const states = { trs: new ReplicaState(), trs2: new ReplicaState(), trs3: new ReplicaState() };
    states.trs.duplicate(2024);
    states.trs2.reports.get(2024)!.attachmentDiffers = true;
    const replica = await startReplica(new ReplicaState(), states);
    const w = await world('e2e-findings');
    const file = alertsFile();
    const bodies: Body[] = [
      trsBody(replica, 'trs', 'dup', '某某区人民政府'),
      trsBody(replica, 'trs2', 'mismatch', '某某县人民政府'),
      trsBody(replica, 'trs3', 'broken', '某某市人民政府'),
    ];
    try {
      // The third portal's PDF attachment disappears: its link fails.
      const trs3 = states.trs3.reports.get(2024)!;
      const { attachmentPaths } = await import('../../shared/demo/replica/pages.ts');
      const pdfPath = attachmentPaths(trs3).pdf;
      const origFetch = w.fetcher.fetch.bind(w.fetcher);
      const brokenPdf = `${replica.origin('trs3')}${pdfPath}`;
      w.fetcher.fetch = (req) => origFetch(req.url === brokenPdf ? { ...req, url: req.url.replace(/\.pdf$/, '-missing.pdf') } : req);
      await run(bodies, w.deps([new JsonlNotifier(file)]), { years: [2024] });
      expect(sent(file)).toEqual([
        'opened broken inconsistent ATTACHMENT-BROKEN',
        'opened dup inconsistent DUPLICATE-REPORT',
        'opened mismatch inconsistent SOURCE-MISMATCH',
      ]);
      const mismatch = (await w.deps([]).state.alerts()).find((a) => a.detail.startsWith('SOURCE-MISMATCH'))!;
      expect(mismatch.evidence.figures!.map((f) => f.cell)).toEqual(expect.arrayContaining(['table3.granted.natural_person']));
      // Each source keeps its own figures in the store.
      const sources = await w.store.reports('mismatch', 2024);
      expect(sources.length).toBe(2);
      // The figures that stand for a body-year across bodies (the export, the year pages, the API) are those of the
      // source its report was assessed by — the page — never the attachment or the other item read after it.
      const across = (await w.store.rowAcrossBodies(2024, 'table3.granted')).items;
      for (const id of ['dup', 'mismatch']) {
        const state = (await w.deps([]).state.getState(id, 2024))!;
        expect(state.mainSha256).toBe(state.reportSha256);
        expect(across.filter((r) => r.bodyId === id).map((r) => r.sha256)).toEqual([state.reportSha256]);
      }
      const granted = async (sha256: string) => (await w.store.rows('mismatch', 2024, sha256)).find((r) => r.row === 'table3.granted')!.values.natural_person;
      const page = (await w.deps([]).state.getState('mismatch', 2024))!.reportSha256!;
      const attachment = sources.find((s) => s.sha256 !== page)!.sha256;
      expect(await granted(attachment)).not.toBe(await granted(page));
      expect(across.find((r) => r.bodyId === 'mismatch')!.values.natural_person).toBe(await granted(page));
    } finally {
      await w.fetcher.close();
      w.doc.destroy();
      await replica.close();
    }
  });

  it('reads an attachment that is an OFD under a .doc link, and compares its figures with the page', async () => {
    const states = { trs: new ReplicaState(), trs2: new ReplicaState() };
    states.trs.reports.get(2024)!.attachmentOfd = true;
    Object.assign(states.trs2.reports.get(2024)!, { attachmentOfd: true, attachmentDiffers: true });
    const replica = await startReplica(new ReplicaState(), states);
    const w = await world('e2e-ofd');
    const file = alertsFile();
    const bodies: Body[] = [trsBody(replica, 'trs', 'same', '某某区人民政府'), trsBody(replica, 'trs2', 'differs', '某某县人民政府')];
    // The first body's list page is held until the second body is done: the digest still lists them as registered.
    let secondDone!: () => void;
    const held = new Promise<void>((resolve) => (secondDone = resolve));
    const origFetch = w.fetcher.fetch.bind(w.fetcher);
    w.fetcher.fetch = async (req) => {
      if (req.url === bodies[0]!.lists[0]) await held;
      return origFetch(req);
    };
    try {
      const digest = await run(bodies, w.deps([new JsonlNotifier(file)]), {
        years: [2024],
        onProgress: (p) => p.body.id === 'differs' && secondDone(),
      });
      expect(digest.results.map((r) => [r.bodyId, r.status])).toEqual([
        ['same', 'found'],
        ['differs', 'found'],
      ]);
      // The OFD's figures were read: the same as the page's (nothing raised), or not (SOURCE-MISMATCH, naming them).
      expect(sent(file)).toEqual(['opened differs inconsistent SOURCE-MISMATCH']);
      const mismatch = (await w.deps([]).state.alerts()).find((a) => a.detail.startsWith('SOURCE-MISMATCH'))!;
      expect(mismatch.evidence.figures!.map((f) => f.cell)).toEqual(expect.arrayContaining(['table3.granted.natural_person']));
      // Page and OFD are each a parsed source of the report, and the archive holds the OFD's exact bytes.
      expect((await w.store.reports('same', 2024)).length).toBe(2);
      const { attachmentPaths } = await import('../../shared/demo/replica/pages.ts');
      const docUrl = `${replica.origin('trs')}${attachmentPaths(states.trs.reports.get(2024)!).doc}`;
      const capture = (await w.store.byUrl(docUrl)).items[0]!;
      expect(sniffInput((await w.archive.get(capture.sha256!))!)).toBe('ofd');
    } finally {
      await w.fetcher.close();
      w.doc.destroy();
      await replica.close();
    }
  });

  it('a page that sends the reader to its attachment for tables 三 and 四: the attachment speaks for the report everywhere', async () => {
    const states = { trs: new ReplicaState() };
    states.trs.reports.get(2023)!.tablesInAttachment = true;
    states.trs.reports.get(2024)!.tablesInAttachment = true;
    const replica = await startReplica(new ReplicaState(), states);
    const w = await world('e2e-in-attachment');
    const file = alertsFile();
    try {
      const digest = await run([trsBody(replica, 'trs', 'att', '某某区人民政府')], w.deps([new JsonlNotifier(file)]), { years: [2023, 2024] });
      expect(digest.results.map((r) => [r.year, r.status])).toEqual([
        [2023, 'found'],
        [2024, 'found'],
      ]);
      // The page's own table 二 is no reason for an alert, nor are the tables it leaves to the attachment. The replica's
      // years are drawn apart, so 2024's 上年结转 differs from 2023's 结转下年度 where their figures differ: the cross-year
      // rule compares the two attachments (with the page read as last year's report it had no table 三 to compare).
      const carriedForward = states.trs.reports.get(2023)!.model.table3.rows.carried_forward!;
      const carriedOver = states.trs.reports.get(2024)!.model.table3.rows.carried_over!;
      const differing = carriedOver.filter((v, i) => v !== carriedForward[i]).length;
      expect(differing).toBeGreaterThan(0);
      expect(sent(file)).toEqual(Array.from({ length: differing }, () => 'opened att inconsistent CROSS-CARRY'));
      const { attachmentPaths } = await import('../../shared/demo/replica/pages.ts');
      const { currentSource } = await import('../../shared/archive/report-rows.ts');
      for (const year of [2023, 2024]) {
        const r = states.trs.reports.get(year)!;
        const doc = (await w.store.byUrl(`${replica.origin('trs')}${attachmentPaths(r).doc}`)).items[0]!;
        const state = (await w.deps([]).state.getState('att', year))!;
        const sources = await w.store.reports('att', year);
        // Both have figures and are kept; the page is the report's page, the attachment the source it was assessed by.
        expect(sources.map((x) => x.sha256).sort()).toEqual([state.reportSha256, doc.sha256].sort());
        expect(state.mainSha256).toBe(doc.sha256);
        expect(currentSource(sources, state)!.sha256).toBe(doc.sha256);
        const across = (await w.store.rowAcrossBodies(year, 'table3.received')).items.filter((x) => x.bodyId === 'att');
        expect(across.map((x) => [x.sha256, x.values.total])).toEqual([[doc.sha256, r.model.table3.rows.received![6]]]);
      }
      // The cross-year findings are stored with the source they were found on — the warnings too, which raise no
      // alert and were seen nowhere else (the replica's prose repeats from year to year: CROSS-SIMILAR).
      const main2024Sha = (await w.deps([]).state.getState('att', 2024))!.mainSha256;
      const main2024 = (await w.store.reports('att', 2024)).find((x) => x.sha256 === main2024Sha)!;
      const rules = (main2024.findings as { rule: string; severity: string }[]).filter((f) => f.rule.startsWith('CROSS-'));
      expect(rules.filter((f) => f.rule === 'CROSS-CARRY')).toHaveLength(differing);
      expect(rules).toContainEqual(expect.objectContaining({ rule: 'CROSS-SIMILAR', severity: 'warning' }));
    } finally {
      await w.fetcher.close();
      w.doc.destroy();
      await replica.close();
    }
  });

  it("last year's report posted under this year's title: REPORT-YEAR, with the page as evidence", async () => {
    const states = { trs: new ReplicaState() };
    states.trs.reports.get(2024)!.pageYear = 2023;
    const replica = await startReplica(new ReplicaState(), states);
    const w = await world('e2e-report-year');
    const file = alertsFile();
    try {
      await run([trsBody(replica, 'trs', 'wrong-year', '某某区人民政府')], w.deps([new JsonlNotifier(file)]), { years: [2024] });
      expect(sent(file)).toEqual(['opened wrong-year inconsistent REPORT-YEAR']);
      const alert = (await w.deps([]).state.alerts('open')).find((a) => a.bodyId === 'wrong-year')!;
      const state = (await w.deps([]).state.getState('wrong-year', 2024))!;
      expect(alert.evidence).toMatchObject({ sha256: state.reportSha256 });
    } finally {
      await w.fetcher.close();
      w.doc.destroy();
      await replica.close();
    }
  });

  it('a notice of a correction titled like an edition has no tables: the report beside it is read, and nothing is raised', async () => {
    const states = { trs: new ReplicaState() };
    const original = states.trs.reports.get(2024)!;
    const notice = states.trs.correct(2024, '2025-05-20', { notice: true })!;
    const replica = await startReplica(new ReplicaState(), states);
    const w = await world('e2e-correction-notice');
    const file = alertsFile();
    try {
      const digest = await run([trsBody(replica, 'trs', 'noticed', '某某区人民政府')], w.deps([new JsonlNotifier(file)]), { years: [2024] });
      expect(digest.results.map((r) => r.status)).toEqual(['found']);
      const { trsReportPath } = await import('../../shared/demo/replica/pages.ts');
      const state = (await w.deps([]).state.getState('noticed', 2024))!;
      expect(state).toMatchObject({ reportUrl: `${replica.origin('trs')}${trsReportPath(original)}`, pageDate: original.published });
      expect(state.mainSha256).toBe(state.reportSha256);
      // The original's figures stand for the report; the notice (its URL) is archived, not taken for it.
      const across = (await w.store.rowAcrossBodies(2024, 'table3.granted')).items.find((x) => x.bodyId === 'noticed')!;
      expect([across.sha256, across.values.total]).toEqual([state.mainSha256, original.model.table3.rows.granted![6]]);
      expect((await w.store.byUrl(`${replica.origin('trs')}${trsReportPath(notice)}`)).items).toHaveLength(1);
      expect(existsSync(file) ? sent(file) : []).toEqual([]);
    } finally {
      await w.fetcher.close();
      w.doc.destroy();
      await replica.close();
    }
  });

  it("a government's report silent on its assessment results: a warning stored with it, no alert; a department's, nothing", async () => {
    const states = { trs: new ReplicaState([2024]), trs2: new ReplicaState([2024]) };
    states.trs.reports.get(2024)!.noAssessment = true;
    states.trs2.reports.get(2024)!.noAssessment = true;
    const replica = await startReplica(new ReplicaState(), states);
    const w = await world('e2e-assessment');
    const file = alertsFile();
    try {
      const bodies: Body[] = [trsBody(replica, 'trs', 'gov', '某某区人民政府'), { ...trsBody(replica, 'trs2', 'dept', '某某区教育局'), level: 'department' }];
      await run(bodies, w.deps([new JsonlNotifier(file)]), { years: [2024] });
      const stored = async (id: string) => {
        const main = (await w.deps([]).state.getState(id, 2024))!.mainSha256;
        const source = (await w.store.reports(id, 2024)).find((x) => x.sha256 === main)!;
        return (source.findings as { rule: string; severity: string }[]).filter((f) => f.rule === 'ASSESSMENT-RESULTS');
      };
      expect(await stored('gov')).toMatchObject([{ severity: 'warning', zh: '未说明工作考核、社会评议、责任追究结果情况' }]);
      expect(await stored('dept')).toEqual([]);
      // The state counts the findings by rule (the year's pages list bodies by rule from it).
      expect((await w.deps([]).state.getState('gov', 2024))!.findings).toMatchObject({ 'ASSESSMENT-RESULTS': 1 });
      expect((await w.deps([]).state.getState('dept', 2024))!.findings?.['ASSESSMENT-RESULTS']).toBeUndefined();
      expect(existsSync(file) ? sent(file) : []).toEqual([]);
    } finally {
      await w.fetcher.close();
      w.doc.destroy();
      await replica.close();
    }
  });

  it("what the prose says of last year is held to last year's report: a wrong change is a warning stored with the source, no alert", async () => {
    const states = { trs: new ReplicaState([2023, 2024]), trs2: new ReplicaState([2023, 2024]) };
    const lastYear = (st: ReplicaState) => st.reports.get(2023)!.model.table3.rows.received![6]!;
    states.trs.reports.get(2024)!.lastYearReceived = lastYear(states.trs);
    states.trs2.reports.get(2024)!.lastYearReceived = lastYear(states.trs2) + 7;
    const replica = await startReplica(new ReplicaState(), states);
    const w = await world('e2e-cross-prose');
    const file = alertsFile();
    try {
      await run([trsBody(replica, 'trs', 'true', '某某区人民政府'), trsBody(replica, 'trs2', 'wrong', '某某县人民政府')], w.deps([new JsonlNotifier(file)]), {
        years: [2023, 2024],
      });
      const stored = async (id: string) => {
        const main = (await w.deps([]).state.getState(id, 2024))!.mainSha256;
        const source = (await w.store.reports(id, 2024)).find((x) => x.sha256 === main)!;
        return (source.findings as { rule: string }[]).filter((f) => f.rule === 'CROSS-PROSE');
      };
      expect(await stored('true')).toEqual([]);
      // The sentence states this year's figure, so the change is held against last year's table alone.
      const change = states.trs2.reports.get(2024)!.model.table3.rows.received![6]! - lastYear(states.trs2);
      expect(await stored('wrong')).toMatchObject([
        {
          severity: 'warning',
          expected: change,
          actual: change - 7,
          cells: ['previous.table3.received.total'],
          zh: expect.stringContaining(`上年报告为${lastYear(states.trs2)}`),
        },
      ]);
      expect((existsSync(file) ? sent(file) : []).filter((a) => JSON.stringify(a).includes('CROSS-PROSE'))).toEqual([]);
    } finally {
      await w.fetcher.close();
      w.doc.destroy();
      await replica.close();
    }
  });

  it("a department's report of 2018 was due by 31 March (2007 条例 第三十一条); of 2019, by 31 January (第四十九条)", async () => {
    const states = { trs: new ReplicaState([]) };
    states.trs.publish(2018, '2019-03-15');
    states.trs.publish(2019, '2020-03-15');
    const replica = await startReplica(new ReplicaState(), states);
    const w = await world('e2e-old-rules');
    try {
      const body: Body = { ...trsBody(replica, 'trs', 'dept', '某某区教育局'), level: 'department' };
      const digest = await run([body], w.deps([]), { years: [2018, 2019] });
      expect(digest.results.map((r) => [r.year, r.status])).toEqual([
        [2018, 'found'],
        [2019, 'late'],
      ]);
      expect((await w.deps([]).state.getState('dept', 2018))!.deadline).toBe('03-31');
    } finally {
      await w.fetcher.close();
      w.doc.destroy();
      await replica.close();
    }
  });

  it('the daily deadline check turns a pending report into missing without crawling', async () => {
    const replica = await startReplica(new ReplicaState(), { trs: new ReplicaState([2022, 2023]) });
    const w = await world('e2e-deadlines', Date.UTC(2025, 2, 1, 2, 0, 0)); // 2025-03-01: before the 31 March deadline
    const bodies: Body[] = [trsBody(replica, 'trs', 'p', '某某区人民政府')];
    try {
      const first = await run(bodies, w.deps([]), { years: [2024] });
      expect(first.results[0]!.status).toBe('pending');
      await w.clock.sleep(32 * 86_400_000); // 2 April
      const { checkDeadlines } = await import('../../shared/pipeline.ts');
      const checked = await checkDeadlines(bodies, w.deps([]), { years: [2024] });
      expect(checked).toMatchObject([{ bodyId: 'p', status: 'missing', alertsChanged: 1 }]);
      expect((await w.deps([]).state.alerts('open')).map((a) => a.kind)).toEqual(['missing']);
    } finally {
      await w.fetcher.close();
      w.doc.destroy();
      await replica.close();
    }
  });

  it('an internal error (the store failing) is an `error` of that body — never unreachable, never an alert — and the others go on', async () => {
    const replica = await startReplica(new ReplicaState(), { trs: new ReplicaState(), trs2: new ReplicaState() });
    const w = await world('e2e-errors');
    const bodies: Body[] = [trsBody(replica, 'trs', 'broken-store', '某某区人民政府'), trsBody(replica, 'trs2', 'fine', '某某县人民政府')];
    try {
      const deps = w.deps([]);
      const state = deps.state;
      deps.state = new Proxy(state, {
        get: (t, p) =>
          p === 'putState'
            ? async (s: { bodyId: string }) =>
                s.bodyId === 'broken-store' ? Promise.reject(new Error('ProvisionedThroughputExceededException')) : t.putState(s as never)
            : (Reflect.get(t, p) as (...a: unknown[]) => unknown).bind(t),
      });
      const digest = await run(bodies, deps, { years: [2024] });
      expect(digest.errors).toEqual([{ bodyId: 'broken-store', error: 'ProvisionedThroughputExceededException' }]);
      expect(digest.results.find((r) => r.bodyId === 'broken-store')).toMatchObject({ status: 'error', outcome: 'error' });
      expect(digest.results.find((r) => r.bodyId === 'fine')).toMatchObject({ status: 'found', outcome: 'crawled' });
      expect((await state.alerts()).filter((a) => a.bodyId === 'broken-store' && a.kind === 'unreachable')).toEqual([]);
      expect(await state.getState('broken-store', 2024)).toBeNull();
    } finally {
      await w.fetcher.close();
      w.doc.destroy();
      await replica.close();
    }
  });

  it('a corrected edition posted in place of the report: compared with what it replaced, read, and never made late', async () => {
    const states = { trs: new ReplicaState(), trs2: new ReplicaState() };
    const replica = await startReplica(new ReplicaState(), states);
    const w = await world('e2e-correction');
    const file = alertsFile();
    const bodies = [trsBody(replica, 'trs', 'fixed', '某某区人民政府'), trsBody(replica, 'trs2', 'moved', '某某县人民政府')];
    try {
      await run(bodies, w.deps([new JsonlNotifier(file)]), { years: [2024] });
      const original = states.trs.reports.get(2024)!;
      const first = (await w.deps([]).state.getState('fixed', 2024))!;
      expect(first).toMatchObject({ status: 'found', pageDate: original.published });
      // After the deadline (31 March), 某某区 swaps its report for a corrected edition at a new URL; 某某县's portal moves
      // to a new CMS, which posts the same report again under a new URL with the migration's date.
      const corrected = states.trs.correct(2024, '2025-06-10', { replace: true })!;
      const reposted = states.trs2.repost(2024, '2025-06-10')!;
      await w.clock.sleep(11 * 86_400_000);
      const digest = await run(bodies, w.deps([new JsonlNotifier(file)]), { years: [2024] });
      // Published on 2025-01-24 both times: a later edition does not make the report late (条例 第四十九条).
      expect(digest.results.map((r) => [r.bodyId, r.status])).toEqual([
        ['fixed', 'found'],
        ['moved', 'found'],
      ]);
      const { trsReportPath } = await import('../../shared/demo/replica/pages.ts');
      for (const [id, r] of [
        ['fixed', corrected],
        ['moved', reposted],
      ] as const) {
        const state = (await w.deps([]).state.getState(id, 2024))!;
        expect(state).toMatchObject({
          status: 'found',
          pageDate: original.published,
          reportUrl: `${replica.origin(id === 'fixed' ? 'trs' : 'trs2')}${trsReportPath(r)}`,
        });
      }
      expect(sent(file)).toEqual(['opened fixed changed', 'opened moved changed']);
      const changed = (await w.deps([]).state.alerts('open')).filter((a) => a.kind === 'changed');
      const fixed = changed.find((a) => a.bodyId === 'fixed')!;
      // The figures the correction changed, old → new, with both addresses.
      expect(fixed.evidence.previousUrl).toBe(`${replica.origin('trs')}${trsReportPath(original)}`);
      expect(fixed.evidence.figures).toEqual(
        expect.arrayContaining([
          { cell: 'table3.granted.natural_person', old: original.model.table3.rows.granted![0], new: corrected.model.table3.rows.granted![0] },
        ]),
      );
      expect(fixed.summaryEn).toMatch(/\(6 figures, title, date, address\)$/);
      expect(fixed.evidence.title).toEqual({
        old: '某某区人民政府2024年政府信息公开工作年度报告',
        new: '某某区人民政府2024年政府信息公开工作年度报告(更正版)',
      });
      // The re-posted report says the same: only its date and its address changed.
      const moved = changed.find((a) => a.bodyId === 'moved')!;
      expect(moved.evidence.figures).toEqual([]);
      expect(moved.evidence.published).toEqual({ old: original.published, new: '2025-06-10' });
      expect(moved.summaryEn).toMatch(/\(date, address\)$/);
      // The corrected figures are the ones that stand for the report.
      const across = (await w.store.rowAcrossBodies(2024, 'table3.granted')).items.find((x) => x.bodyId === 'fixed')!;
      expect(across.values.natural_person).toBe(corrected.model.table3.rows.granted![0]);
      // A third crawl: nothing new, nothing sent again.
      await run(bodies, w.deps([new JsonlNotifier(file)]), { years: [2024] });
      expect(sent(file)).toHaveLength(2);
    } finally {
      await w.fetcher.close();
      w.doc.destroy();
      await replica.close();
    }
  });

  it("a corrected edition listed beside the original at the first crawl: the correction is read, the date is the original's", async () => {
    const states = { trs: new ReplicaState() };
    const original = states.trs.reports.get(2024)!;
    const corrected = states.trs.correct(2024, '2025-05-20')!;
    const replica = await startReplica(new ReplicaState(), states);
    const w = await world('e2e-correction-beside');
    const file = alertsFile();
    try {
      const digest = await run([trsBody(replica, 'trs', 'both', '某某区人民政府')], w.deps([new JsonlNotifier(file)]), { years: [2024] });
      expect(digest.results.map((r) => r.status)).toEqual(['found']);
      const { trsReportPath } = await import('../../shared/demo/replica/pages.ts');
      const state = (await w.deps([]).state.getState('both', 2024))!;
      expect(state).toMatchObject({ pageDate: original.published, reportUrl: `${replica.origin('trs')}${trsReportPath(corrected)}` });
      // The two editions' figures differ, and the column still shows both: said, once, as a correction.
      expect(sent(file)).toEqual(['opened both inconsistent DUPLICATE-REPORT']);
      const duplicate = (await w.deps([]).state.alerts('open')).find((a) => a.bodyId === 'both')!;
      expect(duplicate.summaryEn).toBe('某某区人民政府: the corrected edition of the 2024 report differs from the original, and the column still lists both');
      const across = (await w.store.rowAcrossBodies(2024, 'table3.granted')).items.find((x) => x.bodyId === 'both')!;
      expect([across.sha256, across.values.natural_person]).toEqual([state.mainSha256, corrected.model.table3.rows.granted![0]]);
      // The original is taken down: the report's date is still the original's, and the two editions no longer disagree
      // in the column.
      states.trs.remove(2024);
      await w.clock.sleep(86_400_000);
      await run([trsBody(replica, 'trs', 'both', '某某区人民政府')], w.deps([new JsonlNotifier(file)]), { years: [2024] });
      expect((await w.deps([]).state.getState('both', 2024))!).toMatchObject({ status: 'found', pageDate: original.published });
      expect(sent(file)).toEqual(['opened both inconsistent DUPLICATE-REPORT', 'resolved both inconsistent DUPLICATE-REPORT']);
    } finally {
      await w.fetcher.close();
      w.doc.destroy();
      await replica.close();
    }
  });

  it('a `changed` alert raised by byte comparison (before content comparison) resolves on the next crawl', async () => {
    const replica = await startReplica(new ReplicaState(), { trs: new ReplicaState() });
    const w = await world('e2e-stale-changed');
    const bodies: Body[] = [trsBody(replica, 'trs', 'stale', '某某区人民政府')];
    try {
      const { reconcileAlerts } = await import('../../shared/alerts/decide.ts');
      await reconcileAlerts(
        w.deps([]).state,
        { bodyId: 'stale', bodyName: '某某区人民政府', year: 2024 },
        [{ kind: 'changed', detail: 'f'.repeat(64), summaryZh: '发布后被修改', summaryEn: 'changed', evidence: { figures: [] } }],
        [],
        '2025-05-01T00:00:00.000Z',
      );
      await run(bodies, w.deps([]), { years: [2024] });
      const stale = (await w.deps([]).state.alerts()).find((a) => a.kind === 'changed')!;
      expect(stale).toMatchObject({ state: 'resolved' });
    } finally {
      await w.fetcher.close();
      w.doc.destroy();
      await replica.close();
    }
  });

  it('a report read with gaps raises an `unread` alert of its own, sets the flag, and resolves when it reads whole', async () => {
    const states = { trs: new ReplicaState() };
    states.trs.garble(2024);
    const replica = await startReplica(new ReplicaState(), states);
    const w = await world('e2e-unread');
    const bodies: Body[] = [trsBody(replica, 'trs', 'gaps', '某某区人民政府')];
    try {
      const first = await run(bodies, w.deps([]), { years: [2024] });
      expect(first.results[0]).toMatchObject({ status: 'found', readWithGaps: 2 });
      const open = (await w.deps([]).state.alerts('open')).filter((a) => a.bodyId === 'gaps');
      expect(open.map((a) => `${a.kind} ${a.detail}`)).toEqual(['unread CELL-UNREAD']);
      expect(open[0]!.evidence.cells).toEqual(['table3.granted.natural_person', 'table3.granted.commercial']);
      expect(open[0]!.summaryZh).toContain('2个数字未能读取');
      // No arithmetic alert is raised on what could not be read.
      expect(open.some((a) => a.kind === 'inconsistent')).toBe(false);
      expect((await w.deps([]).state.getState('gaps', 2024))!.unreadCells).toBe(2);
      await w.clock.sleep(86_400_000);
      states.trs.garble(2024, false);
      await run(bodies, w.deps([]), { years: [2024] });
      expect((await w.deps([]).state.alerts()).find((a) => a.bodyId === 'gaps' && a.kind === 'unread')!.state).toBe('resolved');
      expect((await w.deps([]).state.getState('gaps', 2024))!.unreadCells).toBe(0);
    } finally {
      await w.fetcher.close();
      w.doc.destroy();
      await replica.close();
    }
  });
});
