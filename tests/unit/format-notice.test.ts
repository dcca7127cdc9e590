/** FORMAT-NOTICE: a report of 2021 on that says it follows the superseded 2019 notice (docs/format.md §6). */
import { describe, expect, it } from 'vitest';
import { parseReportBytes } from '../../shared/check.ts';
import { randomModel } from '../../shared/demo/generate.ts';
import { render } from '../../shared/demo/render.ts';

/** A generated report of `year` whose introduction is `intro` (a real report's opening sentence). */
function withIntro(year: number, intro: string) {
  const html = Buffer.from(render({ ...randomModel(3, year >= 2021 ? '2021' : '2019'), year }, 'html')).toString();
  const anchor = '本报告根据《中华人民共和国政府信息公开条例》编制，所列数据的统计期限自1月1日起至12月31日止。';
  expect(html.split(anchor)).toHaveLength(2);
  return parseReportBytes(Buffer.from(html.replace(anchor, intro))).findings.filter((f) => f.rule === 'FORMAT-NOTICE');
}

// 宜城市教育局 2022 (http://www.ych.gov.cn/xxgk/xxgknb/2022/xzbm/202301/t20230113_3113885.shtml, FORMAT.md §6).
const YICHENG =
  '本报告依据《中华人民共和国政府信息公开条例》（国务院令第711号）和《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知》（国办公开办函〔2019〕60号）要求编制。数据统计期限为2022年1月1日至2022年12月31日。';
// 葫芦岛市教育局 2022 (https://www.hld.gov.cn/zwgk/zfxxgknb/bmnb/jyj/202301/t20230128_1129303.html).
const HULUDAO =
  '根据《中华人民共和国政府信息公开条例》及《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）相关要求，现公布葫芦岛市教育局2022年政府信息公开工作年度报告。';

describe('FORMAT-NOTICE', () => {
  it('names a 2022 report compiled under 国办公开办函〔2019〕60号, quoting its sentence (宜城市教育局 2022)', () => {
    expect(withIntro(2022, YICHENG)).toMatchObject([
      {
        severity: 'warning',
        zh: '2022年度报告称依据国办公开办函〔2019〕60号编制，应依据国办公开办函〔2021〕30号',
        actual: expect.stringContaining('2019'),
        quote: expect.stringContaining('要求编制。'),
      },
    ]);
    expect(withIntro(2023, '本报告按照《政府信息公开工作年度报告格式（试行）》编制。')).toHaveLength(1);
  });

  it('is silent on the 2021 notice (葫芦岛市教育局 2022), on a report citing both, and on the 2019 and 2020 reports it governed', () => {
    expect(withIntro(2022, HULUDAO)).toEqual([]);
    expect(withIntro(2022, `${YICHENG}${HULUDAO}`)).toEqual([]);
    expect(withIntro(2020, YICHENG.replaceAll('2022', '2020'))).toEqual([]);
  });
});
