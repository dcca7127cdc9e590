/**
 * The demo's scenario, runnable by the CLI (`nianbao demo`) and by tests and the screenshot script: replica portals
 * on loopback with a registry that covers every status and alert kind; three runs a day apart while the portals
 * change (a report edited, one removed, a missing one published late, an outage that ends). The home keeps the
 * demo's registry (registry.yaml), so `nianbao serve` and `nianbao site` name its bodies.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { printDigest, runPipeline } from '../cli/run.ts';
import type { Body } from '../crawl/registry.ts';
import { openLocalStore } from '../store/local.ts';
import type { Alert, Clock } from '../store/ports.ts';
import type { RunDigest } from '../pipeline.ts';
import { startReplica, type SiteName } from './replica/server.ts';
import { ReplicaState } from './replica/state.ts';
import { columnUrl, seasonStates } from './season.ts';

/** A clock set to a day of the scenario (waits are real but the demo sets no politeness delay). */
function dayClock(iso: string): Clock & { advance(days: number): void } {
  let offset = Date.parse(iso) - Date.now();
  return {
    now: () => Date.now() + offset,
    sleep: (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms))),
    advance: (days) => (offset += days * 86_400_000),
  };
}

/** The demo's bodies, one per thing a watchdog should see. */
export function demoBodies(list: (site: SiteName) => string): Body[] {
  return [
    { id: 'demo-jia', name: '甲区人民政府', level: 'government', region: '110101', lists: [list('trs')], note: 'on time; edited after publication in run 2' },
    {
      id: 'demo-yi',
      name: '乙区教育局',
      level: 'department',
      region: '110101',
      lists: [list('trsGbk')],
      note: 'GBK portal; published 15 February (due 31 January)',
    },
    { id: 'demo-bing', name: '丙区人民政府', level: 'government', region: '110102', lists: [list('hanweb')], note: 'Hanweb; missing, then published late' },
    { id: 'demo-ding', name: '丁区人民政府', level: 'government', region: '110105', lists: [list('trs2')], note: 'a table that does not add up' },
    { id: 'demo-wu', name: '戊区人民政府', level: 'government', region: '110106', lists: [list('trs3')], note: 'removed after publication in run 2' },
    { id: 'demo-ji', name: '己区人民政府', level: 'government', region: '110107', lists: [list('trs4')], note: 'portal down, back in run 3' },
    { id: 'demo-geng', name: '庚街道办事处', level: 'township', region: '110108', lists: [], note: 'no column URL known' },
  ];
}

export interface DemoResult {
  home: string;
  bodies: Body[];
  runs: RunDigest[];
  alerts: Alert[];
}

/**
 * Runs the scenario into `home` (a new or empty folder). `say` gets the narration; `digests` prints each run's
 * digest for people at the terminal.
 */
export async function runDemo(home: string, o: { json?: boolean; say?: (line: string) => void; digests?: boolean } = {}): Promise<DemoResult> {
  const say = o.say ?? (() => {});
  process.env.NIANBAO_ALLOW_PRIVATE_NETWORK = '1'; // the replica portals are on loopback
  const states = seasonStates();
  const replica = await startReplica(new ReplicaState(), states);
  const store = await openLocalStore(home);
  const bodies = demoBodies((site) => columnUrl(replica, site));
  writeFileSync(join(home, 'registry.yaml'), `# the demo's registry (replica portals on loopback; their ports change every run)\n${stringify({ bodies })}`);
  const clock = dayClock('2025-06-01T02:00:00Z');
  const flags = {
    year: ['2024', '2025'],
    concurrency: '4',
    channels: o.json ? 'jsonl' : 'console,jsonl',
    grace: '0',
    unreachableAfter: '2',
    unreachableHours: '24',
    delay: '0',
    render: 'static',
    retries: '1',
    // Offline: were a network failure ever to need telling apart, the replica itself is the canary, never the internet.
    canary: [columnUrl(replica, 'trs')],
  };
  const runs: RunDigest[] = [];
  const step = async (title: string) => {
    say(`\n── ${title} ──`);
    runs.push(await runPipeline(store, bodies, flags, home, clock, true));
    if (o.digests) printDigest(runs.at(-1)!, bodies);
  };
  try {
    await step('Run 1: 2025-06-01');
    states.trs.change(2024);
    states.trs3.remove(2024);
    states.hanweb.publish(2024, '2025-06-02');
    clock.advance(1);
    await step('Run 2: 2025-06-02 — a report edited, one removed, the missing one published');
    states.trs4.down = false;
    clock.advance(1);
    await step('Run 3: 2025-06-03 — the portal that was down is back');
    return { home, bodies, runs, alerts: await store.state.alerts() };
  } finally {
    await store.close();
    await replica.close();
  }
}
