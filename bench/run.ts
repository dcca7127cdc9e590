/**
 * `npm run bench` — throughput figures, printed (targets live here, not in timed tests).
 * Parse + rules on realistic ~100 KB portal pages (Word-pasted HTML tables inside TRS page chrome), one
 * core. Target (issue #2): ≥ 500 reports/s for a 100 KB page.
 */
import { measureHostile } from './hostile.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseReport, parseReportBytes } from '../shared/report/parse.ts';
import { pdfText } from '../shared/report/pdf.ts';
import { BrowserRenderer } from '../shared/crawl/browser.ts';
import { discover } from '../shared/crawl/discover.ts';
import { HttpFetcher } from '../shared/crawl/fetcher.ts';
import { startReplica } from '../shared/demo/replica/server.ts';
import { ReplicaState } from '../shared/demo/replica/state.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Body } from '../shared/crawl/registry.ts';
import { run } from '../shared/pipeline.ts';
import { openLocalStore } from '../shared/store/local.ts';
import { systemClock } from '../shared/store/ports.ts';
import { randomModel } from '../shared/demo/generate.ts';
import { render } from '../shared/demo/render.ts';

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

/**
 * A portal page of about `target` bytes: TRS chrome (navigation, inline scripts), the report's prose and
 * its tables — plain cells (`html`) or Word-pasted cells with their inline styles (`word`, ~400 bytes a cell).
 */
function portalPage(seed: number, layout: 'html' | 'word', target = 100 * 1024): Uint8Array {
  const html = Buffer.from(render(randomModel(seed), layout)).toString();
  const script = `<script>${'var _hmt = _hmt || []; (function(){ var hm = document.createElement("script"); hm.src = "/js/stat.js"; })();\n'.repeat(120)}</script>`;
  const nav = Array.from({ length: 60 }, (_, i) => `<li><a href="/zwgk/col${i}/" title="栏目${i}">政务公开栏目${i}</a></li>`).join('');
  const para = '<p class=MsoNormal style="text-indent:32pt;line-height:28pt"><span style="font-family:仿宋_GB2312;font-size:16pt">按照“以公开为常态、不公开为例外”的原则，持续对重大民生信息、应急管理等内容进行及时更新，严格落实政府信息公开保密审查制度。</span></p>';
  let page = html.replace('<div class="header">', `${script}<div class="header"><ul class="nav">${nav}</ul>`);
  const pad: string[] = [];
  const paraBytes = Buffer.byteLength(para) + 1;
  let bytes = Buffer.byteLength(page);
  while (bytes + paraBytes <= target) {
    pad.push(para);
    bytes += paraBytes;
  }
  page = page.replace('<p><strong>二、', `${pad.join('\n')}<p><strong>二、`);
  return Buffer.from(page);
}

const pages = Array.from({ length: 20 }, (_, i) => portalPage(100 + i, 'html'));
const wordPages = Array.from({ length: 20 }, (_, i) => portalPage(200 + i, 'word'));
const kb = (ps: Uint8Array[]) => Math.round(ps.reduce((n, p) => n + p.length, 0) / ps.length / 1024);
const fixtures = ['01-shanghai-szfbgt-2019.html', '02-huaian-szf-2024.txt', '06-pingtan-2021.txt', '08-pingtan-2023.txt', 'gongnong-2024-annual-report.txt'].map((f) =>
  readFileSync(join(import.meta.dirname, '..', 'tests', 'fixtures', f)),
);

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
  console.log(`  ${perSecond.toFixed(0).padStart(6)} reports/s   ${(f.bytes / f.seconds / 1024 / 1024).toFixed(1).padStart(6)} MB/s   ${((f.seconds / f.iterations) * 1000).toFixed(2)} ms/report   (${f.iterations} runs)`);
}
/** PDF text extraction (pdfjs, positioned lines) and the whole PDF parse, on the real 6-page 淮安 report. */
async function measurePdf(bytes: Uint8Array, minSeconds = 3): Promise<{ pages: number; runs: number; seconds: number; parseMs: number }> {
  const { pages } = await pdfText(bytes);
  let runs = 0;
  const start = performance.now();
  while ((performance.now() - start) / 1000 < minSeconds) {
    await pdfText(bytes);
    runs++;
  }
  const seconds = (performance.now() - start) / 1000;
  const t = performance.now();
  for (let i = 0; i < 5; i++) await parseReport(bytes);
  return { pages, runs, seconds, parseMs: (performance.now() - t) / 5 };
}

