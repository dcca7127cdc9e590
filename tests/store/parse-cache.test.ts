/**
 * Reports already read are not read again (parse-cache.ts, sqlite-parsed.ts): the same document under the same
 * options gives the report kept in the home, exactly as a new reading would; anything else is read.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inThisThread, type ReportParser } from '../../shared/check.ts';
import { cachedParser, KEPT_REPORT_DAYS, PARSER_TAG, parseKey } from '../../shared/parse-cache.ts';
import { UnreadableInputError } from '../../shared/report/errors.ts';
import type { ParseOptions } from '../../shared/report/parse.ts';
import { openLocalStore, type LocalStore } from '../../shared/store/local.ts';
import type { Db } from '../../shared/store/sqlite-db.ts';
import { parsedObjectKey, S3ParsedCache } from '../../shared/store/s3-parsed.ts';
import { type LocalS3, startS3 } from '../helpers/fauxqs.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

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
    expect(parser.counts).toMatchObject({ cacheErrors: 1, lastError: expect.stringMatching(/^the report kept under parser-\S+ [0-9a-f]{64} is damaged/) });
    expect(await parser.parse(page, { name: 'p.html' })).toEqual(report);
    expect(inner.calls).toBe(2);
  });

  it('checks a kept report again: a rule added or changed since it was kept applies to it', async () => {
    const parser = cachedParser(counting(), store.parsed);
    const report = await parser.parse(page, { name: 'p.html' });
    await parser.settle();
    // What an older nianbao kept: the same reading, with findings its rules gave (here: none, and a stale one).
    const db = dbOf(store);
    const stale = { ...report, findings: [{ rule: 'RETIRED-RULE', severity: 'error', cells: [] }] };
    // Two parameters: libsql takes a lone object argument (a Buffer too) for named parameters, and aborts on it.
    db.prepare('UPDATE parsed SET data = ? WHERE key = ?').run(gzipSync(JSON.stringify(stale)), parseKey(page, { name: 'p.html' }));
    const again = await parser.parse(page, { name: 'p.html' });
    expect(again.findings).toEqual(report.findings);
    expect(again.findings.length).toBeGreaterThan(0);
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

  it('expires what was kept more than KEPT_REPORT_DAYS ago, as S3 expires parsed/; a page kept again is young again', async () => {
    let now = Date.UTC(2026, 0, 1);
    const aged = await openLocalStore(mkdtempSync(join(tmpdir(), 'nianbao-parsed-')), { now: () => now });
    try {
      const inner = counting();
      const parser = cachedParser(inner, aged.parsed);
      // Yesterday's page and today's (a visit counter changed its bytes): two readings, one never asked for again.
      const today = Buffer.concat([page, Buffer.from('<!-- 访问量 10235 -->')]);
      await parser.parse(page, { name: 'p.html' });
      await parser.settle();
      now += 10 * 86_400_000;
      await parser.parse(today, { name: 'p.html' });
      await parser.settle();
      expect(await aged.parsed.count()).toBe(2);
      // An entry written by a nianbao that did not date its entries is dated at the next prune.
      dbOf(aged).prepare(`INSERT INTO parsed (key, data) VALUES (?, x'00')`).run(`${PARSER_TAG} undated`);
      now += (KEPT_REPORT_DAYS - 10) * 86_400_000; // the first reading is KEPT_REPORT_DAYS old: not more, still kept
      expect(await aged.parsed.prune(PARSER_TAG)).toBe(0);
      now += 1;
      expect(await aged.parsed.prune(PARSER_TAG)).toBe(1);
      expect(await aged.parsed.count()).toBe(2);
      // The page that expired is read once more, and kept again from now.
      await parser.parse(page, { name: 'p.html' });
      await parser.settle();
      expect(inner.calls).toBe(3);
      // Ten days on, today's reading is past KEPT_REPORT_DAYS; the undated entry (dated at the prune above) and the
      // page kept again are ten days old.
      now += 10 * 86_400_000;
      expect(await aged.parsed.prune(PARSER_TAG)).toBe(1);
      expect(await aged.parsed.count()).toBe(2);
      await parser.parse(page, { name: 'p.html' });
      expect(inner.calls).toBe(3);
    } finally {
      await aged.close();
    }
  });

  it('a home whose cache table predates kept_at gets the column and its index on opening; its entries are kept', async () => {
    const old = mkdtempSync(join(tmpdir(), 'nianbao-parsed-'));
    const first = await openLocalStore(old);
    const parser = cachedParser(counting(), first.parsed);
    await parser.parse(page, { name: 'p.html' });
    await parser.settle();
    // As an older nianbao left it: the table without the column (SQLite's DROP COLUMN needs no index on it).
    dbOf(first).exec('DROP INDEX parsed_by_kept_at; ALTER TABLE parsed DROP COLUMN kept_at');
    await first.close();
    const reopened = await openLocalStore(old);
    try {
      const db = dbOf(reopened);
      expect((db.prepare('PRAGMA table_info(parsed)').all() as { name: string }[]).map((c) => c.name)).toContain('kept_at');
      expect((db.prepare('PRAGMA index_list(parsed)').all() as { name: string }[]).map((i) => i.name)).toContain('parsed_by_kept_at');
      expect(await reopened.parsed.prune(PARSER_TAG)).toBe(0);
      const inner = counting();
      await cachedParser(inner, reopened.parsed).parse(page, { name: 'p.html' });
      expect(inner.calls).toBe(0);
    } finally {
      await reopened.close();
    }
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

describe('the parsed-report cache on S3 (fauxqs), as the crawl functions keep it', () => {
  let local: LocalS3;
  let s3: S3Client;
  beforeAll(async () => {
    local = await startS3();
    s3 = local.s3;
    await s3.send(new CreateBucketCommand({ Bucket: 'archive' }));
  });
  afterAll(() => local?.stop());

  it('reads a document once across invocations; a damaged object is read again and written anew', async () => {
    const opts = { name: 'https://www.shanghai.gov.cn/nb2019.html', year: 2019 };
    const first = counting();
    const one = cachedParser(first, new S3ParsedCache(s3, 'archive'));
    const report = await one.parse(page, opts);
    await one.settle();
    const key = parseKey(page, opts)!;
    const object = await s3.send(new GetObjectCommand({ Bucket: 'archive', Key: parsedObjectKey(key) }));
    expect(parsedObjectKey(key)).toMatch(new RegExp(`^parsed/${PARSER_TAG.replace(/[.+]/g, '\\$&')}/[0-9a-f]{64}\\.json\\.gz$`));
    expect((await object.Body!.transformToByteArray()).subarray(0, 2)).toEqual(new Uint8Array([0x1f, 0x8b]));
    // The next invocation: a new cache on the same bucket.
    const second = counting();
    const cache = new S3ParsedCache(s3, 'archive');
    const two = cachedParser(second, cache);
    expect(await two.parse(page, opts)).toEqual(report);
    expect(second.calls).toBe(0);
    await s3.send(new PutObjectCommand({ Bucket: 'archive', Key: parsedObjectKey(key), Body: Buffer.from('{"not":"gzip"}') }));
    expect(await two.parse(page, opts)).toEqual(report);
    expect(two.counts.cacheErrors).toBe(1);
    expect(two.counts.lastError).toMatch(/is damaged/);
    await two.settle();
    expect(await cachedParser(second, new S3ParsedCache(s3, 'archive')).parse(page, opts)).toEqual(report);
    expect(second.calls).toBe(1);
  });

  it('a bucket it cannot use costs readings, counted with S3’s error, and never fails the report', async () => {
    const inner = counting();
    const parser = cachedParser(inner, new S3ParsedCache(s3, 'no-such-bucket'));
    expect((await parser.parse(page, { name: 'p.html' })).table3).not.toBeNull();
    await parser.settle();
    expect(inner.calls).toBe(1);
    expect(parser.counts.cacheErrors).toBe(2);
    expect(parser.counts.lastError).toMatch(/bucket/i);
  });
});
