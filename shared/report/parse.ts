/**
 * The parser's entry: bytes (or text) of one report → ParsedReport with findings (docs/format.md §11).
 * HTML tables are read as grids; whatever a grid does not give is aligned from the text, which is also
 * how text renderings and PDF text layers are read.
 */
import { decodeBytes, UnsupportedEncodingError } from './decode.ts';
import { DocError, docToText } from './doc.ts';
import { DocxError, docxToHtml } from './docx.ts';
import { checkBytes, checkChars, DEFAULT_LIMITS, DocumentBudget, type ReadLimits } from './limits.ts';
import type { LayoutText } from './layout.ts';
import { OfdError, ofdText } from './ofd.ts';
import { DEFAULT_PDF_LIMITS, PdfError, pdfText } from './pdf.ts';
import { UnreadableInputError } from './errors.ts';
import { Evidence } from './evidence.ts';
import { PARSER_VERSION, formatForYear } from './format.ts';
import { table2FromGrids } from './grid-table2.ts';
import { table3FromGrids } from './grid-table3.ts';
import { table4FromGrids } from './grid-table4.ts';
import { type Grid, parseHtml } from './html.ts';
import { sniffInput } from './input.ts';
import { detectPublished, detectTitle, statedYear, yearOfPhrase } from './meta.ts';
import type { ParsedReport, SourceType, TableLayout } from './model.ts';
import { norm } from './normalize.ts';
import { extractProseClaims } from './prose.ts';
import { resolveTable2WithProse } from './prose-resolve.ts';
import { findSections, sectionSpan, type SectionHit } from './sections.ts';
import { presentButUnread, unreadCells } from './unread.ts';
import { table2FromText } from './text-table2.ts';
import { table3FormatOf, table3FromText } from './text-table3.ts';
import { table3FromPipes } from './pipe-table3.ts';
import { table4FromText } from './text-table4.ts';

export interface ParseOptions {
  /** Name of the input for error messages (a path or URL). */
  name?: string | undefined;
  /** HTTP Content-Type (or a hint such as "text/html; charset=gbk"). */
  contentType?: string | undefined;
  /** Report year when the caller knows it better than the page. */
  year?: number | undefined;
  /** What one document may cost (limits.ts); the defaults hold for every input path. */
  limits?: ReadLimits | undefined;
  /**
   * The bytes' SHA-256 (hex) when the caller has it (the archive's key): the readers ignore it; a cached parser
   * (parse-cache.ts) keys the report by it instead of hashing the bytes again.
   */
  sha256?: string | undefined;
}

/** Lines that are page furniture of PDF text layers: "- 4 -", "第 3 页 共 6 页". */
const PAGE_NUMBER = /^[ \t]*(?:[—-][ \t]*\d+[ \t]*[—-]|第[ \t]*\d+[ \t]*页(?:[ \t]*[,，]?[ \t]*共[ \t]*\d+[ \t]*页)?|\d+[ \t]*\/[ \t]*\d+)[ \t]*$/gm;

/** Pre-2019 statistics tables (docs/format.md §6) and the old 条例 deadline. */
const LEGACY_MARKERS = /历年累计|受理依申请公开信息总数|对申请的答复总数|政府信息公开情况统计表|主动公开政府信息数/;

/**
 * Parses one report file of any supported kind (HTML, text, PDF, DOCX, DOC/WPS, OFD), recognised by content.
 * Throws UnreadableInputError for input that cannot be read (empty, corrupt, unsupported, over a limit).
 */
