/**
 * ASSESSMENT-RESULTS: 条例 第五十条（四） asks every government's report (人民政府, township ones too) for its 工作考核、
 * 社会评议和责任追究结果情况. Real reports: 平潭 2022 states all three; 平潭 2023 its 考核 and 问责, no 评议; 淮安 2024 none.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseReport } from '../../shared/check.ts';
import { randomModel } from '../../shared/demo/generate.ts';
import { render } from '../../shared/demo/render.ts';
import { runBodyRules } from '../../shared/rules/index.ts';
import { FIXTURES } from '../helpers/fixtures.ts';

const read = (f: string) => parseReport(readFileSync(join(FIXTURES, f)), { name: f });

describe('ASSESSMENT-RESULTS', () => {
  it('names what a government report leaves out, in real reports', async () => {
    expect(runBodyRules(await read('07-pingtan-2022.txt'), { level: 'government' })).toEqual([]);
    expect(runBodyRules(await read('08-pingtan-2023.txt'), { level: 'government' })).toMatchObject([
      { rule: 'ASSESSMENT-RESULTS', severity: 'warning', zh: '未说明社会评议结果情况', actual: 'assessment accountability' },
    ]);
    expect(runBodyRules(await read('02-huaian-szf-2024.txt'), { level: 'township' })).toMatchObject([{ zh: '未说明工作考核、社会评议、责任追究结果情况' }]);
  });

  it('asks departments nothing, nor reports under the 2007 条例', async () => {
    expect(runBodyRules(await read('02-huaian-szf-2024.txt'), { level: 'department' })).toEqual([]);
    expect(runBodyRules(await read('03-pingtan-2018-legacy.txt'), { level: 'government' })).toEqual([]);
  });

  it("the demo's reports state all three", async () => {
    const m = { ...randomModel(4), year: 2024 };
    expect(runBodyRules(await parseReport(render(m, 'html'), { year: 2024 }), { level: 'government' })).toEqual([]);
  });
});
