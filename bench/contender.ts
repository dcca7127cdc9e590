/**
 * One contender of the side-by-side (bench/side-by-side.ts), in a process of its own so its CPU and peak memory
 * are its own: `contender <crawlee|floor|nianbao|nianbao-again> <columns.json>` crawls every column and every report
 * it lists, and prints { pages, seconds, cpuMs, maxRssMb }.
 *
 * - crawlee: Crawlee's CheerioCrawler (concurrency 10), extracting every table's cells with cheerio on every page;
 * - floor: undici and htmlparser2's SAX parser (concurrency 10), counting cells — the least work that reads them;
 * - nianbao: the whole pipeline (discovery, archive, parse of every year's report, rules, alerts, the local
 *   SQLite store), all ten years, concurrency 10, reports read in worker threads as `nianbao run` reads them (one per
 *   core but one), each document kept once read (parse-cache.ts): every portal has its own origin, so no document
 *   comes twice and every one is read;
 * - nianbao-again: the same pipeline run a second time on the same home, only that run measured — the daily crawl of
 *   portals that did not change (no document read again; the pages are fetched, archived and assessed as always).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Parser } from 'htmlparser2';
import { Agent, request } from 'undici';
import { HttpFetcher } from '../shared/crawl/fetcher.ts';
import type { Body } from '../shared/crawl/registry.ts';
import { runParser } from '../shared/parse-pool.ts';
import { run } from '../shared/pipeline.ts';
import { openLocalStore } from '../shared/store/local.ts';
import { systemClock } from '../shared/store/ports.ts';
import { YEARS } from './portals.ts';

process.env.NIANBAO_ALLOW_PRIVATE_NETWORK = '1';
const [which, columnsFile] = process.argv.slice(2);
const columns = JSON.parse(readFileSync(columnsFile!, 'utf8')) as string[];
const CONCURRENCY = 10;

async function pool<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

async function crawlee(): Promise<number> {
  const { CheerioCrawler, Configuration, log } = await import('@crawlee/cheerio');
  log.setLevel(log.LEVELS.OFF);
  let pages = 0;
  let cells = 0;
  const crawler = new CheerioCrawler(
    {
      maxConcurrency: CONCURRENCY,
      maxRequestRetries: 0,
      async requestHandler({ $, request: req, enqueueLinks }) {
        pages++;
        if (req.label !== 'REPORT') await enqueueLinks({ selector: 'a[href*="/reports/"]', label: 'REPORT' });
        $('table tr').each((_, tr) => {
          cells += $(tr).find('td,th').length;
        });
      },
    },
    new Configuration({ persistStorage: false }),
  );
  await crawler.run(columns);
  if (cells === 0) throw new Error('crawlee read no table cell');
  return pages;
}

async function floor(): Promise<number> {
  const dispatcher = new Agent({ connections: 4 });
  let pages = 0;
  let cells = 0;
  const get = async (url: string) => {
    const r = await request(url, { dispatcher });
    pages++;
    return r.body.text();
  };
  const reports: string[] = [];
  await pool(columns, async (c) => {
    const html = await get(c);
    for (const m of html.matchAll(/href="(\/reports\/\d{4}\.html)"/g)) reports.push(new URL(m[1]!, c).href);
  });
  await pool(reports, async (u) => {
    const parser = new Parser({ onopentag: (name) => void ((name === 'td' || name === 'th') && cells++) }, { decodeEntities: true });
    parser.write(await get(u));
    parser.end();
  });
  await dispatcher.close();
  if (cells === 0) throw new Error('the floor read no table cell');
  return pages;
}

/**
 * `again`: the pipeline runs twice on the same home and portals, and only the second run is measured — a daily crawl
 * that finds nothing changed (every document kept from the first run: none read again).
 */
async function nianbao(again = false): Promise<number> {
  const home = mkdtempSync(join(tmpdir(), 'nianbao-side-'));
  const store = await openLocalStore(home);
  const http = new HttpFetcher({ minDelayMs: 0, timeoutMs: 30_000, retries: 0 });
  let pages = 0;
  const fetcher = {
    fetch: async (...a: Parameters<typeof http.fetch>) => {
      pages++;
      return http.fetch(...a);
    },
  };
  // As `nianbao run` reads reports: in worker threads, one per core but one, each document kept once read.
  const { parser, close: closeParser } = await runParser(store.parsed);
  const bodies: Body[] = columns.map((c, i) => ({ id: `side-${i}`, name: `测试单位${i}`, level: 'government', lists: [c] }));
  const deps = { fetcher, archive: store.archive, captures: store.store, reports: store.store, state: store.state, parser, notifiers: [], clock: systemClock };
  try {
    if (again) {
      await run(bodies, deps, { years: YEARS, concurrency: CONCURRENCY });
      pages = 0;
      startClock();
    }
    const readBefore = parser.counts.read;
    const digest = await run(bodies, deps, { years: YEARS, concurrency: CONCURRENCY });
    const found = digest.results.filter((r) => r.status !== 'missing' && r.reports > 0).length;
    if (found < bodies.length * YEARS.length * 0.9) throw new Error(`nianbao found only ${found} reports`);
    const read = parser.counts.read - readBefore;
    if (again && read > 0) throw new Error(`the second run read ${read} documents again`);
  } finally {
    await http.close();
    await closeParser();
    await store.close();
    rmSync(home, { recursive: true, force: true }); // the bench leaves nothing behind
  }
  return pages;
}

let started = performance.now();
let cpu0 = process.cpuUsage();
/** Measures from now (the `again` run of nianbao: its first run is not measured). */
function startClock(): void {
  started = performance.now();
  cpu0 = process.cpuUsage();
}
const pages =
  which === 'crawlee'
    ? await crawlee()
    : which === 'floor'
      ? await floor()
      : which === 'nianbao'
        ? await nianbao()
        : which === 'nianbao-again'
          ? await nianbao(true)
          : Number.NaN;
if (Number.isNaN(pages)) throw new Error(`no contender ${which}`);
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(
  `${JSON.stringify({ which, pages, seconds, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`,
);
process.exit(0);
