/**
 * Rule ids are a contract (docs/format.md §7): they appear in JSON output, DynamoDB rows and alerts.
 * docs/format.md's working names: T3-BAL → T3-BALANCE, T3-RES → T3-RESULTS, T3-ROW → T3-ROW-TOTAL,
 * T4-GRP → T4-TOTAL, X-CARRY → CROSS-CARRY, X-DUP → CROSS-SIMILAR, X-REGDOC → CROSS-STOCK, X-PROSE-YOY → CROSS-PROSE.
 */
import type { Finding, ParsedReport, Severity } from '../report/model.ts';

export const RULE_IDS = [
  'T3-BALANCE',
  'T3-RESULTS',
  'T3-ROW-TOTAL',
  'T4-TOTAL',
  'NEGATIVE',
  'TABLE-MISSING',
  'CELL-UNREAD',
  'BLANK-CELL',
  'SECTIONS',
  'FORMAT-YEAR',
  'FORMAT-NOTICE',
  'PROSE-TABLE',
  'PROSE-SHARE',
  'IMAGE-ONLY',
  'CROSS-SIMILAR',
  'CROSS-STOCK',
  'CROSS-CARRY',
  'CROSS-PROSE',
  'FORMAT-LEGACY',
  'UNIT',
  'REPORT-YEAR',
  'FEE-REPORT',
  'SECTION-EMPTY',
  'ASSESSMENT-RESULTS',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export interface RuleInfo {
  id: RuleId;
  severity: Severity;
  zh: string;
  en: string;
}

/** A check of one report. Returns no finding for what it cannot assess (a missing table, unreadable cells). */
export interface Rule extends RuleInfo {
  check(report: ParsedReport): Finding[];
}

/** A check of a report against the same body's report of the year before. */
export interface CrossRule extends RuleInfo {
  check(current: ParsedReport, previous: ParsedReport): Finding[];
}

/** A finding's text in both languages. */
export interface Bilingual {
  zh: string;
  en: string;
}

/** Builds a finding of `rule` (severity from the rule), with its text in Chinese and English. */
export function finding(rule: RuleInfo, text: Bilingual, extra: Omit<Finding, 'rule' | 'severity' | 'message' | 'zh' | 'en'> = {}): Finding {
  return { rule: rule.id, severity: rule.severity, message: `${text.zh} / ${text.en}`, zh: text.zh, en: text.en, ...extra };
}
