/**
 * CROSS-PROSE (docs/format.md §8, X-PROSE-YOY): what the prose says of last year must match last year's report —
 * the figure it gives for last year ("比2022年(31起)"), the change in units ("较上年增加5件"), in per cent ("较去年回落
 * 12.3%"), or its direction alone ("同比有所下降"). This year's figure is the one the sentence states, else the table's.
 * A warning: the prose may count another way (a stated total of applications may include the carried-over ones, as
 * PROSE-TABLE accepts), and it is the table that the law prescribes.
 */
import type { Finding, ProseKey } from '../report/model.ts';
import { extractComparisons, type ChangeDirection, type ProseComparison } from '../report/prose-compare.ts';
import { viewOf, type CellView } from './cells.ts';
import { PROSE_LABELS, tableFigure } from './prose.ts';
import { finding, type CrossRule } from './types.ts';

type Figure = { value: number; cells: string[] };

/** The table's figures a stated one may be: applications received may be stated with the carried-over ones. */
function figures(view: CellView, key: ProseKey): Figure[] {
  const keys: ProseKey[] = key === 'received' || key === 'received_or_total' ? ['received', 'received_or_total'] : [key];
  return keys.map((k) => tableFigure(view, k)).filter((f): f is Figure => f !== undefined);
}

const DIRECTION_ZH: Record<ChangeDirection, string> = { up: '增加', down: '减少', same: '持平' };
/** A change in per cent rises or falls (上升/下降); a count grows or shrinks (增加/减少). */
const PERCENT_ZH: Record<ChangeDirection, string> = { up: '上升', down: '下降', same: '持平' };
const signOf = (d: ChangeDirection) => (d === 'up' ? 1 : d === 'down' ? -1 : 0);
const directionOf = (change: number): ChangeDirection => (change > 0 ? 'up' : change < 0 ? 'down' : 'same');

/** The change from `previous` to `current` in per cent (unrounded: `holds` allows for the text's rounding). */
const percentChange = (current: number, previous: number) => ((current - previous) / previous) * 100;

/** Whether a stated change holds between `current` and `previous`. */
function holds(c: ProseComparison, current: number, previous: number): boolean {
  const change = current - previous;
  if (c.direction === undefined) return true;
  const sign = signOf(c.direction);
  if (c.count !== undefined) return change === sign * c.count;
  if (c.percent !== undefined) {
    if (previous === 0) return false; // no per cent of nothing
    // One unit in the last place written: rounded or cut off, both are read as honest.
    const tolerance = 10 ** -c.percent.decimals + 1e-9;
    return Math.abs(percentChange(current, previous) - sign * c.percent.value) <= tolerance;
  }
  return Math.sign(change) === sign;
}

/** The stated change in words: "增加5件", "下降12.3%", "持平". */
function statedChange(c: ProseComparison): { zh: string; en: string } {
  const d = c.direction!;
  const size = c.count !== undefined ? `${c.count}件` : c.percent !== undefined ? `${c.percent.value.toFixed(c.percent.decimals)}%` : '';
  const words = c.percent !== undefined ? PERCENT_ZH : DIRECTION_ZH;
  const en = c.count !== undefined ? ` by ${c.count}` : c.percent !== undefined ? ` by ${c.percent.value.toFixed(c.percent.decimals)}%` : '';
  return { zh: `${words[d]}${size}`, en: `${d === 'same' ? 'unchanged' : d === 'up' ? 'up' : 'down'}${en}` };
}

/** The actual change in the same terms as the stated one. */
function actualChange(c: ProseComparison, current: number, previous: number): { zh: string; en: string; value: number | string } {
  const change = current - previous;
  if (c.percent !== undefined && previous !== 0) {
    const pct = Number(percentChange(current, previous).toFixed(c.percent.decimals));
    return { zh: `${PERCENT_ZH[directionOf(pct)]}${Math.abs(pct)}%`, en: `${pct > 0 ? '+' : ''}${pct}%`, value: `${pct}%` };
  }
  return { zh: change === 0 ? '持平' : `${DIRECTION_ZH[directionOf(change)]}${Math.abs(change)}件`, en: `${change > 0 ? '+' : ''}${change}`, value: change };
}

const statedValue = (c: ProseComparison): number | string =>
  c.count !== undefined
    ? signOf(c.direction!) * c.count
    : c.percent !== undefined
      ? `${(signOf(c.direction!) * c.percent.value).toFixed(c.percent.decimals)}%`
      : c.direction!;

export const crossProse: CrossRule = {
  id: 'CROSS-PROSE',
  severity: 'warning',
  zh: '正文与上年比较的说法与上年报告不符',
  en: 'What the text says of last year does not match last year’s report',
  check(current, previous) {
    if (current.year !== null && previous.year !== null && previous.year !== current.year - 1) return [];
    const now = viewOf(current);
    const before = viewOf(previous);
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (const c of extractComparisons(current.prose_text, current.year)) {
      const f = assess(this, c, now, before);
      const id = f && `${f.quote}|${f.zh}`;
      if (f && !seen.has(id!)) {
        seen.add(id!);
        out.push(f);
      }
    }
    return out;
  },
};

function assess(rule: CrossRule, c: ProseComparison, now: CellView, before: CellView): Finding | undefined {
  const lastYear = figures(before, c.key);
  if (lastYear.length === 0) return undefined; // last year's figure is not in its table, or was not read
  const label = PROSE_LABELS[c.key];
  const previousCells = (f: Figure) => f.cells.map((x) => `previous.${x}`);
  if (c.previous !== undefined && !lastYear.some((f) => f.value === c.previous)) {
    const f = lastYear[0]!;
    return finding(
      rule,
      {
        zh: `正文称上年${label}为${c.previous}，上年报告为${f.value}`,
        en: `the text gives last year's ${c.key} as ${c.previous}, last year's report says ${f.value}`,
      },
      { cells: previousCells(f), expected: f.value, actual: c.previous, quote: c.quote },
    );
  }
  if (c.direction === undefined) return undefined;
  const thisYear: Figure[] = c.current !== undefined ? [{ value: c.current, cells: [] }] : figures(now, c.key);
  if (thisYear.length === 0) return undefined;
  for (const p of lastYear) for (const t of thisYear) if (holds(c, t.value, p.value)) return undefined;
  const p = lastYear[0]!;
  const t = thisYear[0]!;
  const stated = statedChange(c);
  const actual = actualChange(c, t.value, p.value);
  return finding(
    rule,
    {
      zh: `正文称${label}较上年${stated.zh}，上年报告为${p.value}、本年为${t.value}，实为${actual.zh}`,
      en: `the text says ${c.key} was ${stated.en} on last year; last year's report gives ${p.value}, this year ${t.value} (${actual.en})`,
    },
    { cells: [...t.cells, ...previousCells(p)], expected: actual.value, actual: statedValue(c), quote: c.quote },
  );
}
