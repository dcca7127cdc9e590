/**
 * Why a figure could not be read (CELL-UNREAD), as an `unread` alert's evidence keeps it: in each language, so the
 * Chinese line of a message is Chinese and the English one English. The parser gives each reason as one string,
 * `English / 中文` (report/evidence.ts UNREAD, errors.ts bothLanguages), as the public output (docs/format.md §11 `unread[].reason`) has it.
 */
import type { Bilingual } from '../errors.ts';
import type { AlertEvidence } from '../store/ports.ts';

const CJK = /[\u3400-\u9fff]/;
const LATIN = /[A-Za-z]/;

/**
 * `English / 中文` apart, at the last ` / ` with English words before it and Chinese after it (the English half may
 * name a table: "table 二"); a reason not made that way is both.
 */
export function splitReason(reason: string): Bilingual {
  const at = reason.lastIndexOf(' / ');
  if (at < 0 || !CJK.test(reason.slice(at + 3)) || !LATIN.test(reason.slice(0, at))) return { en: reason, zh: reason };
  return { en: reason.slice(0, at), zh: reason.slice(at + 3) };
}

type Figure = NonNullable<AlertEvidence['figures']>[number];

/**
 * The reason of an unread figure, or null for a figure of another kind. Alerts raised before the reason was kept apart
 * carried it as `actual`, with no `expected`.
 */
export function unreadReason(f: Figure): Bilingual | null {
  if (f.reason) return f.reason;
  if (f.expected === undefined && f.old === undefined && f.new === undefined && typeof f.actual === 'string') return splitReason(f.actual);
  return null;
}
