/**
 * Comparisons with last year that the prose states (docs/format.md §8, X-PROSE-YOY): "共受理政府信息公开申请859件，申请
 * 数量较去年回落12.3%" (上海 2019), "全市共收到政府信息公开申请34290件，申请数量较2022年上升29.3%" (上海 2023),
 * "比2022年(31起)下降29%" (平度公安 2023), "由上年的31件下降至22件". The rule CROSS-PROSE holds them to last year's
 * table. A comparison whose subject cannot be told for sure (no figure of ours before it, two figures of different
 * kinds, another year than the one before) is left out: it is never guessed.
 */
import type { ProseKey } from './model.ts';
import { extractProseClaims, proseSentences } from './prose.ts';

/** Which way a figure moved, as the text says. */
export const CHANGE_DIRECTIONS = ['up', 'down', 'same'] as const;
export type ChangeDirection = (typeof CHANGE_DIRECTIONS)[number];

/** One comparison with last year's figure of `key`. */
export interface ProseComparison {
  key: ProseKey;
  /** This year's figure as the sentence states it (else the rule takes the table's). */
  current?: number;
  /** Last year's figure as the sentence states it ("比2022年(31起)", "由上年的31件"). */
  previous?: number;
  direction?: ChangeDirection;
  /** "增加5件": the change in units. */
  count?: number;
  /** "下降29.3%": the change in per cent, and how many decimals it was written with (its rounding). */
  percent?: { value: number; decimals: number };
  quote: string;
}

const UNIT = '(?:件|起|宗|条|个|份|次|人次)';
const UP = '增加|增长|上升|提高|上涨|增多';
const DOWN = '减少|下降|回落|降低|下滑';
const SAME = '持平|相同|一致|无变化';
/** Adverbs that may stand between the reference and the direction: "较上年有所下降". Not "基本" (基本持平 = about the same). */
const ADVERB = '(?:有所|略有|明显|大幅|显著|稍有)?';
const OPEN = '[(（]';
const CLOSE = '[)）]';

/** Last year, in the words reports use (`year` is the report's year). */
function previousYear(year: number | null): string {
  return `(?:上一?年度?|去年${year ? `|${year - 1}年度?` : ''})(?:同期)?`;
}

/** Compiled once per report year. */
const compiled = new Map<number | null, { ref: RegExp; fromTo: RegExp; stated: RegExp }>();
function patterns(year: number | null) {
  let p = compiled.get(year);
  if (!p) {
    const prev = previousYear(year);
    p = {
      // "较上年", "比2022年(31起)", "与去年相比,", "同比" — then the direction and its size.
      ref: new RegExp(
        `(?:(?:较|比|与|相较于?|对比)${prev}(?:的?(?:${OPEN}(\\d+)${UNIT}?${CLOSE}|(\\d+)${UNIT}))?(?:相比|比较)?|同比)[,，]?${ADVERB}(${UP}|${DOWN}|${SAME})了?(?:(\\d+)${UNIT}|(\\d+(?:\\.\\d+)?)[%％](?!\\d))?`,
        'g',
      ),
      // "由上年的31件下降至22件", "从2022年的31件增加到40件".
      fromTo: new RegExp(`(?:由|从)${prev}的?(\\d+)${UNIT}(?:${UP}|${DOWN})(?:至|到|为)(\\d+)${UNIT}`, 'g'),
      // "收到申请22件(2022年为31件)", "(上年同期为31件)".
      stated: new RegExp(`${OPEN}${prev}(?:为|是)?(\\d+)${UNIT}${CLOSE}`, 'g'),
    };
    compiled.set(year, p);
  }
  return p;
}

const UP_WORD = new RegExp(`^(?:${UP})$`);
const SAME_WORD = new RegExp(`^(?:${SAME})$`);
const direction = (word: string): ChangeDirection => (UP_WORD.test(word) ? 'up' : SAME_WORD.test(word) ? 'same' : 'down');

/** How far before a comparison its subject is looked for (characters). */
const SUBJECT_WINDOW = 300;

/** Words naming what is compared when the clause states no figure of its own ("申请数量较2022年上升29.3%"). */
const SUBJECT_WORDS: [RegExp, ProseKey][] = [
  [/行政复议/, 'review_total'],
  [/行政诉讼/, 'suit_total'],
  [/(?:办结|答复)/, 'handled'],
  [/申请(?:数量|数|量|件数|总量)?/, 'received'],
];

