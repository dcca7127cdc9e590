/**
 * The stores in memory: ArchiveStore, CaptureLog, ReportStore and StateStore with the behaviour of the SQLite and
 * DynamoDB adapters (the same contract suite runs against all three, tests/store/contract.test.ts). For pipeline
 * tests that need no database, and for a demo that writes nothing. Everything is copied in and out (structuredClone),
 * as a real store would serialise it: a caller that changes what it got back changes nothing stored.
 */
import { InvalidCursorError } from './cursor.ts';
import { inOutbox } from './outbox.ts';
import { currentAfterPut } from './current.ts';
import { sha256Hex } from './hash.ts';
import type {
  Alert,
  AlertEvent,
  AlertOpening,
  AlertState,
  ArchiveStore,
  BlobInfo,
  BodyYearState,
  CaptureLog,
  CaptureQuery,
  CaptureRecord,
  Page,
  PreviousCapture,
  PutParsedOptions,
  ReportStore,
  RowQuery,
  StoredReport,
  StoredRow,
  StateStore,
} from './ports.ts';
import { validatorsOf } from './validators.ts';

const copy = <T>(v: T): T => structuredClone(v);
const DEFAULT_LIMIT = 100;

/** A page of `items` (already in order) after the cursor's position: the cursor is the index of the next item. */
function page<T>(items: T[], q: { limit?: number | undefined; cursor?: string | undefined }): Page<T> {
  const from = q.cursor ? Number(Buffer.from(q.cursor, 'base64url').toString()) : 0;
  if (!Number.isInteger(from) || from < 0) throw new InvalidCursorError(`cursor ${JSON.stringify(q.cursor)}: not a cursor of this store`);
  const limit = q.limit ?? DEFAULT_LIMIT;
  const slice = items.slice(from, from + limit);
  const next = from + limit < items.length ? Buffer.from(String(from + limit)).toString('base64url') : undefined;
  return { items: slice.map(copy), next };
}

export class MemoryArchiveStore implements ArchiveStore {
  private readonly blobs = new Map<string, Uint8Array>();

  async put(bytes: Uint8Array): Promise<BlobInfo & { created: boolean }> {
    const sha256 = sha256Hex(bytes);
    const created = !this.blobs.has(sha256);
    if (created) this.blobs.set(sha256, new Uint8Array(bytes));
    return { sha256, size: bytes.length, created };
  }

  async putStream(chunks: AsyncIterable<Uint8Array>): Promise<BlobInfo & { created: boolean }> {
    const parts: Uint8Array[] = [];
    for await (const c of chunks) parts.push(c);
    return this.put(Buffer.concat(parts));
  }

  async get(sha256: string): Promise<Uint8Array | null> {
    const b = this.blobs.get(sha256);
    return b ? new Uint8Array(b) : null;
  }

  async head(sha256: string): Promise<BlobInfo | null> {
    const b = this.blobs.get(sha256);
    return b ? { sha256, size: b.length } : null;
  }

  async exists(sha256: string): Promise<boolean> {
    return this.blobs.has(sha256);
  }

  async *list(): AsyncIterable<BlobInfo> {
    for (const sha256 of [...this.blobs.keys()].sort()) yield { sha256, size: this.blobs.get(sha256)!.length };
  }
}

const byTime = (a: CaptureRecord, b: CaptureRecord) => a.time.localeCompare(b.time) || a.id.localeCompare(b.id);
const inRange = (c: CaptureRecord, q: CaptureQuery) => c.time >= (q.from ?? '') && c.time <= `${q.to ?? '~'}~`;

export class MemoryStore implements CaptureLog, ReportStore {
  private readonly captures = new Map<string, CaptureRecord>();
  private readonly reportsByKey = new Map<string, { report: StoredReport; firstParsedAt: string }>();
  private readonly rowsByKey = new Map<string, { row: StoredRow; current: boolean }>();

