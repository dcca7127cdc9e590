/**
 * The stored records a listing for people left out because they do not hold their shape (ListOptions in
 * store/ports.ts). The listing shows everything else; these are then named on stderr, one line each, and the
 * command ends with exit 1: never a shorter list that looks complete.
 */
import pc from 'picocolors';
import { DamagedLog } from '../store/records.ts';

export class DamagedRecords extends DamagedLog {
  /** Names each damaged record on stderr; true when there was any. */
  report(): boolean {
    return reportDamaged(this.messages);
  }
}

/**
 * Names each damaged record on stderr (its message names the record and what is wrong); true when there was any.
 * Also for the records the deployed API named under `damaged` (`--api`).
 */
export function reportDamaged(messages: readonly string[]): boolean {
  const n = messages.length;
  if (n === 0) return false;
  process.stderr.write(
    pc.red(`${n} stored record${n === 1 ? '' : 's'} could not be read and ${n === 1 ? 'is' : 'are'} not shown / ${n} 条存储记录已损坏，未列出:\n`),
  );
  for (const m of messages) process.stderr.write(`  ${m}\n`);
  process.stderr.write('  (nianbao verify --repair moves them aside, kept, so the next run writes them again: docs/store.md, "Damaged records")\n');
  return true;
}
