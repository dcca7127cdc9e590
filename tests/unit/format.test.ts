import { describe, expect, it } from 'vitest';
import { TABLE3_COLUMNS, TABLE4_KEYS, formatForYear, table2Rows, table3Rows } from '../../shared/report/format.ts';

describe('the statutory template (format.ts)', () => {
  it('has 25 table 三 rows in the 2021 format and 23 in the 2019 format (（六） single row)', () => {
    expect(table3Rows('2021')).toHaveLength(25);
    expect(table3Rows('2019')).toHaveLength(23);
    expect(table3Rows('2021').map((r) => r.key)).toContain('other_other');
    expect(table3Rows('2019').map((r) => r.key)).toContain('other');
    expect(table3Rows('2021').length * TABLE3_COLUMNS.length).toBe(175);
  });

  it('uses the public keys of docs/format.md §11', () => {
    expect(TABLE3_COLUMNS).toEqual(['natural_person', 'commercial', 'research', 'social_welfare', 'legal_service', 'other_org', 'total']);
    expect(TABLE4_KEYS).toHaveLength(15);
    expect(TABLE4_KEYS.slice(0, 5)).toEqual(['review_upheld', 'review_corrected', 'review_other', 'review_pending', 'review_total']);
    expect(TABLE4_KEYS[5]).toBe('suit_direct_upheld');
    expect(TABLE4_KEYS[14]).toBe('suit_after_review_total');
    expect(table2Rows('2021').map((r) => r.key)).toEqual(['regulations', 'normative_documents', 'licensing', 'punishment', 'coercion', 'fees']);
    expect(table2Rows('2019').map((r) => r.key)).toContain('procurement');
  });

  it('knows which format a year should use', () => {
    expect(formatForYear(2024)).toBe('2021');
    expect(formatForYear(2021)).toBe('2021');
    expect(formatForYear(2020)).toBe('2019');
    expect(formatForYear(2019)).toBe('2019');
    expect(formatForYear(2018)).toBe('legacy');
  });

  it('gives every result leaf a group and a distinct core that the earlier labels do not contain', () => {
    const rows = table3Rows('2021');
    rows.forEach((row, i) => {
      for (const earlier of rows.slice(0, i)) {
        if (row.numberRequired) continue;
        for (const core of row.core.split('|')) expect(earlier.label.includes(core), `${row.key} core ${core} in ${earlier.key}`).toBe(false);
      }
    });
  });
});
