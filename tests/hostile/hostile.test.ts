/**
 * Hostile input (issue 17's table), generated here at test time: every read is refused with an error naming the
 * limit, in bounded time and memory — measured in a process of its own, running the bundled code with plain node
 * as the functions do — from every input path (parseReport, standard input of `nianbao parse`, a report attachment
 * inside a run, which carries on).
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_CASES, type HostileCase, largeHtml, manyCells, nestedDivs, nestedTables } from '../../shared/demo/hostile.ts';
import { UnreadableInputError } from '../../shared/report/errors.ts';
import { DEFAULT_LIMITS } from '../../shared/report/limits.ts';
import { parseReport, parseReportText } from '../../shared/check.ts';
import { bundleScript } from '../helpers/bundle.ts';
import { ROOT } from '../helpers/netns.ts';

/** Generous: a busy 2-core machine passes; a stuck read (minutes) does not. */
const TIME_BOUND_MS = 30_000;
/** A 1 GB crawl function survives it. */
const RSS_BOUND_MB = 512;

const refusal = async (bytes: Uint8Array) => {
  const e = await parseReport(bytes, { name: 'hostile' }).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(UnreadableInputError);
  return (e as UnreadableInputError).problem;
};

describe('every limit refuses with a message naming it', () => {
  it('a DOCX zip bomb (1 GiB inflated) and a zip that declares less than it inflates', async () => {
    expect(await refusal(await HOSTILE_CASES['docx-bomb-1gib']())).toMatch(/over the 32 MB limit/);
    expect(await refusal(await HOSTILE_CASES['docx-dishonest']())).toMatch(/dishonest zip|inflates past/);
  });

  it('an OFD zip bomb, an OFD of too many glyphs (placed by a billion-long DeltaX run), an OFD listing too many pages', async () => {
    expect(await refusal(await HOSTILE_CASES['ofd-bomb-1gib']())).toMatch(/OFD refused: .*over the 32 MB limit/);
    expect(await refusal(await HOSTILE_CASES['ofd-glyphs-6e5']())).toMatch(/more than 500000 glyphs/);
    expect(await refusal(await HOSTILE_CASES['ofd-pages-1e5']())).toMatch(/100000 pages is over the 300-page limit/);
  });

  it('deep nesting (divs, tables), too many cells, too much text, too many bytes', async () => {
    expect(await refusal(Buffer.from(nestedDivs(100_000)))).toMatch(/nested more than 512 deep/);
    expect(await refusal(Buffer.from(nestedTables(100_000)))).toMatch(/nested more than 512 deep/);
    expect(await refusal(Buffer.from(manyCells(DEFAULT_LIMITS.cells + 1)))).toMatch(/more than 100000 table cells/);
    expect(await refusal(Buffer.from(largeHtml(30 * 1024 * 1024)))).toMatch(/character limit/);
    expect(await refusal(new Uint8Array(DEFAULT_LIMITS.bytes + 1).fill(0x20))).toMatch(/over the 64 MB input limit/);
  });

  it('the limits are far from real pages: a page nested 400 deep with 50,000 cells is read', () => {
    const page = `<html><body>${'<div>'.repeat(400)}<table>${'<tr><td>1</td><td>2</td></tr>'.repeat(25_000)}</table>${'</div>'.repeat(400)}</body></html>`;
    expect(() => parseReportText(page, { markup: 'html' })).not.toThrow();
  });

  it('a document over its time budget is unreadable input (stopped between stages), not a stuck run', async () => {
    const html = Buffer.from(largeHtml(100_000));
    await expect(parseReport(html, { name: 'slow.html', limits: { ...DEFAULT_LIMITS, timeMs: -1 } })).rejects.toThrow(
      /reading took longer than .* s \(stopped at the HTML\)/,
    );
    const pdf = await HOSTILE_CASES['pdf-5000-pages']();
    await expect(parseReport(pdf, { name: 'slow.pdf', limits: { ...DEFAULT_LIMITS, timeMs: -1 } })).rejects.toThrow(
      /stopped at a PDF page|over the 300-page limit/,
    );
  });
});

