/**
 * Random but internally consistent reports (every identity of docs/format.md §7 holds), for round-trip tests:
 * rendered in several layouts, they must parse back to the same figures.
 */
import { TABLE3_APPLICANT_COLUMNS, TABLE3_COLUMNS, TABLE4_GROUPS, TABLE4_KEYS, table2Rows, table3Rows, type Table3RowKey } from '../report/format.ts';
import type { Table2, Table3, Table4 } from '../report/model.ts';

/** Deterministic PRNG (mulberry32) so a failing case can be reproduced from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Model {
  year: number;
  format: '2021' | '2019';
  table2: Table2;
  table3: Table3;
  table4: Table4;
}

/** A count: mostly 0, sometimes small, now and then large (as in real reports). */
function countOf(r: () => number, scale: number): number {
  const x = r();
  if (x < 0.55) return 0;
  if (x < 0.9) return Math.floor(r() * 10 * scale);
  return Math.floor(r() * 400 * scale);
}

/**
 * A random, internally consistent report. `magnitude` multiplies the counts (×10 … ×1000 for the city and
 * province reports whose tables hold thousands: 13612 new applications, 11398889 licensing decisions).
 */
export function randomModel(seed: number, format: '2021' | '2019' = '2021', magnitude = 1): Model {
  const r = rng(seed);
  const count = (rand: () => number, scale: number) => countOf(rand, scale * magnitude);
  const rows = table3Rows(format);
  const values = new Map<Table3RowKey, number[]>();
  const leaves = rows.filter((d) => d.result);
  for (const d of leaves)
    values.set(
      d.key,
      TABLE3_APPLICANT_COLUMNS.map((_, c) => count(r, c === 0 ? 1 : 0.2)),
    );
  const handled = TABLE3_APPLICANT_COLUMNS.map((_, c) => leaves.reduce((s, d) => s + values.get(d.key)![c]!, 0));
  const carriedOver = TABLE3_APPLICANT_COLUMNS.map((_, c) => (r() < 0.7 ? 0 : Math.floor(r() * Math.max(1, handled[c]!))));
  const forward = TABLE3_APPLICANT_COLUMNS.map(() => (r() < 0.6 ? 0 : Math.floor(r() * 20)));
  values.set('total_handled', handled);
  values.set('carried_over', carriedOver);
  values.set('carried_forward', forward);
  // 一 + 二 = 三(七) + 四 (the template's own rule), so 一 = 三(七) + 四 − 二 ≥ 0 by construction.
  values.set(
    'received',
    TABLE3_APPLICANT_COLUMNS.map((_, c) => handled[c]! + forward[c]! - carriedOver[c]!),
  );
  const table3: Table3 = { columns: [...TABLE3_COLUMNS], rows: {} };
  for (const d of rows) {
    const v = values.get(d.key)!;
    table3.rows[d.key] = [...v, v.reduce((a, b) => a + b, 0)];
  }
  const table4 = {} as Table4;
  for (const g of TABLE4_GROUPS) {
    const parts = ['upheld', 'corrected', 'other', 'pending'].map(() => count(r, 0.3));
    parts.forEach((p, i) => (table4[`${g}_${['upheld', 'corrected', 'other', 'pending'][i]}` as keyof Table4] = p));
    table4[`${g}_total`] = parts.reduce((a, b) => a + b, 0);
  }
  const table2: Table2 = {};
  for (const def of table2Rows(format)) {
    const vals = def.columns.map((c) =>
      def.decimal?.includes(c.key) ? Math.round(r() * 1e6) / 100 : def.signed?.includes(c.key) ? Math.floor(r() * 40) - 20 : count(r, 3),
    );
    table2[def.key] = format === '2021' && def.columns.length === 1 ? vals[0]! : Object.fromEntries(def.columns.map((c, i) => [c.key, vals[i]!]));
  }
  return { year: format === '2021' ? 2021 + Math.floor(r() * 5) : 2019 + Math.floor(r() * 2), format, table2, table3, table4 };
}

/** Every cell name of the model's tables 三 and 四 (for mutation tests). */
export function cellNames(m: Model): string[] {
  return [...Object.keys(m.table3.rows).flatMap((k) => TABLE3_COLUMNS.map((c) => `table3.${k}.${c}`)), ...TABLE4_KEYS.map((k) => `table4.${k}`)];
}
