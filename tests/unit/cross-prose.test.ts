import { describe, expect, it } from 'vitest';
import { parseReportBytes } from '../../shared/check.ts';
import { randomModel, type Model } from '../../shared/demo/generate.ts';
import { render } from '../../shared/demo/render.ts';
import type { ParsedReport } from '../../shared/report/model.ts';
import { extractComparisons } from '../../shared/report/prose-compare.ts';
import { runCrossYearRules } from '../../shared/rules/index.ts';
import { fixture } from '../helpers/fixtures.ts';

const strip = (cs: ReturnType<typeof extractComparisons>) => cs.map(({ quote: _q, ...c }) => c);

describe('comparisons with last year in the prose (X-PROSE-YOY)', () => {
  it('reads the real sentences: 上海 2019 and 2023, the 平度公安 2023 form, "由…下降至…", a year in brackets', () => {
    // 上海市人民政府办公厅 2019 (tests/fixtures/01): "共受理政府信息公开申请859件，申请数量较去年回落12.3%".
    const shanghai2019 = parseReportBytes(fixture('01-shanghai-szfbgt-2019.html'));
    expect(strip(extractComparisons(shanghai2019.prose_text, shanghai2019.year))).toEqual([
      { key: 'received', current: 859, direction: 'down', percent: { value: 12.3, decimals: 1 } },
    ]);
    // 2023年上海市政府信息公开工作年度报告 (https://shanghai.gov.cn/nw12344/20240329/d7775c906c0b402a93cbebf4e979c002.html).
    const shanghai2023 =
      '2023年，全市共收到政府信息公开申请34290件，申请数量较2022年上升29.3%；答复政府信息公开申请34430件（含上年度转结），均在法定期限内予以答复。';
    expect(strip(extractComparisons(shanghai2023, 2023))).toEqual([
      { key: 'received', current: 34290, direction: 'up', percent: { value: 29.3, decimals: 1 } },
    ]);
    expect(strip(extractComparisons('全年共受理政府信息公开申请22起，比2022年（31起）下降29%。', 2023))).toEqual([
      { key: 'received', current: 22, previous: 31, direction: 'down', percent: { value: 29, decimals: 0 } },
    ]);
    expect(strip(extractComparisons('本年度收到申请数量由上年的31件下降至22件。', 2023))).toEqual([{ key: 'received', previous: 31, current: 22 }]);
    expect(strip(extractComparisons('收到政府信息公开申请22件（2022年为31件）。', 2023))).toEqual([{ key: 'received', current: 22, previous: 31 }]);
    expect(strip(extractComparisons('本年度被申请行政复议3件，较上年减少2件；行政诉讼1件，与上年持平。', 2023))).toEqual([
      { key: 'review_total', current: 3, direction: 'down', count: 2 },
      { key: 'suit_total', current: 1, direction: 'same' },
    ]);
  });

  it('leaves out what it cannot tie to a figure of the tables, another year, and "about the same"', () => {
    // 上海 2019's "同比显著增长" is about page views, not a figure of the tables.
    expect(extractComparisons('共发布各类信息13528条，总浏览量为536万，同比显著增长。', 2019)).toEqual([]);
    expect(extractComparisons('共受理申请22件，较2021年增加5件。', 2023)).toEqual([]); // not the year before
    expect(extractComparisons('全年收到申请12件，与上年相比，基本持平。', 2023)).toEqual([]);
    expect(extractComparisons('全年主动公开政府信息1234条，较上年增加100条。', 2023)).toEqual([]);
    // After a total and one part of it, "较上年增加5件" could be said of either.
    expect(extractComparisons('共收到申请22件，其中自然人20件，较上年增加5件。', 2023)).toEqual([]);
  });
});

/** A report of `year` rendered as a portal page, `sentence` added to its prose, and parsed. */
function report(m: Model, year: number, sentence = ''): ParsedReport {
  const html = Buffer.from(render({ ...m, year }, 'html')).toString();
  const anchor = '依法依规办理政府信息公开申请。';
  expect(html.split(anchor)).toHaveLength(2);
  return parseReportBytes(Buffer.from(html.replace(anchor, `${anchor}${sentence}`)));
}

const received = (r: ParsedReport) => r.table3!.rows.received![6]!;
const crossProse = (now: ParsedReport, before: ParsedReport) => runCrossYearRules(now, before).filter((f) => f.rule === 'CROSS-PROSE');

