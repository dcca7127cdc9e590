/**
 * `npm run bench` — throughput figures, printed (targets live here, not in timed tests).
 * Parse + rules on realistic ~100 KB portal pages (Word-pasted HTML tables inside TRS page chrome), one
 * core. Target (issue #2): ≥ 500 reports/s for a 100 KB page.
 */
import { measureHostile } from './hostile.ts';
import { measureStartup } from './startup.ts';
import { portalPage } from './portals.ts';
import { measureSideBySide } from './side-by-side.ts';
import { measureSite } from './site.ts';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { bundleNodeScript } from '../scripts/lib-bundle.ts';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseReport, parseReportBytes } from '../shared/check.ts';
import { pdfItems, pdfText } from '../shared/report/pdf.ts';
import { ofdText } from '../shared/report/ofd.ts';
import { writeOfd } from '../shared/demo/ofd.ts';
import { BrowserRenderer } from '../shared/crawl/browser.ts';
import { discover } from '../shared/crawl/discover.ts';
import { HttpFetcher } from '../shared/crawl/fetcher.ts';
import { startReplica } from '../shared/demo/replica/server.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

interface Figure {
  name: string;
  bytes: number;
  iterations: number;
  seconds: number;
}

function measure(name: string, inputs: Uint8Array[], minSeconds = 2): Figure {
  for (const b of inputs.slice(0, 5)) parseReportBytes(b); // warm-up (JIT)
  let iterations = 0;
  let bytes = 0;
  const start = performance.now();
  while ((performance.now() - start) / 1000 < minSeconds) {
    const b = inputs[iterations % inputs.length]!;
    parseReportBytes(b);
    bytes += b.length;
    iterations++;
  }
  return { name, bytes, iterations, seconds: (performance.now() - start) / 1000 };
}

const pages = Array.from({ length: 20 }, (_, i) => portalPage(100 + i, 'html'));
const wordPages = Array.from({ length: 20 }, (_, i) => portalPage(200 + i, 'word'));
const kb = (ps: Uint8Array[]) => Math.round(ps.reduce((n, p) => n + p.length, 0) / ps.length / 1024);
const fixtures = [
  '01-shanghai-szfbgt-2019.html',
  '02-huaian-szf-2024.txt',
  '06-pingtan-2021.txt',
  '08-pingtan-2023.txt',
  'gongnong-2024-annual-report.txt',
].map((f) => readFileSync(join(import.meta.dirname, '..', 'tests', 'fixtures', f)));

const figures = [
  measure(`TRS portal pages (~${kb(pages)} KB: chrome, scripts, prose, tables)`, pages),
  measure(`Word-pasted reports (~${kb(wordPages)} KB, styled cells)`, wordPages),
  measure('real reports (tests/fixtures, HTML + text)', fixtures),
  measure('run-together text (平潭 2021, digit splitting)', [fixtures[2]!]),
];

console.log('nianbao bench — parse + rules, one core');
console.log('');
for (const f of figures) {
  const perSecond = f.iterations / f.seconds;
  console.log(`${f.name}`);
  console.log(
    `  ${perSecond.toFixed(0).padStart(6)} reports/s   ${(f.bytes / f.seconds / 1024 / 1024).toFixed(1).padStart(6)} MB/s   ${((f.seconds / f.iterations) * 1000).toFixed(2)} ms/report   (${f.iterations} runs)`,
  );
}
/**
 * Text extraction of a fixed-layout document (`extract`: pdfjs for a PDF, ofd.ts for an OFD, then positioned lines)
 * and its whole parse, on the real 6-page 淮安 report.
 */
async function measureLayout(
  bytes: Uint8Array,
  extract: (b: Uint8Array) => Promise<{ pages: number }>,
  minSeconds = 3,
): Promise<{ pages: number; runs: number; seconds: number; parseMs: number }> {
  const { pages } = await extract(bytes);
  let runs = 0;
  const start = performance.now();
  while ((performance.now() - start) / 1000 < minSeconds) {
    await extract(bytes);
    runs++;
  }
  const seconds = (performance.now() - start) / 1000;
  const t = performance.now();
  for (let i = 0; i < 5; i++) await parseReport(bytes);
  return { pages, runs, seconds, parseMs: (performance.now() - t) / 5 };
}

