/**
 * `nianbao verify` — the whole home checked: every blob against its sha256, every capture record against the
 * archive, and every stored record against its shape (states, alerts, captures, parsed reports and rows: docs/store.md,
 * "Damaged records" — the one command that finds them all, not only those a listing meets). Exit 0 when all is well,
 * 1 with what is wrong. `--repair` first moves the damaged records aside (sqlite-repair.ts), so the check after it
 * shows what is left.
 */
import type { Command } from 'commander';
import pc from 'picocolors';
import { verifyArchive } from '../archive/verify.ts';
import type { CaptureRecord, ListOptions } from '../store/ports.ts';
import { DamagedLog } from '../store/records.ts';
import type { SqliteStore } from '../store/sqlite-store.ts';
import { globalOptions, printJson } from './context.ts';
import { EXIT, type ExitCode } from './exit.ts';
import { withStore } from './store.ts';

async function* everyCapture(store: SqliteStore, onDamaged: ListOptions['onDamaged']): AsyncIterable<CaptureRecord> {
  let cursor: string | undefined;
  do {
    const page = await store.allCaptures({ cursor, limit: 500, onDamaged });
    yield* page.items;
    cursor = page.next;
  } while (cursor);
}

export function registerVerify(program: Command, run: (code: ExitCode) => void): void {
  program
    .command('verify')
    .description('check every archived blob against its sha256, every capture against the archive, every stored record against its shape / 校验存档')
    .option(
      '--repair',
      'first move every stored record that cannot be read into the table damaged_records (kept, not deleted), so the next run writes it again / 移出损坏记录',
    )
    .action(async (opts: { repair?: boolean }, cmd: Command) => {
      const { home, json } = globalOptions(cmd);
      await withStore(
        home,
        async (local) => {
          const { archive, store, state } = local;
          // Moved before the check, which then shows what is left (a blob's bytes cannot be repaired: they are the evidence).
          const moved = opts.repair ? await local.moveDamaged() : undefined;
          const log = new DamagedLog();
          const r = await verifyArchive(archive, everyCapture(store, log.onDamaged));
          const others = (await state.states(undefined, log)).length + (await state.alerts(undefined, log)).length;
          const parsed = await store.checkParsed(log.onDamaged);
          const damaged = log.messages;
          const ok = r.corrupt.length === 0 && r.missing.length === 0 && damaged.length === 0;
          // Records a repair moved aside stay in the home, kept for a person: said every time, so they are not forgotten.
          const movedAside = await store.movedAside();
          if (json) printJson({ ok, ...r, otherRecords: others + parsed, damaged, movedAside, ...(moved ? { moved } : {}) });
          else {
            if (moved) {
              const n = moved.length;
              process.stdout.write(
                n === 0
                  ? 'no damaged stored record to move / 无损坏记录\n'
                  : `${n} damaged stored record${n === 1 ? '' : 's'} moved into damaged_records; the next run writes ${n === 1 ? 'it' : 'them'} again / 已移出 ${n} 条损坏记录\n`,
              );
              for (const m of moved) process.stdout.write(pc.yellow(`  moved ${m.problem}\n`));
            }
            process.stdout.write(
              `${r.blobs} blobs, ${r.records} capture records, ${others + parsed} other records: ${ok ? pc.green('all verified / 校验通过') : pc.red('problems found / 发现问题')}\n`,
            );
            for (const sha of r.corrupt) process.stdout.write(pc.red(`  damaged blob ${sha}: its bytes no longer match their sha256\n`));
            for (const m of r.missing) process.stdout.write(pc.red(`  capture ${m.capture} points at blob ${m.sha256}, which the archive does not hold\n`));
            for (const m of damaged) process.stdout.write(pc.red(`  ${m}\n`));
            if (damaged.length && !opts.repair) process.stdout.write('  (nianbao verify --repair moves them aside / 可用 --repair 移出)\n');
            if (movedAside > 0)
              process.stdout.write(
                `${movedAside} damaged record${movedAside === 1 ? '' : 's'} moved aside by --repair ${movedAside === 1 ? 'is' : 'are'} kept in the table damaged_records (docs/store.md, "Damaged records") / 已移出的损坏记录\n`,
              );
          }
          run(ok ? EXIT.ok : EXIT.failed);
        },
        { readonly: !opts.repair },
      );
    });
}
