/**
 * Ports the domain code depends on (docs/store.md): Clock (injectable, so tests never sleep), ArchiveStore
 * (exact bytes), CaptureLog (every fetch) and ReportStore (parsed figures). Adapters: fs-archive.ts and s3.ts
 * for the archive, dynamo.ts for the log and the reports. The pipeline issue adds StateStore and Notifier.
 */

import type { Bilingual, IntegrityError } from '../errors.ts';

/** Time, injectable: production waits for real, tests advance instantly. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The system clock moved to another day ("pretend today is D", for deadline checks); waits are real. */
export function offsetClock(today: number): Clock {
  const offset = today - Date.now();
  return { now: () => Date.now() + offset, sleep: (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms))) };
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/** What a conditional GET needs from the last capture of a URL. */
export interface PreviousCapture {
  url: string;
  etag?: string | undefined;
  lastModified?: string | undefined;
  sha256?: string | undefined;
  contentType?: string | undefined;
}

/** Read side of the capture log. */
export interface CaptureLogReader {
  latest(url: string): Promise<PreviousCapture | null>;
}

// ------------------------------------------------------------------------------------------------------
// Archive and store ports (docs/store.md)
// ------------------------------------------------------------------------------------------------------

/** A blob in the archive: content-addressed by its sha256 (hex), never overwritten. */
export interface BlobInfo {
  sha256: string;
  size: number;
}

/** The archive of exact bytes (S3 `blobs/sha256/<hex>`, or the same layout in a local folder). */
export interface ArchiveStore {
  /** Stores bytes under their sha256; a no-op when they are there already (`created: false`). */
  put(bytes: Uint8Array): Promise<BlobInfo & { created: boolean }>;
  /**
   * Streams a large body in: written to a temporary key/file and committed under its sha256 only when
   * complete, so a put that fails halfway leaves nothing that looks complete.
   */
  putStream(chunks: AsyncIterable<Uint8Array>): Promise<BlobInfo & { created: boolean }>;
  get(sha256: string): Promise<Uint8Array | null>;
  head(sha256: string): Promise<BlobInfo | null>;
  exists(sha256: string): Promise<boolean>;
  /** Every blob, in sha256 order (paginated underneath). */
  list(): AsyncIterable<BlobInfo>;
}

export const CAPTURE_METHODS = ['static', 'browser'] as const;
export type CaptureMethod = (typeof CAPTURE_METHODS)[number];

/** One fetch, as archived: everything a WARC record needs, and where the bytes are. */
export interface CaptureRecord {
  id: string;
  url: string;
  finalUrl: string;
  redirects: string[];
  /** UTC, ISO 8601 with milliseconds. */
  time: string;
  method: CaptureMethod;
  httpMethod: 'GET' | 'POST';
  status: number | null;
  outcome: string;
  requestHeaders: Record<string, string>;
  responseHeaders: Record<string, string>;
  /** sha256 of the body as received after transfer/content decoding; null when there was no body. */
  sha256: string | null;
  size: number;
  contentType: string | null;
  bodyId?: string;
  year?: number;
  /** Same bytes as the previous capture of this URL: no new blob (WARC revisit). */
  revisit?: { id: string; time: string; url: string };
  /** Different bytes from the previous capture of this URL. */
  changed?: { fromSha256: string; toSha256: string; previousId: string };
  /** Browser captures: the rendered DOM, stored as its own blob. */
  domSha256?: string;
  error?: string;
}

/** A page of results and the cursor of the next page. */
export interface Page<T> {
  items: T[];
  next?: string | undefined;
}

/** A page of one row across bodies (`rowAcrossBodies`); `onDamaged` (ListOptions) for a listing for people. */
export interface RowQuery extends ListOptions {
  limit?: number | undefined;
  cursor?: string | undefined;
}

/** A page of captures; `onDamaged` (ListOptions) for a listing for people. */
export interface CaptureQuery extends ListOptions {
  from?: string | undefined;
  to?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
  /** Newest first (byUrl; byBody of one year or of the column pages — not of `'all'`, whose order is by year). */
  newestFirst?: boolean | undefined;
}

