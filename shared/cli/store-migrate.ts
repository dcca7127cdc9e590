/** `nianbao store migrate` — converts a home of nianbao before 0.2 (dynalite in `<home>/db/`) to today's SQLite table. */
import type { Command } from 'commander';
import { migrateLegacyHome } from '../store/migrate.ts';
import { globalOptions, printJson } from './context.ts';
import { CliError, EXIT, type ExitCode } from './exit.ts';

export function registerStore(program: Command, run: (code: ExitCode) => void): void {
  const store = program.command('store').description('the local store of --home / 本地存储');
  store
    .command('migrate')
    .description("convert a home of nianbao before 0.2 to today's table (the old folder is kept) / 迁移旧版存储")
    .action(async (_: unknown, cmd: Command) => {
      const { json, home } = globalOptions(cmd);
      let report: Awaited<ReturnType<typeof migrateLegacyHome>>;
      try {
        report = await migrateLegacyHome(home);
      } catch (e) {
        throw new CliError((e as Error).message);
      }
      if (json) printJson(report);
      else {
        process.stdout.write(
          `migrated ${home}: ${report.captures} captures, ${report.reports} sources, ${report.rows} rows, ${report.states} states, ${report.alerts} alerts, ${report.deliveries} deliveries\n`,
        );
        process.stdout.write(`the old table is kept in ${report.keptAt} (delete it when you are satisfied)\n`);
      }
      run(EXIT.ok);
    });
}
