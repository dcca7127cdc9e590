/** `nianbao captures URL|BODY_ID [--year Y] [--json]` — the capture history of a URL or a body. */
import { httpUrl, reportYear } from './options.ts';
import type { Command } from 'commander';
import pc from 'picocolors';
import type { CaptureRecord } from '../store/ports.ts';
import { globalOptions, printJson } from './context.ts';
import { EXIT, type ExitCode } from './exit.ts';
import { allPages as all } from '../archive/export.ts';
import { DamagedRecords, reportDamaged } from './damaged.ts';
import { withStore } from './store.ts';

export const captureSummary = (c: CaptureRecord) => ({
  id: c.id,
  url: c.url,
  time: c.time,
  status: c.status,
  outcome: c.outcome,
  sha256: c.sha256,
  size: c.size,
  via: c.method,
  revisit: c.revisit ? c.revisit.id : null,
  changed: c.changed ? { from: c.changed.fromSha256, to: c.changed.toSha256 } : null,
  body: c.bodyId ?? null,
  year: c.year ?? null,
});

export function registerCaptures(program: Command, run: (code: ExitCode) => void): void {
  program
    .command('captures')
    .description('list the captures of a URL or a body / 列出存档记录')
    .argument('<target>', 'URL, or a body id')
    .option('--year <year>', "the body's report year", reportYear)
    .option('--api <url>', 'list from the deployed archive API (signed with the default AWS credentials) instead of the home', httpUrl)
    .action(async (target: string, flags: { year?: number; api?: string }, cmd: Command) => {
      const { json, home } = globalOptions(cmd);
      const isUrl = /^https?:\/\//.test(target);
      if (flags.api) {
        // Loaded only here: the AWS credential chain is not part of a command that reads a home.
        const { RemoteApi } = await import('./remote.ts');
        const items: CaptureRecord[] = [];
        const damaged: string[] = [];
        const query = isUrl ? { url: target } : { body: target, year: flags.year === undefined ? undefined : String(flags.year) };
        for await (const page of new RemoteApi(flags.api).pages('captures', query)) {
          items.push(...(page.items as CaptureRecord[]));
          damaged.push(...((page.damaged as string[] | undefined) ?? []));
        }
        show(items, json);
        run(reportDamaged(damaged) ? EXIT.failed : items.length === 0 ? EXIT.nothingFound : EXIT.ok);
        return;
      }
      await withStore(
        home,
        async ({ store }) => {
          const damaged = new DamagedRecords();
          const items = isUrl
            ? await all((cursor) => store.byUrl(target, { cursor, onDamaged: damaged.onDamaged }))
            : await all((cursor) => store.byBody(target, flags.year ?? 'all', { cursor, onDamaged: damaged.onDamaged }));
          show(items, json);
          if (damaged.report()) run(EXIT.failed);
          else run(items.length === 0 ? EXIT.nothingFound : EXIT.ok);
        },
        { readonly: true },
      );
    });
}

/** The captures, a line each (the columns' names dim), or their summaries as JSON. */
function show(items: CaptureRecord[], json: boolean): void {
  if (json) printJson(items.map(captureSummary));
  else {
    // The columns' names (dim), then a line a capture; `nianbao get <sha256 prefix>` gives its bytes.
    if (items.length)
      process.stdout.write(
        pc.dim(
          `${'time'.padEnd(24)}  ${'http'.padEnd(3)} ${'outcome'.padEnd(12)} ${'sha256'.padEnd(16)}  ${'bytes'.padStart(8)}  ${'what'.padEnd(7)} id  url\n`,
        ),
      );
    for (const c of items) {
      const what = c.revisit ? 'revisit' : c.changed ? 'changed' : c.sha256 ? 'new' : '';
      process.stdout.write(
        `${c.time}  ${String(c.status ?? '-').padEnd(3)} ${c.outcome.padEnd(12)} ${(c.sha256 ?? '-').slice(0, 16)}  ${String(c.size).padStart(8)}  ${what.padEnd(7)} ${c.id}  ${c.url}\n`,
      );
    }
    process.stdout.write(`${items.length} captures\n`);
  }
}
