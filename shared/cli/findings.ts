/**
 * `nianbao findings --year Y [--rule R]… [--severity S] [--format csv|jsonl] [-o FILE]` — every body's findings for a
 * year, for the watchdog's yearly review ("whose prose contradicts its tables?", "who says nothing of fees?"): one line
 * per body × finding of the source its report was assessed by (the one whose figures `export` gives), with who, which
 * report, the rule, its severity, both languages, the cells, expected and actual, and the sentence quoted. The
 * warnings raise no alert; until now they were shown one report at a time. A count per rule goes to stderr.
 */
import { csvHead, OutputFile } from './csv.ts';
import { type Command, InvalidArgumentError } from 'commander';
import pc from 'picocolors';
import { FINDINGS_HEADER, type FindingLine, findingCsvLine, findingFilter, yearFindings } from '../archive/findings.ts';
import { loadRegistry } from '../crawl/registry.ts';
import { SEVERITIES, type Severity } from '../report/model.ts';
import { RULE_IDS } from '../rules/index.ts';
import { globalOptions, printJson } from './context.ts';
import { DamagedRecords, reportDamaged } from './damaged.ts';
import type { RemotePage } from './remote.ts';
import { EXIT, type ExitCode } from './exit.ts';
import { existingFile, httpUrl, oneOf, outputFile, reportYear } from './options.ts';
import { homeRegistry, withStore } from './store.ts';
import { displayWidth } from './width.ts';

/** Each rule with the reports that raised it, most first: the stderr summary. */
function summary(byRule: Map<string, { severity: string; reports: Set<string>; findings: number }>, reports: number): string {
  const rows = [...byRule.entries()].sort((a, b) => b[1].reports.size - a[1].reports.size || a[0].localeCompare(b[0]));
  const width = Math.max(4, ...rows.map(([r]) => displayWidth(r)));
  const out = [pc.dim(`${'rule'.padEnd(width)}  severity  reports  findings   (of ${reports} reports read / 份报告)`)];
  for (const [rule, r] of rows)
    out.push(`${rule.padEnd(width)}  ${r.severity.padEnd(8)}  ${String(r.reports.size).padStart(7)}  ${String(r.findings).padStart(8)}`);
  return `${out.join('\n')}\n`;
}

export function registerFindings(program: Command, run: (code: ExitCode) => void): void {
  program
    .command('findings')
    .description("every body's findings for a year, one line per body × finding / 导出全部核查结果")
    .requiredOption('--year <year>', 'report year', reportYear)
    .option('--rule <id...>', `only these rules (${RULE_IDS.join(', ')})`, (v: string, prev: string[] | undefined) => {
      const id = v.trim().toUpperCase();
      if (!(RULE_IDS as readonly string[]).includes(id)) throw new InvalidArgumentError(`expected a rule id (${RULE_IDS.join(', ')})`);
      return [...(prev ?? []), id];
    })
    .option('--severity <severity>', 'this severity and the graver ones (error, warning, info)', oneOf(SEVERITIES))
    .option('--format <format>', 'csv | jsonl', oneOf(['csv', 'jsonl'] as const), 'csv')
    .option('-o, --output <file>', 'write to a file (with --json: stdout says what was written)', outputFile)
    .option('--registry <file>', "registry YAML (names, regions and levels; default: the home's registry.yaml, else the shipped one)", existingFile)
    .option('--api <url>', 'read the deployed archive API (its ArchiveApiUrl; signed with the default AWS credentials) instead of the home', httpUrl)
    .action(
      async (flags: { year: number; rule?: string[]; severity?: string; format: string; output?: string; registry?: string; api?: string }, cmd: Command) => {
        const { home, json } = globalOptions(cmd);
        const write = (batches: AsyncIterable<FindingsBatch>) => writeFindings(batches, flags, json);
        if (flags.api) {
          // Loaded only here: the AWS credential chain is not part of a command that reads a home.
          const { RemoteApi } = await import('./remote.ts');
          const api = new RemoteApi(flags.api);
          const query = { year: String(flags.year), rule: flags.rule?.join(','), severity: flags.severity };
          run(await write(remoteBatches(api.pages('findings', query))));
          return;
        }
        const bodies = new Map(loadRegistry(flags.registry ?? homeRegistry(home)).bodies.map((b) => [b.id, b]));
        const keep = findingFilter({ rules: flags.rule, severity: flags.severity as Severity | undefined });
        await withStore(
          home,
          async ({ store, state }) => {
            const damaged = new DamagedRecords();
            const code = await write(localBatches(yearFindings({ state, reports: store }, flags.year, { keep, bodies, list: damaged })));
            run(damaged.report() ? EXIT.failed : code);
          },
          { readonly: true },
        );
      },
    );
}