  async put(record: CaptureRecord): Promise<void> {
    if (!this.captures.has(record.id)) this.captures.set(record.id, copy(record));
  }

  async get(id: string): Promise<CaptureRecord | null> {
    const c = this.captures.get(id);
    return c ? copy(c) : null;
  }

  private select(test: (c: CaptureRecord) => boolean, q: CaptureQuery, newestFirst = false): Page<CaptureRecord> {
    const all = [...this.captures.values()].filter((c) => test(c) && inRange(c, q)).sort(byTime);
    return page(newestFirst ? all.reverse() : all, q);
  }

  async latestCapture(url: string, opts: { withBody?: boolean } = {}): Promise<CaptureRecord | null> {
    return this.select((c) => c.url === url && (!opts.withBody || c.sha256 !== null), { limit: 1 }, true).items[0] ?? null;
  }

  async latest(url: string): Promise<PreviousCapture | null> {
    return validatorsOf(url, await this.latestCapture(url, { withBody: true }));
  }

  async byUrl(url: string, q: CaptureQuery = {}): Promise<Page<CaptureRecord>> {
    return this.select((c) => c.url === url, q, q.newestFirst ?? false);
  }

  async byBody(bodyId: string, year?: number | 'all', q: CaptureQuery = {}): Promise<Page<CaptureRecord>> {
    if (year === 'all' && q.newestFirst) throw new Error("byBody(…, 'all') is in year order; ask for one year newest first");
    return this.select((c) => c.bodyId === bodyId && (year === 'all' || (c.year ?? undefined) === year), q, q.newestFirst ?? false);
  }

  async bySha256(sha256: string, q: CaptureQuery = {}): Promise<Page<CaptureRecord>> {
    return this.select((c) => c.sha256 === sha256, q);
  }

  async putParsed(report: StoredReport, rows: StoredRow[], options: PutParsedOptions = {}): Promise<void> {
    const key = `${report.bodyId}#${report.year}`;
    const existing = this.reportsByKey.get(`${key}#${report.sha256}`);
    const yearRows = [...this.rowsByKey].filter(([k]) => k.startsWith(`${key}#`));
    const mine = (sha256: string) => sha256 === report.sha256;
    const makeCurrent = options.current ?? true;
    const current = currentAfterPut(
      makeCurrent,
      yearRows.some(([, r]) => r.current && mine(r.row.sha256)),
      yearRows.some(([, r]) => r.current && !mine(r.row.sha256)),
    );
    // Older sources of this body-year leave the across-bodies listing (their figures stay, for old → new).
    if (makeCurrent) for (const [, r] of yearRows) if (!mine(r.row.sha256)) r.current = false;
    // Re-parsing replaces this source's rows.
    for (const [k, r] of yearRows) if (mine(r.row.sha256)) this.rowsByKey.delete(k);
    for (const r of rows)
      this.rowsByKey.set(`${key}#${report.sha256}#${r.row}`, {
        row: copy({ ...r, bodyId: report.bodyId, year: report.year, sha256: report.sha256 }),
        current,
      });
    this.reportsByKey.set(`${key}#${report.sha256}`, { report: copy(report), firstParsedAt: existing?.firstParsedAt ?? report.parsedAt });
  }

  async reports(bodyId: string, year: number): Promise<StoredReport[]> {
    return [...this.reportsByKey.entries()]
      .filter(([k]) => k.startsWith(`${bodyId}#${year}#`))
      .map(([, v]) => v)
      .sort((a, b) => a.firstParsedAt.localeCompare(b.firstParsedAt) || a.report.sha256.localeCompare(b.report.sha256))
      .map((v) => copy(v.report));
  }

  async rows(bodyId: string, year: number, sha256: string): Promise<StoredRow[]> {
    return [...this.rowsByKey.entries()]
      .filter(([k]) => k.startsWith(`${bodyId}#${year}#${sha256}#`))
      .map(([, v]) => copy(v.row))
      .sort((a, b) => a.row.localeCompare(b.row));
  }

