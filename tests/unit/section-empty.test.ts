/**
 * SECTION-EMPTY: section 五 (存在的主要问题及改进情况) is there but says nothing — 条例 第五十条（四） asks every report
 * for its main problems and how they are improved.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseReportBytes } from '../../shared/check.ts';
import { randomModel } from '../../shared/demo/generate.ts';
import { render } from '../../shared/demo/render.ts';
import { parseReport } from '../../shared/check.ts';
import { FIXTURES } from '../helpers/fixtures.ts';

const PROBLEMS = '政策解读形式不够丰富。下一步将丰富解读形式，提升公开质量。';
const m = { ...randomModel(11), year: 2024 };
const empty = (layout: 'html' | 'lines' | 'word', problems: string) =>
  parseReportBytes(Buffer.from(Buffer.from(render(m, layout)).toString().replace(PROBLEMS, problems)), { year: 2024 }).findings.filter(
    (f) => f.rule === 'SECTION-EMPTY',
  );

describe('SECTION-EMPTY', () => {
  it('a section 五 that reads "无。" (or nothing) is a warning quoting it, in every layout', () => {
    expect(Buffer.from(render(m, 'html')).toString()).toContain(PROBLEMS);
    for (const layout of ['html', 'lines', 'word'] as const) {
      expect(empty(layout, '无。'), layout).toMatchObject([{ severity: 'warning', quote: '无。', actual: 1 }]);
      expect(empty(layout, ''), layout).toMatchObject([{ severity: 'warning', zh: '第五部分仅有“（空）”' }]);
      expect(empty(layout, PROBLEMS), layout).toEqual([]);
    }
  });

  it('says nothing of the real reports, which all state their problems; the blank template is empty', async () => {
    for (const f of ['01-shanghai-szfbgt-2019.html', '02-huaian-szf-2024.txt', '07-pingtan-2022.txt', 'gongnong-2024-annual-report.txt']) {
      const r = await parseReport(readFileSync(join(FIXTURES, f)), { name: f });
      expect(r.sections, f).toContain('problems');
      expect(
        r.findings.filter((x) => x.rule === 'SECTION-EMPTY'),
        f,
      ).toEqual([]);
    }
    const template = await parseReport(readFileSync(join(FIXTURES, 'template-2021-format.docx')), { name: 'template-2021-format.docx' });
    expect(template.findings.filter((x) => x.rule === 'SECTION-EMPTY')).toHaveLength(1);
  });
});
