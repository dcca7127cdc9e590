import { describe, expect, it } from 'vitest';
import { deadlineOf, listsFor, loadRegistry, parseRegistry } from '../../shared/crawl/registry.ts';
import { reportYear } from '../../shared/crawl/links.ts';

describe('the shipped registry (registry/portals.yaml)', () => {
  const r = loadRegistry();
  it('is valid, with about 110 bodies that have a column URL, in all 31 provinces', () => {
    expect(r.problems).toEqual([]);
    // (Three bodies whose only known column was a year sub-column named by a CMS id have none: see their notes.)
    expect(r.bodies.filter((b) => b.lists.length > 0).length).toBeGreaterThanOrEqual(105);
    expect(new Set(r.bodies.map((b) => b.region!.slice(0, 2))).size).toBe(31);
  });

  it('has the Hanweb xxgk bodies of docs/portals.md and the seed body (no list URL yet)', () => {
    expect(r.bodies.find((b) => b.kind === 'hanweb-xxgk' && b.name === '桐乡市公安局')?.lists[0]).toMatch(/xxgkAnnualReport\.jsp\?area=113304830025582868/);
    expect(r.bodies.find((b) => b.name === '鹤岗市工农区人民政府')).toMatchObject({ lists: [], level: 'government' });
  });
});

describe('parseRegistry', () => {
  const yaml = `bodies:
  - id: good-one
    name: 某某市人民政府
    level: government
    lists: [http://www.example.gov.cn/zfxxgknb/]
  - id: Bad_ID
    name: 某某局
    level: department
    lists: []
  - id: bad-level
    name: 某某局
    level: ministry
    lists: []
    deadline: 02-30x
  - id: good-two
    name: 某某街道办事处
    level: township
    deadline: 02-20
    lists: []
  - id: good-one
    name: 重复
    level: other
    lists: []
  - id: bad-pattern
    name: 某某委
    level: department
    lists: []
    title_pattern: "(unclosed"
  - id: extra-field
    name: 某某委
    level: department
    lists: []
    colour: red
`;
  it('reports every bad entry with its line and keeps the good ones', () => {
    const r = parseRegistry(yaml);
    expect(r.bodies.map((b) => b.id)).toEqual(['good-one', 'good-two']);
    expect(r.problems.map((p) => [p.line, p.id])).toEqual([
      [6, 'Bad_ID'],
      [10, 'bad-level'],
      [20, 'good-one'],
      [24, 'bad-pattern'],
      [29, 'extra-field'],
    ]);
    expect(r.problems[1]!.message).toMatch(/level: must be one of government, department, township, other/);
    expect(r.problems[1]!.message).toMatch(/deadline/);
    expect(r.problems[2]!.message).toMatch(/duplicate id \(first on line 2\)/);
    expect(r.problems[4]!.message).toMatch(/unknown field "colour"/);
  });

  it('says what is wrong with a file that has no bodies list', () => {
    expect(parseRegistry('- a\n- b\n').problems[0]!.message).toMatch(/top-level "bodies:" list/);
    expect(parseRegistry('bodies: [\n').problems[0]!.message).toMatch(/YAML/);
  });

  it('gives departments 31 January and governments 31 March unless the entry says otherwise (条例 第四十九条)', () => {
    const r = parseRegistry(yaml);
    expect(deadlineOf(r.bodies[0]!)).toBe('03-31');
    expect(deadlineOf({ id: 'x', name: 'x', level: 'department', lists: [] })).toBe('01-31');
    expect(deadlineOf(r.bodies[1]!)).toBe('02-20');
    // The reports of 2018 and before were due by 31 March from every body (2007 条例 第三十一条); a local rule stays.
    const dept = { id: 'x', name: 'x', level: 'department' as const, lists: [] };
    expect([2017, 2018, 2019, 2024].map((y) => deadlineOf(dept, y))).toEqual(['03-31', '03-31', '01-31', '01-31']);
    expect(deadlineOf(r.bodies[1]!, 2017)).toBe('02-20');
  });
});

describe('single-year sub-columns and bodies listed twice', () => {
  it('a list URL with {year} reads each checked year’s own sub-column ({year+1}: the year it is published)', () => {
    expect(listsFor({ lists: ['https://www.x.gov.cn/xxgknb/{year}nb/', 'https://www.x.gov.cn/gk/'] }, [2023, 2024])).toEqual([
      'https://www.x.gov.cn/xxgknb/2023nb/',
      'https://www.x.gov.cn/xxgknb/2024nb/',
      'https://www.x.gov.cn/gk/',
    ]);
    expect(listsFor({ lists: ['https://www.sy.gov.cn/gkbg/{year+1}n/bmbg{year}/'] }, [2024])).toEqual(['https://www.sy.gov.cn/gkbg/2025n/bmbg2024/']);
  });

  it('registry check warns of a literal single-year sub-column and of one body listed twice — not of dated report folders or templates', () => {
    const r = parseRegistry(
      [
        'bodies:',
        '  - { id: aa, name: 甲市人民政府, level: government, lists: ["https://www.a.gov.cn/zwgk/gknb/2024/"] }',
        '  - { id: bb, name: 乙局, level: department, lists: ["https://www.b.gov.cn/xxgknb/{year}nb/", "https://www.b.gov.cn/xxgk/202501/"] }',
        '  - { id: cc, name: 甲市人民政府, level: government, lists: ["https://www.a.gov.cn/zfxxgknb/"] }',
        '  - { id: dd, name: 丙局, level: department, lists: ["http://www.d.gov.cn/xxgknb_1970/"] }',
        '  - { id: ee, name: 丁市人民政府, level: government, lists: ["https://www.e.gov.cn/gate/big5/www.e.gov.cn/gknb/"] }',
      ].join('\n'),
    );
    expect(r.problems).toEqual([]);
    const kind = (m: string) => (/single-year/.test(m) ? 'year' : /listed twice/.test(m) ? 'twice' : /Big5 gateway/.test(m) ? 'gateway' : m);
    expect(r.warnings!.map((w) => [w.id, w.line, kind(w.message)])).toEqual([
      ['aa', 2, 'year'],
      ['cc', 4, 'twice'],
      ['ee', 6, 'gateway'],
    ]);
    expect(r.warnings![2]!.message).toContain('https://www.e.gov.cn/gknb/ is read instead');
  });

  it('the starter registry has neither', () => {
    expect(loadRegistry().warnings).toEqual([]);
  });
});

