import { SECTIONS } from './format.ts';

export interface SectionHit {
  key: string;
  start: number;
  end: number;
}

/**
 * Section headings 一…六 (docs/format.md §2) in normalised text, each the first occurrence after the previous
 * heading found; a heading found only earlier than its predecessor is reported with `outOfOrder`.
 */
export function findSections(text: string): { hits: SectionHit[]; outOfOrder: string[] } {
  const hits: SectionHit[] = [];
  const outOfOrder: string[] = [];
  let from = 0;
  for (const def of SECTIONS) {
    const re = new RegExp(def.pattern.source, 'g');
    re.lastIndex = from;
    const m = re.exec(text);
    if (m) {
      hits.push({ key: def.key, start: m.index, end: m.index + m[0].length });
      from = m.index + m[0].length;
      continue;
    }
    const anywhere = new RegExp(def.pattern.source).exec(text);
    if (anywhere) outOfOrder.push(def.key);
  }
  return { hits, outOfOrder };
}

/** [start, end) of the text after heading `key` up to the next heading found (or the end). */
export function sectionSpan(hits: SectionHit[], key: string, textLength: number): [number, number] | null {
  const i = hits.findIndex((h) => h.key === key);
  if (i < 0) return null;
  return [hits[i]!.end, hits[i + 1]?.start ?? textLength];
}
