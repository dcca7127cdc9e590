/** `nianbao get SHA256|CAPTURE_ID [-o FILE]` — the exact archived bytes. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { SHA256 } from '../store/hash.ts';
import { globalOptions } from './context.ts';
import { CliError, EXIT, type ExitCode } from './exit.ts';
import { withStore } from './store.ts';

export function registerGet(program: Command, run: (code: ExitCode) => void): void {
  program
    .command('get')
    .description('write the archived bytes of a blob or a capture / 取出存档的原始字节')
    .argument('<id>', 'sha256 of the bytes, or a capture id')
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .action(async (id: string, flags: { output?: string }, cmd: Command) => {
      const { home } = globalOptions(cmd);
      await withStore(home, async ({ archive, store }) => {
        let sha = id.toLowerCase();
        if (!SHA256.test(sha)) {
          const c = await store.get(id);
          if (!c) throw new CliError(`${id}: no such capture or sha256 / 没有该存档`, EXIT.nothingFound);
          if (!c.sha256) throw new CliError(`${id}: the capture has no body (${c.outcome}) / 该次抓取没有内容`, EXIT.nothingFound);
          sha = c.sha256;
        }
        const bytes = await archive.get(sha);
        if (!bytes) throw new CliError(`${sha}: not in the archive / 存档中没有`, EXIT.nothingFound);
        if (flags.output) writeFileSync(flags.output, bytes);
        else process.stdout.write(bytes);
        run(EXIT.ok);
      });
    });
}
