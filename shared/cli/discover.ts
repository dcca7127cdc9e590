/**
 * `nianbao discover URL|BODY_ID [--render auto|static|browser] [--json]` — finds a body's annual reports:
 * the reports (year, title, URL, attachments, 发布时间, how fetched) and every fetch with its outcome.
 */
import { existingFile, httpUrl, intIn, oneOf, reportYearList } from './options.ts';
import type { Command } from 'commander';
import pc from 'picocolors';
import { displayWidth } from './width.ts';
import { BrowserRenderer } from '../crawl/browser.ts';
import { discover } from '../crawl/discover.ts';
import { HttpFetcher } from '../crawl/fetcher.ts';
import { loadRegistry, DEFAULT_REGISTRY, RENDER_MODES, type Body, type RenderMode } from '../crawl/registry.ts';
import { globalOptions, printJson } from './context.ts';
import { CliError, EXIT, type ExitCode } from './exit.ts';

interface DiscoverFlags {
  render?: RenderMode;
  registry: string;
  delay: string;
  timeout: string;
  maxPages: string;
  proxy?: string;
  years?: number[];
}

const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - displayWidth(s)));

function target(arg: string, registryFile: string): Body {
  if (/^https?:\/\//.test(arg)) return { id: 'url', name: arg, level: 'other', lists: [arg] };
  const { bodies } = loadRegistry(registryFile);
  const body = bodies.find((b) => b.id === arg);
  if (!body) throw new CliError(`${arg}: not a URL and not a body id in ${registryFile} / 名录中没有该对象`);
  if (body.lists.length === 0) throw new CliError(`${arg}: the registry has no list URL for ${body.name} yet (status unknown) / 尚无栏目地址`);
  return body;
}

export function registerDiscover(program: Command, run: (code: ExitCode) => void): void {
  program
    .command('discover')
    .description("find a body's annual reports on its portal / 在门户网站上查找年度报告")
    .argument('<target>', 'list (column) URL, or a body id of the registry')
    .option('--render <mode>', `how to fetch pages: ${RENDER_MODES.join(' | ')} (default: the registry's, else auto)`, oneOf(RENDER_MODES))
    .option('--registry <file>', 'registry YAML', existingFile, DEFAULT_REGISTRY)
    .option('--delay <ms>', 'minimum delay between two requests to one host', intIn(0, 600_000), 2000)
    .option('--timeout <ms>', 'per request', intIn(1000, 600_000), 30_000)
    .option('--max-pages <n>', 'list pages to read per column', intIn(1, 1000), 10)
    .option('--years <list>', 'years to probe on Hanweb xxgk viewers, e.g. 2024,2023', reportYearList)
    .option('--proxy <url>', 'HTTP(S) egress proxy (env NIANBAO_PROXY)', httpUrl)
    .action(async (arg: string, flags: DiscoverFlags, cmd: Command) => {
      const { json } = globalOptions(cmd);
      const body = target(arg, flags.registry);
      const proxy = flags.proxy ?? process.env.NIANBAO_PROXY;
      const fetcher = new HttpFetcher({ minDelayMs: Number(flags.delay), timeoutMs: Number(flags.timeout), proxy });
      const mode = flags.render ?? body.render ?? 'auto';
      const renderer = mode === 'static' ? undefined : new BrowserRenderer({ timeoutMs: Number(flags.timeout), proxy });
      try {
        const d = await discover({ ...body, render: mode }, { fetcher, renderer, maxPages: Number(flags.maxPages), years: flags.years });
        const reports = d.reports.map(({ year, title, url, attachments, published, via }) => ({ year, title, url, attachments, published, via }));
        if (json) {
          printJson({
            body: body.id === 'url' ? null : { id: body.id, name: body.name },
            status: d.status,
            failure: d.failure ?? null,
            complete: d.complete,
            reports,
            fetches: d.fetches,
            skipped: d.skipped,
          });
        } else {
          const out = [pc.bold(`${body.name} — ${reports.length} reports found (${d.status})`)];
          if (d.failure) out.push(pc.red(`  the column could not be read / 栏目无法读取: ${d.failure.url} — ${d.failure.reason}`));
          else if (!d.complete) out.push(pc.yellow('  some list pages could not be read: a report may be on them / 部分列表页无法读取'));
          for (const r of reports) {
            out.push(`  ${r.year}  ${pad(r.published ?? '?', 10)}  ${pad(r.title, 44)}  ${r.via}  ${pc.dim(r.url)}`);
            for (const a of r.attachments) out.push(pc.dim(`          ${a.type.toUpperCase()}  ${a.url}`));
          }
          const counts = new Map<string, number>();
          for (const f of d.fetches) counts.set(`${f.outcome} (${f.via})`, (counts.get(`${f.outcome} (${f.via})`) ?? 0) + 1);
          out.push('', `fetches: ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')}`);
          for (const s of d.skipped) out.push(pc.yellow(`  skipped ${s.url}: ${s.reason}`));
          process.stdout.write(`${out.join('\n')}\n`);
        }
        run(d.status === 'unreachable' ? EXIT.failed : reports.length === 0 ? EXIT.nothingFound : EXIT.ok);
      } finally {
        await renderer?.close();
        await fetcher.close();
      }
    });
}
