/**
 * Figures the prose states about table 三 and 四 (docs/format.md §9): "共收到政府信息公开申请12件", "答复805件（含上年度
 * 结转申请18件，另有72件…顺延到下年度答复）", "行政复议7件，诉讼9件，均获维持". Patterns follow the peer regexes
 * quoted in docs/format.md §9, adapted so that one clause yields one figure.
 */
import type { ProseClaim, ProseKey } from './model.ts';

const UNIT = '(?:件|起|宗|条|个|份|次)';
const N = '(\\d+)';

/** Outcome words: a verb right after one of them (同意公开答复9件) answers one outcome, not all applications. */
const OUTCOME_BEFORE = '(?<!(?:公开|同意|不予|提供|处理|撤回)(?:的)?)';

/** Each pattern's first group is the figure. Order matters only for readability. */
const PATTERNS: [ProseKey, RegExp][] = [
  [
    'received',
    new RegExp(
      `(?:收到|受理|新收|接收|接到)(?:各类|群众)?(?:政府信息|政府信息公开|信息公开)?(?:依申请公开)?(?:类)?(?:申请)?(?:数量)?(?:共计?|合计)?${N}${UNIT}(?![(（，,]?含(?:上一?年度?|\\d{4}年))`,
    ),
  ],
  ['received', new RegExp(`(?:共|合计|共计)(?:收到|受理|接收)${N}${UNIT}(?:政府信息公开|依申请公开)?(?:类)?申请`)],
  ['received', new RegExp(`(?:政府信息公开|依申请公开)?申请(?:数量)?(?:共计|合计|总计|共)${N}${UNIT}`)],
  ['received_natural_person', new RegExp(`(?:涉及|其中|含|包括)?自然人(?:申请|提出(?:的)?(?:申请)?)?${N}${UNIT}`)],
  ['received_commercial', new RegExp(`商业企业(?:申请|提出(?:的)?(?:申请)?)?${N}${UNIT}`)],
  ['handled', new RegExp(`${OUTCOME_BEFORE}(?:办结|答复|办理完毕)(?:政府信息公开|依申请公开)?(?:申请)?${N}${UNIT}`)],
  ['carried_over', new RegExp(`上(?:一)?年度?结转(?:的)?(?:政府信息公开)?(?:申请)?${N}${UNIT}`)],
  ['carried_forward', new RegExp(`${N}${UNIT}(?:申请)?[^,，。；;]{0,12}?(?:顺延|结转|转入)(?:到|至)?下(?:一)?年度?`)],
  ['carried_forward', new RegExp(`(?:结转|转入|转)(?:到|至)?下(?:一)?年度?(?:继续)?(?:办理)?(?:答复)?(?:的)?(?:申请)?(?:有)?${N}${UNIT}`)],
  ['granted_or_partial', new RegExp(`予以公开(?:及|和|、|与|或)部分公开(?:的)?(?:申请)?${N}${UNIT}`)],
  ['granted', new RegExp(`(?:予以公开|同意公开)(?:答复)?(?:的)?(?:申请)?${N}${UNIT}`)],
  ['partially_granted', new RegExp(`(?<![及和、与或])部分公开(?:答复)?(?:的)?(?:申请)?${N}${UNIT}`)],
  ['denied', new RegExp(`不予公开(?:答复)?(?:的)?(?:申请)?${N}${UNIT}`)],
  ['unavailable', new RegExp(`无法提供(?:答复)?(?:的)?(?:申请)?${N}${UNIT}`)],
  ['rejected', new RegExp(`不予处理(?:答复)?(?:的)?(?:申请)?${N}${UNIT}`)],
  ['other_handled', new RegExp(`其他处理(?:答复)?(?:的)?(?:申请)?${N}${UNIT}`)],
  // Table 二 (平潭 2022: "集中公开现行有效行政规范性文件698件，动态更新本年度制发的规范性文件88件").
  ['normative_in_force', new RegExp(`现行有效(?:的)?(?:行政)?规范性文件(?:共计?)?${N}${UNIT}`)],
  ['normative_issued', new RegExp(`(?:制发|出台|印发)(?:的)?(?:行政)?规范性文件(?:共计?)?${N}${UNIT}`)],
];

