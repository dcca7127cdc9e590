/**
 * SECTION-EMPTY (docs/format.md §7): section 五, 存在的主要问题及改进情况, is there but says nothing ("无。"). The 条例
 * (第五十条（四）) requires the report to state the body's main problems and how it improves; evaluators flag the empty
 * section (KIROGOVCOMPARE "第五部分存在问题及改进情况空缺"; shared/domain/WATCHDOGS.md §5).
 */
import { findSections, sectionSpan } from '../report/sections.ts';
import { finding, type Rule } from './types.ts';

/** Fewer characters than this, once spaces and punctuation are gone, is no statement of problems and improvements. */
const AT_LEAST = 10;

export const sectionEmpty: Rule = {
  id: 'SECTION-EMPTY',
  severity: 'warning',
  zh: '第五部分（存在的主要问题及改进情况）内容空缺',
  en: 'Section 5 (main problems and improvements) says nothing',
  check(report) {
    if (report.format === 'legacy' || report.image_only || !report.sections.includes('problems')) return [];
    // The prose keeps the headings (tables aside), so the section's text runs from its heading to the next one found.
    const text = report.prose_text;
    const span = sectionSpan(findSections(text).hits, 'problems', text.length);
    if (!span) return [];
    const said = text.slice(...span).replace(/[\s\p{P}\p{S}]/gu, '');
    if (said.length >= AT_LEAST) return [];
    const quote = text.slice(...span).trim();
    return [
      finding(
        this,
        // The quote is the evidence, in its own field: the English line says how little there is, not what.
        { zh: `第五部分仅有“${quote || '（空）'}”`, en: `section 5 is there but says nothing (${said.length} characters)` },
        { ...(quote ? { quote } : {}), actual: said.length, expected: `≥ ${AT_LEAST}` },
      ),
    ];
  },
};
