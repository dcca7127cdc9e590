/**
 * Choosing among the possible splits of run-together rows of table 三 with the table's own identities
 * (docs/format.md §7 T3-BAL and T3-RES per column): a combination is used only if it is the only one that
 * satisfies every identity that can be checked.
 */
import { TABLE3_COLUMNS, TABLE3_ROW_BY_KEY, type Table3RowKey } from './format.ts';
import { n0 } from './split.ts';

export type Values = (number | null)[];

/** Every identity of table 三 that involves only rows present in `rows` holds. */
export function table3IdentitiesHold(rows: Map<Table3RowKey, Values>): boolean {
  const leaves = [...rows.keys()].filter((k) => TABLE3_ROW_BY_KEY.get(k)?.result);
  const handled = rows.get('total_handled');
  for (let c = 0; c < TABLE3_COLUMNS.length; c++) {
    if (handled) {
      const sum = leaves.reduce((s, k) => s + n0(rows.get(k)![c]), 0);
      if (leaves.length > 0 && sum !== n0(handled[c])) return false;
      const received = rows.get('received');
      const carried = rows.get('carried_over');
      const forward = rows.get('carried_forward');
      if (received && carried && forward && n0(received[c]) + n0(carried[c]) !== n0(handled[c]) + n0(forward[c])) {
        return false;
      }
    }
  }
  return true;
}

export interface Resolution {
  chosen: Map<Table3RowKey, Values>;
  /** Rows still ambiguous, with the candidates that remained. */
  open: Map<Table3RowKey, Values[]>;
}

/**
 * `fixed` rows are known; each `open` row has several candidate splits. Returns the rows whose value is
 * the same in every combination that satisfies the identities (all of them, when exactly one does).
 */
export function resolveTable3(fixed: Map<Table3RowKey, Values>, open: Map<Table3RowKey, Values[]>, maxCombos = 20_000): Resolution {
  const keys = [...open.keys()];
  const total = keys.reduce((n, k) => n * open.get(k)!.length, 1);
  if (keys.length === 0 || total > maxCombos) return { chosen: new Map(), open };
  const survivors: Values[][] = [];
  const pick: Values[] = [];
  const walk = (i: number): void => {
    if (i === keys.length) {
      const rows = new Map(fixed);
      keys.forEach((k, j) => rows.set(k, pick[j]!));
      if (table3IdentitiesHold(rows)) survivors.push([...pick]);
      return;
    }
    for (const cand of open.get(keys[i]!)!) {
      pick.push(cand);
      walk(i + 1);
      pick.pop();
    }
  };
  walk(0);
  const chosen = new Map<Table3RowKey, Values>();
  const stillOpen = new Map<Table3RowKey, Values[]>();
  keys.forEach((k, j) => {
    const distinct = new Map(survivors.map((s) => [JSON.stringify(s[j]), s[j]!]));
    if (distinct.size === 1) chosen.set(k, [...distinct.values()][0]!);
    else stillOpen.set(k, distinct.size > 0 ? [...distinct.values()] : open.get(k)!);
  });
  return { chosen, open: stillOpen };
}
