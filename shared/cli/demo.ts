/**
 * `nianbao demo` — the whole job offline (demo/scenario.ts): replica portals on loopback, three runs while the portals
 * change, and what a watchdog receives. The store goes to a new temporary home, or to --home when given (it must
 * be new or empty), ready for `nianbao serve`.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { runDemo } from '../demo/scenario.ts';
import { globalOptions, printJson } from './context.ts';
import { CliError, EXIT, type ExitCode } from './exit.ts';

/** The home the demo writes: --home (or NIANBAO_HOME) when given, new or empty; else a new temporary folder. */
function demoHome(cmd: Command): string {
  const given = cmd.optsWithGlobals<{ home?: string }>().home ?? process.env.NIANBAO_HOME;
  if (!given) return mkdtempSync(join(tmpdir(), 'nianbao-demo-'));
  const { home } = globalOptions(cmd);
  if (existsSync(home) && readdirSync(home).length > 0)
    throw new CliError(`--home ${home}: the demo needs a new or empty folder (it holds files already) / 目录非空`);
  mkdirSync(home, { recursive: true });
  return home;
}

export function registerDemo(program: Command, run: (code: ExitCode) => void): void {
  program
    .command('demo')
    .description('the whole job offline, on replica portals: three runs and the alerts a watchdog receives / 离线演示')
    .action(async (_: unknown, cmd: Command) => {
      const { json } = globalOptions(cmd);
      const home = demoHome(cmd);
      const say = (s: string) => !json && process.stdout.write(`${s.startsWith('\n──') ? pc.bold(s) : s}\n`);
      say(pc.bold(`nianbao demo — replica portals on loopback, store in ${home}`));
      const r = await runDemo(home, { json, say, digests: !json });
      if (json) printJson({ home, runs: r.runs, alerts: r.alerts });
      else {
        say(`\n${r.alerts.length} alerts in ${home} — try:`);
        say(`  npm run nianbao -- --home ${home} status --year 2024`);
        say(`  npm run nianbao -- --home ${home} findings --year 2024   (every report's findings, one line each)`);
        say(`  npm run nianbao -- --home ${home} serve     (the dashboard: http://127.0.0.1:8080/)`);
      }
      run(EXIT.ok);
    });
}
