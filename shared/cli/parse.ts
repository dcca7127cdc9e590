/** `nianbao parse FILE [--json] [--year N] [--content-type T]` — read one report, print figures and findings. */
import { reportYear } from './options.ts';
import type { Command } from 'commander';
import { UnreadableInputError } from '../report/errors.ts';
import { parseReport } from '../check.ts';
import { hasTables, toPublicJson } from '../report/public.ts';
import type { ParsedReport } from '../report/model.ts';
import { globalOptions, printJson } from './context.ts';
import { CliError, EXIT, type ExitCode } from './exit.ts';
import { readInput } from './read-input.ts';
import { renderReport } from './render-report.ts';

export interface ParseFlags {
  year?: number | undefined;
  contentType?: string | undefined;
}

/** Reads and parses FILE (HTML, text, PDF, DOCX, DOC/WPS, OFD); unreadable input becomes a CliError (exit 2) naming the file. */
export async function parseFile(file: string, flags: ParseFlags): Promise<ParsedReport> {
  const bytes = readInput(file);
  try {
    return await parseReport(bytes, { name: file === '-' ? 'stdin' : file, contentType: flags.contentType, year: flags.year });
  } catch (e) {
    if (e instanceof UnreadableInputError) throw new CliError(e.message);
    throw e;
  }
}

export function registerParse(program: Command, run: (code: ExitCode) => void): void {
  program
    .command('parse')
    .description('read one annual report (HTML, text, PDF, DOCX, DOC/WPS, OFD) and check it / 解析一份年度报告并检查')
    .argument('<file>', 'report file, recognised by content; "-" reads standard input')
    .option('--year <year>', 'report year, if the page does not say it', reportYear)
    .option('--content-type <type>', 'HTTP Content-Type of the file, e.g. "text/html; charset=gbk"')
    .action(async (file: string, flags: ParseFlags, cmd: Command) => {
      const { json } = globalOptions(cmd);
      const report = await parseFile(file, flags);
      if (json) printJson(toPublicJson(report));
      else process.stdout.write(`${renderReport(report, file)}\n`);
      if (!hasTables(report)) {
        if (!json) process.stderr.write(`${file}: no report tables found / 未找到统计表\n`);
        run(EXIT.nothingFound);
        return;
      }
      // A report read with gaps is not a clean report: the user must see it (docs/architecture.md §2, exit 1).
      if (report.unread.length) {
        if (!json)
          process.stderr.write(`${file}: ${report.unread.length} figures could not be read (marked ?) / ${report.unread.length}个数字未能读取（标记为?）\n`);
        run(EXIT.failed);
        return;
      }
      run(EXIT.ok);
    });
}
