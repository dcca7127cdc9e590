/** The local home: an embedded SQLite database shared by processes, persistent, nothing to start; old homes named. */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { archiveFetch } from '../../shared/archive/capture.ts';
import type { FetchResult } from '../../shared/crawl/fetcher.ts';
import { toStored } from '../../shared/archive/report-rows.ts';
import { randomModel } from '../../shared/demo/generate.ts';
import { render } from '../../shared/demo/render.ts';
import { parseReportBytes } from '../../shared/check.ts';
import { DynamoStore } from '../../shared/store/dynamo.ts';
import { documentClient, ensureTable } from '../../shared/store/dynamo-client.ts';
import { FsArchiveStore } from '../../shared/store/fs-archive.ts';
import { LegacyStoreError, openLocalStore } from '../../shared/store/local.ts';
import { DynamoStateStore } from '../../shared/store/state.ts';
import dynalite from 'dynalite';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'nianbao.js');

const page = (body: string): FetchResult => ({
  url: 'http://www.example.gov.cn/a.html',
  finalUrl: 'http://www.example.gov.cn/a.html',
  redirects: [],
  method: 'GET',
  status: 200,
  outcome: 'ok',
  requestHeaders: {},
  responseHeaders: { 'content-type': 'text/html' },
  body: Buffer.from(body),
  contentType: 'text/html',
  text: body,
  startedAt: new Date().toISOString(),
  ms: 1,
  attempts: 1,
  via: 'static',
});

function nianbao(home: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, '--home', home, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('openLocalStore', () => {
  it('a fresh home works on its first command and keeps its data after a reopen', async () => {
    const home = mkdtempSync(join(tmpdir(), 'nianbao-home-'));
    const first = await openLocalStore(home);
    const rec = await archiveFetch(page('<p>persisted</p>'), { archive: first.archive, log: first.store });
    await first.close();
    const again = await openLocalStore(home);
    expect((await again.store.get(rec.id))!.url).toBe(rec.url);
    expect(Buffer.from((await again.archive.get(rec.sha256!))!).toString()).toBe('<p>persisted</p>');
    await again.close();
  });

  it('several processes use one home at once, each on its own (nothing to start, nothing left running)', async () => {
    const home = mkdtempSync(join(tmpdir(), 'nianbao-home-'));
    const owner = await openLocalStore(home);
    const rec = await archiveFetch(page('<p>shared</p>'), { archive: owner.archive, log: owner.store }, { bodyId: 'b1', year: 2024 });
    const [a, b] = await Promise.all([
      nianbao(home, '--json', 'captures', 'b1', '--year', '2024'),
      nianbao(home, '--json', 'captures', 'b1', '--year', '2024'),
    ]);
    for (const r of [a, b]) {
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).map((c: { id: string }) => c.id)).toEqual([rec.id]);
    }
    // The first process goes away; the others are not affected (no server owned by it).
    await owner.close();
    expect((await nianbao(home, '--json', 'captures', 'b1', '--year', '2024')).code).toBe(0);
  });

  it('a home of nianbao before 0.2 (dynalite in db/) is not read as empty: it says how to convert it', async () => {
    const home = mkdtempSync(join(tmpdir(), 'nianbao-home-'));
    mkdirSync(join(home, 'db'));
    await expect(openLocalStore(home)).rejects.toThrow(LegacyStoreError);
    const r = await nianbao(home, 'status');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('store migrate');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('`store migrate` converts an old home: captures, figures, states and alerts come along; the old folder is kept', async () => {
    const home = mkdtempSync(join(tmpdir(), 'nianbao-home-'));
    // An old home, written by the DynamoDB adapter into dynalite persisted at <home>/db (as nianbao 0.1 did).
    const server = dynalite({ path: join(home, 'db'), createTableMs: 0 });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const doc = documentClient(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
    await ensureTable(doc);
    const archive = new FsArchiveStore(join(home, 'archive'));
    const old = new DynamoStore(doc, archive);
    const rec = await archiveFetch(page('<p>old capture</p>'), { archive, log: old }, { bodyId: 'b1', year: 2024 });
    const m = randomModel(3);
    const parsed = toStored(parseReportBytes(render(m, 'html')), {
      bodyId: 'b1',
      sha256: rec.sha256!,
      url: rec.url,
      year: m.year,
      parsedAt: '2025-02-01T00:00:00.000Z',
    });
    await old.putParsed(parsed.report, parsed.rows);
    const state = new DynamoStateStore(doc);
    await state.putState({
      bodyId: 'b1',
      year: 2024,
      status: 'found',
      missedAt: [],
      consecutiveFailures: 0,
      deadline: '03-31',
      updatedAt: '2025-02-01T00:00:00.000Z',
    });
    await state.saveAlert({
      id: 'a-old',
      bodyId: 'b1',
      bodyName: '甲区',
      year: 2024,
      kind: 'late',
      detail: 'late',
      state: 'open',
      summaryZh: '迟发',
      summaryEn: 'late',
      evidence: {},
      openedAt: '2025-02-01T00:00:00.000Z',
      sent: { opened: ['console'], resolved: [] },
      version: 0,
    });
    doc.destroy();
    await new Promise<void>((r) => server.close(() => r()));

    const r = await nianbao(home, '--json', 'store', 'migrate');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ captures: 1, reports: 1, rows: parsed.rows.length, states: 1, alerts: 1 });
    const s = await openLocalStore(home);
    expect((await s.store.get(rec.id))!.sha256).toBe(rec.sha256);
    expect(await s.store.rows('b1', m.year, rec.sha256!)).toHaveLength(parsed.rows.length);
    expect((await s.store.rowAcrossBodies(m.year, 'table3.received')).items.map((x) => x.bodyId)).toEqual(['b1']);
    expect(await s.state.getState('b1', 2024)).toMatchObject({ status: 'found' });
    expect((await s.state.getAlert('a-old'))!).toMatchObject({ state: 'open', sent: { opened: ['console'] } });
    await s.close();
    expect((await nianbao(home, '--json', 'store', 'migrate')).code).toBe(2); // once only
  });
});