describe('bounded in time and memory (a process of its own, bundled code, plain node)', () => {
  let script: string;
  beforeAll(async () => {
    script = await bundleScript('bench/hostile-one.ts');
  });
  const measured: HostileCase[] = [
    'docx-bomb-1gib',
    'docx-dishonest',
    // (ofd-bomb-1gib goes through the zip checks docx-bomb-1gib measures)
    'ofd-glyphs-6e5',
    'nested-divs-1e6',
    'nested-tables-1e5',
    'cells-2e5',
    'html-30mb',
    'pdf-5000-pages',
    'html-at-the-limit',
  ];
  it.each(measured)(
    '%s',
    (name) => {
      const r = spawnSync(process.execPath, [script, name], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
      expect(r.status, r.stderr).toBe(0);
      const m = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { ms: number; maxRssMb: number; error: string | null };
      // The largest page the limits let through is read; everything else is refused.
      if (name === 'html-at-the-limit') expect(m.error).toBeNull();
      else expect(m.error).toMatch(/^UnreadableInputError: /);
      expect(m.ms).toBeLessThan(TIME_BOUND_MS);
      expect(m.maxRssMb).toBeLessThan(RSS_BOUND_MB);
    },
    150_000,
  );
});

describe('every input path', () => {
  it('`nianbao parse -`: standard input over the limit is refused as it passes the limit, not read whole', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'nianbao.js'), 'parse', '-'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    child.stdin.on('error', () => {}); // the reader stops early: the pipe closes under the writer
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    let written = 0;
    const code = await new Promise<number | null>((resolve) => {
      child.on('close', resolve);
      const pump = () => {
        while (written < 100 * 1024 * 1024 && !child.stdin.destroyed) {
          written += chunk.length;
          if (!child.stdin.write(chunk)) return void child.stdin.once('drain', pump);
        }
        child.stdin.end();
      };
      pump();
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/standard input is over the 67108864-byte limit/);
  }, 60_000);

  it('`nianbao run`: a report that is a zip bomb is unreadable for its body, and the run carries on with the others', async () => {
    const { startReplica } = await import('../../shared/demo/replica/server.ts');
    const { ReplicaState } = await import('../../shared/demo/replica/state.ts');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const replica = await startReplica(new ReplicaState(), { trs: new ReplicaState() });
    const home = mkdtempSync(join(tmpdir(), 'nianbao-hostile-'));
    const registry = join(home, 'portals.yaml');
    writeFileSync(
      registry,
      `bodies:\n  - { id: bomb, name: 乙局, level: department, lists: ["${replica.origin('hostile')}/columns/attachments/index.html"] }\n  - { id: fine, name: 甲区人民政府, level: government, lists: ["${replica.origin('trs')}/zfxxgknb/index.html"] }\n`,
    );
    // Asynchronous: the replica portals answer from this process.
    const nianbao = (...args: string[]) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [join(ROOT, 'bin', 'nianbao.js'), '--home', home, ...args], {
          cwd: ROOT,
          env: { ...process.env, NIANBAO_ALLOW_PRIVATE_NETWORK: '1', NO_COLOR: '1' },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c) => (stdout += c));
        child.stderr.on('data', (c) => (stderr += c));
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });
    try {
      const r = await nianbao(
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
        'jsonl',
      );
      expect(r.status, r.stderr).toBe(0);
      const status = JSON.parse((await nianbao('--json', 'status', '--year', '2024', '--registry', registry)).stdout) as {
        body: string;
        status: string;
        unreadable: string | null;
      }[];
      expect(status.find((s) => s.body === 'fine')).toMatchObject({ status: 'found', unreadable: null });
      // The bomb's body: its report was fetched and archived, and could not be read — said, not hidden.
      expect(status.find((s) => s.body === 'bomb')?.unreadable).toMatch(/over the 32 MB limit/);
      const alerts = JSON.parse((await nianbao('--json', 'alerts', '--open')).stdout) as { body: string; summary_en?: string }[];
      expect(JSON.stringify(alerts.filter((a) => a.body === 'bomb'))).toMatch(/32 MB limit/);
    } finally {
      await replica.close();
    }
  }, 180_000);
});