/** The capture log: every fetch, queryable by URL (time order), body-year, sha256 and id. */
export interface CaptureLog extends CaptureLogReader {
  /** Stores a capture; idempotent for the same id. */
  put(record: CaptureRecord): Promise<void>;
  get(id: string): Promise<CaptureRecord | null>;
  /** The newest capture of a URL (`withBody`: the newest that archived bytes). */
  latestCapture(url: string, opts?: { withBody?: boolean }): Promise<CaptureRecord | null>;
  byUrl(url: string, q?: CaptureQuery): Promise<Page<CaptureRecord>>;
  /**
   * Captures of a body: of one report year; with `year` undefined, those of no report year (column pages); with
   * `'all'`, every capture of the body (by year, then time).
   */
  byBody(bodyId: string, year?: number | 'all', q?: CaptureQuery): Promise<Page<CaptureRecord>>;
  bySha256(sha256: string, q?: CaptureQuery): Promise<Page<CaptureRecord>>;
}

/** A parsed report as stored: what it was parsed from and what was found. */
export interface StoredReport {
  bodyId: string;
  year: number;
  sha256: string;
  url: string;
  captureId?: string;
  title: string | null;
  format: string;
  published: string | null;
  findings: unknown[];
  parserVersion: string;
  parsedAt: string;
}

/** One table row of a parsed report (public keys of docs/format.md §11). */
export interface StoredRow {
  bodyId: string;
  year: number;
  sha256: string;
  /** `table3.received`, `table4`, `table2.regulations` … */
  row: string;
  /** Cells by column key (`natural_person` … / `review_upheld` … / `issued` …). */
  values: Record<string, number | null>;
}

/** How a source's rows stand among the body-year's sources (`ReportStore.putParsed`). */
export interface PutParsedOptions {
  /** This source speaks for the body-year's report (default true). */
  current?: boolean;
}

export interface ReportStore {
  /**
   * Replaces the rows parsed from `report.sha256` (idempotent; stale rows of that source are removed).
   *
   * A body-year's **current** source is the one whose rows stand for its report across bodies (`rowAcrossBodies`,
   * the export): the source the crawl's assessment reads its figures from (`mainSource`), not whichever was put last.
   * `current: true` (the default) makes this source the current one and takes the others out of the index.
   * `current: false` — another source of the report (an attachment beside the page that speaks for it, another item
   * the column lists for the year, a capture parsed on its own) — writes its rows and leaves which source is current as
   * it is; only a body-year that has no current source yet takes it, so that a lone source is listed.
   */
  putParsed(report: StoredReport, rows: StoredRow[], options?: PutParsedOptions): Promise<void>;
  /**
   * Every source parsed for a body-year, oldest first (a changed report shows old → new). With `onDamaged`, a record
   * that cannot be read is handed over and left out (a listing for people); without it, it throws.
   */
  reports(bodyId: string, year: number, options?: ListOptions): Promise<StoredReport[]>;
  /** One source's rows, in row order. With `onDamaged`, a row that cannot be read is handed over and left out. */
  rows(bodyId: string, year: number, sha256: string, options?: ListOptions): Promise<StoredRow[]>;
  /** One row across all bodies of a year (e.g. every body's table3.received for 2024). */
  rowAcrossBodies(year: number, row: string, q?: RowQuery): Promise<Page<StoredRow>>;
}

// ------------------------------------------------------------------------------------------------------
// Pipeline state and notification ports
// ------------------------------------------------------------------------------------------------------

/** Status of a (body, year) — docs/store.md. Findings (inconsistent, changed…) are separate from status. */
export const STATUSES = ['pending', 'found', 'missing', 'late', 'unreachable', 'unknown'] as const;
export type Status = (typeof STATUSES)[number];

