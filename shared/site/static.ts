/**
 * The dashboard as a static site: every page the live server serves, written once through a SiteWriter (a folder
 * for `nianbao site -o DIR`, the bucket's `site/` prefix for the daily job on AWS). Pages link relatively, so the
 * folder opens from disk (`file://`) and from any static host.
 */
import { IntegrityError } from '../errors.ts';
import { DamagedLog } from '../store/records.ts';
import { SITE_ASSETS, ASSET_TYPES, assetBytes } from './assets.ts';
import { alertsView, bodyView, overviewData, prefetch, reportView, type SiteSources, yearView } from './data.ts';
import { bodyPath, GENERATED_SCRIPT, generatedScript, type PageContext, reportPath, yearPath } from './layout.ts';
import { CSV_TYPE, DOWNLOADS, downloadPath, yearDownloads } from './downloads.ts';
import { alertsPage } from './pages/alerts.ts';
import { bodyPage } from './pages/body.ts';
import { overviewPage, overviewScript } from './pages/overview.ts';
import { reportPage } from './pages/report.ts';
import { yearPage, yearsPage } from './pages/years.ts';

/** Where the site's files go. */
export interface SiteWriter {
  /** Writes one file; false when the same bytes were there already and nothing was written. */
  write(path: string, body: string | Uint8Array, contentType: string): Promise<boolean>;
  /** After a complete site: remove what this run did not write (a body no longer registered). */
  finish?(): Promise<void>;
}

export interface SiteSummary {
  pages: number;
  bytes: number;
  bodies: number;
  reports: number;
  /** Bodies not written because `shouldStop` said so (the Lambda's time ran out): their old pages stay. */
  skipped: number;
  /** Years whose downloads were not written because `shouldStop` said so: yesterday's files stay. */
  downloadsSkipped: number;
  /** Files the writer found unchanged (the same bytes already there) and did not write again. */
  unchanged: number;
  /** Stored records that could not be read (each named once): left out of the pages, which say how many. */
  damaged: string[];
}

export interface WriteSiteOptions {
  /** Told of each file written (progress for people at the terminal). */
  onPage?: (path: string, done: number, total: number) => void;
  /** Bodies rendered at once (each reads its years, rows and captures from the store). */
  concurrency?: number;
  /** Asked before each body: true stops the run (the pages written stay; stale ones are not removed). */
  shouldStop?: () => boolean;
  /**
   * The day of this run (days since 1970). A run cut short every day would otherwise leave the same bodies, at the
   * end of the list, stale for ever: each day begins at another point of the list (a stride of about 0.618 of
   * it, prime to its length, so consecutive days' starts spread over the whole list and every body has its turn).
   */
  day?: number;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** Where the run of `day` begins in a list of `n` bodies. */
export function startOfDay(day: number, n: number): number {
  if (n <= 1) return 0;
  let stride = Math.max(1, Math.round(n * 0.6180339887));
  while (gcd(stride, n) !== 1) stride++;
  return ((((day % n) * stride) % n) + n) % n;
}

const HTML = 'text/html; charset=utf-8';

/** The path from a page at `path` back to the root: '' for index.html, '../' for body/x.html … */
export const rootOf = (path: string) => '../'.repeat(path.split('/').length - 1);

/** Writes the whole site: assets and data first, the overview and alerts, the years, then every body and its reports. */
export async function writeSite(given: SiteSources, out: SiteWriter, o: WriteSiteOptions = {}): Promise<SiteSummary> {
  const onPage = o.onPage;
  const generatedAt = new Date(given.now()).toISOString();
  // A damaged record is left out and counted, not allowed to stop the whole site (ListOptions). The first reads
  // (prefetch: every state and alert) meet every one of them, so each page after says how many.
  // Each once, though several listings meet it (the caller is told once too).
  const damaged = new DamagedLog(given.onDamaged);
  const src: SiteSources = { ...given, onDamaged: damaged.onDamaged };
  const ctx = (path: string): PageContext => ({ mode: 'static', root: rootOf(path), generatedAt, damaged: damaged.errors.length });
  const pre = await prefetch(src);
  const listed = [...new Set([...src.bodies.map((b) => b.id), ...pre.states.keys()])];
  const start = startOfDay(o.day ?? 0, listed.length);
  const bodyIds = [...listed.slice(start), ...listed.slice(0, start)];
  const years = [...new Set([...pre.states.values()].flat().map((s) => s.year))].sort((a, b) => b - a);
  const reports = [...pre.states.values()].flat().length;
  const total = 6 + SITE_ASSETS.length + years.length * (1 + DOWNLOADS.length) + bodyIds.length + reports;
  let done = 0;
  let bytes = 0;
  let unchanged = 0;
  const put = async (path: string, body: string | Uint8Array, type = HTML) => {
    if ((await out.write(path, body, type)) === false) unchanged++;
    bytes += typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
    done++;
    onPage?.(path, done, total);
  };
  for (const a of SITE_ASSETS) await put(`assets/${a}`, assetBytes(a), ASSET_TYPES[a]);
  await put(GENERATED_SCRIPT, generatedScript(generatedAt), 'text/javascript; charset=utf-8');
  // Every listing of the site's own pages is read before any of them is written, so each says how many records
  // were left out of all of them (a body's own records are read with its pages, below).
  const overview = await overviewData(src);
  const alerts = await alertsView(src);
  const yearViews = [];
  for (const y of years) yearViews.push(await yearView(src, y));
  await put('data/overview.js', overviewScript(overview), 'text/javascript; charset=utf-8');
  await put('index.html', overviewPage(ctx('index.html')));
  await put('alerts.html', alertsPage(ctx('alerts.html'), alerts));
  for (const v of yearViews) await put(yearPath(v.year), yearPage(ctx(yearPath(v.year)), v));
  await put('years.html', yearsPage(ctx('years.html'), yearViews));
  await put(
    '404.html',
    '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>404</title><p>没有这个页面 no such page. <a href="/index.html">总览 overview</a></p></html>',
  );
  let next = 0;
  let skipped = 0;
  let failedBodies = 0;
  const worker = async () => {
    while (next < bodyIds.length) {
      const id = bodyIds[next++]!;
      if (o.shouldStop?.()) {
        skipped++;
        continue;
      }
      try {
        const v = await bodyView(src, id, pre);
        if (!v) continue;
        await put(bodyPath(id), bodyPage(ctx(bodyPath(id)), v));
        for (const y of v.years) {
          const r = await reportView(src, id, y.year, pre);
          if (r) await put(reportPath(id, y.year), reportPage(ctx(reportPath(id, y.year)), r));
        }
      } catch (e) {
        // A record of this body that cannot be read (a capture, a parsed source): its pages keep their last good
        // version, the record is named and counted like any other left out; every other body is written.
        if (!(e instanceof IntegrityError)) throw e;
        src.onDamaged?.(e);
        failedBodies++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.concurrency ?? 4) }, worker));
  // The years' downloads after the pages: a run short of time keeps yesterday's files, never a file cut short.
  let downloadsSkipped = 0;
  for (const y of years) {
    if (o.shouldStop?.()) {
      downloadsSkipped++;
      continue;
    }
    const files = await yearDownloads(src, y);
    for (const kind of DOWNLOADS) await put(downloadPath(y, kind), files[kind], CSV_TYPE);
  }
  // A site cut short keeps the pages it did not rewrite: nothing is removed unless every page was written.
  if (skipped === 0 && failedBodies === 0 && downloadsSkipped === 0) await out.finish?.();
  return { pages: done, bytes, bodies: bodyIds.length, reports, skipped, downloadsSkipped, unchanged, damaged: damaged.messages };
}
