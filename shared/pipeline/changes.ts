/**
 * Stage: did the report change after publication? Each source (the page, each attachment) is compared with its
 * baseline — the bytes we last compared — by what it says (figures, title, date, its own text; report/content.ts),
 * never by its bytes: a visit counter or a clock in the page chrome changes the bytes on every visit.
 *
 * A change is recorded in the body-year's state (`changes`) and every crawl derives its `changed` alerts from
 * that record, so a crawl killed between saving the state and opening the alert opens it on the next run, and
 * alerts that no recorded change supports (raised by byte comparison before) resolve.
 */
import { createHash } from 'node:crypto';
import { contentFingerprint, diffContent, isContentChange, reportContent, type ContentDiff } from '../report/content.ts';
import type { ArchiveStore, BodyYearState, ContentChange } from '../store/ports.ts';
import { readBytes, type Source } from './sources.ts';
import type { ReportParser } from '../check.ts';
import { BlobMissingError } from '../archive/verify.ts';
import { ATTACHMENT_TYPES } from '../crawl/links.ts';

/** Changes kept in a body-year's state (the newest). */
const KEEP_CHANGES = 10;
/** Evidence kept per change: figures and sentences beyond these are counted in the summary only. */
const KEEP_FIGURES = 50;
const KEEP_SENTENCES = 20;

/** The identity of a change: the source and the two content fingerprints (stable across byte-only edits). */
function changeId(url: string, from: string, to: string): string {
  return `content:${createHash('sha256').update(url).digest('hex').slice(0, 12)}:${from.slice(0, 16)}>${to.slice(0, 16)}`;
}

function trimmed(d: ContentDiff): Pick<ContentChange, 'figures' | 'added' | 'removed' | 'title' | 'published'> {
  return {
    figures: d.figures.slice(0, KEEP_FIGURES),
    added: d.added.slice(0, KEEP_SENTENCES),
    removed: d.removed.slice(0, KEEP_SENTENCES),
    ...(d.title ? { title: d.title } : {}),
    ...(d.published ? { published: d.published } : {}),
  };
}

const extension = (url: string) => /\.([a-z0-9]+)$/i.exec(new URL(url).pathname)?.[1]?.toLowerCase() ?? '';

/**
 * Where each source of a report that moved (`movedFrom`: the URL it was found at before) was before: the page at the
 * old URL, and an attachment the one old source of its file type (an old version's PDF for the new version's PDF).
 * Without these, a report replaced by its corrected edition at another URL — or re-posted by a CMS migration — was
 * never compared with what it replaced: its figures changed and nothing was said.
 */
function counterparts(baselines: Record<string, string>, sources: Source[], movedFrom: string): Map<string, string> {
  const out = new Map<string, string>();
  const current = new Set(sources.map((s) => s.url));
  const old = Object.keys(baselines).filter((u) => !current.has(u));
  for (const s of sources) {
    if (baselines[s.url]) continue;
    if (s.role === 'page') {
      // A page for a page: a report that was a bare document before is compared by its document, not its text.
      const wasDocument = (ATTACHMENT_TYPES as readonly string[]).includes(extension(movedFrom));
      if (baselines[movedFrom] && !current.has(movedFrom) && !wasDocument) out.set(s.url, movedFrom);
      continue;
    }
    const sameType = old.filter((u) => extension(u) === extension(s.url));
    // A report listed as a document (no page now) that moved from a document: that document is its counterpart,
    // whatever other old files of its type the state remembers.
    const direct = sameType.includes(movedFrom) && !sources.some((x) => x.role === 'page');
    if (direct) out.set(s.url, movedFrom);
    else if (sameType.length === 1) out.set(s.url, sameType[0]!);
  }
  return out;
}

/**
 * Compares each source with its baseline in `state.sources` and returns the content changes found; moves every
 * compared source's baseline to the bytes read now. The old bytes are read again from the archive with the
 * current parser, so a parser upgrade alone is never a change. When the report moved to another URL (`movedFrom`),
 * its sources are compared with the old version's (`counterparts`), and the change names the old URL.
 */
export async function detectChanges(
  state: BodyYearState,
  sources: Source[],
  archive: ArchiveStore,
  year: number,
  at: string,
  /** Where the old bytes are read (readBytes' default: this thread). */
  parser?: ReportParser,
  /** The URL the report was found at before, when the column now lists it at another (crawl/versions.ts). */
  movedFrom?: string,
): Promise<ContentChange | null> {
  const found: ContentChange[] = [];
  // States saved before per-source baselines kept the page's hash alone.
  const legacy = state.reportUrl && state.reportSha256 ? { [state.reportUrl]: state.reportSha256 } : {};
  const baselines: Record<string, string> = { ...(state.sources ?? legacy) };
  const moved = movedFrom ? counterparts(baselines, sources, movedFrom) : new Map<string, string>();
  for (const s of sources) {
    const sha = s.capture.sha256!;
    const from = moved.get(s.url);
    const before = baselines[s.url] ?? (from ? baselines[from] : undefined);
    baselines[s.url] = sha;
    if (!before || before === sha) continue;
    const oldBytes = await archive.get(before);
    if (!oldBytes) throw new BlobMissingError(before, `baseline of ${s.url}`);
    const old = await readBytes(oldBytes, s.url, s.capture.contentType, year, parser, before);
    if (!old.parsed) continue; // the old bytes were not a readable report: nothing to compare with
    const a = reportContent(old.parsed);
    const b = reportContent(s.parsed);
    const diff = diffContent(a, b);
    if (!isContentChange(diff)) continue;
    found.push({
      id: changeId(s.url, contentFingerprint(a), contentFingerprint(b)),
      url: s.url,
      fromSha256: before,
      toSha256: sha,
      at,
      ...trimmed(diff),
      ...(from ? { movedFrom: from } : {}),
    });
  }
  // The old version's URLs are no longer the report's: their baselines would only pair wrongly at a later move.
  for (const from of moved.values()) delete baselines[from];
  state.sources = baselines;
  const change = merged(found);
  if (change && !state.changes?.some((x) => x.id === change.id)) state.changes = [...(state.changes ?? []), change].slice(-KEEP_CHANGES);
  return change;
}

/**
 * One edit of a report is one fact: when the page and its attachments changed in the same crawl, their
 * changes are one `ContentChange` (the first source's hashes, every source listed in `also`).
 */
function merged(changes: ContentChange[]): ContentChange | null {
  const [first, ...rest] = changes;
  if (!first || rest.length === 0) return first ?? null;
  const figures = new Map(changes.flatMap((c) => c.figures).map((f) => [f.cell, f]));
  return {
    ...first,
    id: `${first.id}+${createHash('sha256')
      .update(rest.map((c) => c.id).join(' '))
      .digest('hex')
      .slice(0, 12)}`,
    figures: [...figures.values()].slice(0, KEEP_FIGURES),
    added: [...new Set(changes.flatMap((c) => c.added))].slice(0, KEEP_SENTENCES),
    removed: [...new Set(changes.flatMap((c) => c.removed))].slice(0, KEEP_SENTENCES),
    also: rest.map((c) => ({ url: c.url, fromSha256: c.fromSha256, toSha256: c.toSha256 })),
  };
}
