/** The report as a whole: tables present, sections in order, the template version of its year. */
import { SECTIONS, formatForYear } from '../report/format.ts';
import type { Finding } from '../report/model.ts';
import { finding, type Rule } from './types.ts';

const TABLE_NAMES = {
  table2: '表二（主动公开政府信息情况）',
  table3: '表三（收到和处理政府信息公开申请情况）',
  table4: '表四（行政复议、行政诉讼情况）',
} as const;

export const tableMissing: Rule = {
  id: 'TABLE-MISSING',
  severity: 'error',
  zh: '缺少统计表（表二、表三或表四）',
  en: 'A statistics table (2, 3 or 4) is missing',
  check(report) {
    if (report.format === 'legacy' || report.image_only) return [];
    return (['table2', 'table3', 'table4'] as const)
      .filter((t) => report[t] === null)
      .map((t) => finding(this, { zh: `未找到${TABLE_NAMES[t]}`, en: `${t} not found` }, { cells: [t] }));
  },
};

export const sections: Rule = {
  id: 'SECTIONS',
  severity: 'warning',
  zh: '六个部分齐全且顺序正确',
  en: 'All six sections present and in order',
  check(report) {
    if (report.format === 'legacy' || report.image_only) return [];
    const out: Finding[] = [];
    const missing = SECTIONS.filter((s) => !report.sections.includes(s.key) && !report.sections_out_of_order.includes(s.key));
    if (missing.length > 0) {
      out.push(
        finding(
          this,
          { zh: `缺少部分：${missing.map((s) => `${s.numeral}、${s.label}`).join('；')}`, en: `missing sections: ${missing.map((s) => s.key).join(', ')}` },
          {
            expected: SECTIONS.map((s) => s.numeral).join(''),
            actual: SECTIONS.filter((s) => report.sections.includes(s.key))
              .map((s) => s.numeral)
              .join(''),
          },
        ),
      );
    }
    const disordered = SECTIONS.filter((s) => report.sections_out_of_order.includes(s.key));
    if (disordered.length > 0) {
      out.push(
        finding(this, {
          zh: `顺序不符：${disordered.map((s) => `${s.numeral}、${s.label}`).join('；')}`,
          en: `sections out of order: ${disordered.map((s) => s.key).join(', ')}`,
        }),
      );
    }
    return out;
  },
};

export const formatYear: Rule = {
  id: 'FORMAT-YEAR',
  severity: 'warning',
  zh: '表格版本与报告年度不符（2021年度起应使用国办公开办函〔2021〕30号格式）',
  en: 'Template version does not match the report year (the 2021 format applies from the 2021 reports on)',
  check(report) {
    if (report.year === null) return [];
    const expected = formatForYear(report.year);
    const out: Finding[] = [];
    const { table2, table3 } = report.table_formats;
    if (table2 && table2 !== expected && expected !== 'legacy') {
      out.push(
        finding(
          this,
          {
            zh: `${report.year}年度报告的表二使用了${table2}年版格式，应为${expected}年版`,
            en: `table 2 uses the ${table2} format, the ${report.year} report should use ${expected}`,
          },
          {
            cells: ['table2'],
            expected,
            actual: table2,
          },
        ),
      );
    }
    if (table3 && table3 !== expected && expected !== 'legacy') {
      const detail = table3 === '2019' ? '（六）其他处理为单行，未分1.2.3.三项' : '（六）其他处理分为三项';
      out.push(
        finding(
          this,
          {
            zh: `${report.year}年度报告的表三${detail}，属${table3}年版格式，应为${expected}年版`,
            en: `table 3 uses the ${table3} row set, the ${report.year} report should use ${expected}`,
          },
          {
            cells: ['table3'],
            expected,
            actual: table3,
          },
        ),
      );
    }
    return out;
  },
};

export const formatLegacy: Rule = {
  id: 'FORMAT-LEGACY',
  severity: 'info',
  zh: '2019年以前的自由格式报告，没有统一统计表',
  en: 'Pre-2019 free-form report without the standard tables',
  check(report) {
    return report.format === 'legacy'
      ? [finding(this, { zh: `${report.year ?? ''}年度报告为旧版（2019年以前）格式，不含统一的表二、表三、表四`, en: `legacy pre-2019 report` })]
      : [];
  },
};

export const imageOnly: Rule = {
  id: 'IMAGE-ONLY',
  severity: 'warning',
  zh: '报告内容为图片，无法机读',
  en: 'The report is images only and not machine-readable',
  check(report) {
    return report.image_only ? [finding(this, { zh: '报告的表格以图片发布，无法机读', en: 'the tables are published as images, not machine-readable' })] : [];
  },
};

/**
 * REPORT-YEAR (error): the document states another year than the one it is listed for — its title ("2023年度…年度报告")
 * or its 统计期限 — as when last year's report is posted again under this year's title, or the link leads to another
 * year's file. The year's report (条例 第五十条) is then not what the portal shows. Only where the caller knows the
 * year (the column lists it, `--year`): a document read on its own has no other year to contradict.
 */
export const reportYear: Rule = {
  id: 'REPORT-YEAR',
  severity: 'error',
  zh: '文档自述的年度与其所列年度不符（可能发布了其他年度的报告）',
  en: 'The document states another year than the one it is listed for (another year’s report?)',
  check(report) {
    if (report.year === null || report.stated_year === null || report.stated_year === report.year) return [];
    return [
      finding(
        this,
        {
          zh: `文档为${report.stated_year}年度报告，所列年度为${report.year}年度`,
          en: `the document is the ${report.stated_year} report, listed as the ${report.year} one`,
        },
        { expected: report.year, actual: report.stated_year, ...(report.title ? { quote: report.title } : {}) },
      ),
    ];
  },
};
