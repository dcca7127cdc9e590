/** Reading the real-report fixtures and their hand-read `*.expected.json` in the public keys. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TABLE3_ROWS, TABLE4_KEYS, table2Rows, type Table3RowKey } from '../../shared/report/format.ts';
import { compact } from '../../shared/report/normalize.ts';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
export const fixture = (name: string) => readFileSync(join(FIXTURES, name));

// biome-ignore lint/suspicious/noExplicitAny: expected.json files are free-form; each test reads the keys it checks.
type Json = Record<string, any>;

export interface Expected {
  raw: Json;
  year: number;
  table2: Record<string, unknown>;
  table2Format: '2021' | '2019';
  table3: Map<Table3RowKey, (number | null)[]>;
  table3Format: '2021' | '2019';
  table4: Record<string, number | null>;
}

/** The table 三 row of an expected label ("三(三)1.属于国家秘密"), found by the template's own row cores. */
function rowKey(label: string, format: '2021' | '2019'): Table3RowKey {
  const l = compact(label);
  const candidates = TABLE3_ROWS.filter((d) => d.formats.includes(format)).filter((d) => d.core.split('|').some((c) => l.includes(compact(c))));
  // "三(六)3.其他" contains only the bare core: prefer the row whose leaf number matches.
  const exact = candidates.filter((d) => !d.number || l.includes(`${d.number}.`));
  const def = (exact.length ? exact : candidates).at(-1);
  if (!def) throw new Error(`no template row for expected label ${label}`);
  return def.key;
}

export function loadExpected(name: string): Expected {
  const raw = JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as Json;
  const rows = Object.entries(raw.table3.rows as Record<string, (number | null)[]>);
  const table3Format = rows.length === 23 ? '2019' : '2021';
  const table3 = new Map(rows.map(([label, v]) => [rowKey(label, table3Format), v]));
  const t2 = raw.table2 as Json;
  const table2Format = t2.format as '2021' | '2019';
  const table2: Record<string, unknown> = {};
  const flat: Json =
    table2Format === '2019'
      ? Object.assign(
          {},
          ...Object.entries(t2)
            .filter(([k]) => k !== 'format')
            .map(([, v]) => v),
        )
      : t2;
  for (const def of table2Rows(table2Format)) {
    const label = Object.keys(flat).find((k) => k !== 'format' && compact(k).includes(compact(def.label).replace(/^行政(?=规范性)/, '')));
    if (!label) continue;
    const v = flat[label];
    if (typeof v !== 'object' || v === null) {
      table2[def.key] = v;
      continue;
    }
    table2[def.key] = Object.fromEntries(
      def.columns.map((c) => {
        const raw = v[Object.keys(v).find((k) => compact(k).includes(c.word))!];
        return [c.key, typeof raw === 'string' ? Number(raw.replace(/[^\d.]/g, '')) : raw];
      }),
    );
  }
  const table4 = Object.fromEntries(TABLE4_KEYS.map((k, i) => [k, (raw.table4 as (number | null)[])[i] ?? null]));
  return { raw, year: raw.year, table2, table2Format, table3, table3Format, table4 };
}
