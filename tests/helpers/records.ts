/** Stored records as the tests need them: every required field set to an ordinary value, the point of a test given. */
import type { Finding } from '../../shared/report/model.ts';
import type { Alert, BodyYearState, CaptureRecord, ContentChange, StoredReport } from '../../shared/store/ports.ts';

/** The state of a body whose 2024 report was found (deadline 31 March 2025). */
export function foundState(bodyId: string, over: Partial<BodyYearState> = {}): BodyYearState {
  return {
    bodyId,
    year: 2024,
    status: 'found',
    missedAt: [],
    consecutiveFailures: 0,
    deadline: '2025-03-31',
    updatedAt: '2025-04-01T02:00:00.000Z',
    ...over,
  };
}

/** A change of a report that moved to another URL (a corrected edition): a figure and the date old → new. */
export function movedChange(over: Partial<ContentChange> = {}): ContentChange {
  return {
    id: 'content:m1',
    url: 'https://www.example.gov.cn/new.html',
    movedFrom: 'https://www.example.gov.cn/old.html',
    fromSha256: 'a'.repeat(64),
    toSha256: 'b'.repeat(64),
    at: '2025-06-10T02:00:00.000Z',
    figures: [{ cell: 'table3.granted.total', old: 10, new: 13 }],
    added: [],
    removed: [],
    published: { old: '2025-01-24', new: '2025-06-10' },
    ...over,
  };
}

/** A capture of `url` that read a page (200 ok) on 2025-03-01, archived no bytes unless `over` says so. */
export function captureRecord(id: string, url: string, over: Partial<CaptureRecord> = {}): CaptureRecord {
  return {
    id,
    url,
    finalUrl: url,
    redirects: [],
    time: '2025-03-01T00:00:00.000Z',
    method: 'static',
    httpMethod: 'GET',
    status: 200,
    outcome: 'ok',
    requestHeaders: {},
    responseHeaders: {},
    sha256: null,
    size: 0,
    contentType: 'text/html',
    ...over,
  };
}

/** An open `missing` alert of 甲区人民政府 for 2024, never delivered. */
export function openAlert(id: string, over: Partial<Alert> = {}): Alert {
  return {
    id,
    bodyId: `body-${id}`,
    bodyName: '甲区人民政府',
    year: 2024,
    kind: 'missing',
    detail: 'missing',
    state: 'open',
    summaryZh: '未发布',
    summaryEn: 'missing',
    evidence: {},
    openedAt: '2025-06-01T02:00:00.000Z',
    sent: { opened: [], resolved: [] },
    version: 0,
    ...over,
  };
}

/** A parsed source of a body's 2024 report (an HTML page at `https://www.<body>.gov.cn/<sha's first letter>.html`). */
export function storedReport(bodyId: string, sha256: string, over: Partial<StoredReport> = {}): StoredReport {
  return {
    bodyId,
    year: 2024,
    sha256,
    url: `https://www.${bodyId}.gov.cn/${sha256[0]}.html`,
    title: null,
    format: 'html',
    published: '2025-01-20',
    findings: [],
    parserVersion: '1.2.0',
    parsedAt: '2025-02-01T02:00:00.000Z',
    ...over,
  };
}

/** A finding as the rules write it (both languages), with `over` on top. */
export const finding = (rule: string, severity: Finding['severity'], over: Partial<Finding> = {}): Finding => ({
  rule,
  severity,
  message: `${rule} zh / ${rule} en`,
  zh: `${rule}：中文`,
  en: `${rule}: English`,
  ...over,
});
