/**
 * What enters from outside is checked where it enters (schema/check.ts): a queue message that is not one is
 * poison, named with what is wrong — never a TypeError deep inside (a bug) nor a crawl of nothing.
 */
import { describe, expect, it } from 'vitest';
import { parseCrawlMessage, PoisonMessageError } from '../../functions/lib/messages.ts';
import { s3EventOf } from '../../functions/parse.ts';
import { checker } from '../../shared/schema/check.ts';

const poison = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(PoisonMessageError);
    expect((e as PoisonMessageError).next).toBe('give_up');
    return (e as Error).message;
  }
  throw new Error('no error');
};

describe('the crawl message', () => {
  it('reads what dispatch sends', () => {
    expect(parseCrawlMessage('{"bodyId":"gd-gov","runId":"2025-02-01","years":[2024,2023]}')).toEqual({
      bodyId: 'gd-gov',
      runId: '2025-02-01',
      years: [2024, 2023],
    });
    expect(parseCrawlMessage('{"bodyId":"gd-gov"}')).toEqual({ bodyId: 'gd-gov', runId: 'unknown', years: undefined });
  });

  it('is poison, named, when it is not one', () => {
    expect(poison(() => parseCrawlMessage('gd-gov'))).toBe('crawl message: not JSON ("gd-gov")');
    expect(poison(() => parseCrawlMessage('{"runId":"x"}'))).toBe('crawl message: missing field "bodyId"');
    expect(poison(() => parseCrawlMessage('{"bodyId":""}'))).toBe('crawl message: bodyId: must NOT have fewer than 1 characters');
    expect(poison(() => parseCrawlMessage('{"bodyId":"a","years":["2024"]}'))).toBe('crawl message: years.0: must be integer');
    expect(poison(() => parseCrawlMessage('{"bodyId":"a","years":[1999]}'))).toBe('crawl message: years.0: must be >= 2008');
    expect(poison(() => parseCrawlMessage('{"bodyId":"a","year":2024}'))).toBe('crawl message: unknown field "year"');
    expect(poison(() => parseCrawlMessage('[]'))).toBe('crawl message: must be object');
  });
});

describe('the parse message (an S3 event notification)', () => {
  it('reads records, and the test event S3 sends when the notification is set up as none', () => {
    const event = { Records: [{ s3: { bucket: { name: 'b' }, object: { key: 'blobs/sha256/ab', size: 3 } } }] };
    expect(s3EventOf(JSON.stringify(event))).toEqual(event);
    expect(s3EventOf('{"Service":"Amazon S3","Event":"s3:TestEvent"}')).toEqual({ Records: [] });
  });

  it('is poison, named, when it is not one', () => {
    expect(poison(() => s3EventOf('{"Records":{}}'))).toBe('parse message: Records: must be array');
    expect(poison(() => s3EventOf('{"Records":[{"s3":{"object":{}}}]}'))).toBe('parse message: Records.0.s3.object: missing field "key"');
    expect(poison(() => s3EventOf(''))).toBe('parse message: not JSON ("")');
  });
});

describe('checker', () => {
  it('names at most five problems, and each where it is', () => {
    const check = checker<unknown>({ type: 'array', items: { type: 'integer' } }, (m) => new Error(m));
    expect(() => check(['a', 'b', 'c', 'd', 'e', 'f', 'g'], 'list')).toThrow(/^list: 0: must be integer; 1: .*; 4: must be integer$/);
    expect(check([1, 2], 'list')).toEqual([1, 2]);
  });
});
