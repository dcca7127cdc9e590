/**
 * The `nianbao` command. Global options (docs/architecture.md §2): --home DIR (env NIANBAO_HOME, default .nianbao/),
 * --json (only JSON on stdout). Exit codes: 0 done, 1 done with failures to see, 2 bad usage or
 * unreadable input, 3 nothing found. Each command lives in its own file and registers itself here.
 */
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.ts';
import { CliError, EXIT, type ExitCode } from './exit.ts';
import { isExpected } from '../errors.ts';

// The SDK's Node 20 notice is not for watchdogs at the terminal (CONTRIBUTING.md).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// `nianbao export … | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

type Register = (program: Command, setExit: (code: ExitCode) => void) => void;

/**
 * The command modules, loaded only when their command runs: `nianbao --version` loads none, `nianbao parse`
 * loads the parser and not the crawler, the store or the AWS SDK. Help and unknown commands load them all.
 */
const MODULES: Record<string, () => Promise<Register>> = {
  parse: () => import('./parse.ts').then((m) => m.registerParse),
  check: () => import('./check.ts').then((m) => m.registerCheck),
  demo: () => import('./demo.ts').then((m) => m.registerDemo),
  examples: () => import('./examples.ts').then((m) => m.registerExamples),
  run: () => import('./run.ts').then((m) => m.registerRun),
  status: () => import('./status.ts').then((m) => m.registerStatus),
  alerts: () => import('./alerts.ts').then((m) => m.registerAlerts),
  report: () => import('./report.ts').then((m) => m.registerReport),
  discover: () => import('./discover.ts').then((m) => m.registerDiscover),
  registry: () => import('./registry.ts').then((m) => m.registerRegistry),
  capture: () => import('./capture.ts').then((m) => m.registerCapture),
  captures: () => import('./captures.ts').then((m) => m.registerCaptures),
  get: () => import('./get.ts').then((m) => m.registerGet),
  'export-warc': () => import('./export-warc.ts').then((m) => m.registerExportWarc),
  export: () => import('./export.ts').then((m) => m.registerExport),
  findings: () => import('./findings.ts').then((m) => m.registerFindings),
  store: () => import('./store-migrate.ts').then((m) => m.registerStore),
  verify: () => import('./verify.ts').then((m) => m.registerVerify),
  site: () => import('./site.ts').then((m) => m.registerSite),
};

/** The module of each command (some modules register several). */
const COMMAND_MODULE: Record<string, string> = {
  ...Object.fromEntries(Object.keys(MODULES).map((k) => [k, k])),
  'export-wacz': 'export-warc',
  serve: 'site',
};

/** The command an argument list names (after the global options), or null for none. */
export function commandOf(argv: string[]): string | null {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--home') i++;
    else if (!a.startsWith('-')) return a;
  }
  return null;
}

export async function buildProgram(setExit: (code: ExitCode) => void, argv?: string[]): Promise<Command> {
  const program = new Command('nianbao')
    .description('watchdog for 政府信息公开工作年度报告 (government information-disclosure annual reports)')
    .version(VERSION)
    .option('--home <dir>', 'local store directory (env NIANBAO_HOME; default .nianbao/)')
    .option('--json', 'print only JSON on stdout (logs go to stderr)')
    .exitOverride();
  const command = argv ? commandOf(argv) : null;
  const versionOnly = argv !== undefined && command === null && argv.some((a) => a === '-V' || a === '--version');
  const modules = versionOnly ? [] : command && COMMAND_MODULE[command] ? [COMMAND_MODULE[command]] : Object.keys(MODULES);
  for (const register of await Promise.all(modules.map((m) => MODULES[m]!()))) register(program, setExit);
  return program;
}

/** Runs the CLI with `argv` (user arguments only) and returns the exit code. */
export async function main(argv: string[]): Promise<ExitCode> {
  let code: ExitCode = EXIT.ok;
  const program = await buildProgram((c) => (code = c), argv);
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
    // An error thrown on purpose says what happens next (errors.ts): one line, never a stack trace.
    if (isExpected(e)) {
      process.stderr.write(`nianbao: ${e.message}\n`);
      return e.next === 'fix_request' || e.next === 'fix_config' ? EXIT.usage : EXIT.failed;
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
