/**
 * What the dashboard shows, read from the store's ports (never from an adapter): the overview of bodies × years,
 * a body's years, captures and alerts, a report's stored figures and findings, a year's distribution. The same
 * views feed the live server (`nianbao serve`) and the static site (`nianbao site`, the daily job on AWS).
 */
import { currentOfListing } from '../archive/report-rows.ts';
import { allPages } from '../archive/export.ts';
import { type Body, deadlineOf } from '../crawl/registry.ts';
import { type Finding, SEVERITIES, type Severity, SEVERITY_RANK } from '../report/model.ts';
import { RULE_INFO } from '../rules/index.ts';
import type { Alert, BodyYearState, CaptureLog, CaptureRecord, ListOptions, ReportStore, StateStore, Status, StoredReport } from '../store/ports.ts';
import { provinceOf } from './provinces.ts';
import { damagedText } from './layout.ts';
import { DamagedLog, StoredRecordError, stateOrDamaged } from '../store/records.ts';

/** The store's read side the dashboard needs, and the registry (names, levels, regions, deadlines). */
export interface SiteSources {
  state: Pick<StateStore, 'states' | 'getState' | 'alerts' | 'alertsOf' | 'getAlert'>;
  reports: Pick<ReportStore, 'reports' | 'rows' | 'rowAcrossBodies'>;
  captures: Pick<CaptureLog, 'byBody'>;
  bodies: Body[];
  /** When the page is made (injected: tests and the daily job set it). */
  now: () => number;
  /**
   * Given, a stored record that does not hold its shape is handed here and the page is made without it (ListOptions);
   * the caller counts it and says so on the pages. Without it, reading it throws.
   */
  onDamaged?: ListOptions['onDamaged'] | undefined;
}

const registries = new WeakMap<Body[], Map<string, Body>>();
/** The registry's entry of a body (indexed once per registry: the static site looks up every body-year). */
export function registeredBody(src: Pick<SiteSources, 'bodies'>, id: string): Body | undefined {
  let m = registries.get(src.bodies);
  if (!m) registries.set(src.bodies, (m = new Map(src.bodies.map((b) => [b.id, b]))));
  return m.get(id);
}

/**
 * A body-year as the overview colours it: the store's status, except that a report removed after publication is
 * `removed` (it is no longer there to be read, whatever it was).
 */
export const CELL_STATUSES = ['found', 'late', 'missing', 'unreachable', 'unknown', 'pending', 'removed'] as const;
export type CellStatus = (typeof CELL_STATUSES)[number];

/** One character per status in the overview's data (3,000 bodies × 7 years must stay well under 1 MB). */
export const STATUS_CODE: Record<CellStatus, string> = {
  found: 'f',
  late: 'l',
  missing: 'm',
  unreachable: 'u',
  unknown: 'k',
  pending: 'p',
  removed: 'r',
};
/** A body-year with no state at all (never crawled for that year). */
export const NO_STATE = '-';
/** A body-year whose stored state could not be read (docs/store.md "Damaged records"): marked, never "no record". */
export const DAMAGED_STATE = '!';

/** The cell status of a stored state. */
export function cellStatus(s: Pick<BodyYearState, 'status' | 'removedAt'>): CellStatus {
  return s.removedAt ? 'removed' : (s.status satisfies Status);
}

/** Read with gaps: figures the parser could not read, or a document it could not read at all. Never "clean". */
export function readWithGaps(s: Pick<BodyYearState, 'unreadCells' | 'unreadable'> | null | undefined): boolean {
  return Boolean(s && ((s.unreadCells ?? 0) > 0 || s.unreadable));
}

/**
 * The overview's data, compact: `bodies[i]` = [id, name, province code, level, deadline MM-DD, open alerts];
 * `cells[i]` one character per year of `years` (STATUS_CODE; upper case when the report was read with gaps;
 * NO_STATE when there is no state, DAMAGED_STATE when it could not be read).
 */
export interface OverviewData {
  generatedAt: string;
  years: number[];
  bodies: [id: string, name: string, province: string, level: string, deadline: string, openAlerts: number][];
  cells: string[];
  /** The notice of stored records left out because they could not be read (layout.ts damagedText); absent if none. */
  damaged?: string;
}

