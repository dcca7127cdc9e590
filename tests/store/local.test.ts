/** The local home: dynalite persisted to <home>/db, shared through <home>/store.json, stale files replaced. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { archiveFetch } from '../../shared/archive/capture.ts';
import type { FetchResult } from '../../shared/crawl/fetcher.ts';
import { openLocalStore } from '../../shared/store/local.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

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

describe('openLocalStore', () => {
  it('starts the table server, shares it through store.json, and keeps the data after a restart', async () => {
    const home = mkdtempSync(join(tmpdir(), 'nianbao-home-'));
    const first = await openLocalStore(home);
    expect(first.serving).toBe(true);
    const info = JSON.parse(readFileSync(join(home, 'store.json'), 'utf8'));
    expect(info).toEqual({ endpoint: first.endpoint, pid: process.pid });
    const second = await openLocalStore(home);
    expect(second.serving).toBe(false);
    expect(second.endpoint).toBe(first.endpoint);
    const rec = await archiveFetch(page('<p>persisted</p>'), { archive: first.archive, log: first.store });
    expect((await second.store.get(rec.id))!.sha256).toBe(rec.sha256);
    await second.close();
    await first.close();
    expect(existsSync(join(home, 'store.json'))).toBe(false);
    const again = await openLocalStore(home);
    expect(again.serving).toBe(true);
    expect((await again.store.get(rec.id))!.url).toBe(rec.url);
    expect(Buffer.from((await again.archive.get(rec.sha256!))!).toString()).toBe('<p>persisted</p>');
    await again.close();
  });

  it('replaces a stale store.json (its process is gone)', async () => {
    const home = mkdtempSync(join(tmpdir(), 'nianbao-home-'));
    writeFileSync(join(home, 'store.json'), JSON.stringify({ endpoint: 'http://127.0.0.1:9', pid: 999_999 }));
    const s = await openLocalStore(home);
    expect(s.serving).toBe(true);
    expect(s.endpoint).not.toBe('http://127.0.0.1:9');
    await s.close();
  });

  it('lets a second process use the store while the first one runs', async () => {
    const home = mkdtempSync(join(tmpdir(), 'nianbao-home-'));
    const owner = await openLocalStore(home);
    const rec = await archiveFetch(page('<p>shared</p>'), { archive: owner.archive, log: owner.store }, { bodyId: 'b1', year: 2024 });
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'nianbao.js');
    const out = await new Promise<string>((resolve, reject) => {
      const p = spawn(process.execPath, [bin, '--home', home, '--json', 'captures', 'b1', '--year', '2024'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let s = '';
      p.stdout.on('data', (d) => (s += d));
      p.on('close', (code) => (code === 0 ? resolve(s) : reject(new Error(`exit ${code}`))));
    });
    expect(JSON.parse(out).map((c: { id: string }) => c.id)).toEqual([rec.id]);
    expect(JSON.parse(readFileSync(join(home, 'store.json'), 'utf8')).pid).toBe(process.pid);
    await owner.close();
  });
});
