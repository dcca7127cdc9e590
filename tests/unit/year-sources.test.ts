/** archive/year-sources.ts: a year's body-years read some at a time, yielded in order, what was not read named. */
import { describe, expect, it } from 'vitest';
import { yearSources } from '../../shared/archive/year-sources.ts';
import type { BodyYearState, StoredReport } from '../../shared/store/ports.ts';
import { foundState, storedReport } from '../helpers/records.ts';

const sha = (i: number) => i.toString(16).padStart(64, '0');

/** Stores of `n` body-years whose sources answer after `delay(i)` ms, the i-th failing when `fails(i)`. */
function stores(n: number, delay: (i: number) => number, fails: (i: number) => boolean = () => false) {
  const states: BodyYearState[] = Array.from({ length: n }, (_, i) => foundState(`body-${String(i).padStart(3, '0')}`, { mainSha256: sha(i) }));
  let inFlight = 0;
  let most = 0;
  return {
    most: () => most,
    state: { states: async () => [...states].reverse() },
    reports: {
      async reports(bodyId: string): Promise<StoredReport[]> {
        const i = Number(bodyId.slice(5));
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, delay(i)));
        inFlight--;
        if (fails(i)) throw new Error(`the store failed on ${bodyId}`);
        return [storedReport(bodyId, sha(i))];
      },
    },
  };
}

describe('yearSources', () => {
  it('reads ahead as many as asked, and yields them in the order of the body id whatever order they answer in', async () => {
    const s = stores(30, (i) => (i % 3) * 5);
    const seen: string[] = [];
    for await (const y of yearSources(s, 2024, { concurrency: 8 })) {
      expect(y.outcome).toBe('read');
      seen.push(y.state.bodyId);
    }
    expect(seen).toEqual([...seen].sort());
    expect(seen).toHaveLength(30);
    expect(s.most()).toBe(8);
    const after: string[] = [];
    for await (const y of yearSources(s, 2024, { concurrency: 4, after: 'body-027' })) after.push(y.state.bodyId);
    expect(after).toEqual(['body-028', 'body-029']);
  });

  it('a failure is thrown in its turn; one read ahead of a listing stopped early is no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const s = stores(
        10,
        () => 1,
        (i) => i >= 5,
      );
      const seen: string[] = [];
      // Stops after the second, while the fifth (failing) may already be read ahead.
      for await (const y of yearSources(s, 2024, { concurrency: 8 })) {
        seen.push(y.state.bodyId);
        if (seen.length === 2) break;
      }
      await new Promise((r) => setTimeout(r, 30));
      expect(unhandled).toEqual([]);
      const read: string[] = [];
      await expect(
        (async () => {
          for await (const y of yearSources(s, 2024, { concurrency: 8 })) read.push(y.state.bodyId);
        })(),
      ).rejects.toThrow('the store failed on body-005');
      expect(read).toEqual(['body-000', 'body-001', 'body-002', 'body-003', 'body-004']);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
