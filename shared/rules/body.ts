/**
 * Rules that need to know who published the report (docs/format.md §8): run by the crawl, which knows the body, and
 * stored with the source they were found on.
 *
 * ASSESSMENT-RESULTS: 条例 第五十条（四） — "各级人民政府的政府信息公开工作年度报告还应当包括工作考核、社会评议和责任追究结果
 * 情况". A government's report (a county's, a township's: every 人民政府) says how its disclosure work was assessed,
 * what the public's evaluation found and whether anyone was held to account. Departments are not asked.
 */
import type { Level } from '../crawl/registry.ts';
import type { Finding, ParsedReport } from '../report/model.ts';
import { finding, type RuleInfo } from './types.ts';

/** A check of one report that needs its publisher. */
export interface BodyRule extends RuleInfo {
  check(report: ParsedReport, body: { level: Level }): Finding[];
}

/** The three results the 条例 names, and how reports name them ("年度考核", "社会评议", "未发生责任追究情况", "效能问责"). */
const RESULTS = [
  { key: 'assessment', zh: '工作考核', en: 'assessment', pattern: /考核|考评/ },
  { key: 'evaluation', zh: '社会评议', en: 'public evaluation', pattern: /评议/ },
  { key: 'accountability', zh: '责任追究', en: 'accountability', pattern: /责任追究|追责|问责/ },
] as const;

export const assessmentResults: BodyRule = {
  id: 'ASSESSMENT-RESULTS',
  severity: 'warning',
  zh: '政府年度报告应包括工作考核、社会评议和责任追究结果情况（条例第五十条）',
  en: "A government's report states its assessment, public evaluation and accountability results (条例 art. 50)",
  check(report, body) {
    // Every 人民政府; the 2019 条例 on (the 2007 one did not ask it); a report whose prose was read.
    if (body.level !== 'government' && body.level !== 'township') return [];
    if (report.format === 'legacy' || report.image_only || report.year === null || report.year < 2019) return [];
    if (report.sections.length === 0) return [];
    const missing = RESULTS.filter((r) => !r.pattern.test(report.prose_text));
    if (missing.length === 0) return [];
    return [
      finding(
        this,
        {
          zh: `未说明${missing.map((r) => r.zh).join('、')}结果情况`,
          en: `no word on the ${missing.map((r) => r.en).join(', ')} results`,
        },
        {
          expected: RESULTS.map((r) => r.key).join(' '),
          actual: RESULTS.filter((r) => !missing.includes(r))
            .map((r) => r.key)
            .join(' '),
        },
      ),
    ];
  },
};

/** Runs every rule that needs the report's publisher. */
export function runBodyRules(report: ParsedReport, body: { level: Level }): Finding[] {
  return [assessmentResults].flatMap((r) => r.check(report, body));
}
