/**
 * The local runner's report parser: a pool of worker threads (parse-worker.ts), so reading and checking reports —
 * about half of the pipeline's CPU — runs beside the thread that fetches, archives and stores instead of between
 * its steps. Lambda and the one-off commands read in their own thread (`inThisThread`); the answers are the same
 * (tests/unit/parse-pool.test.ts).
 *
 * - Each request goes to the thread with the fewest waiting; threads start on first use.
 * - A thread holds the process open only while it has work (an idle pool never keeps a command from exiting).
 * - A thread that dies fails its waiting requests with an internal error naming it (never a silent `null`); the
 *   next request starts a new thread.
 * - A document still being read past its time limit (plus `graceMs`) is stopped by terminating its thread: a hard
 *   limit, where the calling thread can only check between stages (limits.ts). It is unreadable, as any document
 *   over a limit; the thread's other documents are read again on another.
 * - Each thread's heap has a limit (`heapLimitMb`, default 1 GB), for two reasons. V8 lets a heap grow to up to 4×
 *   its live data between full collections when its limit is large (a quarter of the machine's memory, by default);
 *   under about 2 GB it allows less (heap-controller.h: the growing factor falls from 4 towards 1.3), and the
 *   threads' garbage was most of the 300 MB the scale check allows (docs/limits.md). And a document that needs more
 *   stops its thread (ERR_WORKER_OUT_OF_MEMORY) instead of the process: it is read once more on a fresh thread
 *   (the garbage of earlier documents may have been to blame) and, if it fails there too, is unreadable.
 * - The worker's code is `parse-worker.js` beside the compiled module (bin/nianbao.js and scripts/lib-bundle.ts
 *   build it there); run from the TypeScript sources (tests, tsx) it is `parse-worker.ts`, loaded through tsx.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { inThisThread, type ReportParser } from './check.ts';
import { cachedParser, type CachedParser, type ParsedCache, PARSER_TAG } from './parse-cache.ts';
import type { ParseReply, ParseRequest } from './parse-worker.ts';
import { UnreadableInputError } from './report/errors.ts';
import type { ParsedReport } from './report/model.ts';
import type { ParseOptions } from './report/parse.ts';
import { DEFAULT_LIMITS } from './report/limits.ts';

/** Threads when not told: one per core but the one the pipeline's own thread uses. */
export const defaultParseThreads = () => Math.max(0, availableParallelism() - 1);

/** A thread's heap limit when not told: far above what any document within limits.ts needs (docs/limits.md). */
export const DEFAULT_HEAP_LIMIT_MB = 1024;

/** The local runner's parser for `threads` (default: one per core but one): a pool, or none (this thread) at 0. */
export const parsePoolFor = (threads = defaultParseThreads()): ParsePool | undefined => (threads > 0 ? new ParsePool(threads) : undefined);

interface Waiting {
  bytes: Uint8Array;
  opts: ParseOptions;
  resolve(r: ParsedReport): void;
  reject(e: unknown): void;
  /** The hard time limit, set when the thread starts reading it. */
  timer?: NodeJS.Timeout | undefined;
  /** Its thread ran out of memory while reading it once already (read again on a fresh thread). */
  outOfMemoryOnce?: boolean;
}

/** A pool's settings beyond its size. */
export interface ParsePoolOptions {
  /** How long past a document's time limit (limits.ts `timeMs`) its thread is stopped (default 5 s). */
  graceMs?: number;
  /** Each thread's V8 old-generation limit in MB (default `DEFAULT_HEAP_LIMIT_MB`). */
  heapLimitMb?: number;
}

interface Thread {
  worker: Worker;
  waiting: Map<number, Waiting>;
}

/** Where the worker's code is, beside this module (compiled) or in the sources. */
function workerScript(): { url: URL; fromSources: boolean } {
  const fromSources = import.meta.url.endsWith('.ts');
  const url = new URL(fromSources ? './parse-worker.ts' : './parse-worker.js', import.meta.url);
  if (!existsSync(fileURLToPath(url)))
    throw new Error(`${fileURLToPath(url)}: the parse worker is not beside ${fileURLToPath(import.meta.url)} (build it with the bundle)`);
  return { url, fromSources };
}

/** tsx's ESM API (`tsx/esm/api`'s import condition: require.resolve gives its CommonJS twin). */
const tsxApi = () =>
  pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;

export class ParsePool implements ReportParser {
  private readonly threads: Thread[] = [];
  private readonly script = workerScript();
  private nextId = 0;

  private readonly graceMs: number;
  private readonly heapLimitMb: number;