export async function overviewData(src: SiteSources): Promise<OverviewData> {
  /** Body-years whose state was met damaged, by body. */
  const damagedYears = new Map<string, Set<number>>();
  const damaged = new DamagedLog((e) => {
    if (e instanceof StoredRecordError && e.record) damagedYears.set(e.record.bodyId, (damagedYears.get(e.record.bodyId) ?? new Set()).add(e.record.year));
    src.onDamaged?.(e);
  });
  const counted: SiteSources = { ...src, onDamaged: damaged.onDamaged };
  const states = await src.state.states(undefined, counted);
  const open = await src.state.alerts('open', counted);
  const years = [...new Set([...states.map((s) => s.year), ...[...damagedYears.values()].flatMap((ys) => [...ys])])].sort((a, b) => a - b);
  const byBody = new Map<string, Map<number, BodyYearState>>();
  for (const s of states) {
    let m = byBody.get(s.bodyId);
    if (!m) byBody.set(s.bodyId, (m = new Map()));
    m.set(s.year, s);
  }
  const alertsPer = new Map<string, number>();
  for (const a of open) alertsPer.set(a.bodyId, (alertsPer.get(a.bodyId) ?? 0) + 1);
  // Every registered body, and any body the store knows that the registry no longer lists (shown by its id).
  const known = new Map(src.bodies.map((b) => [b.id, b]));
  const ids = [...new Set([...src.bodies.map((b) => b.id), ...byBody.keys(), ...damagedYears.keys()])];
  const bodies: OverviewData['bodies'] = [];
  const cells: string[] = [];
  for (const id of ids) {
    const b = known.get(id);
    bodies.push([id, b?.name ?? id, provinceOf(b?.region), b?.level ?? 'other', b ? deadlineOf(b) : '', alertsPer.get(id) ?? 0]);
    const mine = byBody.get(id);
    cells.push(
      years
        .map((y) => {
          const s = mine?.get(y);
          if (!s) return damagedYears.get(id)?.has(y) ? DAMAGED_STATE : NO_STATE;
          const code = STATUS_CODE[cellStatus(s)];
          return readWithGaps(s) ? code.toUpperCase() : code;
        })
        .join(''),
    );
  }
  return {
    generatedAt: new Date(src.now()).toISOString(),
    years,
    bodies,
    cells,
    ...(damaged.errors.length ? { damaged: damagedText(damaged.errors.length) } : {}),
  };
}

/** A finding as stored (findings of parser < 1.2.0 have only the combined message). */
export function findingOf(raw: unknown): Finding {
  const f = raw as Finding;
  const [zh, en] = f.message?.split(' / ') ?? [];
  return { ...f, zh: f.zh ?? zh ?? f.rule, en: f.en ?? en ?? f.rule };
}

/** One year of a body: its state, the sources parsed (oldest first) and the figures the charts use. */
export interface BodyYear {
  year: number;
  state: BodyYearState | null;
  sources: StoredReport[];
  /** The source that stands for the report (currentSource): its title and date head the year's row. */
  current: StoredReport | undefined;
  figures: Partial<Record<ChartFigure, number | null>>;
}

/** The figures a body's charts follow across years (docs/format.md §11 keys). */
export const CHART_FIGURES = ['received', 'handled', 'review', 'litigation'] as const;
export type ChartFigure = (typeof CHART_FIGURES)[number];

export interface BodyView {
  body: Body;
  /** False when the registry no longer lists the body (the store still has it). */
  registered: boolean;
  years: BodyYear[];
  captures: CaptureRecord[];
  alerts: Alert[];
}

/** What a caller that renders every body has read once already: every state and every alert, by body. */
export interface Prefetched {
  states: Map<string, BodyYearState[]>;
  alerts: Map<string, Alert[]>;
}

export async function prefetch(src: SiteSources): Promise<Prefetched> {
  const group = <T extends { bodyId: string }>(items: T[]) => {
    const m = new Map<string, T[]>();
    for (const x of items) m.set(x.bodyId, [...(m.get(x.bodyId) ?? []), x]);
    return m;
  };
  return { states: group(await src.state.states(undefined, src)), alerts: group(await src.state.alerts(undefined, src)) };
}

