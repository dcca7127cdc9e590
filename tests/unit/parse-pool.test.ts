/** The parse pool reads reports in worker threads with the same answers as the calling thread, errors included. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseReport } from '../../shared/check.ts';
import { ParsePool } from '../../shared/parse-pool.ts';
import { UnreadableInputError } from '../../shared/report/errors.ts';
import { DEFAULT_LIMITS } from '../../shared/report/limits.ts';
import { largeHtml } from '../../shared/demo/hostile.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const real = ['01-shanghai-szfbgt-2019.html', '02-huaian-szf-2024.pdf', '06-pingtan-2021.txt', 'template-2021-format.docx'];
const pool = new ParsePool(2);
afterAll(() => pool.close());

describe('ParsePool', () => {
  it('answers as the calling thread does on real reports (HTML, PDF, text, DOCX), several at once', async () => {
    const inputs = real.map((f) => ({ name: f, bytes: readFileSync(join(FIXTURES, f)) }));
    const pooled = await Promise.all(inputs.map((i) => pool.parse(i.bytes, { name: i.name })));
    for (const [n, i] of inputs.entries()) {
      const here = await parseReport(i.bytes, { name: i.name });
      expect(pooled[n], i.name).toEqual(JSON.parse(JSON.stringify(here)));
    }
    expect(pooled[0]!.table3).not.toBeNull();
    // The callers' bytes are theirs still (handed over as a copy).
    expect(inputs.map((i) => i.bytes.length)).toEqual(real.map((f) => readFileSync(join(FIXTURES, f)).length));
  });

  it('reads a view into a larger buffer as just its bytes', async () => {
    const page = readFileSync(join(FIXTURES, '01-shanghai-szfbgt-2019.html'));
    const big = Buffer.concat([Buffer.from('<p>before</p>'.repeat(1000)), page, Buffer.from('<p>after</p>'.repeat(1000))]);
    const view = big.subarray(13_000, 13_000 + page.length);
    const [a, b] = await Promise.all([pool.parse(view, { name: 'view.html' }), parseReport(page, { name: 'view.html' })]);
    expect(a).toEqual(JSON.parse(JSON.stringify(b)));
  });

  it('input that cannot be read is an UnreadableInputError with its problem in each language, as in this thread', async () => {
    const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2000, 0x41)]);
    const here = await parseReport(bytes, { name: 'broken.pdf' }).catch((e: unknown) => e);
    const there = await pool.parse(bytes, { name: 'broken.pdf' }).catch((e: unknown) => e);
    expect(here).toBeInstanceOf(UnreadableInputError);
    expect(there).toBeInstanceOf(UnreadableInputError);
    const [a, b] = [here as UnreadableInputError, there as UnreadableInputError];
    expect({ message: b.message, problem: b.problem, text: b.problemText, input: b.input }).toEqual({
      message: a.message,
      problem: a.problem,
      text: a.problemText,
      input: a.input,
    });
  });

  it('a thread that dies fails what it was reading with an error naming it; the next request starts a new thread', async () => {
    const one = new ParsePool(1);
    const bytes = readFileSync(join(FIXTURES, '02-huaian-szf-2024.pdf'));
    const waiting = one.parse(bytes, { name: 'a.pdf' });
    // The thread is stopped from outside while it reads (as a crash of its own would stop it).
    await (one as unknown as { threads: { worker: { terminate(): Promise<number> } }[] }).threads[0]!.worker.terminate();
    await expect(waiting).rejects.toThrow(/parse thread \d+ stopped/);
    const again = await one.parse(readFileSync(join(FIXTURES, '01-shanghai-szfbgt-2019.html')), { name: 'b.html' });
    expect(again.table3).not.toBeNull();
    await one.close();
  });

  it('a document still being read past its time limit is stopped (its thread terminated) and unreadable; the other document its thread held is read on a new one', async () => {
    const one = new ParsePool(1, { graceMs: 0 });
    const threadOf = () => (one as unknown as { threads: { worker: { threadId: number } }[] }).threads[0]?.worker.threadId;
    // 20 MB of HTML with a 500 ms limit: decoding (tens of ms) ends well before it, then one stage reads the markup
    // for seconds with no check of the limit in between — only stopping the thread ends it at the limit.
    const slow = one.parse(Buffer.from(largeHtml(20_000_000)), { name: 'slow.html', limits: { ...DEFAULT_LIMITS, timeMs: 500 } });
    const first = threadOf();
    const queued = one.parse(readFileSync(join(FIXTURES, '01-shanghai-szfbgt-2019.html')), { name: 'queued.html' });
    const e = await slow.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UnreadableInputError);
    expect((e as UnreadableInputError).message).toBe('slow.html: reading took longer than 0.5 s (stopped) / 解析超时');
    expect((await queued).table3).not.toBeNull();
    expect(threadOf()).not.toBe(first);
    await one.close();
  });

  it('a document that needs more than its thread heap stops the thread, not the process: read again on a fresh thread, then unreadable; the others are read', async () => {
    const small = new ParsePool(1, { heapLimitMb: 24 });
    const settled: string[] = [];
    // A 20 MB page (within limits.ts) needs 50–60 MB of heap to read; a real report needs much less than 24 MB.
    const big = small.parse(Buffer.from(largeHtml(20_000_000)), { name: 'big.html' }).finally(() => settled.push('big'));
    const queued = small.parse(readFileSync(join(FIXTURES, '01-shanghai-szfbgt-2019.html')), { name: 'queued.html' }).finally(() => settled.push('queued'));
    const e = await big.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UnreadableInputError);
    expect((e as UnreadableInputError).message).toBe('big.html: reading needed more than 24 MB of memory (stopped) / 解析所需内存超出上限');
    expect((await queued).table3).not.toBeNull();
    // It was read a second time, on the thread that took over the queued report (after it), before it was given up.
    expect(settled).toEqual(['queued', 'big']);
    // The pool goes on.
    expect((await small.parse(readFileSync(join(FIXTURES, '06-pingtan-2021.txt')), { name: 'after.txt' })).table3).not.toBeNull();
    await small.close();
  });

  it('refuses a size that is not a whole number of threads, and a heap limit of nothing', () => {
    expect(() => new ParsePool(1, { heapLimitMb: 0 })).toThrow(/heap limit: 0 MB/);
    expect(() => new ParsePool(0)).toThrow(/parse threads: 0/);
  });
});
