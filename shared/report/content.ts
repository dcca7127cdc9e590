/**
 * What a report says, as opposed to the bytes of the page it sits on. A report has changed when its figures,
 * its title, its published date or its own text changed; a visit counter, a clock or an advert in the
 * portal's page chrome changes the bytes on every visit and says nothing new. The byte-level history stays
 * in the capture records (revisit / changed) for archivists; alerts compare this.
 */
import { createHash } from 'node:crypto';
import type { ParsedReport } from './model.ts';

export interface ReportContent {
  title: string | null;
  published: string | null;
  /** Every cell of tables 二/三/四 by its public name (`table3.received.total`, `table2.fees`). */
  figures: Record<string, number | null>;
  /** The report's own sentences, in order, page chrome and ever-changing lines left out. */
  sentences: string[];
}

export interface ContentDiff {
  figures: { cell: string; old: number | null; new: number | null }[];
  added: string[];
  removed: string[];
  title?: { old: string | null; new: string | null };
  published?: { old: string | null; new: string | null };
}

/**
 * Lines of page chrome that can sit inside an article container and change on every visit: visit and click
 * counters, "today is", clocks, copyright and ICP lines, share and print buttons.
 */
const VOLATILE =
  /(?:阅读|浏览|访问|点击)(?:量|数|次数|人次)?\s*[:：]?\s*\d+\s*次|访问量|访问次数|访问人次|浏览次数|浏览量|浏览人次|点击数|点击量|点击率|点击次数|阅读数|阅读量|阅读次数|您是第\s*\d+|当前在线|在线人数|今天是|今日是|当前时间|现在时间|星期[一二三四五六日天]|\b\d{1,2}:\d{2}(?::\d{2})?\b|版权所有|copyright|©|ICP备|公网安备|网站标识码|技术支持|打印本页|关闭窗口|【\s*字体|字号[:：]|分享到|扫一扫|下一篇|上一篇/i;

/** The text of a report split into sentences (。！？; and line ends), whitespace folded, chrome left out. */
export function reportSentences(text: string): string[] {
  return text
    .split(/[。！？!?；;\n]+/)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => s.length > 1 && !VOLATILE.test(s) && /[\p{Script=Han}\d]/u.test(s));
}

function flatten(prefix: string, value: unknown, out: Record<string, number | null>): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'number') {
    out[prefix] = value;
    return;
  }
  if (typeof value === 'object')
    for (const [k, v] of Object.entries(value))
      if (v === null) out[`${prefix}.${k}`] = null;
      else flatten(`${prefix}.${k}`, v, out);
}

/** The content of a parsed report. */
export function reportContent(p: ParsedReport): ReportContent {
  const figures: Record<string, number | null> = {};
  flatten('table2', p.table2, figures);
  if (p.table3) for (const [row, cells] of Object.entries(p.table3.rows)) cells?.forEach((v, i) => (figures[`table3.${row}.${p.table3!.columns[i]}`] = v));
  flatten('table4', p.table4, figures);
  return { title: p.title, published: p.published, figures, sentences: reportSentences(p.prose_text) };
}

/** A short, stable digest of a report's content (sha256 of its canonical JSON, 32 hex digits). */
export function contentFingerprint(c: ReportContent): string {
  const figures = Object.keys(c.figures)
    .sort()
    .map((k) => [k, c.figures[k]]);
  return createHash('sha256')
    .update(JSON.stringify([c.title, c.published, figures, c.sentences]))
    .digest('hex')
    .slice(0, 32);
}

/** What changed from `a` to `b`: figures old → new, sentences added and removed, title and date. */
export function diffContent(a: ReportContent, b: ReportContent): ContentDiff {
  const figures: ContentDiff['figures'] = [];
  for (const cell of new Set([...Object.keys(a.figures), ...Object.keys(b.figures)])) {
    const old = a.figures[cell] ?? null;
    const now = b.figures[cell] ?? null;
    if (old !== now) figures.push({ cell, old, new: now });
  }
  const before = new Set(a.sentences);
  const after = new Set(b.sentences);
  const diff: ContentDiff = { figures, added: b.sentences.filter((s) => !before.has(s)), removed: a.sentences.filter((s) => !after.has(s)) };
  if (a.title !== b.title) diff.title = { old: a.title, new: b.title };
  if (a.published !== b.published) diff.published = { old: a.published, new: b.published };
  return diff;
}

/** True when the diff shows any change of what the report says. */
export function isContentChange(d: ContentDiff): boolean {
  return d.figures.length > 0 || d.added.length > 0 || d.removed.length > 0 || d.title !== undefined || d.published !== undefined;
}
