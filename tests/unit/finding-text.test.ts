/**
 * Every finding speaks each language in its own field: alerts and pages take `zh` or `en` as they are, so a swapped
 * or half-translated text would reach watchdogs (the CELL-UNREAD reasons once came out in the wrong language).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseReport } from '../../shared/check.ts';
import { FIXTURES, reportFixtures } from '../golden/outputs.ts';

const HAN = /\p{Script=Han}/u;
/** English text may quote a Chinese unit or table numeral (元, 表二), never a Chinese sentence. */
const CHINESE_RUN = /\p{Script=Han}{4,}/u;

describe('findings carry Chinese and English separately', async () => {
  const reports = await Promise.all(reportFixtures().map(async (f) => ({ f, r: await parseReport(readFileSync(join(FIXTURES, f)), { name: f }) })));
  const all = reports.flatMap(({ f, r }) => r.findings.map((x) => ({ f, ...x })));

  it('the fixtures raise findings of several rules, CELL-UNREAD among them', () => {
    expect(new Set(all.map((x) => x.rule)).size).toBeGreaterThan(3);
    expect(all.some((x) => x.rule === 'CELL-UNREAD')).toBe(true);
  });

  it.each(reports.map(({ f }) => f))('%s', (f) => {
    for (const x of all.filter((a) => a.f === f)) {
      expect(x.zh, `${x.rule} zh`).toMatch(HAN);
      expect(x.en, `${x.rule} en: ${x.en}`).not.toMatch(CHINESE_RUN);
      expect(x.en, `${x.rule} en`).toMatch(/[a-z]{3}/);
      expect(x.message).toBe(`${x.zh} / ${x.en}`);
    }
  });
});
