/**
 * `nianbao alerts [--open]` and `nianbao alerts dismiss ID --reason R` — the alerts raised, and a watchdog's
 * dismissal of a false one (kept with its reason, never sent again).
 */
import type { Command } from 'commander';
import pc from 'picocolors';
import { dismissAlert } from '../alerts/decide.ts';
import { textMessage } from '../alerts/format.ts';
import type { Alert } from '../store/ports.ts';
import { globalOptions, printJson } from './context.ts';
import { DamagedRecords } from './damaged.ts';
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
});

export function registerAlerts(program: Command, run: (code: ExitCode) => void): void {
  const alerts = program.command('alerts').description('alerts raised / 预警').option('--open', 'only open alerts');
  alerts.action(async (flags: { open?: boolean }, cmd: Command) => {
    const { json, home } = globalOptions(cmd);
    await withStore(
      home,
      async ({ state }) => {
        const damaged = new DamagedRecords();
        const list = await state.alerts(flags.open ? 'open' : undefined, damaged);
        if (json) printJson(list.map(alertJson));
        else if (list.length === 0 && damaged.errors.length === 0) process.stdout.write(`no ${flags.open ? 'open ' : ''}alerts / 无预警\n`);
        else for (const a of list) process.stdout.write(`${pc.bold(`[${a.state}]`)} ${textMessage(a, a.state === 'resolved' ? 'resolved' : 'opened')}\n\n`);
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
    .action(async (id: string, flags: { reason: string }, cmd: Command) => {
      const { home, json } = globalOptions(cmd);
      await withStore(home, async ({ state }) => {
        const a = await dismissAlert(state, id, flags.reason, new Date().toISOString());
        if (!a) throw new CliError(`${id}: no such alert / 没有该预警`, EXIT.nothingFound);
        if (json) printJson({ dismissed: a.id, body: a.bodyId, year: a.year, kind: a.kind, reason: flags.reason, dismissed_at: a.dismissedAt });
        else process.stdout.write(`dismissed ${a.id} (${a.bodyName} ${a.year} ${a.kind}): ${flags.reason}\n`);
        run(EXIT.ok);
      });
    });
}
