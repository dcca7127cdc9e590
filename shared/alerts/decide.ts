/**
 * Which alerts are open for a (body, year) after a crawl, and which resolve. Identity = (body, year, kind,
 * detail): an alert opens once, resolves once, and a dismissed alert is never reopened for the same identity.
 * Every write is a versioned update (`StateStore.saveAlert`): a write based on a stale read is retried on
 * the fresh alert, so concurrent writers (a deliverer, a dismissal, another crawl) never undo each other.
 */
import type { ParsedReport } from '../report/model.ts';
import { createHash } from 'node:crypto';
import { RetryLaterError } from '../errors.ts';
import type { Alert, AlertEvidence, AlertKind, StateStore } from '../store/ports.ts';

export function alertId(bodyId: string, year: number, kind: AlertKind, detail: string): string {
  return `a${createHash('sha256').update(`${bodyId}\n${year}\n${kind}\n${detail}`).digest('hex').slice(0, 16)}`;
}

export interface AlertCandidate {
  kind: AlertKind;
  detail: string;
  summaryZh: string;
  summaryEn: string;
  evidence: AlertEvidence;
}

export interface Subject {
  bodyId: string;
  bodyName: string;
  region?: string | undefined;
  year: number;
}

/** Writes attempted before a conflicting alert write gives up (each attempt re-reads the alert). */
const MAX_ATTEMPTS = 20;

/** Other writers kept changing the alert between our read and our write: nothing was lost, do it again later. */
export class AlertWriteConflictError extends RetryLaterError {}

/**
 * Applies `change` to the stored alert `id` and saves it, re-reading and reapplying when another writer
 * saved it in between. `change` returns false to leave the alert as it is. Returns the alert as stored (or
 * null when there is none and `change` created none). `known`: the alert as the caller has just read it (null:
 * not stored), for a first attempt without reading it again. Only a write is based on it, and the write is
 * conditional on its version (or on there being none), so a stale one costs a second attempt; leaving the alert
 * alone is decided on a fresh read only (a list read, such as DynamoDB's index, may lag the item).
 */
export async function updateAlert(
  store: StateStore,
  id: string,
  change: (current: Alert | null) => Alert | false,
  known?: Alert | null,
): Promise<Alert | null> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const fromKnown = attempt === 0 && known !== undefined;
    const current = fromKnown ? known : await store.getAlert(id);
    const next = change(current ? structuredClone(current) : null);
    if (next === false) {
      if (fromKnown) continue; // leaving it alone is decided on a fresh read only
      return current;
    }
    next.version = current?.version ?? 0;
    if (await store.saveAlert(next)) return next;
  }
  throw new AlertWriteConflictError(`alert ${id}: ${MAX_ATTEMPTS} conflicting writes in a row (others are writing it): try again`);
}

/**
 * Opens the candidates not open yet, and resolves the open alerts of `assessed` kinds that are no longer
 * candidates. Reads only this body's alerts. Returns the alerts that changed state.
 */
export async function reconcileAlerts(
  store: StateStore,
  s: Subject,
  candidates: AlertCandidate[],
  assessed: readonly AlertKind[],
  now: string,
): Promise<Alert[]> {
  const wanted = new Map<string, AlertCandidate>();
  for (const c of candidates) {
    const id = alertId(s.bodyId, s.year, c.kind, c.detail);
    if (!wanted.has(id)) wanted.set(id, c);
  }
  // This body-year's alerts, read once: each update below starts from it (and writes only if its version holds).
  const stored = new Map((await store.alertsOf(s.bodyId, s.year)).map((a) => [a.id, a]));
  // Each alert is its own item and its own conditional write, so they are written together, not one after another:
  // the local store commits them in one transaction (sqlite-writer.ts) where each was a commit of its own, and
  // DynamoDB takes them in parallel. `changed` keeps the candidates' order, then the resolutions'.
  const opening = [...wanted].map(async ([id, c]) => {
    let opened = false;
    const saved = await updateAlert(
      store,
      id,
      (existing) => {
        // Open (sent once) or dismissed (never again): left alone. Decided afresh on each attempt.
        opened = !existing || existing.state === 'resolved';
        if (!opened) return false;
        return {
          id,
          bodyId: s.bodyId,
          bodyName: s.bodyName,
          region: s.region,
          year: s.year,
          kind: c.kind,
          detail: c.detail,
          state: 'open',
          summaryZh: c.summaryZh,
          summaryEn: c.summaryEn,
          evidence: c.evidence,
          openedAt: now,
          sent: { opened: [], resolved: [] },
          version: 0,
        };
      },
      stored.get(id) ?? null,
    );
    return opened ? saved : null;
  });
  // `stored` is this year's only.
  const gone = [...stored.values()].filter((open) => open.state === 'open' && assessed.includes(open.kind) && !wanted.has(open.id));
  const resolving = gone.map(async (open) => {
    const resolved = await updateAlert(
      store,
      open.id,
      (a) => {
        if (a?.state !== 'open' || a.openedAt !== open.openedAt) return false;
        return { ...a, state: 'resolved', resolvedAt: now };
      },
      open,
    );
    return resolved?.state === 'resolved' && resolved.resolvedAt === now ? resolved : null;
  });
  // One Promise.all over both: every write's failure is handled (the first one rejects), none left unhandled.
  return (await Promise.all([...opening, ...resolving])).filter((a): a is Alert => a !== null);
}

/** A watchdog's dismissal: kept with its reason, never sent again for the same evidence. */
export async function dismissAlert(store: StateStore, id: string, reason: string, now: string, by?: string): Promise<Alert | null> {
  return updateAlert(store, id, (a) => (a ? { ...a, state: 'dismissed', dismissedAt: now, dismissReason: reason, ...(by ? { dismissedBy: by } : {}) } : false));
}

/**
 * One `inconsistent` candidate per error finding of a report (docs/format.md rules), identified by rule and first
 * cell so the same defect found again — by the next crawl, or by re-parsing — is the same alert.
 */
export function findingCandidates(
  body: { name: string },
  year: number,
  parsed: ParsedReport,
  source: { sha256: string; time: string; url: string },
): AlertCandidate[] {
  return parsed.findings
    .filter((f) => f.severity === 'error' && f.rule !== 'CELL-UNREAD')
    .map((f) => ({
      kind: 'inconsistent' as const,
      detail: `${f.rule}:${f.cells?.[0] ?? ''}`,
      // Findings stored before parser 1.2.0 have only the combined message.
      summaryZh: `${body.name}${year}年度报告：${f.zh ?? f.message.split(' / ')[0]}`,
      summaryEn: `${body.name} ${year}: ${f.en ?? f.message.split(' / ')[1] ?? f.rule}`,
      evidence: {
        rules: [f.rule],
        cells: f.cells,
        figures: [{ cell: f.cells?.[0] ?? '', expected: f.expected, actual: f.actual }],
        quote: f.quote,
        sha256: source.sha256,
        captureTime: source.time,
        url: source.url,
        retrieve: `nianbao get ${source.sha256}`,
      },
    }));
}