const pdf = await measurePdf(readFileSync(join(import.meta.dirname, '..', 'tests', 'fixtures', '02-huaian-szf-2024.pdf')));
console.log('PDF text extraction (淮安 2024, 6 pages, pdfjs legacy build)');
console.log(`  ${((pdf.pages * pdf.runs) / pdf.seconds).toFixed(0).padStart(6)} pages/s    ${(pdf.runs / pdf.seconds).toFixed(1)} PDFs/s    whole parse ${pdf.parseMs.toFixed(1)} ms/report`);
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
  console.log(`  ${staticRate.toFixed(0).padStart(6)} pages/s static (${runs} discoveries)   browser: cold start ${coldMs.toFixed(0)} ms (launch ${renderer.launches[0]} ms), warm ${warmMs.toFixed(0)} ms/page (${(1000 / warmMs).toFixed(1)} pages/s)`);
}
await measureDiscovery();

/**
 * Scale check: a generated registry of many bodies (env BENCH_BODIES, default 2000) on the replica, the whole
 * pipeline with the local store (dynalite + folder archive): bodies/min, memory, store writes per body.
 */
async function measureScale(): Promise<void> {
  const n = Number(process.env.BENCH_BODIES ?? 2000);
  const replica = await startReplica(new ReplicaState([2023, 2024]));
  const home = mkdtempSync(join(tmpdir(), 'nianbao-bench-'));
  const s = await openLocalStore(home);
  const sites = ['trs', 'trsGbk', 'trs2', 'trs3', 'trs4'] as const;
  const bodies: Body[] = Array.from({ length: n }, (_, i) => ({ id: `bench-${i}`, name: `测试单位${i}`, level: i % 3 ? 'department' : 'government', lists: [`${replica.origin(sites[i % sites.length]!)}/zfxxgknb/index.html`] }));
  let writes = 0;
  const count = <T extends object>(o: T): T => new Proxy(o, { get: (t, k) => (typeof (t as never)[k] === 'function' && /^put/.test(String(k)) ? (...a: unknown[]) => (writes++, (t as never as Record<string, (...x: unknown[]) => unknown>)[k as string]!(...a)) : (t as never)[k]) });
  const http = new HttpFetcher({ minDelayMs: 0, timeoutMs: 10_000, retries: 0 });
  let fetches = 0;
  let fetched = 0;
  const fetcher: typeof http = Object.assign(Object.create(http), {
    fetch: async (...a: Parameters<typeof http.fetch>) => {
      fetches++;
      const r = await http.fetch(...a);
      fetched += r.body?.length ?? 0;
      return r;
    },
  });
  const archive = count(s.archive);
  const t = performance.now();
  const cpu0 = process.cpuUsage();
  const rss0 = process.memoryUsage().rss;
  const digest = await run(bodies, { fetcher, archive, captures: count(s.store), reports: count(s.store), state: count(s.state), notifiers: [], clock: systemClock }, { years: [2024], concurrency: 8 });
  const minutes = (performance.now() - t) / 60_000;
  const cpu = process.cpuUsage(cpu0);

  console.log(`Scale: ${n} bodies on the replica, whole pipeline, local store (dynalite + folder)`);
  console.log(`  ${(n / minutes).toFixed(0).padStart(6)} bodies/min   ${(writes / n).toFixed(1)} store writes/body   RSS +${((process.memoryUsage().rss - rss0) / 1048576).toFixed(0)} MB   ${digest.results.filter((r) => r.status === 'found').length} found`);
  // Per-body figures for docs/COSTS.md (the CPU includes the in-process dynalite).
  console.log(`  per body: ${(fetches / n).toFixed(1)} fetches, ${(fetched / n / 1024).toFixed(0)} KB fetched, ${((cpu.user + cpu.system) / 1000 / n).toFixed(0)} ms CPU (first crawl; the replica's bodies share their reports, so the archive dedupes them)`);
  await fetcher.close();
  await s.close();
  await replica.close();
}
await measureScale();
await measureHostile();
const peak = process.resourceUsage().maxRSS / 1024;
console.log('');
console.log(`peak memory (max RSS): ${peak.toFixed(0)} MB`);
const portal = figures[0]!;
const rate = portal.iterations / portal.seconds;
console.log(`target ≥ 500 reports/s on ~100 KB pages: ${rate >= 500 ? 'met' : 'NOT met'} (${rate.toFixed(0)}/s)`);
