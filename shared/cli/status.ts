/**
 * `nianbao status [--year Y] [--level L]`, `nianbao alerts [--open]`, `nianbao alerts dismiss ID --reason R`,
 * `nianbao report BODY_ID YEAR` — what the store knows, for watchdogs (each with --json).
 */
import { parseReport } from '../check.ts';
import { renderReport } from './render-report.ts';
import { existingFile, oneOf, reportYear } from './options.ts';
import type { Command } from 'commander';
import pc from 'picocolors';
import stringWidth from 'string-width';
import { dismissAlert } from '../alerts/decide.ts';
import { textMessage } from '../alerts/format.ts';
import { DEFAULT_REGISTRY, LEVELS, loadRegistry } from '../crawl/registry.ts';
import { globalOptions, printJson } from './context.ts';
import { CliError, EXIT, type ExitCode } from './exit.ts';
import { captureSummary } from './captures.ts';
import { allPages as all } from '../archive/export.ts';
import { withStore } from './store.ts';

const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - stringWidth(s)));
const STATUS_COLOR: Record<string, (s: string) => string> = {
  removed: pc.red,
  found: pc.green,
  late: pc.yellow,
  missing: pc.red,
  unreachable: pc.magenta,
  pending: pc.dim,
  unknown: pc.dim,
};

