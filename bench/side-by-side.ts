/**
 * Side by side on one replica of 200 portals (2,200 pages: a column and ten reports each, every portal its own
 * origin): Crawlee's CheerioCrawler, the undici + SAX floor and the nianbao pipeline doing all its work, each in
 * its own process, interleaved (three rounds, the better of each kept). Prints pages/s, CPU ms/page and peak RSS
 * of each and the two targets: nianbao ≥ 2.5× Crawlee and ≥ 60 % of the floor, from the best runs and, because the
 * machine's speed drifts over minutes, from each round's own three runs (their median and range).
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bundleNodeScript } from '../scripts/lib-bundle.ts';
import { startPortals } from './portals.ts';

const ROOT = join(import.meta.dirname, '..');
const CONTENDERS = ['crawlee', 'floor', 'nianbao'] as const;
type Result = { which: string; pages: number; seconds: number; cpuMs: number; maxRssMb: number };

export async function measureSideBySide(portalCount = Number(process.env.BENCH_PORTALS ?? 200), rounds = 3): Promise<void> {
  const script = await bundleNodeScript('bench/contender.ts', 'nianbao-bench');
  const dir = dirname(script);
  const portals = await startPortals(portalCount);
  const columnsFile = join(dir, 'columns.json');
  writeFileSync(columnsFile, JSON.stringify(portals.columns));
  const best = new Map<string, Result>();
  const perRound: Map<string, Result>[] = [];
  /** One contender's run, in its own process; null (said) when it failed. */
  const contender = async (which: string): Promise<Result | null> => {
    // Asynchronous: the portals answer from this process while the contender runs.
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [script, which, columnsFile], {
        cwd: ROOT,
        env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c));
      child.stderr.on('data', (c: Buffer) => (stderr += c));
      child.on('close', (code: number | null) => resolve({ code, stdout, stderr }));
    });
    const line = r.stdout.trim().split('\n').at(-1);
    if (r.code !== 0 || !line) {
      console.log(`  ${which}: FAILED (exit ${r.code}) ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
      return null;
    }
    return JSON.parse(line) as Result;
  };
  let again: Result | null = null;
  try {
    for (let round = 0; round < rounds; round++) {
      const thisRound = new Map<string, Result>();
      perRound.push(thisRound);
      for (const which of CONTENDERS) {
        const m = await contender(which);
        if (!m) continue;
        thisRound.set(which, m);
        const prev = best.get(which);
        if (!prev || m.pages / m.seconds > prev.pages / prev.seconds) best.set(which, m);
      }
    }
    again = await contender('nianbao-again');
  } finally {
    await portals.close();
  }
  console.log('');
  console.log(
    `Side by side: ${portalCount} portals, ${portals.pages} pages (a column and ten ~100 KB reports each), loopback, no politeness delay, concurrency 10, best of ${rounds} interleaved rounds`,
  );
  for (const which of CONTENDERS) {
    const m = best.get(which);
    if (!m) continue;
    console.log(
      `  ${which.padEnd(8)} ${(m.pages / m.seconds).toFixed(1).padStart(7)} pages/s   ${(m.cpuMs / m.pages).toFixed(1).padStart(6)} CPU ms/page   peak RSS ${String(m.maxRssMb).padStart(5)} MB   (${m.pages} pages in ${m.seconds.toFixed(1)} s)`,
    );
  }
  const rate = (w: string) => (best.get(w) ? best.get(w)!.pages / best.get(w)!.seconds : NaN);
  const vsCrawlee = rate('nianbao') / rate('crawlee');
  const vsFloor = rate('nianbao') / rate('floor');
  console.log(`  target nianbao ≥ 2.5× Crawlee: ${vsCrawlee.toFixed(2)}× (${(vsCrawlee / 2.5).toFixed(2)} of target) ${vsCrawlee >= 2.5 ? 'met' : 'NOT met'}`);
  console.log(
    `  target nianbao ≥ 60 % of the floor: ${(vsFloor * 100).toFixed(0)} % (${(vsFloor / 0.6).toFixed(2)} of target) ${vsFloor >= 0.6 ? 'met' : 'NOT met'}`,
  );
  // Each round's contenders ran minutes apart, not the best of each from different rounds.
  const roundRatio = (r: Map<string, Result>, other: string) => {
    const n = r.get('nianbao');
    const o = r.get(other);
    return n && o ? n.pages / n.seconds / (o.pages / o.seconds) : undefined;
  };
  const spread = (xs: number[], fmt: (x: number) => string) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
    return `median ${fmt(median)} (${sorted.map(fmt).join(', ')})`;
  };
  const crawleeRounds = perRound.map((r) => roundRatio(r, 'crawlee')).filter((x): x is number => x !== undefined);
  const floorRounds = perRound.map((r) => roundRatio(r, 'floor')).filter((x): x is number => x !== undefined);
  if (crawleeRounds.length && floorRounds.length)
    console.log(
      `  round by round: vs Crawlee ${spread(crawleeRounds, (x) => `${x.toFixed(2)}×`)}   vs the floor ${spread(floorRounds, (x) => `${(x * 100).toFixed(0)} %`)}`,
    );
  // The daily crawl: nothing changed since the day before, no document read again (not a target: shown beside them).
  if (again)
    console.log(
      `  nianbao again (the same portals the next day, nothing changed): ${(again.pages / again.seconds).toFixed(1)} pages/s   ${(again.cpuMs / again.pages).toFixed(1)} CPU ms/page   (${again.pages} pages in ${again.seconds.toFixed(1)} s; peak RSS of both runs ${again.maxRssMb} MB)`,
    );
}
