/**
 * Renders a report model the way real portals and documents do (docs/format.md §11 layouts): the template's HTML
 * grid (rowspan/colspan as in template-2021-format.docx), Word-pasted HTML (mso styles, <o:p>, labels broken
 * by <br>, table 三 split over two <table>s), one cell per line, pipe rows, PDF-like text (numbers on their
 * own line after each label, page numbers between rows) and cells run together with no separator.
 */
import iconv from 'iconv-lite';
import { TABLE3_COLUMNS, TABLE4_KEYS, table2Rows, table3Rows, type Table2RowDef, type Table3RowDef } from '../report/format.ts';
import type { Model } from './generate.ts';

export const LAYOUTS = ['html', 'word', 'lines', 'pipes', 'pdf', 'gbk', 'runtogether'] as const;
export type Layout = (typeof LAYOUTS)[number];

const PROSE = {
  intro: '本报告根据《中华人民共和国政府信息公开条例》编制，所列数据的统计期限自1月1日起至12月31日止。',
  overview:
    '本机关坚持以公开为常态、不公开为例外，持续深化政务公开，依法依规办理政府信息公开申请。政务公开工作纳入年度绩效考核，开展社会评议，全年未发生责任追究情况。',
  problems: '政策解读形式不够丰富。下一步将丰富解读形式，提升公开质量。',
  other: '本年度未收取信息处理费。',
};

/** Variations real reports show; each must parse to the same figures (or say what it could not read). */
export interface RenderOptions {
  /** Table 三 without its 总计 column. */
  omitTotal?: boolean;
  /** A caption row above table 三's header ("表三：…"). */
  extraHeader?: boolean;
  /** How a 0 is printed (real reports: "", "/", "—", "无"). */
  zeroAs?: string;
}

let options: RenderOptions = {};
const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '' : v === 0 && options.zeroAs !== undefined ? options.zeroAs : String(v));

function table2Values(m: Model, def: Table2RowDef): (number | null)[] {
  const v = m.table2[def.key];
  return v !== null && typeof v === 'object' ? def.columns.map((c) => v[c.key] ?? null) : [v ?? null];
}

/** Groups of table 二 rows by 第二十条 item. */
function table2Blocks(m: Model): { item: string; rows: Table2RowDef[] }[] {
  const blocks: { item: string; rows: Table2RowDef[] }[] = [];
  for (const def of table2Rows(m.format)) {
    const last = blocks.at(-1);
    if (last?.item === def.item) last.rows.push(def);
    else blocks.push({ item: def.item, rows: [def] });
  }
  return blocks;
}

const leafLabel = (d: Table3RowDef) => (d.number ? `${d.number}.${d.label}` : d.label);

// ----------------------------------------------------------------------------------------------- HTML

interface HtmlStyle {
  td: (content: string, attrs?: string) => string;
  label: (s: string) => string;
}

const plainStyle: HtmlStyle = {
  td: (c, a = '') => `<td${a ? ` ${a}` : ''}>${c}</td>`,
  label: (s) => s,
};

/** Word's "Save as HTML" markup: every cell a MsoNormal paragraph with spans, <o:p>, inline styles. */
const wordStyle: HtmlStyle = {
  td: (c, a = '') =>
    `<td ${a} valign=top style='border:solid windowtext 1.0pt;mso-border-alt:solid windowtext .5pt;padding:0cm 5.4pt 0cm 5.4pt'><p class=MsoNormal align=center style='text-align:center'><span lang=EN-US style='font-size:10.5pt;font-family:仿宋_GB2312;mso-bidi-font-family:"Times New Roman"'><font face="仿宋_GB2312">${c === '' ? '&nbsp;' : c}</font><o:p></o:p></span></p></td>`,
  label: (s) =>
    s
      .replace('商业企业', '商业<br>企业')
      .replace('社会公益组织', '社会<br>公益<br>组织')
      .replace('法律服务机构', '法律服务<br>机构')
      .replace('本年新收政府信息公开申请数量', '本年新收政府信息<span style="mso-spacerun:yes"> </span>公开申请数量'),
};