/**
 * How a body's or a report's page meets a damaged record. The static site throws (the body's pages keep their last
 * good version, static.ts); the live dashboard leaves it out (`leaveOut`), hands it to `src.onDamaged`, and the page
 * says how many it left out — never a server error for the whole page.
 */
export interface ViewOptions {
  leaveOut?: boolean | undefined;
}

interface Listing {
  options: ListOptions | undefined;
  /** How many damaged records the view has left out so far. */
  leftOut: () => number;
}

/** The listing options of a view: the source's onDamaged when the view leaves damaged records out. */
function listing(src: SiteSources, o: ViewOptions | undefined): Listing {
  if (!o?.leaveOut) return { options: undefined, leftOut: () => 0 };
  let n = 0;
  return {
    options: {
      onDamaged: (e) => {
        n++;
        src.onDamaged?.(e);
      },
    },
    leftOut: () => n,
  };
}

/**
 * A body-year's parsed sources and the one that stands for its report (currentOfListing: a damaged current source
 * left out is `lost`, never replaced by another), read through `l`.
 */
async function sourcesOf(src: SiteSources, bodyId: string, year: number, state: BodyYearState | null | undefined, l: Listing) {
  const before = l.leftOut();
  const sources = await src.reports.reports(bodyId, year, l.options);
  return { sources, ...currentOfListing(sources, state, l.leftOut() > before) };
}

export async function bodyView(src: SiteSources, bodyId: string, pre?: Prefetched, o?: ViewOptions): Promise<BodyView | null> {
  const registered = registeredBody(src, bodyId);
  const states = pre ? (pre.states.get(bodyId) ?? []) : (await src.state.states(undefined, src)).filter((s) => s.bodyId === bodyId);
  const alerts = pre ? [...(pre.alerts.get(bodyId) ?? [])] : await src.state.alertsOf(bodyId, undefined, src);
  if (!registered && states.length === 0 && alerts.length === 0) return null;
  const body: Body = registered ?? { id: bodyId, name: bodyId, level: 'other', lists: [] };
  const years: BodyYear[] = [];
  for (const year of [...new Set(states.map((s) => s.year))].sort((a, b) => b - a)) {
    const l = listing(src, o);
    const { sources, current } = await sourcesOf(
      src,
      bodyId,
      year,
      states.find((s) => s.year === year),
      l,
    );
    const rows = current ? await src.reports.rows(bodyId, year, current.sha256, l.options) : [];
    const value = (row: string, col: string) => rows.find((r) => r.row === row)?.values[col] ?? null;
    const figures = current
      ? {
          received: value('table3.received', 'total'),
          handled: value('table3.total_handled', 'total'),
          review: value('table4', 'review_total'),
          litigation: sum(value('table4', 'suit_direct_total'), value('table4', 'suit_after_review_total')),
        }
      : {};
    years.push({ year, state: states.find((s) => s.year === year) ?? null, sources, current, figures });
  }
  const captures = await recentCaptures(
    src,
    bodyId,
    years.map((y) => y.year),
  );
  alerts.sort((a, b) => b.openedAt.localeCompare(a.openedAt));
  return { body, registered: Boolean(registered), years, captures, alerts };
}

/** How many of the newest captures the timeline shows per report year (and of the column pages). */
export const TIMELINE_PER_YEAR = 100;

/**
 * The newest captures of a body: of its two latest report years and of its column pages, a page of each. Never every
 * capture: a body crawled daily adds ~900 a year, and the daily site on AWS would read them all from DynamoDB.
 */
async function recentCaptures(src: SiteSources, bodyId: string, years: number[]): Promise<CaptureRecord[]> {
  const newest = (year: number | undefined) => src.captures.byBody(bodyId, year, { newestFirst: true, limit: TIMELINE_PER_YEAR, onDamaged: src.onDamaged });
  const pages = await Promise.all([...years.slice(0, 2).map((y) => newest(y)), newest(undefined)]);
  return pages.flatMap((p) => p.items).sort((a, b) => b.time.localeCompare(a.time));
}

