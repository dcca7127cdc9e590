/**
 * Reading ahead (pipeline/read-ahead.ts) hands a document read early to the one call that asks for it with the same
 * bytes and options, and never a reading made under other limits.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inThisThread, type ReportParser } from '../../shared/check.ts';
import { readAhead } from '../../shared/pipeline/read-ahead.ts';
import { UnreadableInputError } from '../../shared/report/errors.ts';
import { DEFAULT_LIMITS } from '../../shared/report/limits.ts';

const page = readFileSync(join(import.meta.dirname, '..', 'fixtures', '01-shanghai-szfbgt-2019.html'));
const sha256 = 'a'.repeat(64);

/** The calling thread's parser, counting what it was asked to read. */
function counting(): ReportParser & { calls: number } {
  const p = {
    calls: 0,
    parse: (bytes: Uint8Array, opts?: Parameters<ReportParser['parse']>[1]) => {
      p.calls++;
      return inThisThread.parse(bytes, opts);
    },
  };
  return p;
}

describe('readAhead', () => {
  it('reads a document once: the call with the same bytes and options takes the reading made ahead', async () => {
    const inner = counting();
    const parser = readAhead(inner);
    parser.ahead(page, { name: 'r.html', sha256 });
    parser.ahead(page, { name: 'r.html', sha256 });
    expect(inner.calls).toBe(1);
    const report = await parser.parse(page, { name: 'r.html', sha256 });
    expect(inner.calls).toBe(1);
    expect(report.table3).not.toBeNull();
    // Handed out once: the next call reads again.
    await parser.parse(page, { name: 'r.html', sha256 });
    expect(inner.calls).toBe(2);
  });

  it('a call with other options (year, name) reads for itself', async () => {
    const inner = counting();
    const parser = readAhead(inner);
    parser.ahead(page, { name: 'r.html', sha256 });
    await parser.parse(page, { name: 'r.html', sha256, year: 2018 });
    await parser.parse(page, { name: 'other.html', sha256 });
    expect(inner.calls).toBe(3);
  });

  it('a call with limits of its own is never read ahead, nor handed a reading made under the defaults', async () => {
    const inner = counting();
    const parser = readAhead(inner);
    const tight = { ...DEFAULT_LIMITS, cells: 10 };
    parser.ahead(page, { name: 'r.html', sha256, limits: tight });
    expect(inner.calls).toBe(0);
    parser.ahead(page, { name: 'r.html', sha256 });
    // The page has more than ten cells: under its own limits the call is refused, whatever was read ahead.
    const refused = await parser.parse(page, { name: 'r.html', sha256, limits: tight }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UnreadableInputError);
    expect(String((refused as Error).message)).toMatch(/more than 10 table cells/);
    // The reading under the defaults is still there for the call it was made for.
    const calls = inner.calls;
    expect((await parser.parse(page, { name: 'r.html', sha256 })).table3).not.toBeNull();
    expect(inner.calls).toBe(calls);
  });
});
