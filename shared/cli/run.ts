/**
 * `nianbao run` (what `npm start` does): the pipeline over the registry with the local store — discover,
 * archive, parse, check, alert — showing progress and ending with a summary and the alerts raised.
 */
import { canaryOption, channelsOption, dateOption } from './run-options.ts';
import { existingFile, intIn, oneOf, reportYears } from './options.ts';
import { copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { channelsFrom } from '../alerts/channels.ts';
import { BrowserRenderer } from '../crawl/browser.ts';
import { TimeBudget } from '../crawl/budget.ts';
import { HttpFetcher } from '../crawl/fetcher.ts';
import { canaryUrls, DEFAULT_CANARIES, networkProbe } from '../crawl/canary.ts';
import { DEFAULT_REGISTRY, loadRegistry, type Body } from '../crawl/registry.ts';
import { run, type RunDigest, type RunOptions } from '../pipeline.ts';
import { offsetClock, systemClock, type Clock } from '../store/ports.ts';
import type { LocalStore } from '../store/local.ts';
import { globalOptions, printJson } from './context.ts';
import { CliError, EXIT, type ExitCode } from './exit.ts';
import { withStore } from './store.ts';
import { NO_COLUMN } from './status.ts';
import { runParser } from '../parse-pool.ts';
import type { ParseCounts } from '../parse-cache.ts';

export interface RunFlags {
  registry: string;
  year?: string[];
  body?: string;
  date?: string;
  concurrency: string;
  channels: string;
  grace: string;
  unreachableAfter: string;
  unreachableHours?: string;
  delay: string;
  render: string;
  retries?: string;
  /** Seconds after which no body is started and running fetches stop (the summary says the run was cut). */
  timeout?: number;
  /** Worker threads that read reports (0: in the pipeline's own thread; default: one per core but one). */
  parseThreads?: number;
  /** Canary URLs that tell our outage from the portals' in a run too small to tell by numbers (crawl/canary.ts). */
  canary?: string[];
}

export function parseDate(d: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(d))) throw new CliError(`--date ${d}: expected YYYY-MM-DD`);
  return Date.parse(`${d}T10:00:00+08:00`);
}

/** Progress at the terminal: a line per body done, and who is still being fetched every 5 s while portals are slow. */
function terminalProgress(quiet: boolean): Pick<RunOptions, 'onStart' | 'onProgress'> & { stop(): void } {
  const inFlight = new Map<string, { name: string; since: number }>();
  const say = (line: string) => process.stderr.write(process.stderr.isTTY ? `\r\x1b[K${line}` : `${line}\n`);
  const heartbeat = quiet
    ? null
    : setInterval(() => {
        if (!inFlight.size) return;
        const now = Date.now();
        say(`… still fetching ${[...inFlight.values()].map((b) => `${b.name} (${Math.round((now - b.since) / 1000)} s)`).join(', ')}`);
      }, 5000);
  heartbeat?.unref();
  const tally = new Map<string, number>();
  return {
    onStart: (body) => inFlight.set(body.id, { name: body.name, since: Date.now() }),
    onProgress: ({ done, total, body, outcome }) => {
      inFlight.delete(body.id);
      if (quiet) return;
      tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
      say(`[${done}/${total}] ${body.name} (${body.id}): ${outcome}   — ${[...tally].map(([k, n]) => `${k} ${n}`).join(' · ')}`);
    },
    stop() {
      if (heartbeat) clearInterval(heartbeat);
      if (process.stderr.isTTY && !quiet) process.stderr.write('\n');
    },
  };
}

/**
 * A local run's digest: the pipeline's, and its documents (parse-cache.ts): those read, those an earlier run had read
 * byte for byte (taken from the home), and the home's failures to keep or give back a report.
 */
export interface LocalRunDigest extends RunDigest {
  documents: ParseCounts;
}

/** Runs the pipeline for `bodies` on an opened store; used by `run` and by `demo`. */
export async function runPipeline(
  s: LocalStore,
  bodies: Body[],
  flags: Omit<RunFlags, 'registry' | 'body'>,
  home: string,
  clock: Clock,
  quiet: boolean,
): Promise<LocalRunDigest> {
  const budget = new TimeBudget(clock, 1000);
  if (flags.timeout) budget.setDeadline(clock.now() + flags.timeout * 1000);
  // Documents read by an earlier run (the same bytes, the same parser) are taken from the home, not read again.
  // First, before anything that needs closing is opened: the prune is the run's first write, and may fail.
  const { parser, close: closeParser } = await runParser(s.parsed, flags.parseThreads);
  const fetcher = new HttpFetcher({
    minDelayMs: Number(flags.delay),
    clock,
    retries: Number(flags.retries ?? 3),
    budget,
    backoffBaseMs: Number(flags.delay) > 0 ? 2000 : 100,
    revalidate: { log: s.store, archive: s.archive },
  });
  const renderer = flags.render === 'static' ? undefined : new BrowserRenderer({ budget });
  const progress = terminalProgress(quiet);
  const opts: RunOptions = {
    years: flags.year?.map(Number),
    graceDays: Number(flags.grace),
    unreachableAfter: Number(flags.unreachableAfter),
    unreachableHours: Number(flags.unreachableHours ?? 48),
    concurrency: Number(flags.concurrency),
    shouldStop: flags.timeout ? () => budget.remaining() <= 0 : undefined,
    onStart: progress.onStart,
    onProgress: progress.onProgress,
  };
  const stores = { archive: s.archive, captures: s.store, reports: s.store, state: s.state };
  const network = networkProbe(fetcher, flags.canary ?? canaryUrls(undefined));
  try {
    const digest = await run(bodies, { ...stores, fetcher, renderer, parser, network, notifiers: channelsFrom(flags.channels, home, clock), clock }, opts);
    await parser.settle();
    return { ...digest, documents: { ...parser.counts } };
  } finally {
    progress.stop();
    await closeParser();
    await renderer?.close();
    await fetcher.close();
  }
}

