/**
 * `nianbao run`'s pipeline with every write counted, killed with SIGKILL right after write number `--kill-after`
 * (0: never) — a real `kill -9` at a chosen write point, for the crash tests (truthful-alerts / crash.test.ts).
 * Writes counted: capture records, parsed sources, reports kept for the next run (parse-cache.ts), states, alert
 * writes, delivery claims and completions, and each alert sent to the JSONL channel. Prints the write points of a full run (`--kill-after 0`) as JSON.
 *
 *   node --import tsx tests/netns/crash-run.ts HOME REGISTRY DATE KILL_AFTER ALERTS_FILE
 */
import { JsonlNotifier } from '../../shared/alerts/channels.ts';
import { HttpFetcher } from '../../shared/crawl/fetcher.ts';
import { loadRegistry } from '../../shared/crawl/registry.ts';
import { inThisThread } from '../../shared/check.ts';
import { cachedParser } from '../../shared/parse-cache.ts';
import { run } from '../../shared/pipeline.ts';
import { openLocalStore } from '../../shared/store/local.ts';
import { offsetClock, type Notifier } from '../../shared/store/ports.ts';

const [home, registry, date, killAfterArg, alertsFile] = process.argv.slice(2) as [string, string, string, string, string];
const killAfter = Number(killAfterArg);
const points: string[] = [];

/** Counts a completed write; at the chosen one, the process dies on the spot (no finally, no flush). */
function wrote(what: string): void {
  points.push(what);
  if (points.length === killAfter) process.kill(process.pid, 'SIGKILL');
}

/** `target` with the named async methods counted as writes. */
function counted<T extends object>(target: T, name: string, methods: string[]): T {
  return new Proxy(target, {
    get(t, p, r) {
      const v = Reflect.get(t, p, r) as unknown;
      if (typeof v !== 'function') return v;
      if (!methods.includes(String(p))) return (v as (...a: unknown[]) => unknown).bind(t);
      return async (...args: unknown[]) => {
        const out = await (v as (...a: unknown[]) => Promise<unknown>).apply(t, args);
        wrote(`${name}.${String(p)}`);
        return out;
      };
    },
  });
}

const s = await openLocalStore(home);
const clock = offsetClock(Date.parse(`${date}+08:00`));
const store = counted(s.store, 'captures', ['put', 'putParsed']);
const state = counted(s.state, 'state', ['putState', 'saveAlert', 'claimDelivery', 'completeDelivery', 'releaseDelivery']);
const jsonl = new JsonlNotifier(alertsFile);
// One channel name whatever the home's path (the tests copy homes).
const notifier: Notifier = {
  name: 'jsonl',
  send: async (a, e) => {
    await jsonl.send(a, e);
    wrote('send');
  },
};
// Reports kept as `nianbao run` keeps them: a kill right after one is kept, before its rows are, is a write point too.
const parser = cachedParser(inThisThread, counted(s.parsed, 'parsed', ['put']));
const fetcher = new HttpFetcher({ minDelayMs: 0, retries: 0, clock, revalidate: { log: s.store, archive: s.archive } });
const { bodies } = loadRegistry(registry);
const digest = await run(
  bodies,
  { fetcher, archive: s.archive, captures: store, reports: store, state, parser, notifiers: [notifier], clock },
  { years: [2024] },
);
await parser.settle();
await fetcher.close();
await s.close();
process.stdout.write(`${JSON.stringify({ points, statuses: digest.results.map((r) => `${r.bodyId} ${r.status}`) })}\n`);
