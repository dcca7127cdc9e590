/**
 * FORMAT-NOTICE (docs/format.md §6): a report of 2021 or later that says it was compiled under the superseded notice —
 * 国办公开办函〔2019〕60号, or the "格式（试行）" it issued — and not under 国办公开办函〔2021〕30号, which replaced it for
 * the 2021 reports on. A "wrong template citation" signal (FORMAT.md §6; watchdogs' "wrong or outdated template"):
 * 宜城市教育局 2022 "依据…（国办公开办函〔2019〕60号）要求编制". The tables may be right (FORMAT-YEAR checks their rows);
 * the text says the body worked from the old rules. Quotes the sentence.
 */
import type { Finding } from '../report/model.ts';
import { finding, type Rule } from './types.ts';

/** The 2019 notice by its number, with any bracket ("〔2019〕60号", "[2019]60号", "(2019)60号"), or the 试行 format. */
const OLD_NOTICE = /国办公开办函\s*[〔[(（【]\s*2019\s*[〕\])）】]\s*60\s*号|年度报告格式\s*[(（]\s*试行\s*[)）]/;
/** The 2021 notice that replaced it. */
const NEW_NOTICE = /[〔[(（【]\s*2021\s*[〕\])）】]\s*30\s*[号號]/;

export const formatNotice: Rule = {
  id: 'FORMAT-NOTICE',
  severity: 'warning',
  zh: '报告称依据已废止的国办公开办函〔2019〕60号（格式试行）编制（2021年度起应依据国办公开办函〔2021〕30号）',
  en: 'The report says it follows the superseded 2019 notice (国办公开办函〔2019〕60号) instead of the 2021 format',
  check(report) {
    if (report.year === null || report.year < 2021 || report.format === 'legacy') return [];
    const text = report.prose_text;
    const old = OLD_NOTICE.exec(text);
    if (!old || NEW_NOTICE.test(text)) return [];
    const start = Math.max(text.lastIndexOf('。', old.index) + 1, old.index - 160);
    const end = text.indexOf('。', old.index);
    const quote = text.slice(start, end === -1 ? old.index + old[0].length : end + 1).trim();
    return [
      finding(
        this,
        {
          zh: `${report.year}年度报告称依据${old[0].includes('试行') ? '《年度报告格式（试行）》' : '国办公开办函〔2019〕60号'}编制，应依据国办公开办函〔2021〕30号`,
          en: `the ${report.year} report cites the 2019 notice; reports from 2021 on follow 国办公开办函〔2021〕30号`,
        },
        { expected: '国办公开办函〔2021〕30号', actual: old[0], quote } satisfies Partial<Finding>,
      ),
    ];
  },
};