function htmlTable2(m: Model, s: HtmlStyle): string {
  const out: string[] = ['<table border="1" cellspacing="0">'];
  for (const block of table2Blocks(m)) {
    const cols = block.rows[0]!.columns;
    out.push(`<tr>${s.td(block.item, 'colspan="4"')}</tr>`);
    const span = cols.length === 1 ? 'colspan="3"' : '';
    out.push(`<tr>${s.td('信息内容')}${cols.map((c, i) => s.td(c.label, cols.length === 2 && i === 1 ? 'colspan="2"' : span)).join('')}</tr>`);
    for (const def of block.rows) {
      const vals = table2Values(m, def);
      out.push(`<tr>${s.td(def.label)}${vals.map((v, i) => s.td(fmt(v), cols.length === 2 && i === 1 ? 'colspan="2"' : span)).join('')}</tr>`);
    }
  }
  out.push('</table>');
  return out.join('\n');
}

function htmlTable3(m: Model, s: HtmlStyle, split: boolean): string {
  const rows = table3Rows(m.format);
  const values = (d: Table3RowDef) =>
    (m.table3.rows[d.key] ?? [])
      .slice(0, options.omitTotal ? 6 : 7)
      .map((v) => s.td(fmt(v)))
      .join('');
  const caption = options.extraHeader ? [`<tr>${s.td('表三：收到和处理政府信息公开申请情况', `colspan="${options.omitTotal ? 9 : 10}"`)}</tr>`] : [];
  const head = [
    ...caption,
    `<tr>${s.td('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', 'colspan="3" rowspan="3"')}${s.td('申请人情况', 'colspan="7"')}</tr>`,
    `<tr>${s.td('自然人', 'rowspan="2"')}${s.td('法人或其他组织', 'colspan="5"')}${options.omitTotal ? '' : s.td('总计', 'rowspan="2"')}</tr>`,
    `<tr>${['商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他'].map((l) => s.td(s.label(l))).join('')}</tr>`,
  ];
  const body: string[] = [];
  const resultRows = rows.filter((d) => d.result || d.key === 'total_handled');
  for (const d of rows) {
    if (!resultRows.includes(d)) {
      body.push(`<tr>${s.td(s.label(d.label), 'colspan="3"')}${values(d)}</tr>`);
      continue;
    }
    const first = resultRows[0] === d ? s.td('三、本年度办理结果', `rowspan="${resultRows.length}"`) : '';
    if (!d.number) {
      body.push(`<tr>${first}${s.td(d.label, 'colspan="2"')}${values(d)}</tr>`);
      continue;
    }
    const siblings = rows.filter((x) => x.group === d.group);
    const groupCell = d.number === 1 ? s.td(d.group!, `rowspan="${siblings.length}"`) : '';
    body.push(`<tr>${first}${groupCell}${s.td(leafLabel(d))}${values(d)}</tr>`);
  }
  if (!split) return `<table border="1">\n${head.join('\n')}\n${body.join('\n')}\n</table>`;
  // Split where a page break fell (before （四）无法提供), as when a report is pasted page by page: the
  // continuation repeats no header and lacks the 三、本年度办理结果 cell that spanned the rows above.
  const at = body.findIndex((r) => r.includes('（四）无法提供'));
  const second = body.slice(at);
  return `<table border="1">\n${head.join('\n')}\n${body.slice(0, at).join('\n')}\n</table>\n<p>&nbsp;</p>\n<table border="1">\n${second.join('\n')}\n</table>`;
}

