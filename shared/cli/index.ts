/**
 * The `nianbao` command. Global options (DESIGN.md §2): --home DIR (env NIANBAO_HOME, default .nianbao/),
 * --json (only JSON on stdout). Exit codes: 0 done, 1 done with failures to see, 2 bad usage or
 * unreadable input, 3 nothing found. Each command lives in its own file and registers itself here.
 */
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.ts';
import { registerCheck } from './check.ts';
import { registerCapture } from './capture.ts';
import { registerCaptures } from './captures.ts';
import { registerDemo } from './demo.ts';
import { registerExamples } from './examples.ts';
import { registerRun } from './run.ts';
import { registerStatus } from './status.ts';
import { registerExport } from './export.ts';
import { registerExportWarc } from './export-warc.ts';
import { registerGet } from './get.ts';
import { registerDiscover } from './discover.ts';
import { registerRegistry } from './registry.ts';
import { CliError, EXIT, type ExitCode } from './exit.ts';
import { registerParse } from './parse.ts';
import { registerStore } from './store-migrate.ts';

// The SDK's Node 20 notice is not for watchdogs at the terminal (DESIGN.md §8).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// `nianbao export … | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

export function buildProgram(setExit: (code: ExitCode) => void): Command {
  const program = new Command('nianbao')
    .description('watchdog for 政府信息公开工作年度报告 (government information-disclosure annual reports)')
    .version(VERSION)
    .option('--home <dir>', 'local store directory (env NIANBAO_HOME; default .nianbao/)')
    .option('--json', 'print only JSON on stdout (logs go to stderr)')
    .showHelpAfterError()
    .exitOverride();
  registerParse(program, setExit);
  registerCheck(program, setExit);
  registerDemo(program, setExit);
  registerExamples(program, setExit);
  registerRun(program, setExit);
  registerStatus(program, setExit);
  registerDiscover(program, setExit);
  registerRegistry(program, setExit);
  registerCapture(program, setExit);
  registerCaptures(program, setExit);
  registerGet(program, setExit);
  registerExportWarc(program, setExit);
  registerExport(program, setExit);
  registerStore(program, setExit);
  return program;
}

/** Runs the CLI with `argv` (user arguments only) and returns the exit code. */
export async function main(argv: string[]): Promise<ExitCode> {
  let code: ExitCode = EXIT.ok;
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof CliError) {
      process.stderr.write(`nianbao: ${e.message}\n`);
      return e.exitCode;
    }
    process.stderr.write(`nianbao: internal error: ${(e as Error).stack ?? e}\n`);
    return EXIT.failed;
  }
  return code;
}

const invokedDirectly = process.argv[1] && /(?:shared[\\/]cli[\\/]index\.ts|bin[\\/]nianbao(?:\.js)?)$/.test(process.argv[1]);
if (invokedDirectly || process.env.NIANBAO_CLI === '1') {
  process.exitCode = await main(process.argv.slice(2));
}
