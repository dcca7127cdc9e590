/**
 * `nianbao alerts [--open]` and `nianbao alerts dismiss ID --reason R` — the alerts raised, and a watchdog's
 * dismissal of a false one (kept with its reason, never sent again).
 */
import { hostname, userInfo } from 'node:os';
import type { Command } from 'commander';
import pc from 'picocolors';
import { dismissAlert } from '../alerts/decide.ts';
import { textMessage } from '../alerts/format.ts';
import type { Alert } from '../store/ports.ts';
import { globalOptions, printJson } from './context.ts';
import { DamagedRecords, reportDamaged } from './damaged.ts';
import { httpUrl } from './options.ts';
import { CliError, EXIT, type ExitCode } from './exit.ts';
import { withStore } from './store.ts';

/** One alert as `alerts --json` prints it. */
const alertJson = (a: Alert) => ({
  id: a.id,
  body: a.bodyId,
  name: a.bodyName,
  year: a.year,
  kind: a.kind,
  state: a.state,
  detail: a.detail,
  summary_zh: a.summaryZh,
  summary_en: a.summaryEn,
  evidence: a.evidence,
  opened_at: a.openedAt,
  resolved_at: a.resolvedAt ?? null,
  dismissed: a.dismissReason ?? null,
  dismissed_by: a.dismissedBy ?? null,
});

export function registerAlerts(program: Command, run: (code: ExitCode) => void): void {
  const alerts = program
    .command('alerts')
    .description('alerts raised / 预警')
    .option('--open', 'only open alerts')
    .option('--api <url>', 'the deployed archive API (signed with the default AWS credentials) instead of the home', httpUrl);
  alerts.action(async (flags: { open?: boolean; api?: string }, cmd: Command) => {
    const { json, home } = globalOptions(cmd);
    if (flags.api) {
      // Loaded only here: the AWS credential chain is not part of a command that reads a home.
      const { RemoteApi } = await import('./remote.ts');
      const list: Alert[] = [];
      const damaged: string[] = [];
      for await (const page of new RemoteApi(flags.api).pages('alerts', { state: flags.open ? 'open' : undefined })) {
        list.push(...(page.alerts as Alert[]));
        damaged.push(...(page.damaged as string[]));
      }
      show(list, json, flags.open, damaged.length);
      run(reportDamaged(damaged) ? EXIT.failed : EXIT.ok);
      return;
    }
    await withStore(
      home,
      async ({ state }) => {
        const damaged = new DamagedRecords();
        const list = await state.alerts(flags.open ? 'open' : undefined, damaged);
        show(list, json, flags.open, damaged.errors.length);
        // None is an answer, not a failure; an alert that could not be read is.
        run(damaged.report() ? EXIT.failed : EXIT.ok);
      },
      { readonly: true },
    );
  });
  alerts
    .command('dismiss')
    .description('dismiss a false alert, with the reason (kept; never sent again for the same evidence)')
    .argument('<id>', 'alert id')
    .requiredOption('--reason <text>', 'why it is not a real problem')
    .option('--api <url>', 'dismiss it in the deployed archive (signed with the default AWS credentials) instead of the home', httpUrl)
    .action(async (id: string, flags: { reason: string; api?: string }, cmd: Command) => {
      const { home, json } = globalOptions(cmd);
      if (!flags.reason.trim()) throw new CliError('--reason: say why the alert is not a real problem (it is kept with the alert)');
      const said = (a: Alert) => {
        if (json)
          printJson({
            dismissed: a.id,
            body: a.bodyId,
            year: a.year,
            kind: a.kind,
            reason: a.dismissReason ?? flags.reason,
            dismissed_at: a.dismissedAt,
            dismissed_by: a.dismissedBy ?? null,
          });
        else process.stdout.write(`dismissed ${a.id} (${a.bodyName} ${a.year} ${a.kind}): ${a.dismissReason ?? flags.reason}\n`);
        run(EXIT.ok);
      };
      // `--api` after the subcommand is read by `alerts` (it has the option too): either place is meant.
      const api = flags.api ?? (cmd.parent?.opts() as { api?: string } | undefined)?.api;
      if (api) {
        const { RemoteApi } = await import('./remote.ts');
        // A 404 (no such alert) is exit 3 as from a home (remote.ts).
        const answer = await new RemoteApi(api).post(`alerts/${encodeURIComponent(id)}/dismiss`, { reason: flags.reason });
        said(answer.alert as Alert);
        return;
      }
      await withStore(home, async ({ state }) => {
        const a = await dismissAlert(state, id, flags.reason, new Date().toISOString(), localUser());
        if (!a) throw new CliError(`${id}: no such alert / 没有该预警`, EXIT.nothingFound);
        said(a);
      });
    });
}

/** Who dismisses from this machine's command line: its user and host (kept with the alert). */
function localUser(): string {
  try {
    return `${userInfo().username}@${hostname()}`;
  } catch {
    return `command line@${hostname()}`; // a user with no name in the passwd database (some containers)
  }
}

/** The alerts as text (each with its evidence) or as JSON (`alertJson`). */
function show(list: Alert[], json: boolean, open: boolean | undefined, damaged: number): void {
  if (json) printJson(list.map(alertJson));
  else if (list.length === 0 && damaged === 0) process.stdout.write(`no ${open ? 'open ' : ''}alerts / 无预警\n`);
  else for (const a of list) process.stdout.write(`${pc.bold(`[${a.state}]`)} ${textMessage(a, a.state === 'resolved' ? 'resolved' : 'opened')}\n\n`);
}