/** The registry a home was crawled with, kept in it: the dashboard names and groups its bodies by it (cli/site.ts). */
export function keepRegistry(registry: string, home: string): void {
  const kept = join(home, 'registry.yaml');
  if (resolve(registry) !== resolve(kept)) copyFileSync(registry, kept);
}

/** Body-years the summary lists one by one (those not found or pending); the counts line covers them all. */
const LISTED_ROWS = 40;

export function printDigest(d: RunDigest & Partial<Pick<LocalRunDigest, 'documents'>>, bodies: Body[]): void {
  const counts = new Map<string, number>();
  // A body-year not checked because our own network was down keeps its status; it is counted apart, not as that status.
  const label = (r: RunDigest['results'][number]) => (r.outcome === 'outage' ? 'not checked (our network)' : r.status);
  for (const r of d.results) counts.set(label(r), (counts.get(label(r)) ?? 0) + 1);
  const byId = new Map(bodies.map((b) => [b.id, b]));
  const name = (id: string) => byId.get(id)?.name ?? id;
  const out = [pc.bold(`nianbao run ${d.startedAt} → ${d.finishedAt}`), `status: ${[...counts].map(([k, n]) => `${k} ${n}`).join(' · ')}`];
  const listed = d.results.filter((x) => x.outcome === 'outage' || (x.status !== 'found' && x.status !== 'pending'));
  for (const r of listed.slice(0, LISTED_ROWS)) {
    // The reason of a failed fetch already begins with its outcome (`server_error (HTTP 503)`): said once.
    const why =
      r.error ??
      (r.failure
        ? r.failure.reason.startsWith(r.failure.outcome)
          ? r.failure.reason
          : `${r.failure.outcome}: ${r.failure.reason}`
        : r.status === 'unknown' && byId.get(r.bodyId)?.lists.length === 0
          ? NO_COLUMN
          : '');
    out.push(`  ${r.year}  ${(r.outcome === 'outage' ? 'not checked' : r.status).padEnd(11)} ${name(r.bodyId)}${why ? pc.dim(`  (${why})`) : ''}`);
  }
  // The rest are counted above; say how many were not listed, and where they are.
  if (listed.length > LISTED_ROWS)
    out.push(pc.dim(`  … and ${listed.length - LISTED_ROWS} more (nianbao status, or run --json) / 其余 ${listed.length - LISTED_ROWS} 条未列出`));
  if (d.outage) {
    // Only failures of the network path are held back in our outage; a portal that answered (a 404, a 503) answered,
    // and is counted as on any day. Saying "nothing was counted" then would be untrue.
    const answered = new Set(d.results.filter((r) => r.outcome === 'access_failure').map((r) => r.bodyId)).size;
    const counted = answered
      ? `no network failure was counted against the portals and no alert was raised for them; ${answered} ${answered === 1 ? 'body whose portal' : 'bodies whose portals'} answered with an error ${answered === 1 ? 'is' : 'are'} counted as on any day / 本机网络疑似中断，本次未计入网络层面的访问失败；${answered}个网站返回了错误，照常计入`
      : 'nothing was counted against the portals and no alert was raised / 本机网络疑似中断，本次未计入各网站的访问失败';
    out.push(
      pc.red(
        `our network looks down: ${d.outage.bodies} of ${d.outage.of} bodies failed with ${d.outage.outcome}${d.outage.canaries ? `, and so did ${d.outage.canaries.join(', ')}` : ''} — ${counted}`,
      ),
    );
  }
  if (d.cut) {
    out.push(
      pc.yellow(
        `the run was cut by --timeout: ${d.cut.bodies.length} bodies not crawled (${d.cut.bodies.slice(0, 5).map(name).join(', ')}${d.cut.bodies.length > 5 ? ', …' : ''}) — nothing was concluded about them / 运行超时，部分单位未检查`,
      ),
    );
  }
  if (d.errors.length) {
    out.push(pc.red(`internal errors: ${d.errors.length} bodies (their status is unchanged; please report) / 内部错误`));
    for (const e of d.errors.slice(0, 5)) out.push(pc.red(`  ${name(e.bodyId)}: ${e.error}`));
  }
  const gaps = d.results.filter((r) => r.readWithGaps);
  if (gaps.length)
    out.push(
      pc.yellow(
        `read with gaps: ${gaps.length} reports have figures that could not be read (${gaps
          .map((r) => `${name(r.bodyId)} ${r.year}: ${r.readWithGaps}`)
          .slice(0, 5)
          .join('; ')}) / 数据未能完整读取`,
      ),
    );
  if (d.documents) {
    const { read, kept, cacheErrors, lastError } = d.documents;
    out.push(
      `documents read: ${read}${kept ? pc.dim(` (${kept} unchanged since an earlier run, not read again / 未变化的文件未重复解析)`) : ''}${cacheErrors ? pc.yellow(` — the home failed ${cacheErrors} times to keep or give back a report (${lastError}): read again`) : ''}`,
    );
  }
  out.push(
    `alerts delivered: ${d.delivery.sent.length}${d.delivery.failed.length ? pc.red(`, ${d.delivery.failed.length} deliveries failed (kept for the next run)`) : ''}`,
  );
  for (const f of d.delivery.failed.slice(0, 5)) out.push(pc.red(`  ${f.channel}: ${f.error}`));
  if (d.delivery.damaged.length) {
    out.push(pc.red(`alerts not sent: ${d.delivery.damaged.length} could not be read (docs/store.md, "Damaged records") / 预警记录已损坏，未发送`));
    for (const m of d.delivery.damaged.slice(0, 5)) out.push(pc.red(`  ${m}`));
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

export function registerRun(program: Command, run_: (code: ExitCode) => void): void {
  program
    .command('run')
    .description('the main job: crawl, archive, parse, check and alert for every body of the registry / 运行全部流程')
    .option('--registry <file>', 'registry YAML', existingFile, DEFAULT_REGISTRY)
    .option('--year <year>', 'report year to check (repeat for several; default: last year)', reportYears)
    .option('--body <id>', 'only this body')
    .option('--date <YYYY-MM-DD>', 'pretend today is this date (deadline checks)', dateOption)
    .option('--concurrency <n>', 'bodies crawled at once (one request at a time per host regardless)', intIn(1, 64), 4)
    .option('--channels <list>', 'alert channels: console, jsonl[:FILE], webhook[:json|dingtalk|wecom|feishu|slack]=URL', channelsOption, 'console,jsonl')
    .option('--grace <days>', 'grace period after a deadline', intIn(0, 365), 0)
    .option('--unreachable-after <n>', 'failed crawls in a row before an unreachable alert', intIn(1, 100), 3)
    .option('--unreachable-hours <h>', '…spread over at least this many hours', intIn(0, 24 * 90), 48)
    .option('--delay <ms>', 'minimum delay between requests to one host', intIn(0, 600_000), 2000)
    .option('--render <mode>', 'auto (browser when needed) | static', oneOf(['auto', 'static'] as const), 'auto')
    .option('--retries <n>', 'retries of a failed request (429/5xx/timeouts), with backoff', intIn(0, 10), 3)
    .option('--parse-threads <n>', 'worker threads that read reports (0: in the main thread; default: one per core but one)', intIn(0, 64))
    .option('--timeout <s>', 'stop starting bodies after this many seconds; the summary says the run was cut', intIn(1, 7 * 24 * 3600))
    .option(
      '--canary <urls>',
      `pages fetched when most bodies fail at the network level but too few to tell (fewer than five): unreachable too, the outage is ours (comma-separated, or none; default ${DEFAULT_CANARIES.join(',')})`,
      canaryOption,
    )
    .action(async (flags: RunFlags, cmd: Command) => {
      const { json, home } = globalOptions(cmd);
      const registry = loadRegistry(flags.registry);
      for (const p of registry.problems) process.stderr.write(`${flags.registry}:${p.line}: ${p.id ?? ''} ${p.message} (skipped)\n`);
      const bodies = flags.body ? registry.bodies.filter((b) => b.id === flags.body) : registry.bodies;
      // An entry that loads but looks wrong (a shared column without a title_pattern…) is crawled, and said.
      const crawled = new Set(bodies.map((b) => b.id));
      for (const w of registry.warnings ?? [])
        if (w.id && crawled.has(w.id)) process.stderr.write(`${flags.registry}:${w.line}: ${w.id} warning: ${w.message}\n`);
      if (bodies.length === 0) throw new CliError(flags.body ? `${flags.body}: not in ${flags.registry}` : `${flags.registry}: no bodies`);
      const clock = flags.date ? offsetClock(parseDate(flags.date)) : systemClock;
      await withStore(home, async (s) => {
        keepRegistry(flags.registry, home);
        const digest = await runPipeline(s, bodies, flags, home, clock, json);
        if (json) printJson(digest);
        else printDigest(digest, bodies);
        const failed =
          digest.results.some((r) => r.status === 'unreachable' || r.outcome !== 'crawled') ||
          digest.errors.length > 0 ||
          digest.outage !== null ||
          digest.delivery.failed.length > 0 ||
          digest.delivery.damaged.length > 0 ||
          digest.cut !== null;
        run_(failed ? EXIT.failed : EXIT.ok);
      });
    });
}
