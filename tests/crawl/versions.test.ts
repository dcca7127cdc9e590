import { describe, expect, it } from 'vitest';
import { chooseReport, firstPublished, isCorrection, reportName } from '../../shared/crawl/versions.ts';

const item = (url: string, title: string, published: string | null = null) => ({ url, title, published });
const NAME = '某某区2024年政府信息公开工作年度报告';

describe('versions of a year’s report', () => {
  it.each([
    [`${NAME}（更正版）`, true],
    [`【修订】${NAME}`, true],
    [`${NAME}修正稿`, true],
    [`${NAME}（重新发布）`, true],
    [`${NAME}（全文）`, false],
    [NAME, false],
  ])('%s is a corrected edition: %s', (title, yes) => expect(isCorrection(title)).toBe(yes));

  it('names a report without its edition, its brackets and its file extension', () => {
    for (const t of [`${NAME}（更正版）`, `【修订】${NAME}`, `${NAME}.pdf`, `${NAME}（全文）`, ` ${NAME} `]) expect(reportName(t)).toBe(NAME);
    expect(reportName('某某县2024年政府信息公开工作年度报告')).not.toBe(NAME);
  });

  it('chooses the latest corrected edition, else the item followed before, else the first', () => {
    const a = item('https://x.gov.cn/a.html', NAME, '2025-01-20');
    const b = item('https://x.gov.cn/b.html', NAME, '2025-02-01');
    const fix1 = item('https://x.gov.cn/c.html', `${NAME}（更正版）`, '2025-04-01');
    const fix2 = item('https://x.gov.cn/d.html', `${NAME}（修订版）`, '2025-05-01');
    expect(chooseReport([a, b])[0]).toBe(a);
    expect(chooseReport([a, b], b.url)).toEqual([b, a]);
    expect(chooseReport([a, fix1, b], b.url)[0]).toBe(fix1);
    expect(chooseReport([a, fix1, fix2])).toEqual([fix2, a, fix1]);
    expect(chooseReport([])).toEqual([]);
  });

  it("dates the report by its earliest version: the chosen item's, a same-named item's, an earlier one's", () => {
    const fix = item('https://x.gov.cn/c.html', `${NAME}（更正版）`, '2025-04-01');
    const original = item('https://x.gov.cn/a.html', NAME, '2025-01-20');
    const other = item('https://x.gov.cn/o.html', '某某区2024年政务公开年度报告', '2025-01-02');
    expect(firstPublished(fix, [original, other])).toBe('2025-01-20');
    expect(firstPublished(fix, [other])).toBe('2025-04-01');
    expect(firstPublished(fix, [], ['2025-01-15', undefined])).toBe('2025-01-15');
    expect(firstPublished(item('u', NAME), [])).toBeNull();
  });
});