describe('bodies known by a report on a Hanweb xxgk viewer', () => {
  it('have that viewer, addressed by their area code alone, as their column: discovery probes it by year', () => {
    const bodies = loadRegistry().bodies;
    const seen = bodies.filter((b) => /xxgkAnnualReport\.jsp\?\S*area=/.test(b.note ?? ''));
    expect(seen.length).toBeGreaterThanOrEqual(6);
    for (const b of seen) {
      const area = /area=([^&\s;]+)/.exec(b.note!)![1];
      expect(b, b.id).toMatchObject({ kind: 'hanweb-xxgk', lists: [expect.stringMatching(new RegExp(`/module/xxgk/xxgkAnnualReport\\.jsp\\?area=${area}$`))] });
    }
  });
});

describe('a column shared by several bodies', () => {
  it('registry check warns of each body that reads it without a title_pattern, naming the others', () => {
    const r = parseRegistry(
      [
        'bodies:',
        '  - { id: xa, name: 某县新添镇人民政府, level: township, lists: ["http://www.x.gov.cn/col/col6924/index.html"] }',
        '  - { id: xb, name: 某县漫洼乡人民政府, level: township, lists: ["http://www.x.gov.cn/col/col6924/index.html"], title_pattern: "漫洼乡.*公开.*报告" }',
        '  - { id: xc, name: 某县人民政府, level: government, lists: ["http://www.x.gov.cn/col/col6924/index.html"] }',
        '  - { id: xd, name: 某县教育局, level: department, lists: ["http://www.x.gov.cn/col/col1/index.html"] }',
      ].join('\n'),
    );
    expect(r.problems).toEqual([]);
    expect(r.warnings!.map((w) => [w.id, w.line])).toEqual([
      ['xa', 2],
      ['xc', 4],
    ]);
    expect(r.warnings![0]!.message).toContain('is shared with 某县漫洼乡人民政府、某县人民政府');
  });

  it("the starter registry's shared columns: each real title is taken by one body only, its own", () => {
    const bodies = loadRegistry().bodies;
    const sharing = (url: string) => bodies.filter((b) => b.lists.includes(url));
    const takers = (url: string, title: string) =>
      sharing(url)
        .filter((b) => reportYear(title, b.title_pattern ? new RegExp(b.title_pattern) : undefined) !== null)
        .map((b) => b.name);
    const lintao = 'http://www.lintao.gov.cn/col/col6924/index.html';
    const longyou = 'https://www.longyou.gov.cn/col/col1229114055/index.html';
    const xizang = 'http://www.xizang.gov.cn/zwgk/xxgk_424/xxgknb/{year}nb/';
    // Titles as the portals list them (shared/domain/COLUMNS.tsv), and one each of the kinds a shared column holds.
    expect(takers(lintao, '临洮县新添镇2022年政府信息公开工作年度报告')).toEqual(['临洮县新添镇人民政府']);
    expect(takers(lintao, '临洮县漫洼乡2022年政府信息公开工作年度报告')).toEqual(['临洮县漫洼乡人民政府']);
    expect(takers(longyou, '龙游县横山镇2023年政府信息公开工作年度报告')).toEqual(['龙游县横山镇人民政府']);
    expect(takers(longyou, '龙游县2023年政府信息公开工作年度报告')).toEqual(['龙游县人民政府办公室']);
    expect(takers(longyou, '龙游县人民政府办公室2023年度政府信息公开工作年度报告')).toEqual(['龙游县人民政府办公室']);
    expect(takers(longyou, '龙游县湖镇镇2023年政府信息公开工作年度报告')).toEqual([]);
    expect(takers(xizang, '西藏自治区2014年政府信息公开工作年度报告')).toEqual(['西藏自治区人民政府']);
    expect(takers(xizang, '西藏自治区政府国资委2023年度信息公开工作报告')).toEqual(['西藏自治区国有资产监督管理委员会']);
    expect(takers(xizang, '西藏自治区审计厅2025年政务信息公开工作开展年度报告')).toEqual(['西藏自治区审计厅']);
    expect(takers(xizang, '西藏自治区教育厅2024年政府信息公开工作年度报告')).toEqual([]);
  });
});
