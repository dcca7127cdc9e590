/**
 * CELL-UNREAD (error): a figure the parser could not read. An unread cell is never shown or stored as blank and
 * never counted as 0: a watchdog must see that the report was read with gaps (issue: "239 unread cells reported
 * as a clean report"). One finding per table, listing its cells; each cell's reason and source text are in the
 * report's `unread` list.
 */
import type { Finding } from '../report/model.ts';
import { finding, type Rule } from './types.ts';

const NAMES = { table2: ['表二', 'table 2'], table3: ['表三', 'table 3'], table4: ['表四', 'table 4'] } as const;

export const cellUnread: Rule = {
  id: 'CELL-UNREAD',
  severity: 'error',
  zh: '有未能读取的数字（既不是空白也不是0）',
  en: 'Figures the parser could not read (neither blank nor 0)',
  check(report) {
    const out: Finding[] = [];
    for (const table of ['table2', 'table3', 'table4'] as const) {
      const cells = report.unread.filter((u) => u.cell.startsWith(`${table}.`));
      if (cells.length === 0) continue;
      // Reasons read `English / 中文` (model.ts UnreadCell).
      const reasons = [...new Set(cells.map((c) => c.reason.split(' / ')[1] ?? c.reason))].slice(0, 3).join('；');
      const reasonsEn = [...new Set(cells.map((c) => c.reason.split(' / ')[0]))].slice(0, 3).join('; ');
      const [zh, en] = NAMES[table];
      out.push(
        finding(
          this,
          { zh: `${zh}有${cells.length}个数字未能读取（${reasons}）`, en: `${cells.length} figures of ${en} could not be read (${reasonsEn})` },
          {
            cells: cells.map((c) => c.cell),
            actual: cells.length,
            ...(cells.find((c) => c.source) ? { quote: cells.find((c) => c.source)!.source } : {}),
          },
        ),
      );
    }
    return out;
  },
};
