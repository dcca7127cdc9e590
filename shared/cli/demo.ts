/**
 * `nianbao demo` — the whole job offline: starts the replica portals on loopback with a demo registry that
 * covers every status and alert kind, runs the pipeline, changes the portals (a report edited, one removed,
 * a missing one published late, an outage that ends), runs it again, and prints what a watchdog receives.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import type { Body } from '../crawl/registry.ts';
import { startReplica, type SiteName } from '../demo/replica/server.ts';
import { columnUrl, seasonStates } from '../demo/season.ts';
import { ReplicaState } from '../demo/replica/state.ts';
import { openLocalStore } from '../store/local.ts';
import type { Clock } from '../store/ports.ts';
import { globalOptions, printJson } from './context.ts';
import { EXIT, type ExitCode } from './exit.ts';
import { printDigest, runPipeline } from './run.ts';

/** A clock set to a day of the scenario (waits are real but the demo sets no politeness delay). */
function dayClock(iso: string): Clock & { advance(days: number): void } {
  let offset = Date.parse(iso) - Date.now();
  return {
    now: () => Date.now() + offset,
    sleep: (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms))),
    advance: (days) => (offset += days * 86_400_000),
  };
}

export function registerDemo(program: Command, run: (code: ExitCode) => void): void {
  program
    .command('demo')
    .description('the whole job offline, on replica portals: two runs and the alerts a watchdog receives / 离线演示')
    .action(async (_: unknown, cmd: Command) => {
      const { json } = globalOptions(cmd);
      process.env.NIANBAO_ALLOW_PRIVATE_NETWORK = '1'; // the replica portals are on loopback
      const states = seasonStates();
      const replica = await startReplica(new ReplicaState(), states);
      const home = mkdtempSync(join(tmpdir(), 'nianbao-demo-'));
      const store = await openLocalStore(home);
      const list = (site: SiteName) => columnUrl(replica, site);
      const bodies: Body[] = [
        {
          id: 'demo-jia',
          name: '甲区人民政府',
          level: 'government',
          region: '110101',
          lists: [list('trs')],
          note: 'on time; edited after publication in run 2',
        },
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
      const clock = dayClock('2025-06-01T02:00:00Z');
      const flags = {
        year: ['2024', '2025'],
        concurrency: '4',
        channels: json ? 'jsonl' : 'console,jsonl',
        grace: '0',
        unreachableAfter: '2',
        unreachableHours: '24',
        delay: '0',
        render: 'static',
        retries: '1',
      };
      const say = (s: string) => !json && process.stdout.write(`${s}\n`);
      try {
        say(pc.bold(`nianbao demo — replica portals on loopback, store in ${home}`));
        say(pc.bold('\n── Run 1: 2025-06-01 ──'));
        const digests = [await runPipeline(store, bodies, flags, home, clock, true)];
        if (!json) printDigest(digests[0]!, bodies);
        states.trs.change(2024);
        states.trs3.remove(2024);
        states.hanweb.publish(2024, '2025-06-02');
        clock.advance(1);
        say(pc.bold('\n── Run 2: 2025-06-02 — a report edited, one removed, the missing one published ──'));
        digests.push(await runPipeline(store, bodies, flags, home, clock, true));
        if (!json) printDigest(digests[1]!, bodies);
        states.trs4.down = false;
        clock.advance(1);
        say(pc.bold('\n── Run 3: 2025-06-03 — the portal that was down is back ──'));
        digests.push(await runPipeline(store, bodies, flags, home, clock, true));
        if (!json) printDigest(digests[2]!, bodies);
        const alerts = await store.state.alerts();
        if (json) printJson({ home, runs: digests, alerts });
        else say(`\n${alerts.length} alerts in ${home} — try: npm run nianbao -- --home ${home} status --year 2024`);
        run(EXIT.ok);
      } finally {
        await store.close();
        await replica.close();
      }
    });
}