export async function readReport(bytes: Uint8Array, opts: ParseOptions = {}): Promise<ParsedReport> {
  const name = opts.name ?? 'input';
  const limits = opts.limits ?? DEFAULT_LIMITS;
  if (bytes.length === 0) throw new UnreadableInputError(name, { en: 'the file is empty', zh: '文件为空' });
  checkBytes(name, bytes.length, limits);
  const budget = new DocumentBudget(name, limits);
  const kind = sniffInput(bytes, { contentType: opts.contentType, fileName: opts.name });
  const fail = (e: unknown): never => {
    if (e instanceof PdfError || e instanceof DocxError || e instanceof DocError || e instanceof OfdError)
      throw new UnreadableInputError(name, e.text ?? e.message);
    throw e;
  };
  switch (kind) {
    case 'html':
    case 'text':
      return readReportBytes(bytes, { ...opts, budget });
    case 'pdf': {
      const pdf = await pdfText(bytes, DEFAULT_PDF_LIMITS, () => budget.check('a PDF page')).catch(fail);
      return readLayout(pdf, 'pdf', `PDF text layer, ${pdf.pages} pages, lines rebuilt from item positions (pdfjs)`, { ...opts, budget });
    }
    case 'ofd': {
      const ofd = await ofdText(bytes, limits, () => budget.check('an OFD page')).catch(fail);
      return readLayout(ofd, 'ofd', `OFD (GB/T 33190) text objects, ${ofd.pages} pages, lines rebuilt from glyph positions`, { ...opts, budget });
    }
    case 'docx': {
      const html = await docxToHtml(bytes, limits).catch(fail);
      budget.check('the DOCX conversion');
      return readReportText(html, {
        ...opts,
        budget,
        type: 'docx',
        encoding: 'n/a',
        encodingSource: 'n/a',
        markup: 'html',
        method: 'DOCX converted to HTML (mammoth), tables read as grids',
      });
    }
    case 'doc': {
      const text = await docToText(bytes).catch(fail);
      budget.check('the DOC conversion');
      return readReportText(text, {
        ...opts,
        budget,
        type: 'doc',
        encoding: 'n/a',
        encodingSource: 'n/a',
        markup: 'text',
        method: 'Word 97–2003 / WPS text (word-extractor), tables aligned from text',
      });
    }
    default:
      throw new UnreadableInputError(name, {
        en: `unsupported input type: ${kind.toUpperCase()} (HTML, text, PDF, DOCX, DOC, WPS and OFD are read)`,
        zh: `不支持的文件类型（${kind.toUpperCase()}）`,
      });
  }
}

/** A fixed-layout document's text (PDF, OFD: layout.ts) read as a report; a document of no text is a scan. */
function readLayout(layout: LayoutText, type: 'pdf' | 'ofd', method: string, opts: ParseOptions & { budget: DocumentBudget }): ParsedReport {
  const scanned = type === 'pdf' ? '; no text layer: scanned images' : '; no text: scanned images';
  return readReportText(layout.text, {
    ...opts,
    type,
    encoding: 'n/a',
    encodingSource: 'n/a',
    markup: 'text',
    imageOnly: layout.imageOnly,
    method: `${method}${layout.imageOnly ? scanned : ''}`,
  });
}

/** Parses an HTML or text report from its bytes (synchronous; see readReport for every other kind). */
export function readReportBytes(bytes: Uint8Array, opts: ParseOptions & { budget?: DocumentBudget } = {}): ParsedReport {
  const name = opts.name ?? 'input';
  if (bytes.length === 0) throw new UnreadableInputError(name, { en: 'the file is empty', zh: '文件为空' });
  checkBytes(name, bytes.length, opts.limits);
  const kind = sniffInput(bytes, { contentType: opts.contentType, fileName: opts.name });
  if (kind !== 'html' && kind !== 'text') {
    throw new UnreadableInputError(name, { en: `unsupported input type: ${kind.toUpperCase()} (use readReport)`, zh: '不支持的文件类型' });
  }
  let decoded: ReturnType<typeof decodeBytes>;
  try {
    decoded = decodeBytes(bytes, opts.contentType);
  } catch (e) {
    if (e instanceof UnsupportedEncodingError) throw new UnreadableInputError(name, e.text ?? e.message);
    throw e;
  }
  return readReportText(decoded.text, {
    ...opts,
    type: kind,
    encoding: decoded.encoding,
    encodingSource: decoded.source,
    method: kind === 'html' ? 'HTML tables read as grids' : 'text aligned to the template labels',
  });
}