function htmlTable4(m: Model, s: HtmlStyle): string {
  const outcomes = ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'];
  return [
    '<table border="1">',
    `<tr>${s.td('行政复议', 'colspan="5"')}${s.td('行政诉讼', 'colspan="10"')}</tr>`,
    `<tr>${outcomes.map((o) => s.td(o, 'rowspan="2"')).join('')}${s.td('未经复议直接起诉', 'colspan="5"')}${s.td('复议后起诉', 'colspan="5"')}</tr>`,
    `<tr>${[...outcomes, ...outcomes].map((o) => s.td(o)).join('')}</tr>`,
    `<tr>${TABLE4_KEYS.map((k) => s.td(fmt(m.table4[k]))).join('')}</tr>`,
    '</table>',
  ].join('\n');
}

function htmlPage(m: Model, s: HtmlStyle, split: boolean, charset = 'utf-8'): string {
  const title = `某某区人民政府${m.year}年政府信息公开工作年度报告`;
  return `<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=${charset}"><title>${title}_某某区人民政府</title>
<script>var x = "三、收到和处理政府信息公开申请情况 1 2 3";</script></head>
<body><div class="header"><a href="/">首页</a> &gt; 政府信息公开 &gt; 年度报告</div>
<div class="article"><h1>${title}</h1><div class="info">发布时间：${m.year + 1}-01-20 来源：某某区人民政府办公室</div>
<div class="TRS_Editor">
<p>${PROSE.intro}</p>
<p><strong>一、总体情况</strong></p><p>${PROSE.overview}</p>
<p><strong>二、主动公开政府信息情况</strong></p>
${htmlTable2(m, s)}
<p><strong>三、收到和处理政府信息公开申请情况</strong></p>
${htmlTable3(m, s, split)}
<p><strong>四、政府信息公开行政复议、行政诉讼情况</strong></p>
${htmlTable4(m, s)}
<p><strong>五、存在的主要问题及改进情况</strong></p><p>${PROSE.problems}</p>
<p><strong>六、其他需要报告的事项</strong></p><p>${PROSE.other}</p>
</div></div><div class="footer">主办：某某区人民政府办公室 网站标识码 1234567890</div></body></html>`;
}

// ----------------------------------------------------------------------------------------------- text

/** Rows of the text layouts: [label, values]. Table 二 blocks carry their headers as label-only rows. */
function textRows(m: Model): { t2: [string, string[]][]; t3: [string, string[]][]; t4: string[] } {
  const t2: [string, string[]][] = [];
  for (const block of table2Blocks(m)) {
    t2.push([block.item, []], ['信息内容', []]);
    for (const c of block.rows[0]!.columns) t2.push([c.label, []]);
    for (const def of block.rows) t2.push([def.label, table2Values(m, def).map(fmt)]);
  }
  const t3: [string, string[]][] = [];
  let group = '';
  for (const d of table3Rows(m.format)) {
    if (d.group === '三、本年度办理结果' && group === '') {
      group = d.group;
      t3.push([group, []]);
    }
    if (d.number === 1) t3.push([d.group!, []]);
    t3.push([leafLabel(d), (m.table3.rows[d.key] ?? []).map(fmt)]);
  }
  return { t2, t3, t4: TABLE4_KEYS.map((k) => fmt(m.table4[k])) };
}

const T3_HEADER = [
  '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）',
  '申请人情况',
  '自然人',
  '法人或其他组织',
  '总计',
  '商业企业',
  '科研机构',
  '社会公益组织',
  '法律服务机构',
  '其他',
];
const T4_HEADER = [
  '行政复议',
  '行政诉讼',
  '结果维持',
  '结果纠正',
  '其他结果',
  '尚未审结',
  '总计',
  '未经复议直接起诉',
  '复议后起诉',
  ...Array(2).fill(['结果维持', '结果纠正', '其他结果', '尚未审结', '总计']).flat(),
];