/**
 * "办理…申请69件，含2023年转至今年办理的3件": this year's and last year's applications together — matched on the whole
 * sentence (the 含… clause follows a comma), and then not read as this year's alone.
 */
const RECEIVED_OR_TOTAL = new RegExp(
  `(?:收到|受理|办理)(?:各类)?(?:政府信息公开|信息公开|依申请公开)?(?:类)?申请(?:共计?|合计)?${N}${UNIT}[(（，,]?含(?:上一?年度?|\\d{4}年)(?:结转|转至|转入)`,
);

/** "均为自然人申请": no legal person applied. */
const ALL_NATURAL = /(?:申请人)?均为自然人/;

const REVIEW = new RegExp(`行政复议[^,，。；;、:：]{0,12}?${N}${UNIT}`);
const SUIT = new RegExp(`(?<!复议、)(?:行政)?诉讼[^,，。；;、:：]{0,10}?${N}${UNIT}`);
const OUTCOMES: [string, RegExp][] = [
  ['upheld', new RegExp(`(?:结果)?维持${N}${UNIT}`)],
  ['corrected', new RegExp(`(?:结果)?纠正${N}${UNIT}`)],
  ['other', new RegExp(`其他结果${N}${UNIT}`)],
  ['pending', new RegExp(`尚未审结${N}${UNIT}`)],
];
const ALL_UPHELD = /均(?:获|被|予以)?维持|全部(?:获|被)?维持/;
const ALL_CLOSED = /均已(?:结案|审结)|全部(?:结案|审结)/;
/**
 * "None" said in words (a body that received nothing says so rather than "0件"): 宜城市教育局 2022 "未收到依申请公开信息",
 * 葫芦岛市教育局 2022 "未收到公民、法人或其他组织的依申请公开诉求", 上饶市教育局 2022 "未发生政府信息公开行政复议、起诉",
 * ccxi.gov.cn 2025 "全年未收到依申请公开政府信息".
 * Strict: between the verb and the noun only the generic words, so "未收到商业企业的申请" (one kind of applicant) or
 * "未发生被行政复议纠错的情况" (one outcome) is not read as none at all.
 */
const NONE_VERB = '(?:未|没有)(?:发生|收到|受理|接到|产生|出现|有)(?:过)?(?:任何)?(?:有关|相关)?';
/** Where a "none" must end: the clause's end, or "…的情况/案件/事项" ("未有…申请被复议" is not "none"). */
const NONE_END = '(?=$|[。；;,，!！]|的?情况|的?案件|的?事项)';
const RECEIVED_NONE = new RegExp(
  `${NONE_VERB}(?:公民、?法人(?:或|和|及)其他组织(?:提出)?的?)?(?:政府信息公开|依申请公开|信息公开)(?:类)?的?(?:申请|诉求|事项|(?:政府)?信息)${NONE_END}`,
);
const LITIGATION_NONE = new RegExp(
  `${NONE_VERB}(?:因|涉及)?(?:政府信息公开|依申请公开)?(?:工作)?(?:方面)?(?:而)?(?:被申请)?(?:的)?(?:政府信息公开)?(?:类)?(行政复议)?(?:[、和及或与]?(?:被)?(?:提起)?(?:行政)?(诉讼|起诉))?(?:申请)?${NONE_END}`,
);
/** Words that make a "none" about one outcome of the cases, not about the cases. */
const OUTCOME_WORDS = /纠错|纠正|败诉|撤销|维持|确认违法/;

/** The "none" claims of one clause (see NONE_VERB). */
function none(clause: string, quote: string, claims: ProseClaim[]): void {
  if (OTHER_YEAR.test(clause)) return;
  // A figure after the words ("未收到…申请，仅…3件") is not "none"; the year before them ("2022年…未收到…") is.
  const noFigureAfter = (m: RegExpExecArray | null) => m !== null && !/\d/.test(clause.slice(m.index));
  if (noFigureAfter(RECEIVED_NONE.exec(clause))) claims.push({ key: 'received', value: 0, quote });
  const m = LITIGATION_NONE.exec(clause);
  if (!m || !noFigureAfter(m) || OUTCOME_WORDS.test(clause)) return;
  if (m[1]) claims.push({ key: 'review_total', value: 0, quote });
  if (m[2]) claims.push({ key: 'suit_total', value: 0, quote });
}

