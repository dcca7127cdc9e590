/**
 * `nianbao status [--year Y] [--level L]` — bodies × status, for watchdogs (--json: one object per body-year).
 * The alerts are `nianbao alerts` (alerts.ts), one report `nianbao report` (report.ts).
 */
import type { Command } from 'commander';
import pc from 'picocolors';
import { displayWidth } from './width.ts';
import { type Body, LEVELS, loadRegistry } from '../crawl/registry.ts';
import type { BodyYearState } from '../store/ports.ts';
import { globalOptions, printJson } from './context.ts';
import { EXIT, type ExitCode } from './exit.ts';
import { existingFile, httpUrl, oneOf, reportYear } from './options.ts';
import { DamagedRecords, reportDamaged } from './damaged.ts';
import { homeRegistry, withStore } from './store.ts';

const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - displayWidth(s)));
const STATUS_COLOR: Record<string, (s: string) => string> = {
  removed: pc.red,
  found: pc.green,
  late: pc.yellow,
  missing: pc.red,
  unreachable: pc.magenta,
  pending: pc.dim,
  unknown: pc.dim,
};

/** A report removed after publication is not shown as found. */
const shownStatus = (s: BodyYearState) => (s.removedAt ? 'removed' : s.status);

/** One body-year as `status --json` prints it. */
function statusJson(s: BodyYearState, b: Body | undefined) {
  return {
    body: s.bodyId,
    name: b?.name ?? null,
    level: b?.level ?? null,
    year: s.year,
    status: shownStatus(s),
    deadline: s.deadline,
    first_seen: s.firstSeenAt ?? null,
    page_date: s.pageDate ?? null,
    report_url: s.reportUrl ?? null,
    last_crawl: s.lastCrawlAt ?? null,
    consecutive_failures: s.consecutiveFailures,
    read_with_gaps: s.unreadCells ?? 0,
    /** The report's findings counted per rule, as last assessed (null: not assessed, or before the count was kept). */
    findings: s.findings ?? null,
    unreadable: s.unreadable ?? null,
    removed: s.removedAt ?? null,
  };
}

/** Why a body with no column in the registry stays `unknown` (said by `status` and by `run`'s summary). */
export const NO_COLUMN = 'no column URL known (registry) / 没有已知的年报栏目';

/** Why a body-year is where it is: the failing column, the crawls that missed it, no column known, or the report's URL. */
function reasonOf(s: BodyYearState, b: Body | undefined): string {
  const lastFailure = s.failures?.at(-1);
  if (s.status === 'unreachable' || (s.consecutiveFailures > 0 && lastFailure))
    return pc.magenta(
      `${lastFailure?.outcome ?? 'failing'}${s.consecutiveFailures ? ` ×${s.consecutiveFailures}` : ''}${lastFailure?.url ? ` ${lastFailure.url}` : ''}`,
    );
  if (s.status === 'missing') return pc.red(`not in the column (${s.missedAt.length} crawls) / 栏目中未见`);
  // The report was there and is gone: when it was found gone, and where it was (its last copy is archived).
  if (s.removedAt) return pc.red(`removed ${s.removedAt.slice(0, 10)} / 发布后撤下: ${s.reportUrl ?? ''}`);
  if (s.status === 'unknown' && b && b.lists.length === 0) return pc.dim(NO_COLUMN);
  return pc.dim(s.reportUrl ?? '');
}

function gapsOf(s: BodyYearState): string {
  if (s.unreadable) return pc.red(` (unreadable: ${s.unreadable})`);
  return s.unreadCells ? pc.yellow(` (read with gaps: ${s.unreadCells} figures / 数据未能完整读取)`) : '';
}

function printStatusTable(states: BodyYearState[], bodies: Map<string, Body>): void {
  process.stdout.write(
    pc.dim(`year  ${pad('status', 11)} ${pad('body / 单位', 30)} ${pad('level', 10)} ${pad('published', 10)}  ${pad('last crawl', 16)}  report or reason\n`),
  );
  const sorted = [...states].sort((a, b) => shownStatus(a).localeCompare(shownStatus(b)) || a.bodyId.localeCompare(b.bodyId));
  for (const s of sorted) {
    const b = bodies.get(s.bodyId);
    const status = shownStatus(s);
    const crawled = s.lastCrawlAt ? s.lastCrawlAt.slice(0, 16).replace('T', ' ') : '';
    process.stdout.write(
      `${s.year}  ${(STATUS_COLOR[status] ?? String)(pad(status, 11))} ${pad(b?.name ?? s.bodyId, 30)} ${pad(b?.level ?? '', 10)} ${pad(s.pageDate ?? '', 10)}  ${pad(crawled, 16)}  ${reasonOf(s, b)}${gapsOf(s)}\n`,
    );
  }
  const counts = new Map<string, number>();
  for (const s of sorted) counts.set(shownStatus(s), (counts.get(shownStatus(s)) ?? 0) + 1); // in the table's order
  process.stdout.write(`${states.length} body-years: ${[...counts].map(([k, n]) => `${k} ${n}`).join(' · ')}\n`);
}

export function registerStatus(program: Command, run: (code: ExitCode) => void): void {
  program
    .command('status')
    .description('bodies × status for a year / 各单位年报状态')
    .option('--year <year>', 'report year', reportYear)
    .option('--level <level>', `only ${LEVELS.join(' | ')}`, oneOf(LEVELS))
    .option('--registry <file>', "registry YAML (names and levels; default: the home's registry.yaml, else the shipped one)", existingFile)
    .option('--api <url>', "the deployed archive API (its states, and its registry's names unless --registry) instead of the home", httpUrl)
    .action(async (flags: { year?: number; level?: string; registry?: string; api?: string }, cmd: Command) => {
      const { json, home } = globalOptions(cmd);
      const show = (all: BodyYearState[], bodies: Map<string, Body>, damaged: boolean) => {
        // By body, then year, from either source (the table sorts by status itself).
        const states = all
          .filter((s) => !flags.level || bodies.get(s.bodyId)?.level === flags.level)
          .sort((a, b) => (a.bodyId < b.bodyId ? -1 : a.bodyId > b.bodyId ? 1 : a.year - b.year));
        if (json) printJson(states.map((s) => statusJson(s, bodies.get(s.bodyId))));
        else printStatusTable(states, bodies);
        run(damaged ? EXIT.failed : states.length ? EXIT.ok : EXIT.nothingFound);
      };
      if (flags.api) {
        // Loaded only here: the AWS credential chain is not part of a command that reads a home.
        const { RemoteApi } = await import('./remote.ts');
        const api = new RemoteApi(flags.api);
        // The names and levels of the deployment's own registry, unless one is given.
        const bodies = flags.registry
          ? new Map(loadRegistry(flags.registry).bodies.map((b) => [b.id, b]))
          : new Map(((await api.get('bodies', {})).bodies as Body[]).map((b) => [b.id, b]));
        const states: BodyYearState[] = [];
        const damaged: string[] = [];
        for await (const page of api.pages('states', { year: flags.year === undefined ? undefined : String(flags.year) })) {
          states.push(...(page.states as BodyYearState[]));
          damaged.push(...(page.damaged as string[]));
        }
        show(states, bodies, reportDamaged(damaged));
        return;
      }
      const bodies = new Map(loadRegistry(flags.registry ?? homeRegistry(home)).bodies.map((b) => [b.id, b]));
      await withStore(
        home,
        async ({ state }) => {
          const damaged = new DamagedRecords();
          const states = await state.states(flags.year, damaged);
          show(states, bodies, damaged.report());
        },
        { readonly: true },
      );
    });
}
