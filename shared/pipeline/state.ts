/** The pipeline's result types and the state a body-year starts from. */
import type { ListFailure } from '../crawl/discover.ts';
import { deadlineOf, type Body } from '../crawl/registry.ts';
import type { BodyYearState, Status } from '../store/ports.ts';

/** How a body's crawl ended: read and assessed, the column not read, our own outage, or an internal error. */
export const CRAWL_OUTCOMES = ['crawled', 'access_failure', 'outage', 'error'] as const;
export type CrawlOutcome = (typeof CRAWL_OUTCOMES)[number];

export interface BodyResult {
  bodyId: string;
  year: number;
  /** The body-year's status after this crawl (an `error` leaves the stored status untouched). */
  status: Status | 'error';
  reports: number;
  alertsChanged: number;
  outcome: CrawlOutcome;
  /** Why the column could not be read (`access_failure`, `outage`). */
  failure?: Pick<ListFailure, 'url' | 'outcome' | 'status' | 'reason'>;
  /** An internal error (a bug, the store failing): logged and shown, never a watchdog alert. */
  error?: string;
  /** Figures of the report the parser could not read: shown beside the status ("read with gaps"). */
  readWithGaps?: number;
  /** The portal needs a browser and this crawl had none: crawl the body again with one. */
  needsBrowser?: boolean;
}

export function initialState(body: Body, year: number, nowIso: string): BodyYearState {
  return { bodyId: body.id, year, status: 'pending', missedAt: [], consecutiveFailures: 0, deadline: deadlineOf(body, year), updatedAt: nowIso };
}
