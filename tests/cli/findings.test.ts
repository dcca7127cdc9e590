/** `nianbao findings`: every body's findings for a year, as a watchdog exports them (the package bin, a real process). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../shared/report/model.ts';
import { finding, foundState, storedReport } from '../helpers/records.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'nianbao.js');

function nianbao(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('nianbao findings', () => {
  const home = mkdtempSync(join(tmpdir(), 'nianbao-findings-'));
  const registry = join(home, 'bodies.yaml');

  beforeAll(async () => {
    writeFileSync(
      registry,
      `bodies:
  - id: body-a
    name: 甲区人民政府
    region: "110105"
    level: government
    lists: [https://www.a.gov.cn/ndbg/]
  - id: body-b
    name: 乙区教育局
    region: "110105"
    level: department
    lists: [https://www.b.gov.cn/ndbg/]
`,
    );
    const { openLocalStore } = await import('../../shared/store/local.ts');
    const local = await openLocalStore(home);
    const [a1, a2, b1] = ['a'.repeat(64), 'c'.repeat(64), 'b'.repeat(64)];
    // body-a: its report page (current, named by the state) and an attachment read beside it, parsed after it.
    await local.store.putParsed(
      storedReport('body-a', a1, {
        findings: [
          finding('PROSE-SHARE', 'warning', { expected: '32.0%', actual: '33.9%', quote: '予以公开及部分公开258件,占33.9%;' }),
          finding('T3-BALANCE', 'error', { cells: ['table3.received.total', 'table3.carried_over.total'], expected: 12, actual: 10 }),
          { note: 'not a finding' } as unknown as Finding,
        ],
      }),
      [{ bodyId: 'body-a', year: 2024, sha256: a1, row: 'table3.received', values: { total: 10 } }],
    );
    await local.store.putParsed(storedReport('body-a', a2, { url: 'https://www.a.gov.cn/a.pdf', findings: [finding('UNIT', 'info')] }), [], {
      current: false,
    });
    await local.store.putParsed(storedReport('body-b', b1, { findings: [finding('FEE-REPORT', 'warning'), finding('UNIT', 'info')] }), []);
    await local.state.putState(foundState('body-a', { mainSha256: a1, reportUrl: 'https://www.a.gov.cn/a.html', pageDate: '2025-03-02' }));
    await local.state.putState(foundState('body-b', { mainSha256: b1, status: 'late' }));
    await local.state.putState(foundState('body-c', { status: 'missing' })); // no report: no line
    // A report found but never read (over a limit): no findings to list, and said so.
    await local.state.putState(foundState('body-d', { reportUrl: 'https://www.d.gov.cn/r.pdf', unreadable: '104857646 bytes is over the 64 MB input limit' }));
    await local.close();
  });

  it('lists the current source’s findings of every body-year, with who and which report, and counts them per rule', () => {
    const r = nianbao('--home', home, 'findings', '--year', '2024', '--registry', registry, '--format', 'jsonl');
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => `${l.body} ${l.rule}`)).toEqual(['body-a PROSE-SHARE', 'body-a T3-BALANCE', 'body-b FEE-REPORT', 'body-b UNIT']);
    expect(lines[0]).toMatchObject({
      name: '甲区人民政府',
      level: 'government',
      status: 'found',
      report_url: `https://www.body-a.gov.cn/a.html`,
      report_published: '2025-03-02', // the date the deadline was judged by
      source_sha256: 'a'.repeat(64),
      severity: 'warning',
      zh: 'PROSE-SHARE：中文',
      expected: '32.0%',
      actual: '33.9%',
      quote: '予以公开及部分公开258件,占33.9%;',
    });
    expect(lines[1]).toMatchObject({ cells: 'table3.received.total table3.carried_over.total', expected: 12, actual: 10 });
    expect(lines[2]).toMatchObject({ name: '乙区教育局', status: 'late' });
    // The one stored finding in an unknown shape is said, not dropped in silence.
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('1 stored findings are not in a shape this version reads');
    expect(r.stderr).toMatch(/PROSE-SHARE\s+warning\s+1\s+1/);
    expect(r.stderr).toContain('(of 2 reports read');
    expect(r.stderr).toContain('1 reports found were not read, so have no findings to list (nianbao status says why): body-d');
  });

  it('filters by rule and by severity (and the graver ones); CSV for spreadsheets, JSON with --json', () => {
    const byRule = nianbao('--home', home, '--json', 'findings', '--year', '2024', '--registry', registry, '--rule', 'unit', '--rule', 'FEE-REPORT');
    expect(JSON.parse(byRule.stdout).map((l: { body: string; rule: string }) => `${l.body} ${l.rule}`)).toEqual(['body-b FEE-REPORT', 'body-b UNIT']);
    const warnings = nianbao('--home', home, 'findings', '--year', '2024', '--registry', registry, '--severity', 'warning');
    const csv = warnings.stdout
      .replace(/^\ufeff/, '')
      .trim()
      .split('\n');
    expect(csv[0]).toBe(
      'body,name,region,level,year,status,report_url,report_published,source_sha256,parser_version,rule,severity,zh,en,cells,expected,actual,quote',
    );
    expect(csv.slice(1).map((l) => l.split(',')[10])).toEqual(['PROSE-SHARE', 'T3-BALANCE', 'FEE-REPORT']);
    expect(csv[1]).toContain(',"予以公开及部分公开258件,占33.9%;"'); // a comma inside a cell is quoted
    const file = join(home, 'out.csv');
    const written = nianbao('--home', home, '--json', 'findings', '--year', '2024', '--registry', registry, '-o', file);
    expect(JSON.parse(written.stdout)).toMatchObject({ file, findings: 4, reports: 2 });
    expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(6); // header, four lines, the final newline
  });

  it('refuses an unknown rule or severity in one line, and says when the year has no report', () => {
    expect(nianbao('--home', home, 'findings', '--year', '2024', '--rule', 'NO-SUCH')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--rule.*NO-SUCH.*T3-BALANCE/),
    });
    expect(nianbao('--home', home, 'findings', '--year', '2024', '--severity', 'fatal')).toMatchObject({ code: 2 });
    expect(nianbao('--home', home, 'findings', '--year', '2019', '--registry', registry)).toMatchObject({
      code: 3,
      stderr: expect.stringContaining('no finding in 0 reports of 2019'),
    });
  });
});
