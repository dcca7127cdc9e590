/**
 * The parse result: the public JSON object of docs/format.md §11 plus what the parser knows about how sure it is.
 */
import type { Cell } from './cells.ts';
import type { FormatId, Table3Column, Table3RowKey, Table4Key } from './format.ts';

export type { Cell } from './cells.ts';

export interface Table3 {
  columns: Table3Column[];
  /** Row key → 7 cells in `columns` order. Only the rows of the detected template variant are present. */
  rows: Partial<Record<Table3RowKey, Cell[]>>;
}

export type Table4 = Record<Table4Key, Cell>;

/** 2021: `regulations: {issued, repealed, in_force}`, `licensing: 12`; 2019: every row is an object. */
export type Table2 = Record<string, Cell | Record<string, Cell>>;

export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];
/** Gravest first: the order findings are listed in (0 = error). */
export const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export interface Finding {
  rule: string;
  severity: Severity;
  /** Chinese and English, one line: `${zh} / ${en}` (kept for readers of the JSON contract). */
  message: string;
  /** The finding in Chinese, for watchdogs (alert texts use it as it is). */
  zh: string;
  /** The finding in English. */
  en: string;
  /** Cells involved, named `table3.received.natural_person`, `table4.review_total`, `table2.regulations.issued`. */
  cells?: string[];
  expected?: number | string;
  actual?: number | string;
  /** The prose sentence a PROSE-TABLE finding refers to. */
  quote?: string;
}

/** A figure stated in the prose ("共收到政府信息公开申请12件"). */
export interface ProseClaim {
  key: ProseKey;
  value: number;
  quote: string;
}

export const PROSE_KEYS = [
  'received',
  'received_or_total',
  'received_natural_person',
  'received_commercial',
  'received_all_natural',
  'carried_over',
  'handled',
  'carried_forward',
  'granted',
  'partially_granted',
  'granted_or_partial',
  'denied',
  'unavailable',
  'rejected',
  'other_handled',
  'review_total',
  'review_upheld',
  'review_corrected',
  'review_other',
  'review_pending',
  'suit_total',
  'suit_upheld',
  'suit_corrected',
  'suit_other',
  'suit_pending',
  'review_all_upheld',
  'suit_all_upheld',
  'review_all_closed',
  'suit_all_closed',
  'normative_in_force',
  'normative_issued',
] as const;
export type ProseKey = (typeof PROSE_KEYS)[number];

/** A cell the parser could not read: why, and the source text around it. */
export interface UnreadCell {
  cell: string;
  /** English, then Chinese: `too few digits for the row / 数字少于单元格` (evidence.ts UNREAD). */
  reason: string;
  source: string;
}

/** Cells whose digits ran together and could not be split uniquely. */
export interface Ambiguity {
  cells: string[];
  source: string;
  candidates: Cell[][];
  /** True when there were more candidates than listed. */
  truncated?: boolean;
  reason: string;
}

export const SOURCE_TYPES = ['html', 'text', 'pdf', 'docx', 'doc', 'ofd'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

/** How the tables were read: as HTML grids, or aligned from flattened text. */
export type TableLayout = 'grid' | 'text' | null;

export interface ParsedReport {
  title: string | null;
  /** The report year: the caller's (the year it is listed for), else the one the document states. */
  year: number | null;
  /** The year the document states for itself (its title, else its 统计期限), when it does (REPORT-YEAR). */
  stated_year: number | null;
  /** 发布时间 shown on the page (YYYY-MM-DD), if any. */
  published: string | null;
  format: FormatId;
  table2: Table2 | null;
  table3: Table3 | null;
  table4: Table4 | null;
  findings: Finding[];
  /** Cells whose value was obtained by splitting run-together digits with the table's arithmetic. */
  inferred: string[];
  /**
   * Rows (`table3.denied_prohibited`) whose label could not be recognised (misprinted, or moved away by a
   * converter) and that were placed by their position between recognised rows.
   */
  placed_by_position: string[];
  /** Cells that are null because their source was not a number (not blanks). */
  unreadable: string[];
  /**
   * Every cell of the tables present that could not be read, with the reason and the source text (CELL-UNREAD):
   * never shown or stored like a blank.
   */
  unread: UnreadCell[];
  ambiguous: Ambiguity[];
  /** Cells null because the source left them blank ("", "/", "—", "无"). */
  blank: string[];
  /** Units written in cells where the template prescribes another ("251000元" in 万元 columns). */
  units: Record<string, string>;
  tables: { table2: TableLayout; table3: TableLayout; table4: TableLayout };
  /** Template version of each table (the seed's 2024 report has a 2021 table 二 but the 2019 （六） row). */
  table_formats: { table2: '2021' | '2019' | null; table3: '2021' | '2019' | null };
  /** Section headings found, in document order (keys of format.ts SECTIONS). */
  sections: string[];
  /** Headings present but not after the previous one. */
  sections_out_of_order: string[];
  prose: ProseClaim[];
  image_only: boolean;
  /** The input: its kind (by content), charset, and how the figures were read. */
  source: { type: SourceType; encoding: string; encoding_source: string; method: string };
  parser_version: string;
  /** Source text of every cell read, by cell name (for quoting evidence). */
  sources: Record<string, string>;
  /** Normalised prose (section texts outside the tables), kept for cross-year similarity. */
  prose_text: string;
}