  async rowAcrossBodies(year: number, row: string, q: RowQuery = {}): Promise<Page<StoredRow>> {
    const rows = [...this.rowsByKey.values()]
      .filter((r) => r.current && r.row.year === year && r.row.row === row)
      .map((r) => r.row)
      .sort((a, b) => a.bodyId.localeCompare(b.bodyId) || a.sha256.localeCompare(b.sha256));
    return page(rows, q);
  }
}

export class MemoryStateStore implements StateStore {
  private readonly stateByKey = new Map<string, BodyYearState>();
  private readonly alertById = new Map<string, Alert>();
  private readonly claims = new Map<string, { claimedAt: number; delivered: boolean }>();

  async getState(bodyId: string, year: number): Promise<BodyYearState | null> {
    const s = this.stateByKey.get(`${bodyId}#${year}`);
    return s ? copy(s) : null;
  }

  async putState(s: BodyYearState): Promise<void> {
    this.stateByKey.set(`${s.bodyId}#${s.year}`, copy(s));
  }

  async states(year?: number): Promise<BodyYearState[]> {
    return [...this.stateByKey.values()]
      .filter((s) => year === undefined || s.year === year)
      .sort((a, b) => a.year - b.year || a.status.localeCompare(b.status) || a.bodyId.localeCompare(b.bodyId))
      .map(copy);
  }

  async getAlert(id: string): Promise<Alert | null> {
    const a = this.alertById.get(id);
    return a ? copy(a) : null;
  }

  async saveAlert(a: Alert): Promise<boolean> {
    const expected = a.version ?? 0;
    const stored = this.alertById.get(a.id);
    if ((stored?.version ?? 0) !== expected || (expected === 0 && stored)) return false;
    this.alertById.set(a.id, copy({ ...a, version: expected + 1 }));
    a.version = expected + 1;
    return true;
  }

  private sorted(test: (a: Alert) => boolean): Alert[] {
    return [...this.alertById.values()]
      .filter(test)
      .sort((a, b) => a.openedAt.localeCompare(b.openedAt) || a.id.localeCompare(b.id))
      .map(copy);
  }

  async alerts(state?: AlertState): Promise<Alert[]> {
    return this.sorted((a) => !state || a.state === state);
  }

  async alertsOf(bodyId: string, year?: number): Promise<Alert[]> {
    return this.sorted((a) => a.bodyId === bodyId && (year === undefined || a.year === year));
  }

  async undelivered(bodies?: string[]): Promise<Alert[]> {
    const only = bodies ? new Set(bodies) : null;
    return this.sorted((a) => inOutbox(a) && (!only || only.has(a.bodyId)));
  }

  private claimKey = (a: AlertOpening, event: AlertEvent, channel: string) => `${a.id}#${a.openedAt}#${event}#${channel}`;

  async claimDelivery(alert: AlertOpening, event: AlertEvent, channel: string, now: number, staleMs: number): Promise<boolean> {
    const key = this.claimKey(alert, event, channel);
    const c = this.claims.get(key);
    if (c && (c.delivered || c.claimedAt >= now - staleMs)) return false;
    this.claims.set(key, { claimedAt: now, delivered: false });
    return true;
  }

  async completeDelivery(alert: AlertOpening, event: AlertEvent, channel: string): Promise<void> {
    const c = this.claims.get(this.claimKey(alert, event, channel));
    if (c) c.delivered = true;
  }

  async releaseDelivery(alert: AlertOpening, event: AlertEvent, channel: string): Promise<void> {
    const key = this.claimKey(alert, event, channel);
    if (!this.claims.get(key)?.delivered) this.claims.delete(key);
  }

  async deliveryCompleted(alert: AlertOpening, event: AlertEvent, channel: string): Promise<boolean> {
    return this.claims.get(this.claimKey(alert, event, channel))?.delivered === true;
  }
}