export interface BodyYearState {
  bodyId: string;
  year: number;
  status: Status;
  /** First crawl of ours that saw the report (evidence of when it was there). */
  firstSeenAt?: string;
  /** The capture of that first sighting (the evidence of a `late` alert). */
  firstSeenCapture?: { id: string; sha256: string | null; url: string };
  reportUrl?: string;
  /**
   * The report's 发布时间, the date its deadline is judged by: the one its page shows, or an earlier version's
   * (`earlierVersionDate`) when the column now lists a later edition or a re-post of it.
   */
  pageDate?: string;
  /**
   * The 发布时间 of an earlier version of the report (the original of a corrected edition, the page before a CMS
   * migration re-posted it), when earlier than the version listed now (crawl/versions.ts). Absent: no such version.
   */
  earlierVersionDate?: string;
  /** Figures of the report's main source the parser could not read (0 or absent: read whole). A flag, not a status. */
  unreadCells?: number;
  /** Why the report, or one of its documents, could not be read at all this crawl (over a limit, corrupt). */
  unreadable?: string;
  /**
   * The rules the report's findings raised as last read, with how many findings each (the current source's: its
   * parse and the crawl's own rules). The year's pages list bodies by rule from the states they already read, without
   * reading every report; `nianbao findings` has the findings themselves.
   */
  findings?: Record<string, number>;
  /** Set while the report's own URL answers 404/410 (or no longer the report): it was removed after publication. */
  removedAt?: string;
  /** sha256 of the report page as last captured. */
  reportSha256?: string;
  /**
   * sha256 of the source whose figures speak for the report as last read (`mainSource`: the page when it has table 三,
   * else the richest document): the source the alerts were assessed by, and the body-year's current one in the report
   * store (its export, the across-bodies pages, `nianbao report`).
   */
  mainSha256?: string;
  /**
   * The baseline of each report source (the page and its attachments, by URL): the sha256 of the bytes whose
   * content the next capture is compared with. Bytes that differ but say the same (a visit counter, a clock
   * in the footer) move the baseline without a `changed` alert.
   */
  sources?: Record<string, string>;
  /** Content changes of the report after publication, oldest first (at most 10): every crawl re-derives its `changed` alerts from them. */
  changes?: ContentChange[];
  /** Times of our crawls that read the whole column and did not find the report. */
  missedAt: string[];
  lastCrawlAt?: string;
  consecutiveFailures: number;
  /** When the current streak of failed crawls began (an `unreachable` alert needs failures spread over time). */
  failingSince?: string;
  /** The latest failed crawls (evidence of an `unreachable` alert; at most 10). */
  failures?: CrawlFailure[];
  deadline: string;
  updatedAt: string;
}

/** A crawl that could not read the column. */
export interface CrawlFailure {
  time: string;
  outcome: string;
  url?: string;
  captureId?: string;
}

/** A change in what a report says (figures, title, date or text), old → new, with its evidence. */
export interface ContentChange {
  /** Identity: the source URL and the two content fingerprints. */
  id: string;
  url: string;
  fromSha256: string;
  toSha256: string;
  at: string;
  figures: { cell: string; old: number | null; new: number | null }[];
  added: string[];
  removed: string[];
  title?: { old: string | null; new: string | null };
  published?: { old: string | null; new: string | null };
  /** Other sources of the report that changed in the same edit (an attachment beside the page). */
  also?: { url: string; fromSha256: string; toSha256: string }[];
  /**
   * The URL the old version was at, when the report moved to another item of the column: a corrected edition posted
   * instead of it or beside it, the page re-posted by a CMS migration (crawl/versions.ts). Absent: the same URL.
   */
  movedFrom?: string;
}

/**
 * `unread`: the report was read with gaps — figures the parser could not read (CELL-UNREAD). Not a defect of the
 * report necessarily, but never to be taken for a clean one.
 */
