/**
 * The command line's contracts, run in-process (`main(argv)` with stdout and stderr captured): bad input is one
 * line naming the option and the problem (exit 2); --json prints only JSON; a body's captures without a year are
 * all of them; blobs are verified (get, exports, `verify`); `run --timeout` cuts and says so. The few things
 * only a real process shows (a read-only disk) run as a subprocess.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../shared/cli/index.ts';
import { openLocalStore } from '../../shared/store/local.ts';
import { captureRecord } from '../helpers/records.ts';
import { ROOT } from '../helpers/netns.ts';

/** Runs `nianbao …` in this process; what it printed and its exit code. */
async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const write = { out: process.stdout.write, err: process.stderr.write };
  process.stdout.write = ((c: string | Uint8Array) => {
    out.push(typeof c === 'string' ? c : Buffer.from(c).toString('latin1'));
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((c: string | Uint8Array) => {
    err.push(String(c));
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await main(argv);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
  }
}

let server: Server;
let origin: string;
let home: string;
const pages = new Map<string, string>([
  ['/a.html', '<html><body><p>政府信息公开工作年度报告 甲</p></body></html>'],
  ['/b.html', '<html><body><p>政府信息公开工作年度报告 乙</p></body></html>'],
  ['/c.html', '<html><body><p>栏目页</p></body></html>'],
]);

beforeAll(async () => {
  process.env.NIANBAO_ALLOW_PRIVATE_NETWORK = '1';
  server = createServer((req, res) => {
    if (req.url === '/hang/zfxxgknb/index.html') return; // never answers
    const page = pages.get(req.url ?? '');
    if (!page) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  home = mkdtempSync(join(tmpdir(), 'nianbao-contracts-'));
  expect((await cli('--home', home, 'capture', `${origin}/a.html`, '--body', 'b1', '--year', '2023')).code).toBe(0);
  expect((await cli('--home', home, 'capture', `${origin}/b.html`, '--body', 'b1', '--year', '2024')).code).toBe(0);
  expect((await cli('--home', home, 'capture', `${origin}/c.html`, '--body', 'b1')).code).toBe(0);
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('bad input: one line, naming the option, exit 2', () => {
  it.each([
    [['run', '--grace', 'abc'], /--grace.*'abc' is invalid.*whole number/],
    [['run', '--delay', '-1'], /--delay.*'-1' is invalid/],
    [['run', '--concurrency', '-3'], /--concurrency.*'-3' is invalid/],
    [['run', '--unreachable-after', '0'], /--unreachable-after.*'0' is invalid/],
    [['run', '--parse-threads', 'two'], /--parse-threads.*'two' is invalid.*whole number from 0 to 64/],
    [['run', '--year', '2030'], /--year.*'2030' is invalid.*report year from 2008/],
    [['run', '--registry', 'missing.yaml'], /--registry.*'missing.yaml' is invalid.*no such file/],
    [['run', '--channels', 'console,pager'], /--channels.*unknown alert channel "pager"/],
    [['status', '--level', 'city'], /--level.*government \| department/],
    [['discover', 'https://www.example.gov.cn/', '--years', '2024,abc'], /--years.*'2024,abc' is invalid.*report year/],
    [['discover', 'https://www.example.gov.cn/', '--proxy', 'socks://x'], /--proxy.*'socks:\/\/x' is invalid.*http:\/\/ or https:\/\//],
    [['export-warc', '--body', 'b1', '--from', 'yesterday', '-o', join(tmpdir(), 'x.warc.gz')], /--from.*'yesterday' is invalid.*ISO 8601/],
    [['export', '--year', '2024', '--format', 'xml'], /--format.*csv \| jsonl/],
    [['get', 'abc', '-o', '/nonexistent-folder/x.html'], /--output.*does not exist/],
    [['get', 'abc', '-o', tmpdir()], /--output.*is a directory/],
  ])('%j', async (argv, message) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack
  });

  it('a --home that is a file, or holds no store yet, is said in one line', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'nianbao-f-')), 'x');
    writeFileSync(file, 'x');
    expect(await cli('--home', file, 'status')).toMatchObject({ code: 2, stderr: expect.stringMatching(/is a file, not a folder/) });
    expect(await cli('--home', join(tmpdir(), 'nianbao-none-here'), 'alerts')).toMatchObject({
      code: 3,
      stderr: expect.stringMatching(/no nianbao store here yet/),
    });
  });
});

describe('--json prints only JSON on stdout', () => {
  it('get -o, export-warc, export-wacz, export and alerts (none: an empty list, exit 0)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nianbao-json-'));
    const caps = JSON.parse((await cli('--home', home, '--json', 'captures', 'b1')).stdout) as { id: string; sha256: string; year: number | null }[];
    const got = await cli('--home', home, '--json', 'get', caps[0]!.sha256.slice(0, 16), '-o', join(dir, 'a.html'));
    expect(got.code).toBe(0);
    expect(JSON.parse(got.stdout)).toMatchObject({ file: join(dir, 'a.html'), sha256: caps[0]!.sha256 });
    expect((await cli('--home', home, '--json', 'get', caps[0]!.sha256)).code).toBe(2); // bytes and JSON cannot share stdout
    const warc = await cli('--home', home, '--json', 'export-warc', '--body', 'b1', '-o', join(dir, 'b1.warc.gz'));
    expect(JSON.parse(warc.stdout)).toMatchObject({ captures: 3, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const wacz = await cli('--home', home, '--json', 'export-wacz', '--body', 'b1', '--year', '2024', '-o', join(dir, 'b1.wacz'));
    expect(JSON.parse(wacz.stdout)).toMatchObject({ captures: 1 });
    const alerts = await cli('--home', home, '--json', 'alerts');
    expect(alerts).toMatchObject({ code: 0 });
    expect(JSON.parse(alerts.stdout)).toEqual([]);
    expect(await cli('--home', home, 'alerts')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^no alerts/) });
  });
});

