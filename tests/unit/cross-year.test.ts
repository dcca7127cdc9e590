import { describe, expect, it } from 'vitest';
import { TABLE3_APPLICANT_COLUMNS } from '../../shared/report/format.ts';
import { parseReportBytes, parseReportText } from '../../shared/check.ts';
import { runCrossYearRules } from '../../shared/rules/index.ts';
import { fixture } from '../helpers/fixtures.ts';
import { randomModel, type Model } from '../../shared/demo/generate.ts';
import { render } from '../../shared/demo/render.ts';
import { reportCandidates } from '../../shared/pipeline/assess.ts';
import { MemoryArchiveStore, MemoryStateStore, MemoryStore } from '../../shared/store/memory.ts';
import { captureRecord, foundState } from '../helpers/records.ts';

/** Sets 四、结转下年度 of a model and keeps it consistent (一 = 三(七) + 四 − 二). */
function withForward(m: Model, forward: number[]): Model {
  const c = structuredClone(m);
  const rows = c.table3.rows;
  TABLE3_APPLICANT_COLUMNS.forEach((_, i) => {
    rows.carried_forward![i] = forward[i]!;
    rows.received![i] = rows.total_handled![i]! + forward[i]! - rows.carried_over![i]!;
  });
  for (const key of ['carried_forward', 'received'] as const) rows[key]![6] = rows[key]!.slice(0, 6).reduce((a, b) => a! + b!, 0);
  return c;
}

describe('cross-year rules', () => {
  const current = randomModel(77);
  const parse = (m: Model) => parseReportBytes(render(m, 'html'));

  it("CROSS-CARRY is silent when this year's 上年结转 equals last year's 结转下年度, per column", () => {
    const previous = withForward(randomModel(78), current.table3.rows.carried_over!.slice(0, 6) as number[]);
    expect(runCrossYearRules(parse(current), parse(previous)).filter((f) => f.rule === 'CROSS-CARRY')).toEqual([]);
  });

  it('CROSS-CARRY names each column that differs', () => {
    const forward = current.table3.rows.carried_over!.slice(0, 6) as number[];
    forward[0] = forward[0]! + 2;
    const findings = runCrossYearRules(parse(current), parse(withForward(randomModel(78), forward))).filter((f) => f.rule === 'CROSS-CARRY');
    expect(findings.map((f) => `${f.rule} ${f.cells![0]}`).sort()).toEqual([
      'CROSS-CARRY table3.carried_over.natural_person',
      'CROSS-CARRY table3.carried_over.total',
    ]);
    expect(findings[0]).toMatchObject({ severity: 'error', expected: forward[0] });
  });

  it('CROSS-STOCK: 现行有效 = last year + 制发 − 废止 (warning)', () => {
    const prev = structuredClone(randomModel(78));
    const now = structuredClone(current);
    const docs = now.table2.normative_documents as Record<string, number>;
    (prev.table2.normative_documents as Record<string, number>).in_force = docs.in_force! - docs.issued! + docs.repealed!;
    (prev.table2.regulations as Record<string, number>).in_force =
      (now.table2.regulations as Record<string, number>).in_force! -
      (now.table2.regulations as Record<string, number>).issued! +
      (now.table2.regulations as Record<string, number>).repealed!;
    expect(runCrossYearRules(parse(now), parse(prev)).filter((f) => f.rule === 'CROSS-STOCK')).toEqual([]);
    docs.in_force = docs.in_force! + 5;
    const f = runCrossYearRules(parse(now), parse(prev)).filter((x) => x.rule === 'CROSS-STOCK');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'warning', actual: docs.in_force, cells: expect.arrayContaining(['table2.normative_documents.in_force']) });
  });

  it('CROSS-SIMILAR fires on a copy of last year with new figures, not on two real different years', () => {
    const y2021 = parseReportBytes(fixture('06-pingtan-2021.txt'));
    const y2023 = parseReportBytes(fixture('08-pingtan-2023.txt'));
    expect(runCrossYearRules(y2023, y2021).filter((f) => f.rule === 'CROSS-SIMILAR')).toEqual([]);
    const copied = parseReportText(
      fixture('06-pingtan-2021.txt').toString().replaceAll('2021', '2022').replace('2645条', '3012条').replace('共收到70件', '共收到75件'),
    );
    const f = runCrossYearRules(copied, y2021).find((x) => x.rule === 'CROSS-SIMILAR');
    expect(f).toBeDefined();
    expect(Number(String(f!.actual).replace('%', ''))).toBeGreaterThan(90);
  });

  it("the pipeline checks against last year's current source (its page), not whichever of page and attachment sorts last", async () => {
    const archive = new MemoryArchiveStore();
    const reports = new MemoryStore();
    const state = new MemoryStateStore();
    const forward = current.table3.rows.carried_over!.slice(0, 6) as number[];
    const pageBytes = render(withForward(randomModel(78), forward), 'html');
    // Last year's attachment says otherwise (an older draft); its bytes are padded until its sha256 sorts after the
    // page's, so that "the source parsed last" (same moment, then by sha256) is the attachment.
    const page = await archive.put(pageBytes);
    const draft = Buffer.from(
      render(
        withForward(
          randomModel(78),
          forward.map((x) => x + 2),
        ),
        'html',
      ),
    );
    let attachment = await archive.put(draft);
    for (let pad = 1; attachment.sha256 < page.sha256; pad++) attachment = await archive.put(Buffer.concat([draft, Buffer.from(' '.repeat(pad))]));
    for (const [sha, url] of [
      [page.sha256, 'https://www.jia.gov.cn/2023.html'],
      [attachment.sha256, 'https://www.jia.gov.cn/2023.pdf'],
    ] as const)
      await reports.putParsed(
        {
          bodyId: 'jia',
          year: 2023,
          sha256: sha,
          url,
          title: null,
          format: 'html',
          published: null,
          findings: [],
          parserVersion: '1.2.1',
          parsedAt: '2024-02-01T02:00:00.000Z',
        },
        [],
      );
    expect((await reports.reports('jia', 2023)).at(-1)!.sha256).toBe(attachment.sha256);
    await state.putState(foundState('jia', { year: 2023, reportSha256: page.sha256 }));
    const parsed = parse(current);
    const main = {
      url: 'https://www.jia.gov.cn/2024.html',
      role: 'page' as const,
      capture: captureRecord('c1', 'https://www.jia.gov.cn/2024.html', { sha256: 'c'.repeat(64) }),
      parsed,
    };
    await reportCandidates({ id: 'jia', name: '甲区人民政府' }, 2024, main, [main], { archive, reports, state });
    expect(parsed.findings.filter((f) => f.rule === 'CROSS-CARRY')).toEqual([]);
  });
});