const sum = (a: number | null, b: number | null) => (a === null && b === null ? null : (a ?? 0) + (b ?? 0));

/** The stored figures of one source, by cell name (`table3.received.total`, `table4.review_total`, `table2.licensing`). */
export type CellValues = Map<string, number | null>;

export interface ReportView {
  body: Body;
  year: number;
  state: BodyYearState | null;
  sources: StoredReport[];
  current: StoredReport | null;
  /** The state's current source is a damaged record the live page left out: no other source stands in for it. */
  currentLost: boolean;
  cells: CellValues;
  /** The template of each table, from the rows stored (a 2019 trial-format report has other rows). */
  formats: { table2: '2021' | '2019' | null; table3: '2021' | '2019' | null; table4: boolean };
  findings: Finding[];
  /** Cells the parser could not read (CELL-UNREAD): shown `?`, never blank. */
  unread: Set<string>;
  /** The worst finding on each cell. */
  marks: Map<string, 'error' | 'warning' | 'info'>;
  /** Last year's figures, for the cross-year checks (CROSS-CARRY: 上年结转 = last year's 结转下年度). */
  previous: { year: number; cells: CellValues } | null;
  alerts: Alert[];
}

export async function reportView(src: SiteSources, bodyId: string, year: number, pre?: Prefetched, o?: ViewOptions): Promise<ReportView | null> {
  const l = listing(src, o);
  const stateOf = async (y: number) =>
    pre ? (pre.states.get(bodyId)?.find((s) => s.year === y) ?? null) : await stateOrDamaged(src.state, bodyId, y, l.options);
  const state = await stateOf(year);
  const { sources, current = null, lost } = await sourcesOf(src, bodyId, year, state, l);
  if (!state && sources.length === 0 && l.leftOut() === 0) return null;
  const body = registeredBody(src, bodyId) ?? { id: bodyId, name: bodyId, level: 'other' as const, lists: [] };
  const cells = current ? await cellValues(src, bodyId, year, current.sha256, l.options) : new Map();
  const findings = (current?.findings ?? []).map(findingOf);
  const unread = new Set(findings.filter((f) => f.rule === 'CELL-UNREAD').flatMap((f) => f.cells ?? []));
  const marks = new Map<string, 'error' | 'warning' | 'info'>();
  const rank = { error: 3, warning: 2, info: 1 } as const;
  for (const f of findings) {
    if (f.rule === 'CELL-UNREAD') continue;
    for (const c of f.cells ?? []) if ((rank[marks.get(c)!] ?? 0) < rank[f.severity]) marks.set(c, f.severity);
  }
  // Last year's report as the cross-year rules read it: its current source (pipeline/assess.ts lastYearsReport).
  const last = (await sourcesOf(src, bodyId, year - 1, await stateOf(year - 1), l)).current;
  const previous = last ? { year: year - 1, cells: await cellValues(src, bodyId, year - 1, last.sha256, l.options) } : null;
  const alerts = pre ? (pre.alerts.get(bodyId) ?? []).filter((a) => a.year === year) : await src.state.alertsOf(bodyId, year, l.options);
  return { body, year, state, sources, current, currentLost: lost, cells, formats: formatsOf(cells), findings, unread, marks, previous, alerts };
}

async function cellValues(src: SiteSources, bodyId: string, year: number, sha256: string, options?: ListOptions): Promise<CellValues> {
  const out: CellValues = new Map();
  for (const r of await src.reports.rows(bodyId, year, sha256, options)) {
    // table2 single-value rows are stored as { value } (archive/report-rows.ts) and named `table2.licensing`.
    if (r.row.startsWith('table2.') && Object.keys(r.values).length === 1 && 'value' in r.values) out.set(r.row, r.values.value ?? null);
    else if (r.row === 'table4') for (const [k, v] of Object.entries(r.values)) out.set(`table4.${k}`, v);
    else for (const [k, v] of Object.entries(r.values)) out.set(`${r.row}.${k}`, v);
  }
  return out;
}

