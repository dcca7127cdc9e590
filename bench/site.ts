/**
 * The dashboard at scale (issue 13): 3,000 bodies × 7 years. The overview's bytes (page + data, target < 1 MB) and
 * the time from navigation to its first rows drawn in Chromium (target < 1 s), from a static site on disk; and how
 * long the whole static site takes to write from a store of that size (no target: a daily job).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { Body } from '../shared/crawl/registry.ts';
import { overviewData, type SiteSources } from '../shared/site/data.ts';
import { folderWriter } from '../shared/site/fs-writer.ts';
import { overviewPage, overviewScript } from '../shared/site/pages/overview.ts';
import { writeSite } from '../shared/site/static.ts';
import { MemoryStateStore, MemoryStore } from '../shared/store/memory.ts';
import type { Status } from '../shared/store/ports.ts';
import { launchChromium } from '../scripts/lib-chromium.ts';

async function scaleSources(bodies: number, years: number): Promise<SiteSources> {
  const state = new MemoryStateStore();
  const statuses: Status[] = ['found', 'found', 'found', 'late', 'missing', 'unreachable', 'unknown', 'pending'];
  const many: Body[] = [];
  for (let i = 0; i < bodies; i++) {
    many.push({
      id: `body-${i}`,
      name: `某省某市第${i}区人民政府办公室`,
      level: i % 3 ? 'department' : 'government',
      region: `${11 + (i % 31)}0000`,
      lists: [],
    });
    for (let y = 2025 - years + 1; y <= 2025; y++) {
      await state.putState({
        bodyId: `body-${i}`,
        year: y,
        status: statuses[(i * 7 + y) % statuses.length]!,
        missedAt: [],
        consecutiveFailures: 0,
        deadline: `${y + 1}-03-31`,
        updatedAt: '',
        ...(i % 11 === 0 ? { unreadCells: 4 } : {}),
      });
    }
  }
  return { state, reports: new MemoryStore(), captures: new MemoryStore(), bodies: many, now: Date.now };
}

export async function measureSite(): Promise<void> {
  const src = await scaleSources(3000, 7);
  const data = await overviewData(src);
  const bytes = Buffer.byteLength(overviewScript(data)) + Buffer.byteLength(overviewPage({ mode: 'static', root: '', generatedAt: data.generatedAt }));
  const parent = mkdtempSync(join(tmpdir(), 'nianbao-bench-site-'));
  const dir = join(parent, 'site');
  try {
    const t0 = performance.now();
    const summary = await writeSite(src, folderWriter(dir));
    const writeSeconds = (performance.now() - t0) / 1000;
    const browser = await launchChromium();
    const times: number[] = [];
    try {
      for (let i = 0; i < 4; i++) {
        const page = await browser.newPage();
        const start = performance.now();
        await page.goto(pathToFileURL(join(dir, 'index.html')).href);
        await page.waitForSelector('#overview tbody tr');
        times.push(performance.now() - start);
        await page.close();
      }
    } finally {
      await browser.close();
    }
    const ms = times.slice(1).sort((a, b) => a - b)[1]!; // median of the warm runs
    console.log('');
    console.log('Dashboard: 3,000 bodies × 7 years (static site on disk, Chromium)');
    console.log(
      `  overview page + data ${(bytes / 1024).toFixed(0)} KB (target < 1 MB: ${(bytes / 1_000_000).toFixed(2)}× ${bytes < 1_000_000 ? 'met' : 'NOT met'})`,
    );
    console.log(`  overview drawn in ${ms.toFixed(0)} ms (target < 1 s: ${(ms / 1000).toFixed(2)}× ${ms < 1000 ? 'met' : 'NOT met'})`);
    console.log(`  whole site: ${summary.pages} files, ${(summary.bytes / 1e6).toFixed(1)} MB, written in ${writeSeconds.toFixed(1)} s`);
  } finally {
    rmSync(parent, { recursive: true, force: true }); // the bench leaves nothing behind
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await measureSite();
