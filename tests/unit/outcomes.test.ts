/** One table of fetch outcomes drives the fetcher's retries, discovery's next step and the pipeline's access rules. */
import { describe, expect, it } from 'vitest';
import { ACCESS_FAILURES, FETCH_OUTCOMES, NETWORK_OUTCOMES, NEXT_STEP, OUTCOMES, RETRYABLE } from '../../shared/crawl/outcomes.ts';

describe('fetch outcomes', () => {
  it('every outcome has one entry, and the derived sets agree with it', () => {
    expect(Object.keys(OUTCOMES).sort()).toEqual([...FETCH_OUTCOMES].sort());
    for (const o of FETCH_OUTCOMES) {
      expect(NEXT_STEP[o]).toBe(OUTCOMES[o].next);
      expect(RETRYABLE.has(o)).toBe(OUTCOMES[o].next === 'retry');
      expect(ACCESS_FAILURES.has(o)).toBe(OUTCOMES[o].access);
      expect(NETWORK_OUTCOMES.has(o)).toBe(OUTCOMES[o].network);
    }
  });

  it('nothing that is "not there" counts as an access failure, and every network failure does', () => {
    for (const o of ['not_found', 'gone', 'ok', 'not_modified'] as const) expect(ACCESS_FAILURES.has(o)).toBe(false);
    for (const o of NETWORK_OUTCOMES) expect(ACCESS_FAILURES.has(o as never)).toBe(true);
    expect([...RETRYABLE].sort()).toEqual(['connection_error', 'rate_limited', 'server_error', 'timeout']);
  });
});
