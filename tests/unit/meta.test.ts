import { describe, expect, it } from 'vitest';
import { pageDate } from '../../shared/report/html.ts';
import { detectPublished, detectTitle, detectYear } from '../../shared/report/meta.ts';
import { findSections } from '../../shared/report/sections.ts';

describe('title, year and 发布时间', () => {
  it('prefers an explicit title and reads its year (年 and 年度)', () => {
    expect(detectTitle('', ['平潭综合实验区2021年度政府信息公开工作年度报告_政府信息公开年报_平潭'])).toBe('平潭综合实验区2021年度政府信息公开工作年度报告');
    expect(detectYear('某局2024年政府信息公开工作年度报告', '')).toBe(2024);
    expect(detectYear('某局2023年度政府信息公开工作年度报告', '')).toBe(2023);
  });

  it("keeps a corrected edition's mark in the title, nothing else that follows the report's name", () => {
    expect(detectTitle('', ['某区2024年政府信息公开工作年度报告（更正版）_年报专栏'])).toBe('某区2024年政府信息公开工作年度报告（更正版）');
    expect(detectTitle('某区2024年政府信息公开工作年度报告修订稿\n一、总体情况')).toBe('某区2024年政府信息公开工作年度报告修订稿');
    expect(detectTitle('', ['某区2024年政府信息公开工作年度报告（全文）'])).toBe('某区2024年政府信息公开工作年度报告');
  });

  it('falls back to the 统计期限 sentence', () => {
    expect(detectYear(null, '本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止。')).toBe(2022);
  });

  it('reads a year written in Chinese numerals, in the title or the text', () => {
    expect(detectYear('某区二〇二三年度政府信息公开工作年度报告', '')).toBe(2023);
    expect(detectYear(null, '本报告所列数据的统计期限自二零二二年一月一日起至十二月三十一日止；二〇二二年政府信息公开工作年度报告')).toBe(2022);
    // Other numerals are left alone: 三十一日 is no year.
    expect(detectYear('某区政府信息公开工作年度报告', '十二月三十一日')).toBeNull();
  });

  it('joins a title broken after the body name', () => {
    expect(detectTitle(' 淮安市人民政府\n 2024   年政府信息公开工作年度报告\n 本报告由')).toBe('淮安市人民政府2024年政府信息公开工作年度报告');
  });

  it('looks for a title in the first 80 lines of the text only', () => {
    const title = '某市人民政府2024年政府信息公开工作年度报告';
    const titleAfter = (n: number) => `${'正文。\n'.repeat(n)}${title}\n${'正文。\n'.repeat(500)}`;
    expect(detectTitle(titleAfter(79))).toBe(title); // the 80th line
    expect(detectTitle(titleAfter(80))).toBeNull(); // the 81st
    expect(detectTitle(`正文\n${title}`)).toBe(title); // a text with fewer lines
  });

  it('reads the page date in its usual shapes', () => {
    expect(detectPublished('标题\n发布时间：2022-02-08 16:34\n')).toBe('2022-02-08');
    expect(detectPublished('发布日期：2020年1月31日')).toBe('2020-01-31');
    expect(detectPublished('工农区人民政府2024年报告\n\n2025-01-26 15:07\n\n正文')).toBe('2025-01-26');
    expect(detectPublished('no date here')).toBeNull();
  });

  it('TRS/ucap pages: <publishtime>, 公开日期/发布日期 in the info table, and 发布 before 成文', () => {
    expect(pageDate('<html><head><publishtime>2025-01-22 10:00:00</publishtime></head><body></body></html>')).toBe('2025-01-22');
    // 洪泽区 (www.hongze.gov.cn): "发布机构 | 政府办 | 公开日期 | 2025-02-14"
    expect(pageDate('<table><tr><td>发布机构</td><td>政府办</td><td>公开日期</td><td>2025-02-14</td></tr></table>')).toBe('2025-02-14');
    // 海州区 (www.lyghz.gov.cn): "成文日期: | 2025-02-18 | 发布日期: | 2025-02-19"
    expect(pageDate('<tr><td>成文日期:</td><td>2025-02-18</td><td>发布日期:</td><td>2025-02-19</td></tr>')).toBe('2025-02-19');
    expect(detectPublished('成文日期：2025-02-18\n发布日期：2025-02-19')).toBe('2025-02-19');
    expect(detectPublished('公开日期\n2025-02-14')).toBe('2025-02-14');
  });
});

describe('findSections', () => {
  it('does not take 四、结转下年度继续办理 for section 四', () => {
    const text =
      '一、总体情况\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n四、结转下年度继续办理\n四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n六、其他需要报告的事项';
    const { hits } = findSections(text);
    expect(hits.map((h) => h.key)).toEqual(['overview', 'proactive', 'applications', 'review_litigation', 'problems', 'other']);
    expect(text.slice(hits[3]!.start).startsWith('四、政府信息公开')).toBe(true);
  });

  it('accepts heading variants of real reports', () => {
    const { hits } = findSections('四、因政府信息公开工作被申请行政复议和提起行政诉讼情况\n五、存在的主要问题和改进措施');
    expect(hits.map((h) => h.key)).toEqual(['review_litigation', 'problems']);
  });

  it('reports a heading that comes out of order (anchored on the headings in template order)', () => {
    const r = findSections('二、主动公开政府信息情况\n一、总体情况\n三、收到和处理政府信息公开申请情况');
    expect(r.hits.map((h) => h.key)).toEqual(['overview', 'applications']);
    expect(r.outOfOrder).toEqual(['proactive']);
  });
});
