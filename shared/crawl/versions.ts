/**
 * Versions of one year's report in a column: a corrected edition posted beside (or instead of) the original —
 * "…年度报告（更正版）", "【修订】…年度报告" — and the same report posted again (a CMS migration re-posts every page
 * under a new URL, often with the migration's date as its 发布时间).
 *
 * Which item speaks for the year decides whose figures are checked and stored (docs/format.md §9); which date is the
 * report's decides `late` (条例 第四十九条: published by the deadline — a correction posted after it does not make a
 * report published on time late).
 */
import { compact } from '../report/normalize.ts';

/** A title that names itself a corrected or revised edition. Notices about a correction ("关于…的更正") are no report. */
const CORRECTION = /(?:更正|修订|修正|勘误)(?:版|稿|后)?|重新发布|更新版/;
const CORRECTIONS = new RegExp(CORRECTION.source, 'g');

/** Brackets holding a version mark or a format word ("（更正版）", "（全文）", "【PDF】"): not part of the report's name. */
const MARKS = /[(（【[][^)）】\]]{0,8}[)）】\]]/g;

/** True when the title marks a corrected or revised edition of the report. */
export function isCorrection(title: string): boolean {
  return CORRECTION.test(compact(title));
}

/**
 * The report's name without its version marks, its brackets and a file extension: two items with the same name
 * are versions of one report.
 */
export function reportName(title: string): string {
  return compact(title)
    .replace(/\.(?:pdf|docx?|wps|ofd|html?)$/i, '')
    .replace(MARKS, '')
    .replace(CORRECTIONS, '');
}

interface Item {
  url: string;
  title: string;
  published: string | null;
}

/**
 * The year's items with the one that speaks for the report first: the latest corrected edition; else the item the
 * report was found at before (a new item beside it does not displace it); else the first in URL order (the order
 * discovery returns them in, stable between crawls).
 */
export function chooseReport<T extends Item>(items: T[], knownUrl?: string): T[] {
  const corrections = items.filter((i) => isCorrection(i.title)).sort((a, b) => (b.published ?? '').localeCompare(a.published ?? ''));
  const chosen = corrections[0] ?? items.find((i) => i.url === knownUrl) ?? items[0];
  return chosen ? [chosen, ...items.filter((i) => i !== chosen)] : [];
}

/**
 * The report's 发布时间: the earliest date any version of it shows — the chosen item's, another item of the same name's
 * (the original beside its correction, the same page posted twice), and dates of earlier versions no longer listed
 * (`earlier`). A later edition never moves the report's date.
 */
export function firstPublished(chosen: Item, others: Item[], earlier: (string | undefined)[] = []): string | null {
  const name = reportName(chosen.title);
  const dates = [chosen.published, ...others.filter((o) => reportName(o.title) === name).map((o) => o.published), ...earlier];
  return (dates.filter((d): d is string => !!d).sort()[0] as string | undefined) ?? null;
}
