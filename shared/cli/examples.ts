/**
 * `nianbao examples` — offline: parses the real reports bundled in shared/demo/reports/ and shows what
 * nianbao finds in each.
 */
import { projectFile } from '../paths.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { displayWidth } from './width.ts';
import { parseReport } from '../check.ts';
import { toPublicJson } from '../report/public.ts';
import { globalOptions, printJson } from './context.ts';
import { EXIT, type ExitCode } from './exit.ts';

export const DEMO_REPORTS = projectFile('shared', 'demo', 'reports');

const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - displayWidth(s)));

export function registerExamples(program: Command, run: (code: ExitCode) => void): void {
  program
    .command('examples')
    .description('check the real reports bundled with nianbao (offline) / 检查内置的真实年报')
    .action(async (_: unknown, cmd: Command) => {
      const { json } = globalOptions(cmd);
      const files = readdirSync(DEMO_REPORTS)
        .filter((f) => /\.(html?|txt|pdf|docx?|wps)$/.test(f))
        .sort();
      const results = await Promise.all(files.map(async (f) => ({ file: f, report: await parseReport(readFileSync(join(DEMO_REPORTS, f)), { name: f }) })));
      if (json) {
        printJson(results.map(({ file, report }) => ({ file, ...toPublicJson(report) })));
        run(EXIT.ok);
        return;
      }
      const out = [pc.bold('nianbao examples — 政府信息公开工作年度报告 checks on real reports'), ''];
      for (const { file, report } of results) {
        const count = (s: string) => report.findings.filter((f) => f.severity === s).length;
        out.push(
          `${pc.bold(pad(report.title ?? file, 44))} ${report.year ?? '?'}  ${report.format} format  ` +
            `${pc.red(`${count('error')} errors`)}  ${pc.yellow(`${count('warning')} warnings`)}  ${report.inferred.length ? `${report.inferred.length} cells inferred` : ''}`,
        );
        for (const f of report.findings.filter((x) => x.severity !== 'info').slice(0, 4)) out.push(pc.dim(`    ${f.rule}: ${f.message}`));
      }
      out.push('', `Run ${pc.bold('npm run nianbao -- parse <file>')} for the full tables of one report.`);
      process.stdout.write(`${out.join('\n')}\n`);
      run(EXIT.ok);
    });
}
