/** Report variants seen on real portals (docs/format.md, docs/portals.md): each read right or reported, never guessed. */
import { describe, expect, it } from 'vitest';
import { UnreadableInputError } from '../../shared/report/errors.ts';
import { parseHtml } from '../../shared/report/html.ts';
import { parseReportBytes, parseReportText } from '../../shared/check.ts';
import { randomModel } from '../../shared/demo/generate.ts';
import { render } from '../../shared/demo/render.ts';

const m = randomModel(4242, '2021');
const rules = (r: { findings: { rule: string }[] }) => [...new Set(r.findings.map((f) => f.rule))].sort();

describe('HTML variants', () => {
  it('a table 三 without its 总计 column: totals unread (not 0, not blank), no arithmetic rule fires on them', () => {
    const r = parseReportBytes(render(m, 'html', { omitTotal: true }));
    expect(r.table3!.rows.received!.slice(0, 6)).toEqual(m.table3.rows.received!.slice(0, 6));
    expect(r.table3!.rows.received![6]).toBeNull();
    expect(r.unreadable).toContain('table3.received.total');
    expect(rules(r)).toEqual(['CELL-UNREAD']);
    const unread = r.findings[0]!.cells!;
    expect(unread.length).toBe(Object.keys(r.table3!.rows).length);
    expect(unread.every((c) => c.endsWith('.total'))).toBe(true);
    expect(r.unread.find((u) => u.cell === 'table3.received.total')!.reason).toMatch(/no cell of the table under this column/);
  });

  it('inline styles holding ">" and quotes do not disturb cells; text that mentions style= is kept', () => {
    const page = Buffer.from(render(m, 'word')).toString();
    const styled = page
      .replace(/<td\b/g, `<td data-x='a>b' style="mso-border-alt:solid windowtext .5pt;content:'>'"`)
      .replace('<p><strong>二、', '<p>示例 style="color:red" 原样保留</p><p><strong>二、');
    const r = parseReportBytes(Buffer.from(styled));
    expect(r.table3!.rows).toEqual(m.table3.rows);
    expect(r.table4).toEqual(m.table4);
    expect(parseHtml(styled).text).toContain('示例 style="color:red" 原样保留');
  });

  it.each([
    ['class', 'TRS_Editor'],
    ['class', 'TRS_UEDITOR'],
    ['id', 'zoom'],
    ['id', 'UCAP-CONTENT'],
    ['id', 'barrierfree_container'],
    ['id', 'xxgk_content'],
    ['id', 'article-content'],
    ['id', 'art_con'],
    ['id', 'content_body'],
    ['class', 'main wzcon'],
    ['class', 'pages_content'],
    ['class', 'news_content'],
    ['class', 'detail-content'],
    ['class', 'article_content'],
  ])('the article container <div %s="%s"> is found (page chrome with text of its own around it is left out)', (attr, value) => {
    const chrome = `<div class="nav">${'首页 政务公开 信息公开年报 访问量：123456 次 '.repeat(20)}</div>`;
    const article = `<div ${attr}="${value}"><p>${'本机关2024年度政府信息公开工作年度报告正文。'.repeat(20)}</p></div>`;
    const { text } = parseHtml(`<html><body><div class="MsoNormal">${chrome}${article}${chrome}</div></body></html>`);
    expect(text).toContain('年度报告正文');
    expect(text).not.toContain('访问量');
  });

  it('an extra caption row above the header', () => {
    const r = parseReportBytes(render(m, 'html', { extraHeader: true }));
    expect(r.table3!.rows).toEqual(m.table3.rows);
  });

  it('zeros printed as "/" are blank (null), reported as BLANK-CELL, and count as 0 in the arithmetic', () => {
    const r = parseReportBytes(render(m, 'html', { zeroAs: '/' }));
    const zeros = Object.values(m.table3.rows)
      .flat()
      .filter((v) => v === 0).length;
    expect(r.blank.filter((c) => c.startsWith('table3.'))).toHaveLength(zeros);
    expect(rules(r)).toEqual(['BLANK-CELL']);
  });

  it('"无" and "—" placeholders in one-cell-per-line text', () => {
    for (const zeroAs of ['无', '—']) {
      const r = parseReportBytes(render(m, 'lines', { zeroAs }));
      expect(r.table3!.rows.received!.map((v, i) => v ?? (m.table3.rows.received![i] === 0 ? 0 : NaN))).toEqual(m.table3.rows.received);
      expect(rules(r)).toEqual(['BLANK-CELL']);
    }
  });

  it('a missing table raises TABLE-MISSING for it alone (no cascade)', () => {
    const html = Buffer.from(render(m, 'html'))
      .toString()
      .replace(/<p><strong>四、[\s\S]*?<\/table>/, '<p><strong>四、政府信息公开行政复议、行政诉讼情况</strong></p><p>本年度无。</p>');
    const r = parseReportText(html);
    expect(r.table4).toBeNull();
    expect(rules(r)).toEqual(['TABLE-MISSING']);
    expect(r.findings[0]!.cells).toEqual(['table4']);
  });

  it('all three tables in one <table> element', () => {
    let html = Buffer.from(render(m, 'html')).toString();
    html = html.replace(
      /<\/table>\s*<p><strong>三、收到和处理政府信息公开申请情况<\/strong><\/p>\s*<table border="1">/,
      '<tr><td colspan="10">三、收到和处理政府信息公开申请情况</td></tr>',
    );
    html = html.replace(
      /<\/table>\s*<p><strong>四、政府信息公开行政复议、行政诉讼情况<\/strong><\/p>\s*<table border="1">/,
      '<tr><td colspan="15">四、政府信息公开行政复议、行政诉讼情况</td></tr>',
    );
    expect(html.match(/<table/g)).toHaveLength(1);
    const r = parseReportText(html);
    expect([r.table2, r.table3!.rows, r.table4]).toEqual([m.table2, m.table3.rows, m.table4]);
  });

  it('column headers with a unit in brackets ("自然人（人）", "总计（件）")', () => {
    const html = Buffer.from(render(m, 'html'))
      .toString()
      .replace('<td rowspan="2">自然人</td>', '<td rowspan="2">自然人<br/>（人）</td>')
      .replace('<td rowspan="2">总计</td>', '<td rowspan="2">总计（件）</td>');
    expect(parseReportText(html).table3!.rows).toEqual(m.table3.rows);
  });

  it('"规范性文件" for "行政规范性文件" in the 2021 table 二', () => {
    const html = Buffer.from(render(m, 'html')).toString().replace('<td>行政规范性文件</td>', '<td>规范性文件</td>');
    expect(parseReportText(html).table2).toEqual(m.table2);
  });

  it('tables published as images: image_only and IMAGE-ONLY, nothing else', () => {
    const html = Buffer.from(render(m, 'html'))
      .toString()
      .replace(/<table[\s\S]*?<\/table>/g, '<p><img src="/u/cms/table.jpg" width="600"></p>');
    const r = parseReportText(html);
    expect(r.image_only).toBe(true);
    expect(rules(r)).toEqual(['IMAGE-ONLY']);
  });

  it('negative and fractional counts raise NEGATIVE', () => {
    const html = Buffer.from(render(m, 'html')).toString().replace(`<td>${m.table4.review_total}</td>`, '<td>-3</td>');
    const r = parseReportText(html);
    expect(r.findings.find((f) => f.rule === 'NEGATIVE')).toMatchObject({ cells: ['table4.review_total'], actual: -3 });
  });
});