export const ALERT_KINDS = ['missing', 'late', 'inconsistent', 'changed', 'removed', 'unreachable', 'unread'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export const ALERT_STATES = ['open', 'resolved', 'dismissed'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export interface AlertEvidence {
  rules?: string[] | undefined;
  cells?: string[] | undefined;
  figures?:
    | {
        cell: string;
        old?: number | null;
        new?: number | null;
        expected?: unknown;
        actual?: unknown;
        /** Why the figure could not be read (CELL-UNREAD), in each language. */
        reason?: Bilingual;
      }[]
    | undefined;
  captureTime?: string | undefined;
  sha256?: string | undefined;
  previousSha256?: string | undefined;
  url?: string | undefined;
  /** Where the report was before it moved to `url` (a `changed` alert of a corrected or re-posted report). */
  previousUrl?: string | undefined;
  outcome?: string | undefined;
  quote?: string | undefined;
  diff?: string | undefined;
  /** Sentences of the report's text added / removed by a change. */
  added?: string[] | undefined;
  removed?: string[] | undefined;
  title?: { old: string | null; new: string | null } | undefined;
  published?: { old: string | null; new: string | null } | undefined;
  /** The capture that shows the fact (a 404 of the report's URL, the column read without the report). */
  captureId?: string | undefined;
  status?: number | null | undefined;
  /** The 发布时间 the report's page shows. */
  pageDate?: string | undefined;
  /** Failed crawls behind an `unreachable` alert. */
  failures?: CrawlFailure[] | undefined;
  /** How to get the snapshot: `nianbao get <sha256>`. */
  retrieve?: string | undefined;
}

export interface Alert {
  /** Stable id of the identity (body, year, kind, detail). */
  id: string;
  bodyId: string;
  bodyName: string;
  region?: string | undefined;
  year: number;
  kind: AlertKind;
  detail: string;
  state: AlertState;
  summaryZh: string;
  summaryEn: string;
  evidence: AlertEvidence;
  openedAt: string;
  resolvedAt?: string;
  dismissedAt?: string;
  dismissReason?: string;
  /** Who dismissed it: the IAM identity that called the API, the local user of the command line, or the dashboard. */
  dismissedBy?: string;
  /** When the opening and the resolution were delivered (per channel). */
  sent: { opened: string[]; resolved: string[] };
  /**
   * The event (outbox.ts `settleKey`) every channel has received: set by the deliverer, it takes the alert out
   * of the outbox until the alert opens again or resolves.
   */
  settled?: string;
  /**
   * Optimistic concurrency: the number of writes the stored alert has seen (0: not stored yet). A write
   * succeeds only if the stored version is still the one read, so a dismissal or a resolution made while a
   * deliverer was sending is never overwritten.
   */
  version: number;
}

/**
 * How a listing meets a stored record that does not hold its shape (records.ts). Without `onDamaged` the listing
 * throws: code that acts on a list (reconciling, delivering) must never act on part of it. A listing for people
 * (`status`, `alerts`, `captures`, the site, the API) passes `onDamaged`: the record is handed to it, named, and left out, so
 * one damaged record no longer hides every other one — and the caller shows and counts it.
 */
export interface ListOptions {
  onDamaged?: ((error: IntegrityError) => void) | undefined;
}

export interface StateStore {
  getState(bodyId: string, year: number): Promise<BodyYearState | null>;
  putState(state: BodyYearState): Promise<void>;
  states(year?: number, options?: ListOptions): Promise<BodyYearState[]>;
  getAlert(id: string): Promise<Alert | null>;
  /**
   * Stores an alert if the stored one is still at `alert.version` (0: none stored yet), and bumps
   * `alert.version`. False when another writer got there first: read it again and reapply.
   */
  saveAlert(alert: Alert): Promise<boolean>;
  alerts(state?: AlertState, options?: ListOptions): Promise<Alert[]>;
  /**
   * Every alert of one body (all states), of one report year when `year` is given: reconciling a body-year reads
   * only its own alerts (a body crawled for ten years read its ten years' alerts ten times).
   */
  alertsOf(bodyId: string, year?: number, options?: ListOptions): Promise<Alert[]>;
  /**
   * The outbox (outbox.ts): alerts with an event not yet delivered to every channel, oldest first — only
   * these bodies' when `bodies` is given. Never a read of every alert ever raised.
   */
  undelivered(bodies?: string[], options?: ListOptions): Promise<Alert[]>;
  /**
   * Claims the delivery of one alert event to one channel, so two deliverers running at once (crawl
   * functions, the daily run) never both send it. A claim is held until `completeDelivery`; a claim older
   * than `staleMs` (its deliverer died mid-send) may be taken over. True when this caller holds the claim.
   */
  claimDelivery(alert: AlertOpening, event: AlertEvent, channel: string, now: number, staleMs: number): Promise<boolean>;
  /** The send succeeded: the claim becomes permanent (the event is never sent to the channel again). */
  completeDelivery(alert: AlertOpening, event: AlertEvent, channel: string): Promise<void>;
  /** The send failed: the claim is given back for a later run. */
  releaseDelivery(alert: AlertOpening, event: AlertEvent, channel: string): Promise<void>;
  /**
   * True when the event was sent to the channel (its claim completed). A deliverer that died between
   * `completeDelivery` and recording the send on the alert left the alert in the outbox: the next one sees the
   * completed claim, records the send without sending again, and the alert can leave the outbox.
   */
  deliveryCompleted(alert: AlertOpening, event: AlertEvent, channel: string): Promise<boolean>;
}

export type AlertEvent = 'opened' | 'resolved';
/** One opening of an alert: an alert resolved and raised again is a new opening, delivered again. */
export type AlertOpening = Pick<Alert, 'id' | 'openedAt'>;

/** A delivery channel (console, JSONL file, webhook, SNS). */
export interface Notifier {
  readonly name: string;
  send(alert: Alert, event: 'opened' | 'resolved'): Promise<void>;
}
