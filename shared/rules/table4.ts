/** Table 四 group totals (docs/format.md §7 T4-GRP): 结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计, per group. */
import { TABLE4_GROUPS, TABLE4_GROUP_LABELS } from '../report/format.ts';
import type { Finding } from '../report/model.ts';
import { viewOf } from './cells.ts';
import { finding, type Rule } from './types.ts';

export const t4Total: Rule = {
  id: 'T4-TOTAL',
  severity: 'error',
  zh: '表四行政复议、直接起诉、复议后起诉各组：维持 + 纠正 + 其他 + 尚未审结 = 总计',
  en: 'Table 4, each group: upheld + corrected + other + pending = total',
  check(report) {
    if (!report.table4) return [];
    const view = viewOf(report);
    const out: Finding[] = [];
    for (const g of TABLE4_GROUPS) {
      const cells = ['upheld', 'corrected', 'other', 'pending'].map((o) => `table4.${g}_${o}`);
      const parts = view.sum(cells);
      const total = view.sum([`table4.${g}_total`]);
      if (!parts || !total || (parts.allBlank && total.allBlank) || parts.value === total.value) continue;
      out.push(
        finding(
          this,
          `表四「${TABLE4_GROUP_LABELS[g]}」：分项之和${parts.value}，总计${total.allBlank ? '空白' : total.value} / table 4 ${g}: parts sum to ${parts.value}, total is ${total.allBlank ? 'blank' : total.value}`,
          {
            cells: [`table4.${g}_total`, ...cells],
            expected: parts.value,
            actual: total.allBlank ? 'blank' : total.value,
          },
        ),
      );
    }
    return out;
  },
};
