/**
 * Deadlines and statuses (条例 第四十九条; docs/store.md). The report for year Y is due on the body's MM-DD of
 * Y+1 (31 January departments, 31 March governments, the registry for others), end of day in Asia/Shanghai
 * (UTC+8, no daylight saving), plus a configurable grace period.
 */
import type { BodyYearState, Status } from './store/ports.ts';

const SHANGHAI = 8 * 3600_000;

/** The instant a report for `year` is late after. */
export function deadlineInstant(year: number, mmdd: string, graceDays = 0): number {
  const [m, d] = mmdd.split('-').map(Number);
  return Date.UTC(year + 1, m! - 1, d!, 23, 59, 59, 999) - SHANGHAI + graceDays * 86400_000;
}

/** The calendar date (YYYY-MM-DD) of an instant in Asia/Shanghai. */
export function shanghaiDate(t: number | string): string {
  const ms = typeof t === 'string' ? Date.parse(t) : t;
  return new Date(ms + SHANGHAI).toISOString().slice(0, 10);
}

export interface StatusInput {
  state: BodyYearState;
  hasLists: boolean;
  /** The last crawl could not read the column. */
  unreachable: boolean;
  now: number;
  graceDays: number;
}

/** What shows a report was late: the date its page states, or the day we first saw it (after crawls that did not). */
export interface LateBy {
  by: 'page_date' | 'first_seen';
  /** YYYY-MM-DD (Asia/Shanghai for a sighting). */
  date: string;
}

/** The status of a body-year, and whether the page's date is earlier than a crawl of ours that did not see it. */
export function statusOf(i: StatusInput): { status: Status; backDated: boolean; lateBy?: LateBy } {
  const { state } = i;
  if (!i.hasLists) return { status: 'unknown', backDated: false };
  const due = deadlineInstant(state.year, state.deadline, i.graceDays);
  const dueDate = shanghaiDate(deadlineInstant(state.year, state.deadline));
  if (state.firstSeenAt) {
    const seen = Date.parse(state.firstSeenAt);
    const missedAfterDeadline = state.missedAt.some((t) => Date.parse(t) > due && Date.parse(t) < seen);
    const pageLate = state.pageDate !== undefined && state.pageDate > dueDate;
    const backDated = state.pageDate !== undefined && state.missedAt.some((t) => Date.parse(t) < seen && shanghaiDate(t) > state.pageDate!);
    if (pageLate || missedAfterDeadline)
      return {
        status: 'late',
        backDated,
        lateBy: pageLate ? { by: 'page_date', date: state.pageDate! } : { by: 'first_seen', date: shanghaiDate(seen) },
      };
    return { status: 'found', backDated };
  }
  if (i.unreachable) return { status: 'unreachable', backDated: false };
  return { status: i.now > due ? 'missing' : 'pending', backDated: false };
}