  /** `size` threads at most (at least one). */
  constructor(
    readonly size = Math.max(1, defaultParseThreads()),
    options: ParsePoolOptions = {},
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`parse threads: ${size} (expected a whole number ≥ 1)`);
    this.graceMs = options.graceMs ?? 5_000;
    this.heapLimitMb = options.heapLimitMb ?? DEFAULT_HEAP_LIMIT_MB;
    if (!(this.heapLimitMb > 0)) throw new RangeError(`parse thread heap limit: ${this.heapLimitMb} MB (expected more than 0)`);
  }

  /**
   * Reads one report in a thread. A document still being read `graceMs` after its time limit (counted from when
   * its thread began reading it) is stopped there and then: its thread is terminated (in the calling thread the
   * limit is only checked between stages, so one long stage runs to its end) and it is unreadable; the other
   * documents that thread held are read again elsewhere.
   */
  parse(bytes: Uint8Array, opts: ParseOptions = {}): Promise<ParsedReport> {
    return new Promise<ParsedReport>((resolve, reject) => this.send({ bytes, opts, resolve, reject }));
  }

  private send(w: Waiting): void {
    const thread = this.pick();
    const id = ++this.nextId;
    if (thread.waiting.size === 0) thread.worker.ref();
    thread.waiting.set(id, { ...w, timer: undefined });
    // A copy of the view's bytes only, handed over without a second copy (structured cloning a view clones its
    // whole ArrayBuffer, which may be a much larger pool); the caller keeps its own bytes.
    const own = Uint8Array.prototype.slice.call(w.bytes);
    thread.worker.postMessage({ id, bytes: own, opts: w.opts } satisfies ParseRequest, [own.buffer]);
  }

  /** A document past its limit: it is unreadable, its thread goes, and what else the thread held is sent again. */
  private stopOverrun(thread: Thread, id: number, limitMs: number): void {
    const overrun = thread.waiting.get(id);
    if (!overrun) return;
    this.drop(thread, overrun);
    void thread.worker.terminate();
    overrun.reject(
      new UnreadableInputError(overrun.opts.name ?? 'input', {
        en: `reading took longer than ${limitMs / 1000} s (stopped)`,
        zh: '解析超时',
      }),
    );
  }

  /**
   * A thread that ran out of heap: the document it was reading (the first it holds — it reads one at a time, in
   * order) is read once more on a fresh thread, then is unreadable; the others are sent again.
   */
  private outOfMemory(thread: Thread): void {
    const reading = thread.waiting.values().next().value as Waiting | undefined;
    this.drop(thread, reading);
    if (!reading) return;
    if (!reading.outOfMemoryOnce) this.send({ ...reading, outOfMemoryOnce: true });
    else
      reading.reject(
        new UnreadableInputError(reading.opts.name ?? 'input', {
          en: `reading needed more than ${this.heapLimitMb} MB of memory (stopped)`,
          zh: '解析所需内存超出上限',
        }),
      );
  }

  /** Takes a thread out of the pool; every document it held but `stopped` (its caller answers that one) is sent again. */
  private drop(thread: Thread, stopped: Waiting | undefined): void {
    const i = this.threads.indexOf(thread);
    if (i >= 0) this.threads.splice(i, 1);
    const held = [...thread.waiting.values()];
    thread.waiting.clear();
    for (const w of held) {
      clearTimeout(w.timer);
      if (w !== stopped) this.send({ ...w, timer: undefined });
    }
  }

  /** Stops every thread (their waiting requests fail). */
  async close(): Promise<void> {
    const threads = this.threads.splice(0);
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }

  private pick(): Thread {
    const idle = this.threads.find((t) => t.waiting.size === 0);
    if (idle) return idle;
    if (this.threads.length < this.size) return this.start();
    return this.threads.reduce((a, b) => (b.waiting.size < a.waiting.size ? b : a));
  }

  private start(): Thread {
    const { url, fromSources } = this.script;
    const limits = { maxOldGenerationSizeMb: this.heapLimitMb };
    const worker = fromSources
      ? // Sources: tsx's loader registered in the thread first (tsx is a development dependency).
        new Worker(
          `const api = ${JSON.stringify(tsxApi())};
           import(api).then((m) => (m.register ?? m.default.register)()).then(() => import(${JSON.stringify(url.href)}));`,
          { eval: true, resourceLimits: limits },
        )
      : new Worker(url, { resourceLimits: limits });
    worker.unref();
    const thread: Thread = { worker, waiting: new Map() };
    const threadId = worker.threadId; // -1 once it has exited
    worker.on('message', (reply: ParseReply) => this.answer(thread, reply));
    const fail = (why: string) => {
      const i = this.threads.indexOf(thread);
      if (i >= 0) this.threads.splice(i, 1);
      const error = new Error(`parse thread ${threadId} stopped: ${why}`);
      for (const w of thread.waiting.values()) {
        clearTimeout(w.timer);
        w.reject(error);
      }
      thread.waiting.clear();
    };
    worker.on('error', (e: Error & { code?: string }) => (e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? this.outOfMemory(thread) : fail(e.message)));
    worker.on('exit', (code) => fail(`exit code ${code}`));
    this.threads.push(thread);
    return thread;
  }

  private answer(thread: Thread, reply: ParseReply): void {
    const w = thread.waiting.get(reply.id);
    if (!w) return;
    if ('started' in reply) {
      const limitMs = (w.opts.limits ?? DEFAULT_LIMITS).timeMs;
      w.timer = setTimeout(() => this.stopOverrun(thread, reply.id, limitMs), limitMs + this.graceMs);
      return;
    }
    clearTimeout(w.timer);
    thread.waiting.delete(reply.id);
    if (thread.waiting.size === 0) thread.worker.unref();
    if ('report' in reply) w.resolve(reply.report);
    else if ('unreadable' in reply) w.reject(new UnreadableInputError(reply.unreadable.input, reply.unreadable.problem));
    else {
      const e = new Error(`${reply.error.message} (in a parse thread)`);
      e.name = reply.error.name;
      if (reply.error.stack) e.stack = `${e.name}: ${e.message}\n${reply.error.stack.split('\n').slice(1).join('\n')}`;
      w.reject(e);
    }
  }
}

/**
 * Reports read as `nianbao run` reads them: in worker threads (`threads`; default one per core but one, 0: in this
 * thread), each document once — `parsed` is pruned of other parsers' reports first. `close` ends the threads.
 */
export async function runParser(
  parsed: ParsedCache & { prune(tag: string): Promise<number> },
  threads?: number,
): Promise<{ parser: CachedParser; close(): Promise<void> }> {
  await parsed.prune(PARSER_TAG); // before the threads start: a failed prune leaves nothing running
  const pool = parsePoolFor(threads);
  const parser = cachedParser(pool ?? inThisThread, parsed);
  return {
    parser,
    close: async () => {
      await parser.settle();
      await pool?.close();
    },
  };
}