describe('captures, prefixes, integrity', () => {
  it('captures BODY without --year lists all of its captures; --year one year', async () => {
    const all = JSON.parse((await cli('--home', home, '--json', 'captures', 'b1')).stdout) as { year: number | null }[];
    expect(all.map((c) => c.year).sort()).toEqual([2023, 2024, null].sort());
    expect(JSON.parse((await cli('--home', home, '--json', 'captures', 'b1', '--year', '2024')).stdout)).toHaveLength(1);
  });

  it('a damaged blob: get and export-warc refuse it naming the blob (exit 1); verify lists it', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'nianbao-damaged-'));
    cpSync(home, copy, { recursive: true });
    const caps = JSON.parse((await cli('--home', copy, '--json', 'captures', 'b1', '--year', '2023')).stdout) as { sha256: string }[];
    const sha = caps[0]!.sha256;
    const blob = join(copy, 'archive', 'blobs', 'sha256', sha);
    expect(statSync(blob).mode & 0o222).toBe(0); // blobs are read-only once written
    chmodSync(blob, 0o644);
    writeFileSync(blob, `${readFileSync(blob, 'utf8')}<!-- edited -->`);
    expect(await cli('--home', copy, '--json', 'verify')).toMatchObject({ code: 1, stdout: expect.stringContaining(sha) });
    expect(await cli('--home', copy, 'get', sha, '-o', join(copy, 'out.html'))).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(new RegExp(`blob ${sha}: its bytes hash to`)),
    });
    expect(await cli('--home', copy, 'export-warc', '--body', 'b1', '-o', join(copy, 'x.warc.gz'))).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(sha),
    });
    expect(await cli('--home', home, 'verify')).toMatchObject({ code: 0, stdout: expect.stringMatching(/all verified/) });
  });

  it('a missing blob: export-warc names the capture and the blob in one line (exit 1), never a stack trace', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'nianbao-missing-'));
    cpSync(home, copy, { recursive: true });
    const caps = JSON.parse((await cli('--home', copy, '--json', 'captures', 'b1', '--year', '2023')).stdout) as { id: string; sha256: string }[];
    const { id, sha256 } = caps[0]!;
    rmSync(join(copy, 'archive', 'blobs', 'sha256', sha256), { force: true });
    const r = await cli('--home', copy, 'export-warc', '--body', 'b1', '-o', join(copy, 'x.warc.gz'));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`nianbao: capture ${id}: blob ${sha256} is missing from the archive / 存档文件缺失\n`);
    expect(existsSync(join(copy, 'x.warc.gz'))).toBe(false);
    expect(await cli('--home', copy, '--json', 'verify')).toMatchObject({ code: 1, stdout: expect.stringContaining(sha256) });
  });
});

