/**
 * Writes the HTML of the derived fixture `hongze-2023-layout` (tests/fixtures/derived/make.sh prints it to PDF): the
 * figures and the table layout of 洪泽区人民政府2023年政府信息公开工作年度报告 (published on www.hongze.gov.cn; its
 * official PDF has the misprinted row label "2.其他法律行政止公开", the 2019 single （六） row in a 2023 report, and
 * table 四's totals printed as 0), printed so that what broke readers of the real PDF happens: table 三 runs over a
 * page break with a row's label split across it, table 四's header ends one page and its figures start the next,
 * Chromium's running header and footer (date, title with its year, file URL, "2/4") sit between them, and labels are
 * written with Kangxi radicals as PDF fonts map them (⼀ ⼆ ⾏).
 */
import { writeFileSync } from 'node:fs';

const tds = (v: number[]) => v.map((x) => `<td class="n">${x}</td>`).join('');
const z = [0, 0, 0, 0, 0, 0, 0];
const leaves = (group: string, rows: [string, number[]][]) =>
  rows.map(([label, v], i) => `<tr>${i === 0 ? `<td rowspan="${rows.length}">${group}</td>` : ''}<td>${label}</td>${tds(v)}</tr>`).join('\n');

const table3 = `<table>
<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td colspan="7">申请人情况</td></tr>
<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>
<tr><td colspan="3">⼀、本年新收政府信息公开申请数量</td>${tds([21, 0, 0, 0, 0, 0, 21])}</tr>
<tr><td colspan="3">⼆、上年结转政府信息公开申请数量</td>${tds(z)}</tr>
<tr><td rowspan="22" class="v">三、本年度办理结果</td><td colspan="2">(一)予以公开</td>${tds(z)}</tr>
<tr><td colspan="2">(二)部分公开（区分处理的，只计这一情</td>${tds([4, 0, 0, 0, 0, 0, 4])}</tr>
<tr class="cont"><td colspan="2">形，不计其他情形）</td><td colspan="7"></td></tr>
${leaves('(三)不予公开', [
  ['1.属于国家秘密', [1, 0, 0, 0, 0, 0, 1]],
  ['2.其他法律行政止公开', z],
  ['3.危及“三安全一稳定”', z],
  ['4.保护第三方合法权益', z],
  ['5.属于三类内部事务信息', z],
  ['6.属于四类过程性信息', [1, 0, 0, 0, 0, 0, 1]],
  ['7.属于行政执法案卷', [1, 0, 0, 0, 0, 0, 1]],
  ['8.属于行政查询事项', z],
])}
${leaves('(四)无法提供', [
  ['1.本机关不掌握相关政府信息', [10, 0, 0, 0, 0, 0, 10]],
  ['2.没有现成信息需要另行制作', [3, 0, 0, 0, 0, 0, 3]],
  ['3.补正后申请内容仍不明确', z],
])}
${leaves('(五)不予处理', [
  ['1.信访举报投诉类申请', [1, 0, 0, 0, 0, 0, 1]],
  ['2.重复申请', z],
  ['3.要求提供公开出版物', z],
  ['4.无正当理由大量反复申请', z],
  ['5.要求行政机关确认或重新出具已获取信息', z],
])}
<tr><td colspan="2">(六)其他处理</td>${tds(z)}</tr>
<tr><td colspan="2">(七)总计</td>${tds([21, 0, 0, 0, 0, 0, 21])}</tr>
<tr><td colspan="3">四、结转下年度继续办理</td>${tds(z)}</tr>
</table>`;

const table4 = `<table><tr><td colspan="5">⾏政复议</td><td colspan="10">⾏政诉讼</td></tr>
<tr><td rowspan="2">结果维持</td><td rowspan="2">结果纠正</td><td rowspan="2">其他结果</td><td rowspan="2">尚未审结</td><td rowspan="2">总 计</td><td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>
<tr>${['结果维持', '结果纠正', '其他结果', '尚未审结', '总 计']
  .map((h) => `<td>${h}</td>`)
  .join('')
  .repeat(2)}</tr>
<tr class="fig">${tds([10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0])}</tr></table>`;

const row2 = (label: string, values: (number | string)[]) =>
  `<tr><td>${label}</td>${values.map((v) => `<td colspan="${4 - values.length}">${v}</td>`).join('')}</tr>`;
const table2 = `<table>
<tr><td colspan="4">第二十条第（一）项</td></tr>
<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>
<tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>⾏政规范性文件</td><td>0</td><td>5</td><td>5</td></tr>
<tr><td colspan="4">第二十条第（五）项</td></tr><tr><td>信息内容</td><td colspan="3">本年处理决定数量</td></tr>${row2('⾏政许可', [550])}
<tr><td colspan="4">第二十条第（六）项</td></tr><tr><td>信息内容</td><td colspan="3">本年处理决定数量</td></tr>${row2('⾏政处罚', [4119])}${row2('⾏政强制', [195])}
<tr><td colspan="4">第二十条第（八）项</td></tr><tr><td>信息内容</td><td colspan="3">本年收费金额（单位：万元）</td></tr>${row2('⾏政事业性收费', ['7730.28'])}
</table>`;

const html = `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>洪泽区人民政府2023年政府信息公开工作年度报告</title>
<style>
@page { size: A4; margin: 22mm 18mm; }
body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 15px; line-height: 1.7; }
h1 { text-align: center; font-size: 22px; }
table { border-collapse: collapse; width: 100%; font-size: 12px; }
td { border: 1px solid #000; padding: 2px 3px; text-align: center; }
td.n { font-size: 15px; width: 30px; }
td.v { writing-mode: vertical-rl; }
tr { break-inside: avoid; }
tr.cont, tr.fig { break-before: page; }
p { text-indent: 2em; margin: 0.3em 0; }
</style></head><body>
<h1>洪泽区人民政府<br>2023年政府信息公开工作年度报告</h1>
<p>本报告由淮安市洪泽区人民政府办公室根据《中华人民共和国政府信息公开条例》要求编制。报告中所列数据统计期限自2023年1月1日起至2023年12月31日止。</p>
<p>一、总体情况</p>
<p>2023年，洪泽区人民政府认真落实政务公开各项要求，依法做好主动公开和依申请公开工作，加强政府信息管理和平台建设。</p>
<p style="height: 40px"></p>
<p>二、主动公开政府信息情况</p>
${table2}
<p>三、收到和处理政府信息公开申请情况</p>
${table3}
<p>四、政府信息公开⾏政复议、⾏政诉讼情况</p>
${table4}
<p>五、存在的主要问题及改进情况</p>
<p>依申请公开工作规范性还有待提高，政务公开内容的深度和广度还有待提升。下一步将扎实推进依申请公开工作，继续加强业务指导培训。</p>
<p>六、其他需要报告的事项</p>
<p>2023年，区政府全年收取政府信息公开信息处理费0元。</p>
</body></html>`;

writeFileSync(process.argv[2] ?? 'hongze-2023-layout.html', html);
