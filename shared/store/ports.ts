/**
 * Ports the domain code depends on (DESIGN.md §5). The crawler needs two of them now: a Clock (so tests never
 * sleep) and the read side of the CaptureLog (for conditional GET). The archive/store issue adds
 * ArchiveStore, the write side of CaptureLog and ReportStore; the pipeline issue adds StateStore and Notifier.
 */

/** Time, injectable: production waits for real, tests advance instantly. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/**
 * A clock for tests: `sleep` returns at once and moves time forward, recording each wait, so politeness
 * delays and Retry-After can be asserted without waiting.
 */
export class ManualClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(private t = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    if (ms > 0) {
      this.sleeps.push(ms);
      this.t += ms;
    }
  }
}

/** What a conditional GET needs from the last capture of a URL. */
export interface PreviousCapture {
  url: string;
  etag?: string;
  lastModified?: string;
  sha256?: string;
}

/** Read side of the capture log. */
export interface CaptureLogReader {
  latest(url: string): Promise<PreviousCapture | null>;
}
