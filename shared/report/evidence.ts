import type { Ambiguity } from './model.ts';

/** Why a cell could not be read, and the source text around it (for CELL-UNREAD). */
export interface UnreadReason {
  reason: string;
  source: string;
}

/** What a table reader learnt about each cell: where it came from and how sure it is. */
export class Evidence {
  readonly sources: Record<string, string> = {};
  readonly inferred: string[] = [];
  readonly unreadable: string[] = [];
  /** For each unreadable cell: why, and what the source said there. */
  readonly reasons: Record<string, UnreadReason> = {};
  readonly blank: string[] = [];
  readonly ambiguous: Ambiguity[] = [];
  readonly units: Record<string, string> = {};
  /** Rows read without a recognisable label, placed by their position between recognised rows. */
  readonly placed: string[] = [];

  /** Cells the reader could not read (never to be shown or stored like blanks). The first reason given stays. */
  unread(cells: string[], reason: string, source = ''): void {
    for (const c of cells) {
      this.unreadable.push(c);
      this.reasons[c] ??= { reason, source: source.slice(0, 200) };
    }
  }

  merge(other: Evidence): this {
    Object.assign(this.sources, other.sources);
    Object.assign(this.units, other.units);
    for (const [c, r] of Object.entries(other.reasons)) this.reasons[c] ??= r;
    this.inferred.push(...other.inferred);
    this.unreadable.push(...other.unreadable);
    this.blank.push(...other.blank);
    this.ambiguous.push(...other.ambiguous);
    this.placed.push(...other.placed);
    return this;
  }
}

/** Reasons the readers give (Chinese / English), one wording each. */
export const UNREAD = {
  labelNotFound: 'the row label was not found in the table / 表中未找到该行标签',
  noValues: 'no figures after the row label / 行标签后没有数字',
  noCell: 'no cell of the table under this column / 该列下没有单元格',
  notNumber: 'not a number / 不是数字',
  tooMany: (n: number, count: number) => `${n} values where ${count} belong / 数值个数（${n}）多于单元格（${count}）`,
  tableUnread: 'the table is there but its figures could not be read / 表格存在但未能读取数字',
  notFoundAnywhere: 'no source for this cell / 未找到该单元格的来源',
} as const;
