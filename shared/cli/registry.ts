/**
 * `nianbao registry check [FILE]` — validates the registry: a bad entry is reported by line and skipped; an entry
 * that loads but looks wrong (a single-year sub-column, a body listed twice) is a warning. Exit 1 for either.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { findColumn } from '../crawl/find-column.ts';
import { HttpFetcher } from '../crawl/fetcher.ts';
import { intIn } from './options.ts';
import { DEFAULT_REGISTRY, parseRegistry } from '../crawl/registry.ts';
import { globalOptions, printJson } from './context.ts';
import { CliError, EXIT, type ExitCode } from './exit.ts';

export function registerRegistry(program: Command, run: (code: ExitCode) => void): void {
  const registry = program.command('registry').description('the registry of bodies we watch / 监测对象名录');
  registry
    .command('check')
    .description('validate a registry file; bad entries are reported by line and skipped')
    .argument('[file]', 'registry YAML', DEFAULT_REGISTRY)
    .action((file: string, _: unknown, cmd: Command) => {
      const { json } = globalOptions(cmd);
      if (!existsSync(file)) throw new CliError(`${file}: no such file / 文件不存在`);
      const r = parseRegistry(readFileSync(file, 'utf8'));
      if (r.bodies.length === 0 && r.problems.length > 0 && r.problems.every((p) => !p.id)) {
        throw new CliError(`${file}:${r.problems[0]!.line}: ${r.problems[0]!.message}`);
      }
      const warnings = r.warnings ?? [];
      if (json) {
        printJson({ file, bodies: r.bodies.length, with_lists: r.bodies.filter((b) => b.lists.length).length, problems: r.problems, warnings });
      } else {
        for (const p of r.problems) process.stdout.write(`${file}:${p.line}: ${p.id ? `${p.id}: ` : ''}${p.message}\n`);
        for (const w of warnings) process.stdout.write(`${file}:${w.line}: ${w.id ? `${w.id}: ` : ''}warning: ${w.message}\n`);
        const counts = new Map<string, number>();
        for (const b of r.bodies) counts.set(b.level, (counts.get(b.level) ?? 0) + 1);
        const levels = [...counts].map(([l, n]) => `${l} ${n}`);
        process.stdout.write(
          `${r.bodies.length} bodies valid (${levels.join(', ')}; ${r.bodies.filter((b) => b.lists.length === 0).length} without a list URL), ${r.problems.length} skipped, ${warnings.length} warnings\n`,
        );
      }
      run(r.problems.length > 0 || warnings.length > 0 ? EXIT.failed : EXIT.ok);
    });

  registry
    .command('find')
    .description("find a body's annual-report column from its portal (home page or 政府信息公开 page) and print a registry entry / 查找年报栏目")
    .argument('<url>', "the portal's home page, or its 政府信息公开 page")
    .option('--delay <ms>', 'minimum delay between two requests to the host', intIn(0, 600_000), 1000)
    .action(async (url: string, flags: { delay: number }, cmd: Command) => {
      const { json } = globalOptions(cmd);
      if (!/^https?:\/\//.test(url)) throw new CliError(`${url}: not an http(s) URL`);
      const fetcher = new HttpFetcher({ minDelayMs: flags.delay });
      try {
        const r = await findColumn(url, { fetcher });
        if (json) printJson(r);
        else if (r.column === null) {
          process.stderr.write(`no annual-report column found from ${url} / 未找到年报栏目:\n`);
          for (const t of r.tried) process.stderr.write(`  ${t.url}: ${t.outcome}\n`);
        } else {
          process.stderr.write(`found ${r.column} (${r.reports.length} reports, via ${[...r.path, r.column].join(' → ')}):\n`);
          // A ready entry for registry/portals.yaml (under `bodies:`).
          process.stdout.write(stringify([r.entry], { lineWidth: 0 }).replace(/^/gm, '  '));
        }
        run(r.column === null ? EXIT.nothingFound : EXIT.ok);
      } finally {
        await fetcher.close();
      }
    });
}
