/**
 * Per-origin politeness: one request at a time per origin (host:port) and a minimum delay between the end
 * of one request and the start of the next (the larger of the configured delay and robots.txt Crawl-delay).
 * All waits go through the injectable Clock, so tests and the demo run fast and assert the waits.
 */
import type { Clock } from '../store/ports.ts';

interface OriginState {
  tail: Promise<void>;
  nextAt: number;
  delayMs: number;
}

export class PolitenessGate {
  private readonly origins = new Map<string, OriginState>();

  constructor(
    private readonly clock: Clock,
    private readonly minDelayMs: number,
  ) {}

  /** Raises the delay of an origin (robots.txt Crawl-delay, in seconds). */
  setCrawlDelay(origin: string, seconds: number): void {
    const s = this.state(origin);
    s.delayMs = Math.max(this.minDelayMs, seconds * 1000);
  }

  /** Pushes the next request of an origin back (Retry-After). */
  deferUntil(origin: string, at: number): void {
    const s = this.state(origin);
    s.nextAt = Math.max(s.nextAt, at);
  }

  /** When the origin's next request may start (epoch ms; 0 when it may start now). */
  nextAt(origin: string): number {
    return this.origins.get(origin)?.nextAt ?? 0;
  }

  /** Runs `task` when the origin is free and its delay has passed; the next one waits for it. */
  async run<T>(origin: string, task: () => Promise<T>): Promise<T> {
    const s = this.state(origin);
    const previous = s.tail;
    let release!: () => void;
    s.tail = new Promise<void>((r) => (release = r));
    await previous;
    try {
      const wait = s.nextAt - this.clock.now();
      if (wait > 0) await this.clock.sleep(wait);
      return await task();
    } finally {
      s.nextAt = Math.max(s.nextAt, this.clock.now() + s.delayMs);
      release();
    }
  }

  private state(origin: string): OriginState {
    let s = this.origins.get(origin);
    if (!s) this.origins.set(origin, (s = { tail: Promise.resolve(), nextAt: 0, delayMs: this.minDelayMs }));
    return s;
  }
}