export function registerStatus(program: Command, run: (code: ExitCode) => void): void {
  program
    .command('status')
    .description('bodies × status for a year / 各单位年报状态')
    .option('--year <year>', 'report year', reportYear)
    .option('--level <level>', `only ${LEVELS.join(' | ')}`, oneOf(LEVELS))
    .option('--registry <file>', 'registry YAML (names and levels)', existingFile, DEFAULT_REGISTRY)
    .action(async (flags: { year?: number; level?: string; registry: string }, cmd: Command) => {
      const { json, home } = globalOptions(cmd);
      const bodies = new Map(loadRegistry(flags.registry).bodies.map((b) => [b.id, b]));
      await withStore(
        home,
        async ({ state }) => {
          const states = (await state.states(flags.year)).filter((s) => !flags.level || bodies.get(s.bodyId)?.level === flags.level);
          if (json) {
            printJson(
              states.map((s) => ({
                body: s.bodyId,
                name: bodies.get(s.bodyId)?.name ?? null,
                level: bodies.get(s.bodyId)?.level ?? null,
                year: s.year,
                status: s.removedAt ? 'removed' : s.status,
                deadline: s.deadline,
                first_seen: s.firstSeenAt ?? null,
                page_date: s.pageDate ?? null,
                report_url: s.reportUrl ?? null,
                last_crawl: s.lastCrawlAt ?? null,
                consecutive_failures: s.consecutiveFailures,
                read_with_gaps: s.unreadCells ?? 0,
                unreadable: s.unreadable ?? null,
                removed: s.removedAt ?? null,
              })),
            );
          } else {
            process.stdout.write(
              pc.dim(
                `year  ${pad('status', 11)} ${pad('body / 单位', 30)} ${pad('level', 10)} ${pad('published', 10)}  ${pad('last crawl', 16)}  report or reason\n`,
              ),
            );
            for (const s of states.sort((a, b) => a.status.localeCompare(b.status) || a.bodyId.localeCompare(b.bodyId))) {
              const b = bodies.get(s.bodyId);
              // A report removed after publication is not shown as found.
              const status = s.removedAt ? 'removed' : s.status;
              const lastFailure = s.failures?.at(-1);
              const reason =
                s.status === 'unreachable' || (s.consecutiveFailures > 0 && lastFailure)
                  ? pc.magenta(
                      `${lastFailure?.outcome ?? 'failing'}${s.consecutiveFailures ? ` ×${s.consecutiveFailures}` : ''}${lastFailure?.url ? ` ${lastFailure.url}` : ''}`,
                    )
                  : s.status === 'missing'
                    ? pc.red(`not in the column (${s.missedAt.length} crawls) / 栏目中未见`)
                    : pc.dim(s.reportUrl ?? '');
              const gaps = s.unreadable
                ? pc.red(` (unreadable: ${s.unreadable})`)
                : s.unreadCells
                  ? pc.yellow(` (read with gaps: ${s.unreadCells} figures / 数据未能完整读取)`)
                  : '';
              const crawled = s.lastCrawlAt ? s.lastCrawlAt.slice(0, 16).replace('T', ' ') : '';
              process.stdout.write(
                `${s.year}  ${(STATUS_COLOR[status] ?? String)(pad(status, 11))} ${pad(b?.name ?? s.bodyId, 30)} ${pad(b?.level ?? '', 10)} ${pad(s.pageDate ?? '', 10)}  ${pad(crawled, 16)}  ${reason}${gaps}\n`,
              );
            }
            const counts = new Map<string, number>();
            for (const s of states) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
            process.stdout.write(`${states.length} body-years: ${[...counts].map(([k, n]) => `${k} ${n}`).join(' · ')}\n`);
          }
          run(states.length ? EXIT.ok : EXIT.nothingFound);
        },
        { readonly: true },
      );
    });

  const alerts = program.command('alerts').description('alerts raised / 预警').option('--open', 'only open alerts');
  alerts.action(async (flags: { open?: boolean }, cmd: Command) => {
    const { json, home } = globalOptions(cmd);
    await withStore(
      home,
      async ({ state }) => {
        const list = await state.alerts(flags.open ? 'open' : undefined);
        if (json)
          printJson(
            list.map((a) => ({
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
            })),
          );
        else if (list.length === 0) process.stdout.write(`no ${flags.open ? 'open ' : ''}alerts / 无预警\n`);
        else for (const a of list) process.stdout.write(`${pc.bold(`[${a.state}]`)} ${textMessage(a, a.state === 'resolved' ? 'resolved' : 'opened')}\n\n`);
        // None is an answer, not a failure.
        run(EXIT.ok);
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

  program
    .command('report')
    .description("a body's report for a year: figures, findings, sources, captures / 查看某单位某年报告")
    .argument('<body>', 'body id')
    .argument('<year>', 'report year', reportYear)
    .action(async (body: string, year: number, _: unknown, cmd: Command) => {
      const { json, home } = globalOptions(cmd);
      await withStore(
        home,
        async ({ archive, store, state }) => {
          const sources = await store.reports(body, year);
          const s = await state.getState(body, year);
          const current = sources.at(-1);
          const rows = current ? await store.rows(body, year, current.sha256) : [];
          const captures = await all((cursor) => store.byBody(body, year, { cursor }));
          if (!s && sources.length === 0) throw new CliError(`${body} ${year}: nothing stored / 没有记录`, EXIT.nothingFound);
          if (json) printJson({ body, year, status: s?.status ?? null, state: s, sources, rows, captures: captures.map(captureSummary) });
          else {
            const out: string[] = [];
            const status = s?.removedAt ? `removed ${s.removedAt.slice(0, 10)} / 已撤下` : (s?.status ?? '?');
            out.push(
              `${pc.bold(`${current?.title ?? body} (${year})`)}  status: ${status}${s?.pageDate ? `  发布 ${s.pageDate}` : ''}${s?.firstSeenAt ? `  first seen ${s.firstSeenAt.slice(0, 10)}` : ''}`,
            );
            for (const src of sources) out.push(`source ${src.sha256.slice(0, 16)}  ${src.url}  parsed ${src.parsedAt}  parser ${src.parserVersion}`);
            // The current source read again with this parser: the tables with their Chinese labels in template order.
            const bytes = current ? await archive.get(current.sha256) : null;
            const parsed = bytes ? await parseReport(bytes, { name: current!.url, year }).catch(() => null) : null;
            if (parsed) out.push('', renderReport(parsed, current!.url));
            else for (const f of (current?.findings ?? []) as { rule: string; message: string }[]) out.push(`  ${f.rule}: ${f.message}`);
            for (const c of s?.changes ?? []) {
              out.push(pc.yellow(`changed ${c.at.slice(0, 10)} (${c.fromSha256.slice(0, 12)} → ${c.toSha256.slice(0, 12)}) / 发布后被修改`));
              for (const f of c.figures) out.push(`  ${f.cell}: ${f.old ?? '·'} → ${f.new ?? '·'}`);
              for (const a of c.added.slice(0, 5)) out.push(pc.green(`  + ${a}`));
              for (const r of c.removed.slice(0, 5)) out.push(pc.red(`  − ${r}`));
            }
            out.push(`${captures.length} captures (nianbao captures ${body} --year ${year})`);
            process.stdout.write(`${out.join('\n')}\n`);
          }
          run(EXIT.ok);
        },
        { readonly: true },
      );
    });
}
