/**
 * A consistent table with one cell changed must raise exactly the rules that cell breaks (and name the
 * row/column it breaks them in) — no more, no fewer.
 */
import { describe, expect, it } from 'vitest';
import { TABLE3_APPLICANT_COLUMNS, TABLE3_ROW_BY_KEY, type Table3RowKey } from '../../shared/report/format.ts';
import { parseReportBytes } from '../../shared/check.ts';
import { cellNames, randomModel, rng, type Model } from '../../shared/demo/generate.ts';
import { render, type Layout } from '../../shared/demo/render.ts';

/** The findings one changed cell must cause, as "RULE cell-the-finding-names-first". */
function expectedFindings(cell: string): string[] {
  const [table, a, b] = cell.split('.') as [string, string, string | undefined];
  if (table === 'table4') {
    const group = a.replace(/_(upheld|corrected|other|pending|total)$/, '');
    return [`T4-TOTAL table4.${group}_total`];
  }
  const row = a as Table3RowKey;
  const col = b!;
  const out = [`T3-ROW-TOTAL table3.${row}.total`];
  // T3-RESULTS involves the result leaves and (七)总计; T3-BALANCE involves 一, 二, (七)总计 and 四.
  if (TABLE3_ROW_BY_KEY.get(row)!.result || row === 'total_handled') out.push(`T3-RESULTS table3.total_handled.${col}`);
  if (['received', 'carried_over', 'total_handled', 'carried_forward'].includes(row)) out.push(`T3-BALANCE table3.received.${col}`);
  return out.sort();
}

function mutate(m: Model, cell: string, delta: number): Model {
  const copy = structuredClone(m);
  const [table, a, b] = cell.split('.');
  if (table === 'table4') (copy.table4 as Record<string, number>)[a!] = (copy.table4 as Record<string, number>)[a!]! + delta;
  else {
    const row = copy.table3.rows[a as Table3RowKey]!;
    const c = copy.table3.columns.indexOf(b as (typeof copy.table3.columns)[number]);
    row[c] = row[c]! + delta;
  }
  return copy;
}

const CASES = Array.from({ length: 40 }, (_, i) => {
  const r = rng(42 + i);
  const m = randomModel(500 + i, i % 5 === 0 ? '2019' : '2021');
  const names = cellNames(m);
  const cell = names[Math.floor(r() * names.length)]!;
  const layout: Layout = (['html', 'word', 'lines', 'pipes', 'pdf'] as const)[i % 5]!;
  return { i, m, cell, delta: 1 + Math.floor(r() * 5), layout };
}).concat(
  // The rows every identity meets, so they are always covered.
  [
    'table3.total_handled.natural_person',
    'table3.total_handled.total',
    'table3.carried_forward.total',
    'table3.received.commercial',
    'table4.review_total',
  ].map((cell, j) => ({ i: 100 + j, m: randomModel(900 + j), cell, delta: 2, layout: (['html', 'lines', 'pdf', 'word', 'pipes'] as const)[j]! })),
);

describe('one changed cell raises exactly the rules it breaks', () => {
  it.each(CASES)('case $i: $cell +$delta ($layout)', ({ m, cell, delta, layout }) => {
    const report = parseReportBytes(render(mutate(m, cell, delta), layout), { name: cell });
    const got = report.findings
      .filter((f) => f.severity === 'error')
      .map((f) => `${f.rule} ${f.cells![0]}`)
      .sort();
    expect(got).toEqual(expectedFindings(cell));
    const cellFinding = report.findings.find((f) => f.rule !== 'T3-BALANCE' && f.cells!.includes(cell));
    expect(cellFinding, 'a finding names the changed cell').toBeDefined();
  });

  it('covers every kind of cell: leaf, 总计 column, the balance rows and table 四', () => {
    const cells = CASES.map((c) => c.cell);
    expect(cells.some((c) => c.endsWith('.total') && c.startsWith('table3'))).toBe(true);
    expect(cells.some((c) => c.startsWith('table4'))).toBe(true);
    expect(cells.some((c) => TABLE3_APPLICANT_COLUMNS.some((a) => c.endsWith(`.${a}`)) && TABLE3_ROW_BY_KEY.get(c.split('.')[1] as Table3RowKey)?.result)).toBe(
      true,
    );
  });
});
