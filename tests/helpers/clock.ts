import type { Clock } from '../../shared/store/ports.ts';

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
