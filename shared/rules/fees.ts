/**
 * FEE-REPORT (docs/format.md §7): a report of 2021 or later says what information-processing fees the body collected.
 * The 2021 format (国办公开办函〔2021〕30号) asks section 六 (其他需要报告的事项) for the fees charged under the
 * 《政府信息公开信息处理费管理办法》(国办函〔2020〕109号, in force from 2021); real reports say it even when none were
 * ("无收取信息处理费情况", 平潭 2022; "未收取信息公开处理费", 上海 2025). Evaluators flag the omission (KIROGOVCOMPARE
 * "存在收费但未在第六部分说明"; shared/domain/WATCHDOGS.md §5).
 */
import { TABLE3_COLUMNS } from '../report/format.ts';
import { finding, type Rule } from './types.ts';

/**
 * A sentence about the fees: "信息处理费", "信息公开处理费", "未收取…费用", "政府信息公开收费事项". Not the table labels
 * that mention fees ("行政事业性收费", "收费通知要求缴纳费用"), which a text layout leaves in the prose.
 */
const FEE_SENTENCE = /处理费|收取[^。；，]{0,12}费用|公开[^。；，\s]{0,6}收费/;

export const feeReport: Rule = {
  id: 'FEE-REPORT',
  severity: 'warning',
  zh: '未说明收取信息处理费的情况（第六部分，国办公开办函〔2021〕30号）',
  en: 'The report does not say what information-processing fees were collected (section 6, the 2021 format)',
  check(report) {
    // Only where the rule applies (the 2021 reports on) and where section 六 was found: a report whose section 六 is
    // missing is told so by SECTIONS, and one whose prose could not be read says nothing either way.
    if (report.image_only || report.year === null || report.year < 2021 || !report.sections.includes('other')) return [];
    if (FEE_SENTENCE.test(report.prose_text)) return [];
    const unpaid = report.table3?.rows.other_no_fee?.[TABLE3_COLUMNS.indexOf('total')] ?? null;
    // Applications closed because a fee notice went unpaid (table 三 三(六)2): the body charged, and says nothing of it.
    const noticed = unpaid !== null && unpaid > 0;
    return [
      finding(
        this,
        noticed
          ? {
              zh: `表三有${unpaid}件申请因逾期未缴纳费用不再处理，但报告未说明收取信息处理费的情况`,
              en: `table 3 closes ${unpaid} applications over unpaid fees, yet the report does not say what fees were collected`,
            }
          : { zh: '报告未说明收取信息处理费的情况', en: 'the report does not say what information-processing fees were collected' },
        noticed ? { cells: ['table3.other_no_fee.total'], actual: unpaid } : {},
      ),
    ];
  },
};