describe('run --timeout', () => {
  it('stops starting bodies and stops a silent portal at the limit; the summary says the run was cut (exit 1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nianbao-timeout-'));
    const registry = join(dir, 'portals.yaml');
    writeFileSync(
      registry,
      `bodies:\n  - { id: silent, name: 沉默区人民政府, level: government, lists: ["${origin}/hang/zfxxgknb/index.html"] }\n  - { id: later, name: 后来局, level: department, lists: ["${origin}/c.html"] }\n`,
    );
    const r = await cli(
      '--home',
      join(dir, 'home'),
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
      '--concurrency',
      '1',
      '--timeout',
      '2',
      '--channels',
      'jsonl',
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/the run was cut by --timeout: 2 bodies not crawled \(沉默区人民政府, 后来局\)/);
    expect(r.stdout).not.toMatch(/unreachable/); // our limit, not the portal's failure
  }, 60_000);
});

describe('a read-only copy of a home (a subprocess on a read-only mount)', () => {
  const canMount = spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs tmpfs /mnt']).status === 0;
  it.skipIf(!canMount)('status, alerts, captures, get and export-warc read it', () => {
    const script = [
      `mount --bind ${home} ${home}`,
      `mount -o remount,bind,ro ${home} ${home}`,
      `node bin/nianbao.js --home ${home} --json captures b1 > /dev/null`,
      `node bin/nianbao.js --home ${home} alerts > /dev/null`,
      `node bin/nianbao.js --home ${home} verify > /dev/null`,
      `node bin/nianbao.js --home ${home} export-warc --body b1 -o ${join(tmpdir(), 'ro-export.warc.gz')} 2> /dev/null`,
      `touch ${home}/written 2> /dev/null && echo WRITABLE || true`,
    ].join(' && ');
    const r = spawnSync('unshare', ['-rm', 'sh', '-c', script], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('WRITABLE');
    expect(existsSync(join(tmpdir(), 'ro-export.warc.gz'))).toBe(true);
  });

  it.skipIf(!canMount)('a copy taken while a writer had the home open reads its last writes too (they are only in the WAL)', async () => {
    const live = mkdtempSync(join(tmpdir(), 'nianbao-live-'));
    const writer = await openLocalStore(live);
    const copy = mkdtempSync(join(tmpdir(), 'nianbao-walcopy-'));
    try {
      await writer.store.put(captureRecord('wal-1', 'https://www.example.gov.cn/wal.html', { bodyId: 'wal-body', year: 2024 }));
      cpSync(live, copy, { recursive: true }); // the writer is still open: nothing checkpointed
    } finally {
      await writer.close();
    }
    expect(statSync(join(copy, 'nianbao.db-wal')).size).toBeGreaterThan(0);
    const script = [
      `mount --bind ${copy} ${copy}`,
      `mount -o remount,bind,ro ${copy} ${copy}`,
      `node bin/nianbao.js --home ${copy} --json captures wal-body`,
    ].join(' && ');
    const r = spawnSync('unshare', ['-rm', 'sh', '-c', script], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { id: string }[]).map((c) => c.id)).toEqual(['wal-1']);
  });
});
