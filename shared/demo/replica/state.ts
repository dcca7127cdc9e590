/**
 * The state of the replica portals: which annual reports each site has published, and when. Tests and the
 * demo change it between runs (publish, change or remove a report) through the admin endpoint.
 */
import { randomModel, type Model } from '../generate.ts';

export interface ReplicaReport {
  year: number;
  /** The figures of the Word attachment differ from the page (SOURCE-MISMATCH). */
  attachmentDiffers?: boolean;
  /**
   * The "Word" attachment is an OFD package (GB/T 33190) under the same `.doc` link, as portals mislabel files: read
   * by its content.
   */
  attachmentOfd?: boolean;
  /**
   * The page shows table 二 only and sends the reader to the Word attachment for tables 三 and 四 ("详见附件"): the
   * attachment is the source the report is assessed by, though the page has figures too.
   */
  tablesInAttachment?: boolean;
  /** The page is another year's report (its title says this year), posted under this year's title in the column. */
  pageYear?: number;
  /** TRS-style document id, stable per year. */
  id: number;
  /** What the title adds after the report's name: an edition ("（更正版）"). */
  edition?: string;
  /** A notice of a correction titled like an edition: a few sentences, no tables, no attachments. */
  notice?: boolean;
  /** The page says nothing of its assessment, public evaluation and accountability results (ASSESSMENT-RESULTS). */
  noAssessment?: boolean;
  /**
   * The prose compares this year's applications with last year's, taken to be this many ("较上年增加5件", CROSS-PROSE):
   * last year's true figure, or another.
   */
  lastYearReceived?: number;
  /** Publication date shown on the page (YYYY-MM-DD). */
  published: string;
  model: Model;
  /** Bumped by `change`: the page's figures differ from the first version. */
  revision: number;
  /** Some figures of table 三 are printed as words ("见附件"): the page reads with gaps. */
  garbled?: boolean;
  removed: boolean;
}

export const REPLICA_BODY = '某某区人民政府';

export class ReplicaState {
  readonly reports = new Map<number, ReplicaReport>();
  /** The portal answers 503 to everything (an outage). */
  down = false;
  /** The Hanweb xxgk viewer files reports by the year they were published (fbtime=2025: the 2024 report). */
  xxgkByPublication = false;
  /** List pages (0 = the first) that answer 503. */
  readonly failingPages = new Set<number>();
  /** Further items for a year already published: a different report (DUPLICATE-REPORT), a corrected edition, a re-post. */
  readonly duplicates: ReplicaReport[] = [];
  /** Non-report items interleaved in the lists (notices, other columns). */
  readonly notices = [
    '关于开展2024年政务公开工作培训的通知',
    '某某区2024年国民经济和社会发展统计公报',
    '政府信息公开指南',
    '关于2023年度政府信息公开工作年度报告编制工作的通知',
  ];

  constructor(years: number[] = [2019, 2020, 2021, 2022, 2023, 2024]) {
    for (const y of years) this.publish(y);
  }

  publish(year: number, published = `${year + 1}-01-${String(10 + (year % 15)).padStart(2, '0')}`, seed = 1000 + year): ReplicaReport {
    const model: Model = { ...randomModel(seed, year >= 2021 ? '2021' : '2019'), year };
    const r: ReplicaReport = { year, id: 80000 + year, published, model, revision: 0, removed: false };
    this.reports.set(year, r);
    return r;
  }

  /** Changes a published report: one figure and its totals move (the report stays consistent). */
  change(year: number): ReplicaReport | undefined {
    const r = this.reports.get(year);
    if (!r) return undefined;
    r.revision++;
    const rows = r.model.table3.rows;
    for (const key of ['granted', 'total_handled', 'received'] as const) {
      rows[key]![0]! += 1;
      rows[key]![6]! += 1;
    }
    return r;
  }

  /** Prints some of a report's figures as words, so the page reads with gaps (`fixed` undoes it). */
  garble(year: number, garbled = true): void {
    const r = this.reports.get(year);
    if (r) r.garbled = garbled;
  }

  /** Breaks a published report's arithmetic (one cell off), as real reports are. */
  corrupt(year: number): void {
    const r = this.reports.get(year);
    if (r) r.model.table3.rows.granted![0]! += 5;
  }

  /** Publishes a second, different report for `year` (another id, other figures). */
  duplicate(year: number): ReplicaReport {
    const r: ReplicaReport = {
      year,
      id: 90000 + year,
      published: `${year + 1}-01-28`,
      model: { ...randomModel(2000 + year), year },
      revision: 0,
      removed: false,
    };
    this.duplicates.push(r);
    return r;
  }

  /**
   * A corrected edition of `year`'s report, posted on `date` at a URL of its own and titled "（更正版）": one figure and
   * its totals corrected. `replace`: the original is taken down (its URL answers 404), as portals swap a report.
   */
  correct(year: number, date: string, opts: { replace?: boolean; edition?: string; notice?: boolean } = {}): ReplicaReport | undefined {
    const r = this.reports.get(year);
    if (!r) return undefined;
    const model = structuredClone(r.model);
    const rows = model.table3.rows;
    for (const key of ['granted', 'total_handled', 'received'] as const) {
      rows[key]![0]! += 3;
      rows[key]![6]! += 3;
    }
    const edit = { id: 95000 + year, published: date, model, edition: opts.edition ?? '（更正版）', ...(opts.notice ? { notice: true } : {}) };
    return this.posted(r, edit, opts.replace ?? false);
  }

  /** The same report posted again under a new URL and `date` (a CMS migration), the old URL gone. */
  repost(year: number, date: string): ReplicaReport | undefined {
    const r = this.reports.get(year);
    return r && this.posted(r, { id: 96000 + year, published: date, model: structuredClone(r.model) }, true);
  }

  private posted(r: ReplicaReport, edit: Pick<ReplicaReport, 'id' | 'published' | 'model' | 'edition' | 'notice'>, replace: boolean): ReplicaReport {
    const copy: ReplicaReport = { ...r, ...edit, revision: r.revision, removed: false };
    if (replace) r.removed = true;
    this.duplicates.push(copy);
    return copy;
  }

  /** Every report the portal can serve (published ones and duplicates). */
  all(): ReplicaReport[] {
    return [...this.reports.values(), ...this.duplicates];
  }

  remove(year: number): void {
    const r = this.reports.get(year);
    if (r) r.removed = true;
  }

  /** Published, not removed, newest first. */
  visible(): ReplicaReport[] {
    return this.all()
      .filter((r) => !r.removed)
      .sort((a, b) => b.year - a.year || a.id - b.id);
  }
}
