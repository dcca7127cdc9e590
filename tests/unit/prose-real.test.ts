/**
 * Every prose pattern against real sentences of published reports: one that must match (with its figure) and one
 * that must not. Sources: the reports' pages as published (addresses below) and the committed fixtures.
 */
import { describe, expect, it } from 'vitest';
import { randomModel } from '../../shared/demo/generate.ts';
import { render } from '../../shared/demo/render.ts';
import { extractProseClaims } from '../../shared/report/prose.ts';
import { parseReportBytes } from '../../shared/check.ts';

const claims = (s: string) => extractProseClaims(s).map((c) => `${c.key}=${c.value}`);

/** [source, sentence, claims it must yield] */
const MUST: [string, string, string[]][] = [
  // http://www.hongze.gov.cn/col/1167_462443/art/17383392/1739522572484SD89ttmc.html (洪泽区人民政府 2024)
  ['洪泽区 2024', '2024年,区政府办代表区政府受理政府信息公开申请17件,均已在法定期限内予以答复。', ['received=17']],
  // https://www.hanyang.gov.cn/…/t20230119_2136694.shtml (汉阳区政府办公室 2022)
  [
    '汉阳区政府办 2022',
    '2022年,区政府办公室共收到8份政府信息公开申请,均为自然人申请。其中,予以公开2件,部分公开2件,属于四类过程性性信息1件,本办不掌握相关政府信息2件,其他1件(申请人自主撤销)。',
    ['received=8', 'received_all_natural=1', 'granted=2', 'partially_granted=2'],
  ],
  // https://www.dafeng.gov.cn/art/2025/1/22/art_45469_4279894.html (盐城市大丰区 2024)
  [
    '大丰区 2024',
    '全年共办理政府信息公开申请69件，含2023年转至今年办理的3件，办结68件，剩余1件结转下一年度处理，完成市政府办公室协办件13件。',
    ['received_or_total=69', 'handled=68', 'carried_forward=1'],
  ],
  // tests/fixtures/shanghai-office-2025.md (上海市人民政府办公厅 2025)
  [
    '上海市政府办公厅 2025',
    '市政府共受理政府信息公开申请 1295 件，办结 1191 件（含上年结转 189 件），均在法定期限内答复。其中，予以公开及部分公开 208 件（17.46%），不予公开 20 件（1.68%），因本机关不掌握等原因无法提供 564 件（47.36%），属信访、重复申请等不予处理 80 件（6.72%），其他处理 319 件（26.78%，含申请人主动撤回 157 件）。',
    ['received=1295', 'handled=1191', 'carried_over=189', 'granted_or_partial=208', 'denied=20', 'unavailable=564', 'rejected=80', 'other_handled=319'],
  ],
  // tests/fixtures/kewei-2024.md (上海市科委 2024): a breakdown by outcome, not the total handled
  [
    '上海市科委 2024',
    '所有办结的信息公开申请中同意公开答复9件,部分公开答复0件,不予公开答复2件,无法提供的10件,不予处理0件,其他处理14件,转下一年度办理答复的有1件。',
    ['granted=9', 'partially_granted=0', 'denied=2', 'unavailable=10', 'rejected=0', 'other_handled=14', 'carried_forward=1'],
  ],
  ['上海市科委 2024', '全年收到政府信息公开申请34件，上年结转政府信息公开申请2件，所有申请均已按要求办理完成。', ['received=34', 'carried_over=2']],
  ['上海市科委 2024', '涉及的行政诉讼数为0件。', ['suit_total=0']],
  // tests/fixtures/07-pingtan-2022.txt (平潭综合实验区 2022)
  ['平潭 2022', '全区收到政府信息公开申请75件，涉及自然人72件、商业企业3件。', ['received=75', 'received_natural_person=72', 'received_commercial=3']],
  // http://hadz.huaian.gov.cn/col/875_726475/art/17356608/1737536983165n1SbkJvb.html (淮安经开区 2024)
  [
    '淮安经开区 2024',
    '2024年办理依申请公开件72件，其中已答复70件、2件结转2025年办理；行政复议2件，均维持我区原答复。',
    ['handled=70', 'review_total=2', 'review_all_upheld=1'],
  ],
  // "None" in words. http://www.ych.gov.cn/xxgk/xxgknb/2022/xzbm/202301/t20230113_3113885.shtml (宜城市教育局 2022)
  ['宜城市教育局 2022', '（二）依申请公开受理答复情况。2022年宜城市教育局未收到依申请公开信息。', ['received=0']],
  // http://ccxi.gov.cn/info/1308/25196.htm (2025: "依申请公开政府信息")
  ['ccxi.gov.cn 2025', '（二）依申请公开方面\n全年未收到依申请公开政府信息。', ['received=0']],
  // https://www.hld.gov.cn/zwgk/zfxxgknb/bmnb/jyj/202301/t20230128_1129303.html (葫芦岛市教育局 2022)
  ['葫芦岛市教育局 2022', '（二）依申请公开情况。2022年，我局未收到公民、法人或其他组织的依申请公开诉求。', ['received=0']],
  // https://www.zgsr.gov.cn/jyj/gknb/202301/d758e2a979bf4a4c915ec6c9bdb8eab1.shtml (上饶市教育局 2022)
  [
    '上饶市教育局 2022',
    '2022年，我局收到政府信息公开申请3件，全部在法定期限内予以答复，未发生政府信息公开行政复议、起诉。',
    ['received=3', 'review_total=0', 'suit_total=0'],
  ],
];

