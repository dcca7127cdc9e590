/**
 * A crawl's time budget: the moment by which the caller must have its answer (a Lambda invocation's timeout,
 * less what the handler needs to deliver alerts and answer). The fetcher and the browser check it before each
 * request and each retry wait, and shorten timeouts to fit; when the time left cannot hold a fetch they throw
 * `TimeBudgetExhausted` — the work is handed back to be done later, and nothing about the portal is concluded
 * (a fetch cut short by our own deadline is not a portal failure).
 */
import { RetryLaterError } from '../errors.ts';
import type { Clock } from '../store/ports.ts';

/** What happens next: retry later (the message goes back to the queue); never an access failure, never an alert. */
export class TimeBudgetExhausted extends RetryLaterError {}

export class TimeBudget {
  private until: number | null = null;

  /**
   * @param clock the clock the deadline is in
   * @param minFetchMs the least time a request is started with (a shorter one would only time out)
   */
  constructor(
    private readonly clock: Clock,
    readonly minFetchMs = 5_000,
  ) {}

  /** Sets the deadline (epoch ms in the clock's time), or none. */
  setDeadline(at: number | null): void {
    this.until = at;
  }

  /** Milliseconds left (Infinity without a deadline). */
  remaining(): number {
    return this.until === null ? Infinity : this.until - this.clock.now();
  }

  /** Throws `TimeBudgetExhausted` unless `ms` (plus the least fetch time) is still left; `what` names the work. */
  require(what: string, ms = 0): void {
    const left = this.remaining();
    if (left < ms + this.minFetchMs)
      throw new TimeBudgetExhausted(
        `${what}: ${Math.max(0, Math.round(left / 1000))} s of the time budget left, ${Math.round((ms + this.minFetchMs) / 1000)} s needed`,
      );
  }
}
