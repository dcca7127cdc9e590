/** Title, report year and the page's own 发布时间 (publication date) from normalised text. */
import { arabicYears } from './normalize.ts';

/**
 * A corrected edition's mark after the report's name ("…年度报告（更正版）", "…年度报告修订稿"): part of the title, so a
 * correction's title differs from the original's (crawl/versions.ts, the `changed` record's title).
 */
const EDITION = String.raw`(?:[(（【\[]?(?:更正|修订|修正)(?:版|稿|后)?[)）】\]]?)?`;
/** A report title names the year; a breadcrumb or column name ("首页>政府信息公开>年度报告") does not. */
const TITLE_WITH_YEAR = new RegExp(
  String.raw`[^\n。>›»]{0,60}?(?:19|20)\d{2}\s*年[^\n。>›»]{0,40}?(?:政府信息公开|政务公开)[^\n。>›»]{0,30}?年度?报告` + EDITION,
);
const TITLE_ANY = new RegExp(String.raw`[^\n。>›»]{0,60}?(?:政府信息公开|政务公开)[^\n。>›»]{0,30}?年度?报告` + EDITION);

const clean = (t: string) => t.replace(/^(?:标题|题目)[:：]/, '').trim();

function titleIn(lines: string[], re: RegExp): string | null {
  for (const [i, line] of lines.entries()) {
    // A title may wrap onto the next line ("…年度报" / "告"), as in PDF text layers.
    const wraps = line.length >= 8 && !/[。；]$/.test(line) && !/报告$/.test(line);
    const m = re.exec(line) ?? (wraps ? re.exec(line + (lines[i + 1] ?? '')) : null);
    if (!m) continue;
    const title = clean(m[0]);
    // A title broken after the body's name ("淮安市人民政府" / "2024年政府信息公开工作年度报告").
    const before = lines.slice(0, i).filter(Boolean).at(-1);
    if (/^\d{4}年/.test(title) && before && before.length <= 30 && /(?:政府|局|委员会|办公室|办公厅|厅|委|院|署|会|中心|街道|镇|乡)$/.test(before)) {
      return before + title;
    }
    return title;
  }
  return null;
}

/** The report title: an explicit one (HTML <title>/heading) if it names an annual report, else the first line that does; titles with a year first. */
export function detectTitle(text: string, candidates: string[] = []): string | null {
  // The first 80 lines, without splitting the rest of the report.
  let end = -1;
  for (let n = 0; n < 80 && (end = text.indexOf('\n', end + 1)) >= 0; n++);
  const lines = (end < 0 ? text : text.slice(0, end))
    .split('\n')
    .slice(0, 80)
    .map((l) => l.replace(/\s+/g, ''));
  const explicit = candidates.map((c) => c.replace(/\s+/g, ''));
  for (const re of [TITLE_WITH_YEAR, TITLE_ANY]) {
    const t = titleIn(explicit, re) ?? titleIn(lines, re);
    if (t) return t;
  }
  return null;
}

const YEAR_IN_TITLE = /((?:19|20)\d{2})\s*年\s*度?/;
const STATISTICS_PERIOD = /统计(?:期限|时限|区间|时间)[^。\n]{0,20}?((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日/;
const YEAR_REPORT = /((?:19|20)\d{2})\s*年\s*度?[^。\n]{0,30}?(?:政府信息公开|政务公开)[^。\n]{0,20}?年度?报告/;

/**
 * The report year: the year the document states (`statedYear`), else the first "YYYY年…年度报告" phrase of its text. A
 * year written in Chinese numerals ("二〇二四年度…") counts as one in digits.
 */
export function detectYear(title: string | null, text: string): number | null {
  return statedYear(title, text) ?? yearOfPhrase(text);
}

/**
 * The year a document states for itself where it says so plainly: its title's "2024年(度)…", else its 统计期限
 * sentence. Not `detectYear`'s last resort (`yearOfPhrase`, a phrase that may name another report): what contradicts
 * the year a report is listed for must be the document's own word (REPORT-YEAR).
 */
export function statedYear(title: string | null, text: string): number | null {
  const fromTitle = title ? YEAR_IN_TITLE.exec(arabicYears(title)) : null;
  if (fromTitle) return Number(fromTitle[1]);
  const period = STATISTICS_PERIOD.exec(arabicYears(text.slice(0, 20_000)));
  return period ? Number(period[1]) : null;
}

/** The year of the first "YYYY年…年度报告" phrase of the text: `detectYear`'s last resort. */
export function yearOfPhrase(text: string): number | null {
  const phrase = YEAR_REPORT.exec(arabicYears(text.slice(0, 20_000)));
  return phrase ? Number(phrase[1]) : null;
}

/** In order of preference: a publication date, then a bare date line, then a 成文日期 (when it was written, often earlier). */
const PUBLISHED = [
  /(?:发布|发表|公开)(?:时间|日期)\s*[:：]?\s*((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})/,
  /(?:^|\n)\s*((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*(?:\n|$)/,
  /时间\s*[:：]\s*((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})/,
  /成文(?:时间|日期)\s*[:：]?\s*((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})/,
];

/** The 发布时间 shown on the page (YYYY-MM-DD), looked for in the first part of the page only. */
export function detectPublished(text: string): string | null {
  const head = text.slice(0, 3000);
  for (const re of PUBLISHED) {
    const m = re.exec(head);
    if (m) return `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  }
  return null;
}
