/**
 * Reports already read are not read again (parse-cache.ts, sqlite-parsed.ts): the same document under the same
 * options gives the report kept in the home, exactly as a new reading would; anything else is read.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inThisThread, type ReportParser } from '../../shared/check.ts';
import { cachedParser, PARSER_TAG, parseKey } from '../../shared/parse-cache.ts';
import { UnreadableInputError } from '../../shared/report/errors.ts';
import type { ParseOptions } from '../../shared/report/parse.ts';
import { openLocalStore, type LocalStore } from '../../shared/store/local.ts';
import type { Db } from '../../shared/store/sqlite-db.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const page = readFileSync(join(FIXTURES, '01-shanghai-szfbgt-2019.html'));

/** The parser of this thread, counting the documents it is given. */
function counting(): ReportParser & { calls: number } {
  const p = {
    calls: 0,
    parse: (bytes: Uint8Array, opts?: ParseOptions) => {
      p.calls++;
      return inThisThread.parse(bytes, opts);
    },
  };
  return p;
}

let home: string;
let store: LocalStore;
beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'nianbao-parsed-'));
  store = await openLocalStore(home);
});
afterEach(() => store.close());

/** The store's database, to damage an entry as a disk would. */
const dbOf = (s: LocalStore) => (s.store as unknown as { db: Db }).db;

describe('the parsed-report cache', () => {
  it('reads a document once: the same bytes and options give the kept report, equal to a new reading', async () => {
    const inner = counting();
    const parser = cachedParser(inner, store.parsed);
    const opts = { name: 'https://www.shanghai.gov.cn/nb2019.html', contentType: 'text/html; charset=utf-8', year: 2019 };
    const first = await parser.parse(page, opts);
    const second = await parser.parse(page, opts);
    expect(inner.calls).toBe(1);
    expect(parser.counts).toEqual({ read: 1, kept: 1, cacheErrors: 0 });
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    // What was kept is the report as read, not as its reader changed it afterwards.
    first.findings.length = 0;
    expect((await parser.parse(page, opts)).findings.length).toBeGreaterThan(0);
    // Kept in the home: another run (another store opened on it) reads nothing.
    await parser.settle();
    await store.close();
    store = await openLocalStore(home);
    const later = counting();
    expect(await cachedParser(later, store.parsed).parse(page, opts)).toEqual(second);
    expect(later.calls).toBe(0);
  });

  it('reads again what differs: the bytes, the name, the Content-Type, the year; and a caller’s own limits are not cached', async () => {
    const inner = counting();
    const parser = cachedParser(inner, store.parsed);
    const opts = { name: 'a.html', contentType: 'text/html', year: 2019 };
    await parser.parse(page, opts);
    const edited = Buffer.from(page.toString('utf8').replace('859', '860'));
    await parser.parse(edited, opts);
    await parser.parse(page, { ...opts, name: 'b.html' });
    await parser.parse(page, { ...opts, contentType: 'text/html; charset=gbk' });
    await parser.parse(page, { ...opts, year: 2020 });
    expect(inner.calls).toBe(5);
    const limits = { ...(await import('../../shared/report/limits.ts')).DEFAULT_LIMITS };
    await parser.parse(page, { ...opts, limits });
    await parser.parse(page, { ...opts, limits });
    expect(inner.calls).toBe(7);
    // The archive's sha256, when given, stands for hashing the bytes: the same key.
    const sha = (await import('node:crypto')).createHash('sha256').update(page).digest('hex');
    expect(parseKey(page, { ...opts, sha256: sha })).toBe(parseKey(page, opts));
    expect(parseKey(page, opts, 'parser-0.0.0+nianbao-0.0.0')).not.toBe(parseKey(page, opts));
  });

  it('never keeps input it could not read: it is read, and refused, each time', async () => {
    const inner = counting();
    const parser = cachedParser(inner, store.parsed);
    const zip = Buffer.from('PK\u0003\u0004 not really a zip');
    for (let i = 0; i < 2; i++) await expect(parser.parse(zip, { name: 'broken.docx' })).rejects.toBeInstanceOf(UnreadableInputError);
    expect(inner.calls).toBe(2);
    await parser.settle();
    expect(await store.parsed.count()).toBe(0);
  });

  it('a damaged entry is a miss, counted: the document is read again and the entry written anew', async () => {
    const inner = counting();
    const parser = cachedParser(inner, store.parsed);
    const report = await parser.parse(page, { name: 'p.html' });
    await parser.settle(); // kept in the table
    dbOf(store).prepare("UPDATE parsed SET data = x'1f8b0800000000000003'").run(); // a gzip header and nothing else
    expect(await parser.parse(page, { name: 'p.html' })).toEqual(report);
    expect(store.parsed.damaged).toBe(1);
    expect(await parser.parse(page, { name: 'p.html' })).toEqual(report);
    expect(inner.calls).toBe(2);
  });

  it('a cache whose store fails is counted with the store’s error, never thrown as the document’s problem', async () => {
    const failing = { get: async () => Promise.reject(new Error('S3: AccessDenied')), put: async () => Promise.reject(new Error('disk full')) };
    const inner = counting();
    const parser = cachedParser(inner, failing);
    const report = await parser.parse(page, { name: 'p.html' });
    await parser.settle();
    expect(report.table3).not.toBeNull();
    expect(parser.counts).toEqual({ read: 1, kept: 0, cacheErrors: 2, lastError: 'S3: AccessDenied' });
  });

  it('prunes the entries of other parsers, and keeps this one’s', async () => {
    const parser = cachedParser(counting(), store.parsed);
    await parser.parse(page, { name: 'p.html' });
    await parser.settle();
    const db = dbOf(store);
    const insert = db.prepare("INSERT INTO parsed (key, data) VALUES (?, x'00')");
    for (const key of ['parser-0.9.0+nianbao-0.1.0 aa', `${PARSER_TAG}0 bb`, 'zzz cc', `${PARSER_TAG.slice(0, -1)} dd`]) insert.run(key);
    expect(await store.parsed.count()).toBe(5);
    expect(await store.parsed.prune(PARSER_TAG)).toBe(4);
    const keys = (db.prepare('SELECT key FROM parsed').all() as { key: string }[]).map((r) => r.key);
    expect(keys).toEqual([parseKey(page, { name: 'p.html' })]);
  });

  it('gives back every real report exactly as read (HTML, text, PDF, DOCX)', async () => {
    const parser = cachedParser(inThisThread, store.parsed);
    const files = ['01-shanghai-szfbgt-2019.html', '02-huaian-szf-2024.pdf', '04-pingtan-2019.txt', '09-shanghai-stcsm-2024.md', 'template-2021-format.docx'];
    for (const f of files) {
      const bytes = readFileSync(join(FIXTURES, f));
      const read = await inThisThread.parse(bytes, { name: f });
      await parser.parse(bytes, { name: f });
      expect(await parser.parse(bytes, { name: f }), f).toStrictEqual(JSON.parse(JSON.stringify(read)));
      // JSON keeps all a report holds: no undefined value, NaN or class instance is lost on the way.
      expect(JSON.parse(JSON.stringify(read)), f).toEqual(read);
    }
    expect(parser.counts).toEqual({ read: files.length, kept: files.length, cacheErrors: 0 });
  });
});