/** Some body-years' findings and what could not be listed: one body-year from a home, one page from the API. */
interface FindingsBatch {
  lines: FindingLine[];
  reports: number;
  notRead: string[];
  lost: string[];
  malformed: number;
  /** Damaged records the API named (a home's are named by its DamagedRecords). */
  damaged: string[];
}

async function* localBatches(listing: ReturnType<typeof yearFindings>): AsyncGenerator<FindingsBatch> {
  for await (const b of listing) {
    yield {
      lines: b.lines,
      reports: b.outcome === 'read' ? 1 : 0,
      notRead: b.outcome === 'not-read' ? [b.bodyId] : [],
      lost: b.outcome === 'lost' ? [b.bodyId] : [],
      malformed: b.malformed,
      damaged: [],
    };
  }
}

async function* remoteBatches(pages: AsyncIterable<RemotePage>): AsyncGenerator<FindingsBatch> {
  for await (const p of pages) {
    const page = p as unknown as FindingsBatch & { findings: FindingLine[] };
    yield { lines: page.findings, reports: page.reports, notRead: page.notRead, lost: page.lost, malformed: page.malformed, damaged: page.damaged };
  }
}

/** Writes the lines (CSV, JSONL, or JSON with --json) and says on stderr what was counted and what was not listed. */
async function writeFindings(
  batches: AsyncIterable<FindingsBatch>,
  flags: { year: number; format: string; output?: string },
  json: boolean,
): Promise<ExitCode> {
  const out = flags.output ? new OutputFile(flags.output) : null;
  const mode = json && !flags.output ? 'json' : flags.format;
  const all: FindingLine[] = [];
  let count = 0;
  let reports = 0;
  let malformed = 0;
  const lost: string[] = [];
  const notRead: string[] = [];
  const damaged: string[] = [];
  const byRule = new Map<string, { severity: string; reports: Set<string>; findings: number }>();
  const put = (text: string) => {
    if (out === null) process.stdout.write(text);
    else out.write(text);
  };
  if (mode === 'csv') put(csvHead(FINDINGS_HEADER));
  try {
    for await (const b of batches) {
      reports += b.reports;
      malformed += b.malformed;
      lost.push(...b.lost);
      notRead.push(...b.notRead);
      damaged.push(...b.damaged);
      for (const l of b.lines) {
        const r = byRule.get(String(l.rule)) ?? { severity: String(l.severity), reports: new Set<string>(), findings: 0 };
        r.reports.add(String(l.body));
        r.findings++;
        byRule.set(String(l.rule), r);
        if (mode === 'json') all.push(l);
        else put(mode === 'jsonl' ? `${JSON.stringify(l)}\n` : findingCsvLine(l));
        count++;
      }
    }
  } catch (e) {
    out?.abort();
    throw e;
  }
  out?.done();
  if (mode === 'json') printJson(all);
  if (out !== null) {
    if (json) printJson({ file: flags.output, format: flags.format, findings: count, reports });
    else process.stderr.write(`${flags.output}: ${count} findings\n`);
  }
  if (!json) process.stderr.write(count ? summary(byRule, reports) : `no finding in ${reports} reports of ${flags.year} / 未发现问题\n`);
  // Said, not skipped in silence: a finding stored in a shape we do not know, a current source we could not read.
  if (malformed) process.stderr.write(pc.red(`${malformed} stored findings are not in a shape this version reads, and are not listed\n`));
  if (lost.length) process.stderr.write(pc.red(`${lost.length} body-years' current source could not be read: their findings are not listed\n`));
  if (notRead.length)
    process.stderr.write(
      pc.yellow(
        `${notRead.length} reports found were not read, so have no findings to list (nianbao status says why): ${notRead.slice(0, 10).join(', ')}${notRead.length > 10 ? ' …' : ''}\n`,
      ),
    );
  if (reportDamaged(damaged) || malformed || lost.length) return EXIT.failed;
  return reports === 0 ? EXIT.nothingFound : EXIT.ok;
}
