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
import { decodeBytes } from '../report/decode.ts';
import { renderReport } from './render-report.ts';

export interface ParseFlags {
  year?: number | undefined;
  contentType?: string | undefined;
}

/** Reads and parses FILE (HTML, text, PDF, DOCX, DOC/WPS, OFD); unreadable input becomes a CliError (exit 2) naming the file. */
export async function parseFile(file: string, flags: ParseFlags): Promise<ParsedReport> {
  return (await readFile(file, flags)).report;
}

async function readFile(file: string, flags: ParseFlags): Promise<{ bytes: Uint8Array; report: ParsedReport }> {
  const bytes = readInput(file);
  try {
    return { bytes, report: await parseReport(bytes, { name: file === '-' ? 'stdin' : file, contentType: flags.contentType, year: flags.year }) };
  } catch (e) {
    if (e instanceof UnreadableInputError) throw new CliError(e.message);
    throw e;
  }
}

/** Characters of the traditional script whose simplified forms fill every report ("報告", "公開", "申請", "數量"). */
const TRADITIONAL_ONLY = /[報開資機關請數條處統審訴議護]/g;
const THEIR_SIMPLIFIED = /[报开资机关请数条处统审诉议护]/g;

/**
 * Text (a page or a text file) in the traditional script: a page saved from a Big5 gateway (crawl/gateway.ts), whose
 * labels and titles no simplified pattern matches, so its figures read by position if at all. Said, so that gaps or
 * "no tables" are not taken for the report's own.
 */
function traditional(bytes: Uint8Array, report: ParsedReport, contentType: string | undefined): boolean {
  if (report.source.type !== 'html' && report.source.type !== 'text') return false;
  let text: string;
  try {
    text = decodeBytes(bytes, contentType).text;
  } catch {
    return false;
  }
  const trad = text.match(TRADITIONAL_ONLY)?.length ?? 0;
  return trad >= 20 && trad > (text.match(THEIR_SIMPLIFIED)?.length ?? 0);
}

const TRADITIONAL_HINT =
  'the text is in traditional characters (a Big5 gateway copy, …/gate/big5/…?), whose labels are not read: read the page it mirrors / 文本为繁体字（繁体网关页面？），标签无法识别，请读取原网页';

export function registerParse(program: Command, run: (code: ExitCode) => void): void {
  program
    .command('parse')
    .description('read one annual report (HTML, text, PDF, DOCX, DOC/WPS, OFD) and check it / 解析一份年度报告并检查')
    .argument('<file>', 'report file, recognised by content; "-" reads standard input')
    .option('--year <year>', 'report year, if the page does not say it', reportYear)
    .option('--content-type <type>', 'HTTP Content-Type of the file, e.g. "text/html; charset=gbk"')
    .action(async (file: string, flags: ParseFlags, cmd: Command) => {
      const { json } = globalOptions(cmd);
      const { bytes, report } = await readFile(file, flags);
      if (json) printJson(toPublicJson(report));
      else process.stdout.write(`${renderReport(report, file)}\n`);
      // Labels in the traditional script are read by position where they are read at all: gaps or no tables follow.
      if (traditional(bytes, report, flags.contentType)) process.stderr.write(`${file}: ${TRADITIONAL_HINT}\n`);
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