interface TextOptions extends ParseOptions {
  /** The input file's kind (reported in `source.type`). */
  type?: SourceType | undefined;
  /** Whether `input` is HTML markup or flattened text (default: by `type`, else sniffed). */
  markup?: 'html' | 'text' | undefined;
  encoding?: string | undefined;
  encodingSource?: string | undefined;
  /** The input has no text to read (a scan): the report says so and no other rule runs. */
  imageOnly?: boolean | undefined;
  /** How the figures were read, for people ("PDF text layer, 6 pages …"). */
  method?: string | undefined;
  /** The document's time budget (readReport makes one; checked between stages). */
  budget?: DocumentBudget | undefined;
}

type Regions = ReturnType<typeof regions>;
type TableReadings = {
  t2: ReturnType<typeof table2FromText>;
  t3: ReturnType<typeof table3FromTextOrPipes>;
  t4: ReturnType<typeof table4FromText>;
  layout: ParsedReport['tables'];
  evidence: Evidence;
};

/**
 * Tables 三, 四 and 二: from the page's grids when it has tables, else from the text of their regions. A pre-2019
 * report (2007 条例 第三十二条: no national tables) has no table 二 to look for when 三 and 四 are absent.
 */
function readTables(text: string, grids: Grid[], region: Regions, legacyYear: boolean, budget: DocumentBudget): TableReadings {
  const evidence = new Evidence();
  const layout: ParsedReport['tables'] = { table2: null, table3: null, table4: null };
  const pick = <T extends { evidence: Evidence }>(key: keyof typeof layout, grid: T | null, fromText: () => T | null): T | null => {
    const r = grid ?? fromText();
    if (!r) return null;
    layout[key] = (grid ? 'grid' : 'text') as TableLayout;
    evidence.merge(r.evidence);
    return r;
  };
  const t3 = pick('table3', grids.length ? table3FromGrids(grids) : null, () => table3FromTextOrPipes(text.slice(...region.table3), evidence));
  const t4 = pick('table4', grids.length ? table4FromGrids(grids) : null, () => table4FromText(text.slice(...region.table4)));
  budget.check('tables 三 and 四');
  const t2 = !t3 && !t4 && legacyYear ? null : pick('table2', grids.length ? table2FromGrids(grids) : null, () => table2FromText(text.slice(...region.table2)));
  budget.check('table 二');
  return { t2, t3, t4, layout, evidence };
}

/** The report model from what was read (before the prose resolves table 二 and the unread cells are listed). */
function modelOf(
  r: TableReadings,
  meta: Pick<ParsedReport, 'title' | 'year' | 'stated_year' | 'published' | 'format' | 'image_only' | 'source' | 'sections_out_of_order'> & {
    sections: string[];
  },
  proseText: string,
): ParsedReport {
  const { evidence } = r;
  return {
    title: meta.title,
    year: meta.year,
    stated_year: meta.stated_year,
    published: meta.published,
    format: meta.format,
    table2: r.t2?.table ?? null,
    table3: r.t3?.table ?? null,
    table4: r.t4?.table ?? null,
    findings: [],
    inferred: [...new Set(evidence.inferred)],
    placed_by_position: [...new Set(evidence.placed)],
    unreadable: [...new Set(evidence.unreadable)],
    unread: [],
    ambiguous: evidence.ambiguous,
    blank: [...new Set(evidence.blank)],
    units: evidence.units,
    tables: r.layout,
    table_formats: { table2: r.t2?.format ?? null, table3: r.t3?.format ?? null },
    sections: meta.sections as ParsedReport['sections'],
    sections_out_of_order: meta.sections_out_of_order,
    prose: extractProseClaims(proseText),
    image_only: meta.image_only,
    source: meta.source,
    parser_version: PARSER_VERSION,
    sources: evidence.sources,
    prose_text: proseText,
  };
}

