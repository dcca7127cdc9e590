/**
 * Table 二 has no arithmetic of its own, so a run such as "8855698" (平潭 2022: 88 / 55 / 698) cannot be split
 * from the table alone. When the report's own prose states the figures ("集中公开现行有效行政规范性文件698件，
 * 动态更新本年度制发的规范性文件88件") and exactly one candidate split agrees with every such statement, that
 * split is used and its cells are marked inferred. Otherwise nothing changes.
 */
import type { Ambiguity, ParsedReport, ProseClaim } from './model.ts';

/** Claim key → the column of table2.normative_documents it states, per format. */
const STATED: Record<string, Record<'2021' | '2019', string>> = {
  normative_in_force: { '2021': 'in_force', '2019': 'in_force' },
  normative_issued: { '2021': 'issued', '2019': 'made' },
};

function resolvable(a: Ambiguity): boolean {
  return !a.truncated && a.candidates.length > 1 && a.cells[0]!.startsWith('table2.normative_documents.');
}

/** Applies prose statements to the ambiguous table 二 rows of `report` (in place). */
export function resolveTable2WithProse(report: ParsedReport, claims: ProseClaim[]): void {
  const format = report.table_formats.table2;
  const table = report.table2;
  if (!format || !table) return;
  for (const a of report.ambiguous.filter(resolvable)) {
    const columns = a.cells.map((c) => c.split('.')[2]!);
    const statements = claims.filter((c) => STATED[c.key]).map((c) => ({ column: STATED[c.key]![format], value: c.value }));
    if (statements.length === 0) continue;
    const fits = a.candidates.filter((cand) => statements.every((s) => cand[columns.indexOf(s.column)] === s.value));
    if (fits.length !== 1) continue;
    const row = table.normative_documents as Record<string, number | null>;
    columns.forEach((col, i) => (row[col] = fits[0]![i]!));
    report.unreadable = report.unreadable.filter((c) => !a.cells.includes(c));
    report.inferred.push(...a.cells);
    report.ambiguous = report.ambiguous.filter((x) => x !== a);
    a.cells.forEach((c) => (report.sources[c] = `${a.source} (split by the text's own figures / 按正文数字拆分)`));
  }
}
