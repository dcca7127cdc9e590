/**
 * The thread side of the parse pool (parse-pool.ts): reads and checks each report it is sent and answers with the
 * model, or with why the input cannot be read (`UnreadableInputError`, rebuilt on the other side), or with the
 * internal error (a bug: the other side throws it, named as coming from this thread).
 */
import { parentPort } from 'node:worker_threads';
import { parseReport } from './check.ts';
import type { Bilingual } from './errors.ts';
import type { ParsedReport } from './report/model.ts';
import type { ParseOptions } from './report/parse.ts';
import { UnreadableInputError } from './report/errors.ts';

export interface ParseRequest {
  id: number;
  bytes: Uint8Array;
  opts: ParseOptions;
}

export type ParseReply =
  /** Reading has begun (the pool's hard time limit runs from here, not from a wait in the queue). */
  | { id: number; started: true }
  | { id: number; report: ParsedReport }
  | { id: number; unreadable: { input: string; problem: string | Bilingual } }
  | { id: number; error: { name: string; message: string; stack: string | undefined } };

const port =
  parentPort ??
  (() => {
    throw new Error('parse-worker.ts runs as a worker thread of parse-pool.ts');
  })();

/**
 * One document at a time, in the order sent: the pool's limits blame the document being read (the first it holds)
 * when the thread overruns or runs out of memory, and its time limit runs from when reading began.
 */
let queue = Promise.resolve();
port.on('message', (request: ParseRequest) => {
  queue = queue.then(() => read(request));
});

async function read({ id, bytes, opts }: ParseRequest): Promise<void> {
  port.postMessage({ id, started: true } satisfies ParseReply);
  let reply: ParseReply;
  try {
    reply = { id, report: await parseReport(bytes, opts) };
  } catch (e) {
    if (e instanceof UnreadableInputError) reply = { id, unreadable: { input: e.input, problem: e.problemText ?? e.problem } };
    else {
      const err = e instanceof Error ? e : new Error(String(e));
      reply = { id, error: { name: err.name, message: err.message, stack: err.stack } };
    }
  }
  port.postMessage(reply);
}
