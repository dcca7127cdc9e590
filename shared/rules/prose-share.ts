/**
 * PROSE-SHARE (docs/format.md §9): a share the prose states of an outcome ("不予公开35件，占4.34%") must be that figure's
 * share of the applications handled. Reports divide by the applications answered (平潭 2023: 42 of 办结 81 = 51.85%;
 * 上海 2019: 35 of 答复 805 = 4.34%), some by those received; the figures may be the prose's or the table's. Any of
 * them that gives the share, rounded or cut off to the decimals written, is accepted; a share none of them gives is
 * a warning that quotes the sentence (上海 2019: "予以公开及部分公开258件，占33.9%": 258 of 805 is 32.0%).
 */
import type { Finding } from '../report/model.ts';
import { extractShares } from '../report/prose-share.ts';
import { viewOf } from './cells.ts';
import { PROSE_LABELS, tableFigure } from './prose.ts';
import { finding, type Rule } from './types.ts';

export const proseShare: Rule = {
  id: 'PROSE-SHARE',
  severity: 'warning',
  zh: '正文所述占比与其数字不符',
  en: 'A share stated in the text does not follow from its figures',
  check(report) {
    const shares = extractShares(report.prose_text);
    if (shares.length === 0) return [];
    const view = viewOf(report);
    type Base = { value: number; zh: string; en: string };
    const stated = (keys: string[], zh: string, en: string): Base[] =>
      report.prose.filter((c) => keys.includes(c.key)).map((c) => ({ value: c.value, zh: `正文${zh}`, en: `the text's ${en}` }));
    const table = (key: 'handled' | 'received' | 'received_or_total', zh: string, en: string): Base[] => {
      const v = tableFigure(view, key)?.value;
      return v === undefined ? [] : [{ value: v, zh: `表三${zh}`, en: `table 3's ${en}` }];
    };
    // What a share may be of: the applications handled first (the usual base), then those received.
    const bases = [
      ...stated(['handled'], '办结/答复数', 'applications answered'),
      ...table('handled', '办理结果总计', 'applications answered'),
      ...stated(['received', 'received_or_total'], '收到申请数', 'applications received'),
      ...table('received', '本年新收申请数', 'applications received'),
      ...table('received_or_total', '新收与上年结转申请数', 'applications received and carried over'),
    ].filter((b) => b.value > 0);
    if (bases.length === 0) return [];
    const out: Finding[] = [];
    for (const s of shares) {
      const numerators = [...new Set([s.value, tableFigure(view, s.key)?.value].filter((n): n is number => n !== undefined))];
      const tolerance = 10 ** -s.percent.decimals + 1e-9;
      const fits = numerators.some((n) => bases.some((b) => Math.abs((n / b.value) * 100 - s.percent.value) <= tolerance));
      if (fits) continue;
      const base = bases[0]!;
      const written = s.percent.value.toFixed(s.percent.decimals); // as the text has it: "42.0%"
      const actual = ((s.value / base.value) * 100).toFixed(s.percent.decimals);
      out.push(
        finding(
          this,
          {
            zh: `正文称${PROSE_LABELS[s.key]}${s.value}件占${written}%，按${base.zh}${base.value}计为${actual}%`,
            en: `the text says ${s.value} (${s.key}) is ${written}%; of ${base.en} (${base.value}) it is ${actual}%`,
          },
          { expected: `${actual}%`, actual: `${written}%`, quote: s.quote },
        ),
      );
    }
    return out;
  },
};