describe('inputs that are not a readable report', () => {
  it('a PDF or an empty file is refused with the file name and the problem', () => {
    expect(() => parseReportBytes(Buffer.from('%PDF-1.7\n...'), { name: 'report.html' })).toThrow(/report\.html: unsupported input type: PDF/);
    expect(() => parseReportBytes(Buffer.alloc(0), { name: 'empty.txt' })).toThrow(UnreadableInputError);
  });

  it('a pre-2019 free-form report is legacy: tables null, FORMAT-LEGACY only', () => {
    const text =
      '平潭综合实验区2015年度政府信息公开工作年度报告\n一、概述\n2015年，我区认真贯彻落实《中华人民共和国政府信息公开条例》。\n二、主动公开政府信息情况\n全年主动公开政府信息2645条。\n三、依申请公开情况\n受理依申请公开信息总数12件。\n政府信息公开情况统计表：主动公开文件数 2645，历年累计 12000。';
    const r = parseReportText(text);
    expect(r.format).toBe('legacy');
    expect([r.table2, r.table3, r.table4]).toEqual([null, null, null]);
    expect(rules(r)).toEqual(['FORMAT-LEGACY']);
  });

  it('a page with no report at all: format unknown, every table missing', () => {
    const r = parseReportText('<html><body><p>网站维护中，请稍候访问。</p></body></html>');
    expect(r.format).toBe('unknown');
    expect(rules(r)).toEqual(['SECTIONS', 'TABLE-MISSING']);
  });
});

