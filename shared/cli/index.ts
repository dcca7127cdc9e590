/**
 * The `nianbao` command. Global options (DESIGN.md §2): --home DIR (env NIANBAO_HOME, default .nianbao/),
 * --json (only JSON on stdout). Exit codes: 0 done, 1 done with failures to see, 2 bad usage or
 * unreadable input, 3 nothing found. Each command lives in its own file and registers itself here.
 */
import { Command, CommanderError } from 'commander';
import { PARSER_VERSION } from '../report/format.ts';
import { registerCheck } from './check.ts';
import { registerDemo } from './demo.ts';
import { registerDiscover } from './discover.ts';
import { registerRegistry } from './registry.ts';
import { CliError, EXIT, type ExitCode } from './exit.ts';
import { registerParse } from './parse.ts';

export function buildProgram(setExit: (code: ExitCode) => void): Command {
  const program = new Command('nianbao')
    .description('watchdog for 政府信息公开工作年度报告 (government information-disclosure annual reports)')
    .version(PARSER_VERSION)
    .option('--home <dir>', 'local store directory (env NIANBAO_HOME; default .nianbao/)')
    .option('--json', 'print only JSON on stdout (logs go to stderr)')
    .showHelpAfterError()
    .exitOverride();
  registerParse(program, setExit);
  registerCheck(program, setExit);
  registerDemo(program, setExit);
  registerDiscover(program, setExit);
  registerRegistry(program, setExit);
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
