/**
 * Builds the starter registry/portals.yaml from ../shared/domain/COLUMNS.tsv (every line with a column URL)
 * plus the Hanweb xxgk bodies of docs/portals.md and the seed's 工农区人民政府. Run by hand:
 *   npx tsx scripts/build-registry.ts ../shared/domain/COLUMNS.tsv > registry/portals.yaml
 *
 * registry/portals.yaml has been edited by hand since it was built: single-year sub-columns generalised with {year},
 * entries merged, title_patterns for the shared columns, xxgk viewers for bodies known by a viewer's report, the
 * 北京 column out of its Big5 gateway. Running this again would lose those edits: it starts a registry, it does not
 * refresh this one.
 */
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';

const PROVINCES: Record<string, string> = {
  北京: '11',
  天津: '12',
  河北: '13',
  山西: '14',
  内蒙古: '15',
  辽宁: '21',
  吉林: '22',
  黑龙江: '23',
  上海: '31',
  江苏: '32',
  浙江: '33',
  安徽: '34',
  福建: '35',
  江西: '36',
  山东: '37',
  河南: '41',
  湖北: '42',
  湖南: '43',
  广东: '44',
  广西: '45',
  海南: '46',
  重庆: '50',
  四川: '51',
  贵州: '52',
  云南: '53',
  西藏: '54',
  陕西: '61',
  甘肃: '62',
  青海: '63',
  宁夏: '64',
  新疆: '65',
};
const KIND: Record<string, string> = { trs: 'trs', hanweb: 'hanweb', 'hanweb-xxgk': 'hanweb-xxgk' };

const [file] = process.argv.slice(2);
const rows = readFileSync(file!, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split('\t'));
const bodies = new Map<string, Record<string, unknown>>();
const ids = new Set<string>();

function idFor(url: string): string {
  const u = new URL(url);
  const base = u.hostname
    .replace(/^www\./, '')
    .replace(/\.gov\.cn$/, '')
    .replace(/[^a-z0-9]+/gi, '-')
    .toLowerCase();
  const path =
    u.pathname
      .split('/')
      .filter(Boolean)
      .filter((p) => !/\.(s?html?|jsp)$/.test(p))
      .slice(-1)[0] ?? '';
  let id = `${base}${path ? `-${path.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}` : ''}`.slice(0, 60).replace(/-+$/, '');
  for (let n = 2; ids.has(id); n++) id = `${id.replace(/-\d+$/, '')}-${n}`;
  ids.add(id);
  return id;
}

for (const [name, level, province, city, , , column, cms] of rows) {
  if (!column) continue;
  const key = `${name}|${column}`;
  if (bodies.has(key)) continue;
  const entry: Record<string, unknown> = {
    id: idFor(column),
    name,
    region: `${PROVINCES[province!] ?? '00'}0000`,
    level: ['government', 'department', 'township'].includes(level!) ? level : 'other',
    lists: [column],
  };
  if (KIND[cms!]) entry.kind = KIND[cms!];
  if (city) entry.note = `${province}${city === province ? '' : ` ${city}`}`;
  bodies.set(key, entry);
}

// Bodies seen only through a report page: listed with no column yet (status unknown), the page noted.
const withColumn = new Set([...bodies.values()].map((b) => b.name));
for (const [name, level, province, city, year, report, column] of rows) {
  if (column || withColumn.has(name!) || bodies.has(`${name}|`)) continue;
  bodies.set(`${name}|`, {
    id: idFor(report!),
    name,
    region: `${PROVINCES[province!] ?? '00'}0000`,
    level: ['government', 'department', 'township'].includes(level!) ? level : 'other',
    lists: [],
    note: `${province}${city && city !== province ? ` ${city}` : ''}; column not known — ${year} report seen at ${report}`,
  });
}

const extra = [
  {
    id: 'tongxiang-gongan-annual-report',
    name: '桐乡市公安局',
    region: '330483',
    level: 'department',
    kind: 'hanweb-xxgk',
    lists: ['http://www.tx.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=113304830025582868'],
    note: 'Hanweb xxgk annual-report viewer addressed by area code and year (docs/portals.md §1): discovery probes &fbtime=YEAR',
  },
  {
    id: 'lishui-szf-annual-report',
    name: '丽水市人民政府',
    region: '331100',
    level: 'government',
    kind: 'hanweb-xxgk',
    lists: ['http://www.lishui.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=113325000026455663'],
    note: 'Hanweb xxgk annual-report viewer (docs/portals.md §1)',
  },
  {
    id: 'hegang-gongnong',
    name: '鹤岗市工农区人民政府',
    region: '230403',
    level: 'government',
    lists: [],
    note: 'the seed report (../shared/seed); list URL not known yet: status unknown until one is found',
  },
];

const header = `# nianbao registry — the bodies whose 政府信息公开工作年度报告 we watch.
# Schema: registry/portals.schema.json (check with: npm run nianbao -- registry check).
# Starter entries: every line of ../shared/domain/COLUMNS.tsv with a column URL (scripts/build-registry.ts),
# the Hanweb xxgk bodies of docs/portals.md, and the seed's 工农区人民政府. region is the province code where the
# county is not known. deadline (MM-DD) overrides the level's default: departments 01-31, governments 03-31.
`;
// The Hanweb xxgk entries give a column (the viewer) for bodies otherwise known only by a report page.
for (const e of extra) for (const [key, b] of bodies) if (b.name === e.name && (b.lists as string[]).length === 0) bodies.delete(key);
process.stdout.write(header + stringify({ bodies: [...bodies.values(), ...extra] }, { lineWidth: 0 }));