describe('signed cells of the 2019 template', () => {
  it('本年增/减 keeps its minus sign when cells run together ("35-15" is 35 and −15); NEGATIVE does not fire on it', () => {
    const m = randomModel(2019, '2019');
    const text = Buffer.from(render(m, 'lines')).toString();
    // The 行政许可 row of table 二 as a converter prints it: previous items, change and decisions run together.
    const row = /行政许可\n+[^\n]+\n+[^\n]+\n+[^\n]+/.exec(text)!;
    const patched = text.replace(row[0], '行政许可\n35-15\n120');
    const r = parseReportText(patched, { type: 'text' });
    expect(r.table2!.licensing).toEqual({ previous_items: 35, change: -15, decisions: 120 });
    expect(r.findings.filter((f) => f.rule === 'NEGATIVE')).toEqual([]);
  });
});

describe('Markdown and converter layouts seen in the wild', () => {
  const m = randomModel(4242, '2021');
  const t3 = m.table3.rows;
  const pipe = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  const t4 = m.table4;
  const group = (g: string) => ['upheld', 'corrected', 'other', 'pending', 'total'].map((o) => t4[`${g}_${o}` as keyof typeof t4]);
  const base = Buffer.from(render(m, 'pipes')).toString();

  it('table 四 as three headed blocks, headers with digits (数据1…), rows ending in an empty cell', () => {
    const blocks = ['行政复议', '未经复议直接起诉', '复议后起诉']
      .map(
        (label, i) =>
          `${label}\n${pipe(['类别', '数据1', '数据2', '数据3', '数据4', '总计'])}\n|---|---|---|---|---|---|\n${pipe(['件数', ...group(['review', 'suit_direct', 'suit_after_review'][i]!).map((v) => v ?? '')])}`,
      )
      .join('\n');
    const text = base.replace(/四、政府信息公开行政复议、行政诉讼情况[\s\S]*?(?=五、)/, `四、政府信息公开行政复议、行政诉讼情况\n${blocks}\n`);
    const r = parseReportText(text, { type: 'text' });
    expect(r.table4).toEqual(m.table4);
    expect(r.unread).toEqual([]);
  });

  it('table 三 rows with a trailing empty cell and a header row of 数据1…数据6', () => {
    const lines = base.split('\n').map((l) => (/^\| [一二三四(（]|^\| \d\./.test(l) && /\d \|$/.test(l) ? `${l}  |` : l));
    const header = `${pipe(['类别', '数据1', '数据2', '数据3', '数据4', '数据5', '数据6', '总计'])}\n|---|---|---|---|---|---|---|---|\n`;
    const text = lines.join('\n').replace('| 一、本年新收', `${header}| 一、本年新收`);
    expect(text).toContain('| 类别 | 数据1 |');
    expect(text).toMatch(/\| 一、本年新收[^\n]*\| {2}\|\n/);
    const r = parseReportText(text, { type: 'text' });
    expect(r.table3!.rows).toEqual(t3);
    expect(r.unread).toEqual([]);
  });
});
