/** Table 四 group totals (docs/format.md §7 T4-GRP): 结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计, per group. */
import { TABLE4_GROUPS, TABLE4_GROUP_LABELS } from '../report/format.ts';
import { unequalSums, viewOf } from './cells.ts';
import { finding, type Rule } from './types.ts';

export const t4Total: Rule = {
  id: 'T4-TOTAL',
  severity: 'error',
  zh: '表四行政复议、直接起诉、复议后起诉各组：维持 + 纠正 + 其他 + 尚未审结 = 总计',
  en: 'Table 4, each group: upheld + corrected + other + pending = total',
  check(report) {
    if (!report.table4) return [];
    return unequalSums(
      viewOf(report),
      TABLE4_GROUPS.map((g) => ({
        parts: ['upheld', 'corrected', 'other', 'pending'].map((o) => `table4.${g}_${o}`),
        total: [`table4.${g}_total`],
        message: (p, t) => ({
          zh: `表四「${TABLE4_GROUP_LABELS[g]}」：分项之和${p}，总计${t === 'blank' ? '空白' : t}`,
          en: `table 4 ${g}: parts sum to ${p}, total is ${t}`,
        }),
      })),
      (message, extra) => finding(this, message, extra),
    );
  },
};