/** Which template each table follows, from the cells stored: 2019 rows (其他处理 as one row, 政府集中采购) differ. */
function formatsOf(cells: CellValues): ReportView['formats'] {
  const has = (prefix: string) => [...cells.keys()].some((k) => k.startsWith(prefix));
  const table3 = has('table3.') ? (has('table3.other.') ? '2019' : '2021') : null;
  const table2 = has('table2.') ? (has('table2.procurement') || has('table2.other_services') || has('table2.regulations.made') ? '2019' : '2021') : null;
  return { table2, table3, table4: has('table4.') };
}

/** A year across bodies: how many bodies in each status, and the applications each body received. */
export interface YearView {
  year: number;
  counts: Record<CellStatus, number>;
  gaps: number;
  received: { bodyId: string; name: string; value: number }[];
  /** Each rule the year's reports raised (state.findings), gravest first, then by how many bodies: who raised it. */
  findings: YearFinding[];
  /**
   * Reports found whose state has no count of findings (last crawled before nianbao kept one): not counted above, and
   * said so — never shown as reports without findings.
   */
  findingsUnknown: number;
}

export interface YearFinding {
  rule: string;
  severity: Severity | null;
  zh: string | null;
  bodies: { bodyId: string; name: string; count: number }[];
}

/** The rules the year's reports raised, from their states (no report is read). */
export function yearFindings(states: readonly BodyYearState[], names: ReadonlyMap<string, string>): YearFinding[] {
  const byRule = new Map<string, YearFinding>();
  for (const s of states) {
    for (const [rule, count] of Object.entries(s.findings ?? {})) {
      const info = RULE_INFO.get(rule);
      let f = byRule.get(rule);
      if (!f) byRule.set(rule, (f = { rule, severity: info?.severity ?? null, zh: info?.zh ?? null, bodies: [] }));
      f.bodies.push({ bodyId: s.bodyId, name: names.get(s.bodyId) ?? s.bodyId, count });
    }
  }
  const rank = (f: YearFinding) => (f.severity ? SEVERITY_RANK[f.severity] : SEVERITIES.length);
  for (const f of byRule.values()) f.bodies.sort((a, b) => a.bodyId.localeCompare(b.bodyId));
  return [...byRule.values()].sort((a, b) => rank(a) - rank(b) || b.bodies.length - a.bodies.length || a.rule.localeCompare(b.rule));
}

export async function yearView(src: SiteSources, year: number): Promise<YearView> {
  const states = await src.state.states(year, src);
  const counts = Object.fromEntries(CELL_STATUSES.map((s) => [s, 0])) as Record<CellStatus, number>;
  for (const s of states) counts[cellStatus(s)]++;
  const names = new Map(src.bodies.map((b) => [b.id, b.name]));
  const rows = await allPages((cursor) => src.reports.rowAcrossBodies(year, 'table3.received', { cursor, limit: 500, onDamaged: src.onDamaged }));
  const received = rows
    .filter((r) => typeof r.values.total === 'number')
    .map((r) => ({ bodyId: r.bodyId, name: names.get(r.bodyId) ?? r.bodyId, value: r.values.total as number }))
    .sort((a, b) => b.value - a.value);
  return {
    year,
    counts,
    gaps: states.filter(readWithGaps).length,
    received,
    findings: yearFindings(states, names),
    // A report that could not be read at all is counted among the gaps (`unreadable`), not here.
    findingsUnknown: states.filter((s) => s.findings === undefined && !s.unreadable && (s.mainSha256 !== undefined || s.reportSha256 !== undefined)).length,
  };
}

/** Alerts for the alerts page: open first (newest first), then the dismissed (kept, with their reason). */
export async function alertsView(src: SiteSources): Promise<{ open: Alert[]; dismissed: Alert[]; names: Map<string, string> }> {
  const newest = (a: Alert, b: Alert) => b.openedAt.localeCompare(a.openedAt);
  const open = (await src.state.alerts('open', src)).sort(newest);
  const dismissed = (await src.state.alerts('dismissed', src)).sort(newest);
  return { open, dismissed, names: new Map(src.bodies.map((b) => [b.id, b.name])) };
}