/** [source, sentence] that hold no claim about this report's tables. */
const MUST_NOT: [string, string][] = [
  ['洪泽区 2024', '2024年，我区在政府网站平台主动发布各类政府信息2428条，公开政府常务会议7期，解读信息发布7条。'],
  ['上海市政府办公厅 2025', '全年主动公开市政府规章 22 件、市政府及市政府办公厅行政规范性文件 34 件、人事任免文件 196 件、其他文件 84 件。'],
  ['上海市政府办公厅 2025', '全年未发生因依申请公开被行政复议纠错或行政诉讼败诉情形。'],
  ['上海市科委 2024', '今年累计批量推送集成式发布政策 121 条，日常报送惠企政策 83 条。'],
  ['大丰区 2024', '通过区政府门户网站公开信息3820条，发布解读信息17条；开展意见征集25个，互动访谈12期。'],
  ['平潭 2022', '去年共收到政府信息公开申请15件。'],
  // A "none" about one kind of applicant or one outcome is not "none at all".
  ['(constructed)', '本年度未收到商业企业的政府信息公开申请。'],
  ['(constructed)', '本年度未有政府信息公开申请被行政复议。'], // none of the applications went to review: not "none received"
  ['平潭 2022', '实验区管委会政府信息公开工作积极主动接受社会评议，未发生相关责任人责任追究问题情况。'],
];

describe('prose patterns on real sentences', () => {
  it.each(MUST)('%s: %s', (_source, sentence, expected) => {
    expect(claims(sentence)).toEqual(expected);
  });

  it.each(MUST_NOT)('%s: no claim in “%s”', (_source, sentence) => {
    expect(claims(sentence)).toEqual([]);
  });
});

describe('PROSE-TABLE finds the real contradictions and no false ones', () => {
  const m = randomModel(77, '2021');
  // A table with 74 new applications (71 from natural persons) and one carried over, as 平潭 2022.
  m.table3.rows.received = [71, 3, 0, 0, 0, 0, 74];
  const withProse = (sentence: string) => {
    const html = Buffer.from(render(m, 'html')).toString().replace('<p><strong>二、', `<p>${sentence}</p><p><strong>二、`);
    return parseReportBytes(Buffer.from(html)).findings.filter((f) => f.rule === 'PROSE-TABLE');
  };
  it('"收到申请75件，涉及自然人72件" against 74 and 71: both found', () => {
    const found = withProse('全区收到政府信息公开申请75件，涉及自然人72件、商业企业3件。');
    expect(found.map((f) => [f.actual, f.expected])).toEqual([
      [75, 74],
      [72, 71],
    ]);
  });
  it('"共受理政府信息公开申请2件" against 3: found', () => {
    m.table3.rows.received = [3, 0, 0, 0, 0, 0, 3];
    expect(withProse('本机关共受理政府信息公开申请2件。').map((f) => [f.actual, f.expected])).toEqual([[2, 3]]);
  });
  it('"未收到…申请" (none, in words) against a table with applications: found; against none: silent', () => {
    m.table3.rows.received = [3, 0, 0, 0, 0, 0, 3];
    expect(withProse('2022年宜城市教育局未收到依申请公开信息。').map((f) => [f.actual, f.expected])).toEqual([[0, 3]]);
    m.table3.rows.received = [0, 0, 0, 0, 0, 0, 0];
    expect(withProse('2022年宜城市教育局未收到依申请公开信息。')).toEqual([]);
    m.table3.rows.received = [3, 0, 0, 0, 0, 0, 3];
  });
  it('a breakdown by outcome is not the number handled: no finding when the outcomes agree', () => {
    const r = m.table3.rows;
    const sum = (keys: string[]) => keys.reduce((s, k) => s + (r[k as keyof typeof r]?.[6] ?? 0), 0);
    const sentence = `所有办结的信息公开申请中同意公开答复${r.granted![6]}件,部分公开答复${r.partially_granted![6]}件,不予公开答复${sum(Object.keys(r).filter((k) => k.startsWith('denied_')))}件。`;
    expect(withProse(sentence)).toEqual([]);
  });
});
