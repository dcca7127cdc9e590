/**
 * Generated tests: random consistent reports rendered in every layout parse back to the same figures;
 * with one cell changed, exactly the rules that cell breaks fire.
 */
import { describe, expect, it } from 'vitest';
import { TABLE4_KEYS } from '../../shared/report/format.ts';
import { parseReportBytes } from '../../shared/check.ts';
import type { ParsedReport } from '../../shared/report/model.ts';
import { randomModel, type Model } from '../../shared/demo/generate.ts';
import { LAYOUTS, render, type Layout } from '../../shared/demo/render.ts';

const SEEDS = Array.from({ length: 12 }, (_, i) => 1000 + i * 7919);

function expectFigures(r: ParsedReport, m: Model, layout: Layout, seed: number): void {
  const tag = `${layout} seed ${seed}`;
  expect(r.year, tag).toBe(m.year);
  expect(r.table_formats, tag).toEqual({ table2: m.format, table3: m.format });
  expect(r.table3?.rows, tag).toEqual(m.table3.rows);
  expect(r.table4, tag).toEqual(m.table4);
  expect(r.table2, tag).toEqual(m.table2);
}

describe.each(LAYOUTS.filter((l) => l !== 'runtogether'))('layout %s', (layout) => {
  it.each(SEEDS)('2021 format, seed %i, parses back exactly with no finding', (seed) => {
    const m = randomModel(seed, '2021');
    const r = parseReportBytes(render(m, layout), { name: `${layout}-${seed}` });
    expectFigures(r, m, layout, seed);
    expect(r.inferred).toEqual([]);
    expect(
      r.findings.filter((f) => f.severity !== 'info'),
      `${layout} ${seed}`,
    ).toEqual([]);
  });

  it.each(SEEDS.slice(0, 4))('2019 format, seed %i, parses back exactly', (seed) => {
    const m = randomModel(seed, '2019');
    const r = parseReportBytes(render(m, layout), { name: `${layout}-${seed}` });
    expectFigures(r, m, layout, seed);
  });
});

describe('cells run together (no separators)', () => {
  it.each(SEEDS)('seed %i: every cell is either right or null with the ambiguity stated — never wrong', (seed) => {
    const m = randomModel(seed, '2021');
    const r = parseReportBytes(render(m, 'runtogether'), { name: `runtogether-${seed}` });
    for (const [key, values] of Object.entries(m.table3.rows)) {
      const got = r.table3!.rows[key as keyof typeof m.table3.rows]!;
      values!.forEach((v, c) => {
        const name = `table3.${key}.${r.table3!.columns[c]}`;
        if (got[c] === null && r.unreadable.includes(name)) return;
        expect(got[c], `${name} seed ${seed}`).toBe(v);
      });
    }
    for (const k of TABLE4_KEYS) if (r.table4![k] !== null || !r.unreadable.includes(`table4.${k}`)) expect(r.table4![k]).toBe(m.table4[k]);
    for (const a of r.ambiguous) expect(a.reason).toBeTruthy();
    // What could not be split is said, cell by cell (CELL-UNREAD); nothing else is an error.
    expect(r.findings.filter((f) => f.severity === 'error' && f.rule !== 'CELL-UNREAD')).toEqual([]);
    const unread = r.findings.filter((f) => f.rule === 'CELL-UNREAD').flatMap((f) => f.cells);
    expect(unread.sort()).toEqual([...r.unreadable].sort());
    for (const u of r.unread) expect(u.reason).toBeTruthy();
  });
});

/**
 * Real magnitudes: cities and provinces report thousands of applications and millions of decisions. Run-together
 * digits at ×10 … ×1000 must come out right or unread — never wrong, never cut short (a search that ran out of
 * budget is not a unique split).
 */
describe('cells run together at real magnitudes', () => {
  const cases = [10, 100, 1000].flatMap((magnitude) => SEEDS.slice(0, 4).map((seed) => [magnitude, seed] as const));
  it.each(cases)('×%i seed %i: every cell right or unread with its reason', (magnitude, seed) => {
    const m = randomModel(seed, '2021', magnitude);
    const r = parseReportBytes(render(m, 'runtogether'), { name: `runtogether-${magnitude}-${seed}` });
    let wrong = 0;
    for (const [key, values] of Object.entries(m.table3.rows)) {
      const got = r.table3!.rows[key as keyof typeof m.table3.rows]!;
      values!.forEach((v, c) => {
        const name = `table3.${key}.${r.table3!.columns[c]}`;
        if (got[c] === null)
          expect(
            r.unread.some((u) => u.cell === name),
            name,
          ).toBe(true);
        else if (got[c] !== v) wrong++;
      });
    }
    for (const k of TABLE4_KEYS) {
      if (r.table4![k] === null) expect(r.unread.some((u) => u.cell === `table4.${k}`)).toBe(true);
      else if (r.table4![k] !== m.table4[k]) wrong++;
    }
    expect(wrong).toBe(0);
  });
});
