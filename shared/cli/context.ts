/** Global options shared by every command (docs/architecture.md §2): --home, --json. */
import { resolve } from 'node:path';
import type { Command } from 'commander';

export interface GlobalOptions {
  /** Local store directory (env NIANBAO_HOME, default .nianbao/ in the working directory). */
  home: string;
  /** Print only JSON on stdout; logs and progress go to stderr. */
  json: boolean;
}

export function globalOptions(cmd: Command): GlobalOptions {
  const o = cmd.optsWithGlobals<{ home?: string; json?: boolean }>();
  return { home: resolve(o.home ?? process.env.NIANBAO_HOME ?? '.nianbao'), json: Boolean(o.json) };
}

/** Writes a JSON document to stdout (the only thing --json prints there). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