describe('CROSS-PROSE', () => {
  // City-sized tables (thousands of applications), as the 上海 sentences state them.
  const previous = report(randomModel(31, '2021', 300), 2023);
  const base = report(randomModel(32, '2021', 300), 2024);
  const [p, c] = [received(previous), received(base)];
  const pct = ((c - p) / p) * 100;
  const word = (up: boolean) => (up ? '上升' : '下降');

  it('has real magnitudes to compare', () => {
    expect(p).toBeGreaterThan(1000);
    expect(c).toBeGreaterThan(1000);
    expect(Math.abs(pct)).toBeGreaterThan(0.5);
  });

  it('is silent on a true change in per cent, rounded or cut off, and on a true count', () => {
    for (const stated of [Math.abs(pct).toFixed(1), String(Math.trunc(Math.abs(pct) * 10) / 10), Math.abs(pct).toFixed(0)]) {
      const now = report(randomModel(32, '2021', 300), 2024, `全年共收到政府信息公开申请${c}件，申请数量较2023年${word(pct > 0)}${stated}%。`);
      expect(crossProse(now, previous), stated).toEqual([]);
    }
    const now = report(randomModel(32, '2021', 300), 2024, `全年共收到政府信息公开申请${c}件，较上年${c > p ? '增加' : '减少'}${Math.abs(c - p)}件。`);
    expect(crossProse(now, previous)).toEqual([]);
  });

  it('names a wrong per cent with what it is, quoting the sentence and citing last year’s cell', () => {
    const wrong = (Math.abs(pct) + 0.4).toFixed(1);
    const sentence = `全年共收到政府信息公开申请${c}件，申请数量较去年${word(pct > 0)}${wrong}%。`;
    const [f, ...rest] = crossProse(report(randomModel(32, '2021', 300), 2024, sentence), previous);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      rule: 'CROSS-PROSE',
      severity: 'warning',
      cells: ['previous.table3.received.total'],
      expected: `${Number(pct.toFixed(1))}%`,
      actual: `${pct > 0 ? '' : '-'}${wrong}%`,
      quote: sentence.replace(/，/g, ','),
    });
    expect(f!.zh).toBe(`正文称收到申请数较上年${word(pct > 0)}${wrong}%，上年报告为${p}、本年为${c}，实为${word(pct > 0)}${Math.abs(Number(pct.toFixed(1)))}%`);
  });

  it('names a wrong count, a wrong direction, and a wrong figure given for last year', () => {
    const up = c > p;
    const count = report(randomModel(32, '2021', 300), 2024, `全年共收到申请${c}件，较上年${up ? '增加' : '减少'}${Math.abs(c - p) + 1}件。`);
    expect(crossProse(count, previous)).toMatchObject([{ expected: c - p, actual: c - p + (up ? 1 : -1) }]);
    // No figure this year in the sentence: the table's is taken.
    const direction = report(randomModel(32, '2021', 300), 2024, `申请数量较上年有所${up ? '下降' : '上升'}。`);
    expect(crossProse(direction, previous)).toMatchObject([
      { expected: c - p, actual: up ? 'down' : 'up', cells: ['table3.received.total', 'previous.table3.received.total'] },
    ]);
    const stated = report(randomModel(32, '2021', 300), 2024, `收到政府信息公开申请${c}件（2023年为${p + 10}件）。`);
    expect(crossProse(stated, previous)).toMatchObject([{ expected: p, actual: p + 10, zh: `正文称上年收到申请数为${p + 10}，上年报告为${p}` }]);
    const right = report(randomModel(32, '2021', 300), 2024, `收到政府信息公开申请${c}件（2023年为${p}件）。`);
    expect(crossProse(right, previous)).toEqual([]);
  });

  it('accepts last year’s applications counted with the carried-over ones (as PROSE-TABLE does)', () => {
    const carried = previous.table3!.rows.carried_over![6]!;
    expect(carried).toBeGreaterThan(0);
    const now = report(randomModel(32, '2021', 300), 2024, `收到政府信息公开申请${c}件（2023年为${p + carried}件）。`);
    expect(crossProse(now, previous)).toEqual([]);
  });

  it('says nothing against a report two years old, or when last year’s figure was not read', () => {
    const sentence = `全年共收到申请${c}件，较上年增加${Math.abs(c - p) + 7}件。`;
    const now = report(randomModel(32, '2021', 300), 2024, sentence);
    expect(crossProse(now, previous)).toHaveLength(1);
    expect(crossProse(now, { ...previous, year: 2022 })).toEqual([]);
    const unread = [...Object.keys(previous.sources)].filter((n) => n.startsWith('table3.received.') || n.startsWith('table3.carried_over.'));
    expect(unread.length).toBeGreaterThan(0);
    expect(crossProse(now, { ...previous, unreadable: [...previous.unreadable, ...unread] })).toEqual([]);
  });
});