/** A clause about another year is not a claim about this report's table. */
const OTHER_YEAR = /去年|上一?年(?!度?结转)|同比|比\d{4}年/;

function clauses(sentence: string): string[] {
  return sentence.split(/[,，]/);
}

/** The sentences of `prose` (normalised text), each with its closing mark; whitespace is removed ("1 0 3" reads 103). */
export function proseSentences(prose: string): string[] {
  return prose.replace(/\s+/g, '').split(/(?<=[。；;!！?？])/);
}

/** Extracts the claims of `prose` (normalised text; whitespace is removed, "1 0 3" reads 103). */
export function extractProseClaims(prose: string): ProseClaim[] {
  const claims: ProseClaim[] = [];
  for (const sentence of proseSentences(prose)) {
    const quote = sentence.trim();
    if (!/\d/.test(quote) && !ALL_UPHELD.test(quote) && !ALL_CLOSED.test(quote) && !/未|没有/.test(quote)) continue;
    const total = RECEIVED_OR_TOTAL.exec(quote);
    if (total && !OTHER_YEAR.test(quote.slice(0, total.index))) claims.push({ key: 'received_or_total', value: Number(total[1]), quote });
    for (const clause of clauses(quote)) {
      none(clause, quote, claims);
      if (OTHER_YEAR.test(clause)) continue;
      for (const [key, re] of PATTERNS) {
        const m = re.exec(clause);
        if (!m) continue;
        // A clause that states this year's and last year's applications together is not a count of this year's.
        if (key === 'received' && claims.some((c) => c.key === 'received_or_total' && c.quote === quote && c.value === Number(m[1]))) continue;
        claims.push({ key, value: Number(m[1]), quote });
        if (key === 'granted_or_partial') break; // its parts are not separate claims
      }
    }
    if (ALL_NATURAL.test(quote)) claims.push({ key: 'received_all_natural', value: 1, quote });
    litigation(quote, claims);
  }
  // One claim per key and figure (a sentence can match two phrasings).
  const seen = new Set<string>();
  return claims.filter((c) => !seen.has(`${c.key}:${c.value}:${c.quote}`) && seen.add(`${c.key}:${c.value}:${c.quote}`));
}

/** 行政复议/行政诉讼 totals, their 其中… breakdowns, and "均获维持". */
function litigation(sentence: string, claims: ProseClaim[]): void {
  const review = REVIEW.exec(sentence);
  const suit = SUIT.exec(sentence);
  const parts: ['review' | 'suit', RegExpExecArray][] = [];
  if (review) parts.push(['review', review]);
  if (suit && (!review || suit.index !== review.index)) parts.push(['suit', suit]);
  parts.sort((a, b) => a[1].index - b[1].index);
  parts.forEach(([kind, m], i) => {
    claims.push({ key: `${kind}_total`, value: Number(m[1]), quote: sentence });
    const next = parts[i + 1]?.[1].index ?? sentence.length;
    const tail = sentence.slice(m.index + m[0].length, next);
    const breakdown = /^[^。；;]*/.exec(tail)![0];
    for (const [outcome, re] of OUTCOMES) {
      const o = re.exec(breakdown);
      if (o) claims.push({ key: `${kind}_${outcome}` as ProseKey, value: Number(o[1]), quote: sentence });
    }
  });
  for (const [re, suffix] of [
    [ALL_UPHELD, 'all_upheld'],
    [ALL_CLOSED, 'all_closed'],
  ] as const) {
    const at = re.exec(sentence)?.index;
    if (at === undefined) continue;
    for (const [kind, m] of parts) if (m.index < at) claims.push({ key: `${kind}_${suffix}`, value: 1, quote: sentence });
  }
}
