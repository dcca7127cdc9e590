/**
 * `nianbao capture URL [--body ID --year Y] [--parse]` — an archivist's "save this page": fetch it now with
 * the crawler's fetcher and archive the exact bytes and the capture record; `--parse` also stores the
 * report's figures (one row per table row) when the page is a report.
 */
import { intIn, reportYear } from './options.ts';
import type { Command } from 'commander';
import { systemClock } from '../store/ports.ts';
import { archiveFetch } from '../archive/capture.ts';
import { toStored } from '../archive/report-rows.ts';
import { HttpFetcher } from '../crawl/fetcher.ts';
import { parseReport } from '../check.ts';
import { globalOptions, printJson } from './context.ts';
import { CliError, EXIT, type ExitCode } from './exit.ts';
import { withStore } from './store.ts';

export function registerCapture(program: Command, run: (code: ExitCode) => void): void {
  program
    .command('capture')
    .description('fetch one page now and archive it / 立即抓取并存档一个页面')
    .argument('<url>', 'page URL')
    .option('--body <id>', 'the body it belongs to')
    .option('--year <year>', 'the report year it belongs to', reportYear)
    .option('--parse', 'parse the page as a report and store its figures')
    .option('--delay <ms>', 'minimum delay between requests to the host', intIn(0, 600_000), 0)
    .action(async (url: string, flags: { body?: string; year?: number; parse?: boolean; delay: string }, cmd: Command) => {
      const { json, home } = globalOptions(cmd);
      if (!/^https?:\/\//.test(url)) throw new CliError(`${url}: not an http(s) URL`);
      await withStore(home, async ({ archive, store }) => {
        // Conditional GET: a 304 is a revisit of the archived bytes.
        const fetcher = new HttpFetcher({ minDelayMs: Number(flags.delay), revalidate: { log: store, archive } });
        try {
          const result = await fetcher.fetch({ url });
          const rec = await archiveFetch(result, { archive, log: store }, { bodyId: flags.body, year: flags.year });
          let parsed: { rows: number; findings: number } | null = null;
          if (flags.parse && result.body && rec.sha256) {
            if (!flags.body) throw new CliError('--parse needs --body (whose report it is)');
            const report = await parseReport(result.body, { name: url, contentType: result.contentType ?? undefined, year: flags.year });
            const stored = toStored(report, {
              bodyId: flags.body,
              sha256: rec.sha256,
              url,
              captureId: rec.id,
              year: flags.year,
              parsedAt: new Date(systemClock.now()).toISOString(),
            });
            // Asked for by hand, for this body-year: its figures are the body-year's current ones until the next crawl
            // chooses from all of the report's sources (ReportStore.putParsed).
            await store.putParsed(stored.report, stored.rows, { current: true });
            parsed = { rows: stored.rows.length, findings: report.findings.length };
          }
          if (json) printJson({ ...rec, parsed });
          else {
            const what = rec.revisit
              ? `revisit of ${rec.revisit.id}`
              : rec.changed
                ? `changed (was ${rec.changed.fromSha256.slice(0, 12)}…)`
                : rec.sha256
                  ? 'new'
                  : 'no body';
            process.stdout.write(`${rec.id}  ${rec.time}  ${rec.status ?? '-'} ${rec.outcome}  ${rec.sha256 ?? '-'}  ${rec.size} bytes  ${what}\n`);
            if (parsed) process.stdout.write(`parsed: ${parsed.rows} rows stored, ${parsed.findings} findings\n`);
          }
          run(rec.outcome === 'ok' || rec.outcome === 'not_modified' ? EXIT.ok : EXIT.failed);
        } finally {
          await fetcher.close();
        }
      });
    });
}