const huaianPdf = readFileSync(join(import.meta.dirname, '..', 'tests', 'fixtures', '02-huaian-szf-2024.pdf'));
const pdf = await measureLayout(huaianPdf, (b) => pdfText(b));
console.log('PDF text extraction (淮安 2024, 6 pages, pdfjs legacy build)');
console.log(
  `  ${((pdf.pages * pdf.runs) / pdf.seconds).toFixed(0).padStart(6)} pages/s    ${(pdf.runs / pdf.seconds).toFixed(1)} PDFs/s    whole parse ${pdf.parseMs.toFixed(1)} ms/report`,
);
// The same report as an OFD, its glyphs where the PDF prints them (shared/demo/ofd.ts; CTM-scaled as Suwell writes).
const ofd = await measureLayout(await writeOfd(await pdfItems(huaianPdf), { scaled: true }), (b) => ofdText(b));
console.log('OFD text extraction (淮安 2024 laid out as an OFD, 6 pages)');
console.log(
  `  ${((ofd.pages * ofd.runs) / ofd.seconds).toFixed(0).padStart(6)} pages/s    ${(ofd.runs / ofd.seconds).toFixed(1)} OFDs/s    whole parse ${ofd.parseMs.toFixed(1)} ms/report`,
);
/** Discovery against the replica portals on loopback: static pages/s; the browser's cold launch and warm pages. */
async function measureDiscovery(): Promise<void> {
  process.env.NIANBAO_ALLOW_PRIVATE_NETWORK = '1';
  const replica = await startReplica();
  const fetcher = new HttpFetcher({ minDelayMs: 0, timeoutMs: 5000 });
  const t = performance.now();
  let pages = 0;
  let runs = 0;
  while (performance.now() - t < 3000) {
    const d = await discover({ lists: [`${replica.origin('trs')}/zfxxgknb/index.html`] }, { fetcher });
    pages += d.fetches.length;
    runs++;
  }
  const staticRate = pages / ((performance.now() - t) / 1000);
  const renderer = new BrowserRenderer({ timeoutMs: 20_000 });
  const cold = performance.now();
  await renderer.render(`${replica.origin('jslist')}/ndbg/index.html`);
  const coldMs = performance.now() - cold;
  const warm = performance.now();
  for (let i = 0; i < 5; i++) await renderer.render(`${replica.origin('jslist')}/ndbg/index.html`);
  const warmMs = (performance.now() - warm) / 5;
  await renderer.close();
  await fetcher.close();
  await replica.close();
  console.log('Discovery against the replica portals (loopback, no politeness delay)');
  console.log(
    `  ${staticRate.toFixed(0).padStart(6)} pages/s static (${runs} discoveries)   browser: cold start ${coldMs.toFixed(0)} ms (launch ${renderer.launches[0]} ms), warm ${warmMs.toFixed(0)} ms/page (${(1000 / warmMs).toFixed(1)} pages/s)`,
  );
}
await measureDiscovery();
measureStartup();

/**
 * Scale check: a generated registry of many bodies (env BENCH_BODIES, default 2000) on the replica, the whole
 * pipeline with the local store — in its own process (bench/scale-run.ts), so its peak memory is its own.
 */
async function measureScale(): Promise<void> {
  const n = Number(process.env.BENCH_BODIES ?? 2000);
  const script = await bundleNodeScript('bench/scale-run.ts', 'nianbao-bench');
  const scale = (bodies: number, years: string) => {
    const r = spawnSync(process.execPath, [script, String(bodies), years], { encoding: 'utf8', timeout: 1_800_000 });
    const line = r.stdout.trim().split('\n').at(-1);
    if (r.status !== 0 || !line) {
      console.log(`Scale (${bodies} bodies, ${years}): FAILED (exit ${r.status}) ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`);
      return null;
    }
    return JSON.parse(line) as {
      bodies: number;
      bodyYears: number;
      seconds: number;
      writes: number;
      fetches: number;
      fetched: number;
      cpuMs: number;
      found: number;
      maxRssMb: number;
    };
  };
  const m = scale(n, '2024');
  if (!m) return;
  console.log('');
  console.log(`Scale: ${n} bodies on the replica, whole pipeline, local SQLite store (own process; the temporary home is removed)`);
  console.log(
    `  ${(n / (m.seconds / 60)).toFixed(0).padStart(6)} bodies/min   ${(m.writes / n).toFixed(1)} store writes/body   peak RSS ${m.maxRssMb} MB (target < 300 MB: ${(m.maxRssMb / 300).toFixed(2)}× ${m.maxRssMb < 300 ? 'met' : 'NOT met'})   ${m.found} found`,
  );
  // Per-body figures for docs/COSTS.md.
  console.log(
    `  per body: ${(m.fetches / n).toFixed(1)} fetches, ${(m.fetched / n / 1024).toFixed(0)} KB fetched, ${(m.cpuMs / n).toFixed(0)} ms CPU (first crawl; the replica's bodies share their reports, so the archive dedupes them)`,
  );
  // Linear in bodies × years: the CPU a body-year costs does not grow with the run. Against half the bodies for one
  // year: twice the bodies (this run), and twice the years (half the bodies for two years each). 1.3×: the machine's
  // noise; a smaller run carries the same start-up costs, so it may cost more a body-year, never less.
  const perBodyYear = (x: { cpuMs: number; bodyYears: number }) => x.cpuMs / x.bodyYears;
  const half = scale(n / 2, '2024');
  const twoYears = scale(n / 2, '2023,2024');
  if (!half || !twoYears) return;
  const linear = perBodyYear(m) / perBodyYear(half) <= 1.3 && perBodyYear(twoYears) / perBodyYear(half) <= 1.3;
  const rows = [
    `${n / 2} bodies × 1 year ${perBodyYear(half).toFixed(1)} ms`,
    `${n} × 1 ${perBodyYear(m).toFixed(1)} ms`,
    `${n / 2} × 2 ${perBodyYear(twoYears).toFixed(1)} ms`,
  ];
  console.log(`  CPU per body-year: ${rows.join(', ')} (target linear in bodies × years: ${linear ? 'met' : 'NOT met'})`);
}
await measureScale();
await measureSideBySide();
await measureHostile();
await measureSite();
const peak = process.resourceUsage().maxRSS / 1024;
console.log('');
console.log(`peak memory (max RSS): ${peak.toFixed(0)} MB`);
const portal = figures[0]!;
const rate = portal.iterations / portal.seconds;
console.log(`target ≥ 500 reports/s on ~100 KB pages: ${rate >= 500 ? 'met' : 'NOT met'} (${rate.toFixed(0)}/s)`);
