/** The rule registry: every single-report rule and every cross-year rule, in reporting order. */
import { type Finding, type ParsedReport, SEVERITY_RANK } from '../report/model.ts';
import { crossProse } from './cross-prose.ts';
import { crossCarry, crossSimilar, crossStock } from './cross-year.ts';
import { feeReport } from './fees.ts';
import { formatNotice } from './format-notice.ts';
import { sectionEmpty } from './problems.ts';
import { proseTable } from './prose.ts';
import { proseShare } from './prose-share.ts';
import { formatLegacy, formatYear, imageOnly, reportYear, sections, tableMissing } from './structure.ts';
import { t3Balance, t3Results, t3RowTotal } from './table3.ts';
import { t4Total } from './table4.ts';
import type { CrossRule, Rule, RuleInfo } from './types.ts';
import { assessmentResults } from './body.ts';
import { cellUnread } from './unread.ts';
import { blankCell, negative, unit } from './values.ts';

export { RULE_IDS, type RuleId, type Rule, type CrossRule } from './types.ts';
export { runBodyRules, type BodyRule } from './body.ts';

export const RULES: readonly Rule[] = [
  reportYear,
  tableMissing,
  cellUnread,
  t3Balance,
  t3Results,
  t3RowTotal,
  t4Total,
  negative,
  blankCell,
  sections,
  sectionEmpty,
  formatYear,
  formatNotice,
  proseTable,
  proseShare,
  feeReport,
  imageOnly,
  formatLegacy,
  unit,
];

export const CROSS_RULES: readonly CrossRule[] = [crossCarry, crossStock, crossProse, crossSimilar];

/**
 * Rules the crawl runs, not the parser: against last year's report, and those that need the publisher. Their findings
 * are stored with the source (pipeline/assess.ts) and shown beside a reading of it (`nianbao report`).
 */
export const CRAWL_RULE_IDS: ReadonlySet<string> = new Set([...CROSS_RULES.map((r) => r.id), assessmentResults.id]);

/** Every rule by id, with its severity and names (the year's pages name the rules their bodies raised). */
export const RULE_INFO: ReadonlyMap<string, RuleInfo> = new Map(
  [...RULES, ...CROSS_RULES, assessmentResults].map((r) => [r.id, { id: r.id, severity: r.severity, zh: r.zh, en: r.en }]),
);

function sorted(findings: Finding[]): Finding[] {
  return findings
    .map((f, i) => [f, i] as const)
    .sort((a, b) => SEVERITY_RANK[a[0].severity] - SEVERITY_RANK[b[0].severity] || a[1] - b[1])
    .map(([f]) => f);
}

/** Runs every single-report rule. An image-only report gets IMAGE-ONLY and nothing else. */
export function runRules(report: ParsedReport): Finding[] {
  if (report.image_only) return imageOnly.check(report);
  return sorted(RULES.flatMap((r) => r.check(report)));
}

/** Runs the cross-year rules of `current` against the same body's `previous` report. */
export function runCrossYearRules(current: ParsedReport, previous: ParsedReport): Finding[] {
  return sorted(CROSS_RULES.flatMap((r) => r.check(current, previous)));
}
