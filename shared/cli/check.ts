/**
 * `nianbao check THIS --previous LAST --level L` — a report's own rules, the cross-year rules against last year's, and
 * the rules that need the publisher's level (as the crawl runs them).
 */
import { level, reportYear } from './options.ts';
import type { Level } from '../crawl/registry.ts';
import type { Command } from 'commander';
import { hasTables, toPublicJson } from '../report/public.ts';
import { runBodyRules, runCrossYearRules } from '../rules/index.ts';
import { globalOptions, printJson } from './context.ts';
import { CliError, EXIT, type ExitCode } from './exit.ts';
import { parseFile, type ParseFlags } from './parse.ts';
import { renderReport } from './render-report.ts';

export function registerCheck(program: Command, run: (code: ExitCode) => void): void {
  program
    .command('check')
    .description("check a report, and against last year's report of the same body / 检查报告（含跨年度核对）")
    .argument('<file>', "this year's report")
    .option('--previous <file>', "the same body's report of the year before")
    .option('--year <year>', 'report year of <file>, if the page does not say it', reportYear)
    .option('--content-type <type>', 'HTTP Content-Type of the files')
    .option(
      '--level <level>',
      "the publisher's level, as the registry says it (government, department, township, other): runs the rules that need it (ASSESSMENT-RESULTS)",
      level,
    )
    .action(async (file: string, flags: ParseFlags & { previous?: string; level?: Level }, cmd: Command) => {
      const { json } = globalOptions(cmd);
      const current = await parseFile(file, flags);
      const previous = flags.previous
        ? await parseFile(flags.previous, { contentType: flags.contentType, year: flags.year ? flags.year - 1 : undefined })
        : null;
      if (previous && current.year !== null && previous.year !== null && previous.year !== current.year - 1) {
        throw new CliError(
          `${flags.previous}: is the ${previous.year} report, ${file} is ${current.year} — the cross-year rules compare consecutive years / 跨年度核对需要相邻年度的报告`,
        );
      }
      if (previous) current.findings.push(...runCrossYearRules(current, previous));
      if (flags.level) current.findings.push(...runBodyRules(current, { level: flags.level }));
      if (json) {
        printJson({
          ...toPublicJson(current),
          previous: previous ? { title: previous.title, year: previous.year, format: previous.format } : null,
        });
      } else {
        process.stdout.write(`${renderReport(current, file)}\n`);
        if (previous) process.stdout.write(`\n(compared with ${flags.previous}: ${previous.title ?? '?'}, ${previous.year ?? '?'})\n`);
      }
      run(!hasTables(current) ? EXIT.nothingFound : current.unread.length ? EXIT.failed : EXIT.ok);
    });
}
