/**
 * Rules across two consecutive reports of one body (docs/format.md §8): X-CARRY → CROSS-CARRY (this year's 上年结转
 * = last year's 结转下年度继续办理, per column), X-REGDOC → CROSS-STOCK (现行有效 stock moves by 制发 − 废止; soft,
 * clean-ups change it), X-DUP → CROSS-SIMILAR (copy-paste text; 宿迁 rule: >50% repeated).
 */
import { TABLE3_COLUMNS, TABLE3_COLUMN_LABELS } from '../report/format.ts';
import type { Finding } from '../report/model.ts';
import { viewOf } from './cells.ts';
import { finding, type CrossRule } from './types.ts';

export const crossCarry: CrossRule = {
  id: 'CROSS-CARRY',
  severity: 'error',
  zh: '本年“上年结转”应等于上年报告“结转下年度继续办理”（每列）',
  en: 'This year’s carried-over applications equal last year’s carried-forward, per column',
  check(current, previous) {
    if (!current.table3 || !previous.table3) return [];
    const now = viewOf(current);
    const before = viewOf(previous);
    const out: Finding[] = [];
    for (const col of TABLE3_COLUMNS) {
      const a = now.get(`table3.carried_over.${col}`);
      const b = before.get(`table3.carried_forward.${col}`);
      if (a === undefined || b === undefined || (a === null && b === null) || (a ?? 0) === (b ?? 0)) continue;
      out.push(
        finding(
          this,
          {
            zh: `「${TABLE3_COLUMN_LABELS[col]}」列：本年上年结转${a ?? '空白'}，上年结转下年度${b ?? '空白'}`,
            en: `${col}: carried over ${a ?? 'blank'}, last year carried forward ${b ?? 'blank'}`,
          },
          {
            cells: [`table3.carried_over.${col}`, `previous.table3.carried_forward.${col}`],
            expected: b ?? 0,
            actual: a ?? 0,
          },
        ),
      );
    }
    return out;
  },
};

export const crossStock: CrossRule = {
  id: 'CROSS-STOCK',
  severity: 'warning',
  zh: '现行有效件数 ≈ 上年现行有效 + 本年制发 − 本年废止（规章、行政规范性文件）',
  en: 'In-force count ≈ last year’s in-force + issued − repealed (regulations, normative documents)',
  check(current, previous) {
    if (current.table_formats.table2 !== '2021' || previous.table_formats.table2 !== '2021') return [];
    const now = viewOf(current);
    const before = viewOf(previous);
    const out: Finding[] = [];
    for (const row of ['regulations', 'normative_documents']) {
      const prev = before.get(`table2.${row}.in_force`);
      const issued = now.get(`table2.${row}.issued`);
      const repealed = now.get(`table2.${row}.repealed`);
      const inForce = now.get(`table2.${row}.in_force`);
      if ([prev, issued, repealed, inForce].some((v) => v === undefined || v === null)) continue;
      const expected = prev! + issued! - repealed!;
      if (expected === inForce) continue;
      out.push(
        finding(
          this,
          {
            zh: `${row === 'regulations' ? '规章' : '行政规范性文件'}：上年现行有效${prev}+制发${issued}−废止${repealed}=${expected}，本年现行有效${inForce}`,
            en: `${row}: expected ${expected} in force, report says ${inForce}`,
          },
          {
            cells: [`table2.${row}.in_force`, `table2.${row}.issued`, `table2.${row}.repealed`, `previous.table2.${row}.in_force`],
            expected,
            actual: inForce!,
          },
        ),
      );
    }
    return out;
  },
};

/** Character 8-grams of the prose, digits folded, so changed figures do not hide copied text. */
/**
 * The 8-character shingles of a text (whitespace dropped, digits as '#'), as 32-bit hashes: no string is made per
 * position (a report's prose has tens of thousands), and a collision changes a share by a hair. The last few
 * texts are remembered — in a crawl of several years each report is compared as this year's and as last year's.
 */
const recent = new Map<string, Set<number>>();
function shingles(text: string, n = 8): Set<number> {
  const hit = recent.get(text);
  if (hit) return hit;
  const s = text.replace(/\s+/g, '').replace(/\d+/g, '#');
  const out = new Set<number>();
  for (let i = 0; i + n <= s.length; i++) {
    let h = 0x811c9dc5; // FNV-1a over the n UTF-16 code units
    for (let j = i; j < i + n; j++) h = Math.imul(h ^ s.charCodeAt(j), 0x01000193);
    out.add(h >>> 0);
  }
  recent.set(text, out);
  if (recent.size > 4) recent.delete(recent.keys().next().value!);
  return out;
}

/** Share of this year's prose (8-grams) found in last year's. */
export function proseSimilarity(current: string, previous: string): number {
  const a = shingles(current);
  if (a.size === 0) return 0;
  const b = shingles(previous);
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / a.size;
}

/** The 宿迁 department rule (docs/format.md §8): more than 50% repeated from last year. */
export const SIMILARITY_THRESHOLD = 0.5;

export const crossSimilar: CrossRule = {
  id: 'CROSS-SIMILAR',
  severity: 'warning',
  zh: '正文与上年报告高度雷同（重复率超过50%）',
  en: 'The text is nearly identical to last year’s report (over 50% repeated)',
  check(current, previous) {
    if (current.prose_text.length < 200 || previous.prose_text.length < 200) return [];
    const share = proseSimilarity(current.prose_text, previous.prose_text);
    if (share <= SIMILARITY_THRESHOLD) return [];
    const pct = Math.round(share * 100);
    return [
      finding(
        this,
        { zh: `正文${pct}%与上年报告相同`, en: `${pct}% of the text repeats last year’s report` },
        {
          expected: `≤${SIMILARITY_THRESHOLD * 100}%`,
          actual: `${pct}%`,
        },
      ),
    ];
  },
};
