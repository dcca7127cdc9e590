/**
 * Reading ahead (shared/pipeline/read-ahead.ts) on the replica portals: a body's report pages are all handed to the
 * parser before its first year is assessed, each is read once, and the crawl ends in the same statuses, alerts and
 * stored figures as when each page is read only when its year comes.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inThisThread, type ReportParser } from '../../shared/check.ts';
import { HttpFetcher } from '../../shared/crawl/fetcher.ts';
import type { Body } from '../../shared/crawl/registry.ts';
import { startReplica } from '../../shared/demo/replica/server.ts';
import { ReplicaState } from '../../shared/demo/replica/state.ts';
import { run } from '../../shared/pipeline.ts';
import { readAhead } from '../../shared/pipeline/read-ahead.ts';
import { UnreadableInputError } from '../../shared/report/errors.ts';
import type { ParseOptions } from '../../shared/report/parse.ts';
import { openLocalStore } from '../../shared/store/local.ts';
import { ManualClock } from '../helpers/clock.ts';
import { watchdogView } from '../helpers/watchdog-view.ts';

beforeAll(() => {
  process.env.NIANBAO_ALLOW_PRIVATE_NETWORK = '1'; // the replica portals are on loopback
});
afterAll(() => {
  delete process.env.NIANBAO_ALLOW_PRIVATE_NETWORK;
});

const YEARS = [2021, 2022, 2023, 2024];

/**
 * A parser that answers on a later turn of the event loop, as a parse thread does, and records what it was asked:
 * every reading, and the most readings waiting at once.
 */
function threadLike() {
  const asked: string[] = [];
  let waiting = 0;
  let most = 0;
  const parser: ReportParser = {
    async parse(bytes: Uint8Array, opts?: ParseOptions) {
      asked.push(`${opts?.year} ${opts?.name}`);
      most = Math.max(most, ++waiting);
      try {
        await new Promise((r) => setTimeout(r, 5));
        return await inThisThread.parse(bytes, opts);
      } finally {
        waiting--;
      }
    },
  };
  return { parser, asked, most: () => most };
}

/** One crawl of `years` of the replica's TRS portal with `parser`; what a watchdog sees after it. */
async function crawl(parser: ReportParser) {
  const replica = await startReplica(new ReplicaState(), { trs: new ReplicaState(YEARS) });
  const home = mkdtempSync(join(tmpdir(), 'nianbao-ahead-'));
  const store = await openLocalStore(home);
  const clock = new ManualClock(Date.UTC(2025, 5, 1, 2, 0, 0));
  const fetcher = new HttpFetcher({ clock, minDelayMs: 0, retries: 0, timeoutMs: 5000 });
  const body: Body = { id: 'p', name: '某某区人民政府', level: 'government', lists: [`${replica.origin('trs')}/zfxxgknb/index.html`] };
  try {
    const digest = await run(
      [body],
      { fetcher, archive: store.archive, captures: store.store, reports: store.store, state: store.state, parser, notifiers: [], clock },
      { years: YEARS },
    );
    return await watchdogView(store, digest, ['p'], YEARS);
  } finally {
    await fetcher.close();
    await store.close();
    await replica.close();
  }
}

describe('reading a body’s report pages ahead', () => {
  it('hands every year’s page to the parser before the first year is assessed, reads each once, and changes no outcome', async () => {
    const ahead = threadLike();
    const withAhead = await crawl(ahead.parser);
    // All four pages were waiting at once: the parse threads had the body's next years queued while the main thread
    // assessed the first. Without reading ahead a body waits for one page at a time (at most 1).
    expect(ahead.most()).toBeGreaterThanOrEqual(YEARS.length);
    // The four report pages come first, every year's; then each year's attachments (a PDF and a DOC), fetched when
    // the year is assessed. Nothing is read twice.
    const pages = ahead.asked.slice(0, YEARS.length);
    expect(pages.every((a) => a.endsWith('.html'))).toBe(true);
    expect(pages.map((a) => Number(a.split(' ')[0])).sort()).toEqual(YEARS);
    expect(ahead.asked).toHaveLength(YEARS.length * 3);
    expect(new Set(ahead.asked).size).toBe(ahead.asked.length);

    // The same crawl, each page read as its year comes (the parser in this thread, called directly).
    const oneByOne = await crawl(inThisThread);
    expect(withAhead.results).toEqual(oneByOne.results);
    expect(withAhead.alerts).toEqual(oneByOne.alerts);
    expect(withAhead.rows).toEqual(oneByOne.rows);
    expect(withAhead.rows.length).toBeGreaterThan(YEARS.length * 20);
  });
});

describe('readAhead', () => {
  const page = (year: number) => Buffer.from(`<html><body><p>${year}年政府信息公开工作年度报告</p></body></html>`);
  const counting = () => {
    const calls: (number | undefined)[] = [];
    const parser: ReportParser = {
      parse: (b, o) => {
        calls.push(o?.year);
        return inThisThread.parse(b, o);
      },
    };
    return { parser, calls };
  };

  it('hands a reading out once, and only to the same bytes, name, Content-Type and year', async () => {
    const { parser, calls } = counting();
    const r = readAhead(parser);
    const opts = { name: 'a.html', contentType: 'text/html', year: 2024, sha256: 'a'.repeat(64) };
    r.ahead(page(2024), opts);
    r.ahead(page(2024), opts); // started once
    expect(calls).toEqual([2024]);
    const first = await r.parse(page(2024), opts);
    expect(calls).toEqual([2024]);
    // Taken: the next call reads again (the crawl mutates the report it took: findings are pushed onto it).
    const again = await r.parse(page(2024), opts);
    expect(calls).toEqual([2024, 2024]);
    expect(again).not.toBe(first);
    r.ahead(page(2024), opts);
    for (const other of [
      { ...opts, year: 2023 },
      { ...opts, name: 'b.html' },
      { ...opts, contentType: 'text/plain' },
      { ...opts, sha256: undefined },
    ])
      await r.parse(page(2024), other);
    expect(calls).toHaveLength(7);
  });

  it('a document that cannot be read fails whoever takes it, and nothing when nobody does', async () => {
    const failing: ReportParser = { parse: async () => Promise.reject(new UnreadableInputError('x.pdf', { en: 'not a PDF', zh: '不是PDF' })) };
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const r = readAhead(failing);
      r.ahead(page(2024), { name: 'x.pdf', year: 2024, sha256: 'b'.repeat(64) });
      r.ahead(page(2023), { name: 'y.pdf', year: 2023, sha256: 'c'.repeat(64) }); // never taken
      await expect(r.parse(page(2024), { name: 'x.pdf', year: 2024, sha256: 'b'.repeat(64) })).rejects.toThrow(UnreadableInputError);
      await new Promise((res) => setTimeout(res, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
