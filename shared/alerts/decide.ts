/**
 * Which alerts are open for a (body, year) after a crawl, and which resolve. Identity = (body, year, kind,
 * detail): an alert opens once, resolves once, and a dismissed alert is never reopened for the same identity.
 */
import type { ParsedReport } from '../report/model.ts';
import { createHash } from 'node:crypto';
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
  region?: string;
  year: number;
}

/**
 * Opens the candidates not open yet, and resolves the open alerts of `kinds` that are no longer candidates
 * (kinds the crawl could assess). Returns the alerts that changed state.
 */
export async function reconcileAlerts(store: StateStore, s: Subject, candidates: AlertCandidate[], assessed: AlertKind[], now: string): Promise<Alert[]> {
  const changed: Alert[] = [];
  const wanted = new Set<string>();
  for (const c of candidates) {
    const id = alertId(s.bodyId, s.year, c.kind, c.detail);
    wanted.add(id);
    const existing = await store.getAlert(id);
    if (existing && existing.state !== 'resolved') continue; // open (sent once) or dismissed (never again)
    const alert: Alert = {
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
    };
    await store.putAlert(alert);
    changed.push(alert);
  }
  for (const open of await store.alerts('open')) {
    if (open.bodyId !== s.bodyId || open.year !== s.year || !assessed.includes(open.kind) || wanted.has(open.id)) continue;
    open.state = 'resolved';
    open.resolvedAt = now;
    await store.putAlert(open);
    changed.push(open);
  }
  return changed;
}

/** A watchdog's dismissal: kept with its reason, never sent again for the same evidence. */
export async function dismissAlert(store: StateStore, id: string, reason: string, now: string): Promise<Alert | null> {
  const a = await store.getAlert(id);
  if (!a) return null;
  a.state = 'dismissed';
  a.dismissedAt = now;
  a.dismissReason = reason;
  await store.putAlert(a);
  return a;
}

/**
 * One `inconsistent` candidate per error finding of a report (FORMAT.md rules), identified by rule and first
 * cell so the same defect found again — by the next crawl, or by re-parsing — is the same alert.
 */
export function findingCandidates(body: { name: string }, year: number, parsed: ParsedReport, source: { sha256: string; time: string; url: string }): AlertCandidate[] {
  return parsed.findings
    .filter((f) => f.severity === 'error')
    .map((f) => ({
      kind: 'inconsistent' as const,
      detail: `${f.rule}:${f.cells?.[0] ?? ''}`,
      summaryZh: `${body.name}${year}年度报告：${f.message.split(' / ')[0]}`,
      summaryEn: `${body.name} ${year}: ${f.message.split(' / ')[1] ?? f.rule}`,
      evidence: { rules: [f.rule], cells: f.cells, figures: [{ cell: f.cells?.[0] ?? '', expected: f.expected, actual: f.actual }], quote: f.quote, sha256: source.sha256, captureTime: source.time, url: source.url, retrieve: `nianbao get ${source.sha256}` },
    }));
}