function textDocument(m: Model, table: (rows: ReturnType<typeof textRows>) => { t2: string; t3: string; t4: string }, sep = '\n\n'): string {
  const t = table(textRows(m));
  return [
    `某某区人民政府${m.year}年政府信息公开工作年度报告`,
    `${m.year + 1}-01-20 10:00`,
    PROSE.intro,
    '一、总体情况',
    PROSE.overview,
    '二、主动公开政府信息情况',
    t.t2,
    '三、收到和处理政府信息公开申请情况',
    t.t3,
    '四、政府信息公开行政复议、行政诉讼情况',
    t.t4,
    '五、存在的主要问题及改进情况',
    PROSE.problems,
    '六、其他需要报告的事项',
    PROSE.other,
  ].join(sep);
}

const lines = (m: Model) =>
  textDocument(m, (r) => ({
    t2: r.t2.flatMap(([l, v]) => [l, ...v]).join('\n\n'),
    t3: [...T3_HEADER, ...r.t3.flatMap(([l, v]) => [l, ...v])].join('\n\n'),
    t4: [...T4_HEADER, ...r.t4].join('\n\n'),
  }));

const pipes = (m: Model) =>
  textDocument(m, (r) => ({
    t2: r.t2.map(([l, v]) => `| ${[l, ...v].join(' | ')} |`).join('\n'),
    t3: [`| ${T3_HEADER.slice(0, 2).join(' | ')} |`, '|---|---|', ...r.t3.map(([l, v]) => (v.length ? `| ${[l, ...v].join(' | ')} |` : `| ${l} |`))].join('\n'),
    t4: [`| ${T4_HEADER.join(' | ')} |`, `| ${r.t4.join(' | ')} |`].join('\n'),
  }));

/** pdfjs-style text: labels broken over lines, numbers after their label separated by runs of spaces. */
const pdf = (m: Model) => {
  let page = 1;
  const brk = (l: string) => (l.length > 12 ? `${l.slice(0, 12)}\n ${l.slice(12)}` : l);
  return textDocument(
    m,
    (r) => ({
      t2: r.t2.map(([l, v]) => ` ${l}  \n${v.join('   ')}`).join('\n'),
      t3: [
        T3_HEADER.map((h) => ` ${h.split('').join(h.length > 6 ? ' ' : '')}`).join('\n'),
        ...r.t3.map(([l, v], i) => `${i % 9 === 8 ? `\n-   ${++page}   -\n` : ''} ${brk(l)}  \n${v.join('   ')}`),
      ].join('\n'),
      t4: `${T4_HEADER.map((h) => ` ${h}`).join('\n')}\n ${r.t4.join('   ')}`,
    }),
    '\n',
  );
};

/** The text rendering of a TRS page that drops the separators between cells (平潭 page.txt). */
const runTogether = (m: Model) =>
  textDocument(
    m,
    (r) => ({
      t2: r.t2.map(([l, v]) => `${l}${v.join('')}`).join(''),
      t3: `${T3_HEADER.join('')}${r.t3.map(([l, v]) => `${l}${v.join('')}`).join('')}`,
      t4: `${T4_HEADER.join('')}${r.t4.join('')}`,
    }),
    '',
  );

/** The bytes of `m` rendered in `layout`. */
export function render(m: Model, layout: Layout, opts: RenderOptions = {}): Uint8Array {
  options = opts;
  switch (layout) {
    case 'html':
      return Buffer.from(htmlPage(m, plainStyle, false));
    case 'word':
      return Buffer.from(htmlPage(m, wordStyle, true));
    case 'gbk':
      return iconv.encode(htmlPage(m, plainStyle, false, 'gbk'), 'gbk');
    case 'lines':
      return Buffer.from(lines(m));
    case 'pipes':
      return Buffer.from(pipes(m));
    case 'pdf':
      return Buffer.from(pdf(m));
    case 'runtogether':
      return Buffer.from(runTogether(m));
  }
}

/** The same page as `render(m, 'html')` with a given charset label, for decode tests. */
export function htmlWithCharset(m: Model, charset: string): string {
  return htmlPage(m, plainStyle, false, charset);
}

export { TABLE3_COLUMNS };