/** Parses an already decoded report (HTML markup or flattened text). */
export function readReportText(input: string, opts: TextOptions = {}): ParsedReport {
  const name = opts.name ?? 'input';
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const budget = opts.budget ?? new DocumentBudget(name, limits);
  checkChars(name, input.length, limits);
  const markup =
    opts.markup ?? (opts.type === 'html' || opts.type === 'text' ? opts.type : sniffInput(Buffer.from(input.slice(0, 8192))) === 'html' ? 'html' : 'text');
  const html = markup === 'html' ? parseHtml(input, { name, limits }) : null;
  budget.check('the HTML');
  const text = (html ? html.text : norm(input)).replace(PAGE_NUMBER, '');
  const { hits, outOfOrder } = findSections(text);
  const region = regions(text, hits);
  const title = detectTitle(text, html?.titles ?? []);
  // The caller's year (the one a report is listed for) wins; the document's own is kept beside it (REPORT-YEAR).
  const stated = statedYear(title, text);
  const year = opts.year ?? stated ?? yearOfPhrase(text);
  // Pre-2019 reports (2007 条例 第三十二条) had no national tables: legacy, whatever stray words match.
  const legacyYear = year !== null && formatForYear(year) === 'legacy';
  const r = readTables(text, html?.grids ?? [], region, legacyYear, budget);
  const noTables = !r.t2 && !r.t3 && !r.t4;
  const legacy = noTables && (legacyYear || LEGACY_MARKERS.test(text));
  // Image-only: no table to read, images where they would be, and little text or the headings alone.
  const imageOnly =
    opts.imageOnly === true || (!legacy && noTables && (html?.images ?? 0) > 0 && (hits.length >= 3 || text.replace(/[\s\d\p{P}]/gu, '').length < 200));
  const report = modelOf(
    r,
    {
      title,
      year,
      stated_year: stated,
      published: detectPublished(text) ?? html?.pageDate ?? null,
      format: legacy ? 'legacy' : (r.t2?.format ?? r.t3?.format ?? 'unknown'),
      image_only: imageOnly,
      sections: hits.map((h) => h.key),
      sections_out_of_order: outOfOrder,
      source: {
        type: opts.type ?? markup,
        encoding: opts.encoding ?? 'utf-8',
        encoding_source: opts.encodingSource ?? 'default',
        method: opts.method ?? (markup === 'html' ? 'HTML tables read as grids' : 'text aligned to the template labels'),
      },
    },
    prose(text, hits, region),
  );
  resolveTable2WithProse(report, report.prose);
  budget.check('the prose');
  presentButUnread(report, text, r.evidence.reasons);
  report.unread = unreadCells(report, r.evidence.reasons);
  report.unreadable = report.unread.map((u) => u.cell);
  return report;
}

type Span = [number, number];

/**
 * Table 三 from flattened text: by label alignment, and — when the text holds pipe rows (Markdown, converters) —
 * by pipe rows, whose unlabelled rows can be placed by position. The reading that leaves fewer cells unread wins.
 */
function table3FromTextOrPipes(text: string, evidence: Evidence) {
  const byLabels = table3FromText(text);
  const pipes = table3FromPipes(text, byLabels?.format ?? table3FormatOf(text));
  if (!pipes) return byLabels;
  const unread = (r: { evidence: Evidence } | null) => (r ? new Set(r.evidence.unreadable).size : Infinity);
  if (unread(pipes) >= unread(byLabels)) return byLabels;
  evidence.placed.push(...pipes.byPosition.map((k) => `table3.${k}`));
  return pipes;
}

/** Where each table's text is: its section, or the best guess when headings are missing. */
function regions(text: string, hits: SectionHit[]): { table2: Span; table3: Span; table4: Span; tables: Span } {
  const len = text.length;
  const t3Start = /勾稽关系|申请人情况/.exec(text)?.index;
  const s2 = sectionSpan(hits, 'proactive', len);
  const s3 = sectionSpan(hits, 'applications', len) ?? (t3Start !== undefined ? [t3Start, len] : [0, len]);
  const s4 = sectionSpan(hits, 'review_litigation', len) ?? [s3[0], len];
  return {
    table2: s2 ?? [0, s3[0]],
    table3: s3,
    table4: s4,
    tables: [s2?.[0] ?? s3[0], s4[1]],
  };
}

/** The prose: everything outside the tables' sections. */
function prose(text: string, hits: SectionHit[], region: { tables: Span }): string {
  if (hits.length === 0) return text;
  const [a, b] = region.tables;
  return `${text.slice(0, a)}\n${text.slice(b)}`;
}