/** Claims that name one number (not "均获维持", "均为自然人"). */
const numeric = (key: ProseKey) => !key.endsWith('_all_upheld') && !key.endsWith('_all_closed') && key !== 'received_all_natural';

/** The one kind of figure a clause states, with its value; undefined if none or several kinds. */
function claimOf(clause: string): { key: ProseKey; value: number } | undefined {
  if (!/\d/.test(clause)) return undefined;
  const claims = extractProseClaims(clause).filter((c) => numeric(c.key));
  const keys = new Set(claims.map((c) => c.key));
  // "受理申请12件" reads as received and, with "含上年结转", as received_or_total: one claim is enough.
  if (keys.size !== 1) return undefined;
  return { key: claims[0]!.key, value: claims[0]!.value };
}

/**
 * What the words before `at` compare: the clause's own figure ("共收到申请22件,同比下降…"), or the words naming it
 * ("申请数量较…") with this year's figure from the clause before when it states the same kind.
 */
function subjectBefore(sentence: string, at: number): { key: ProseKey; current?: number } | undefined {
  // The two clauses before it, within a window: a run-on "sentence" of a hostile page with a comparison every few
  // characters must not be split again at each (quadratic); no real clause is this long.
  const clauses = sentence.slice(Math.max(0, at - SUBJECT_WINDOW), at).split(/[,，:：]/);
  const own = clauses.at(-1) ?? '';
  const stated = claimOf(own);
  if (stated) return { key: stated.key, current: stated.value };
  if (/\d/.test(own)) return undefined; // a figure we do not know: not ours to compare
  const named = SUBJECT_WORDS.find(([re]) => re.test(own))?.[1];
  const before = clauses.length > 1 ? claimOf(clauses.at(-2)!) : undefined;
  if (named) return before?.key === named ? { key: named, current: before.value } : { key: named };
  // "…共受理申请859件,较去年回落12.3%": a clause with nothing but the comparison refers to the clause before — when
  // that is the sentence's one kind of figure so far. After "收到申请22件,其中自然人20件," it could be either.
  if (own.length > 2 || !before) return undefined;
  const kinds = new Set([before.key, ...clauses.slice(0, -2).flatMap((c) => claimOf(c)?.key ?? [])]);
  return kinds.size === 1 ? { key: before.key, current: before.value } : undefined;
}

/** Extracts the comparisons with last year in `prose` (normalised text), for a report of `year`. */
export function extractComparisons(prose: string, year: number | null): ProseComparison[] {
  // Most reports compare nothing with last year: one native scan spares them the sentence split.
  if (!/上\s*一?\s*年|去\s*年|同\s*比|\d{4}\s*年/.test(prose)) return [];
  const { ref, fromTo, stated } = patterns(year);
  const out: ProseComparison[] = [];
  for (const sentence of proseSentences(prose)) {
    if (!/年|同比/.test(sentence)) continue;
    const quote = sentence.trim();
    for (const m of sentence.matchAll(fromTo)) {
      const subject = subjectBefore(sentence, m.index);
      const key = subject?.key ?? SUBJECT_WORDS.find(([re]) => re.test(sentence.slice(0, m.index)))?.[1];
      if (key) out.push({ key, previous: Number(m[1]), current: Number(m[2]), quote });
    }
    for (const m of sentence.matchAll(ref)) {
      const subject = subjectBefore(sentence, m.index);
      if (!subject) continue;
      const c: ProseComparison = { ...subject, direction: direction(m[3]!), quote };
      const previous = m[1] ?? m[2];
      if (previous !== undefined) c.previous = Number(previous);
      if (m[4] !== undefined) c.count = Number(m[4]);
      if (m[5] !== undefined) c.percent = { value: Number(m[5]), decimals: m[5].split('.')[1]?.length ?? 0 };
      out.push(c);
    }
    for (const m of sentence.matchAll(stated)) {
      const subject = subjectBefore(sentence, m.index);
      if (subject && !out.some((c) => c.quote === quote && c.key === subject.key && c.previous === Number(m[1]))) {
        out.push({ ...subject, previous: Number(m[1]), quote });
      }
    }
  }
  return out;
}
