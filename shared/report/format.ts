/**
 * The statutory template of the 政府信息公开工作年度报告 — the one description every other module reads.
 *
 * Sources: 《中华人民共和国政府信息公开工作年度报告格式》 issued with 国办公开办函〔2021〕30号 (first applied to
 * the 2021 reports), and the trial format (试行) issued with 国办公开办函〔2019〕60号 (2019 and 2020 reports).
 * Before 2019 there was no national table format ("legacy"). See ../shared/domain/docs/format.md §2–§6.
 *
 * Keys are the public contract of docs/format.md §11: JSON output, DynamoDB rows and CSV columns all use them.
 */

/** Template versions a report can be written in. `legacy` = pre-2019 free-form; `unknown` = not recognised. */
export const FORMATS = ['2021', '2019', 'legacy', 'unknown'] as const;
export type FormatId = (typeof FORMATS)[number];

/** The template a report for `year` should use (docs/format.md §6: 2021 format from the 2021 reports on). */
export function formatForYear(year: number): FormatId {
  if (year >= 2021) return '2021';
  if (year >= 2019) return '2019';
  return 'legacy';
}

// ---------------------------------------------------------------------------------------------------
// Sections 一…六 (docs/format.md §2). `pattern` matches the heading after normalisation (see normalize.ts);
// it requires the Chinese numeral so a table row such as "四、结转下年度继续办理" is never a heading.
// ---------------------------------------------------------------------------------------------------

export interface SectionDef {
  readonly numeral: string;
  readonly key: string;
  readonly label: string;
  readonly pattern: RegExp;
}

export const SECTIONS: readonly SectionDef[] = [
  { numeral: '一', key: 'overview', label: '总体情况', pattern: /一[、.]\s*(?:总体情况|概述)/ },
  { numeral: '二', key: 'proactive', label: '主动公开政府信息情况', pattern: /二[、.]\s*主动公开(?:政府)?信息(?:的)?情况/ },
  {
    numeral: '三',
    key: 'applications',
    label: '收到和处理政府信息公开申请情况',
    pattern: /三[、.]\s*收到和处理政府信息公开申请(?:的)?情况/,
  },
  {
    numeral: '四',
    key: 'review_litigation',
    label: '政府信息公开行政复议、行政诉讼情况',
    // Variants: "因政府信息公开工作被申请行政复议和提起行政诉讼情况", "行政法复议" (typo, 平潭 2022).
    pattern: /四[、.]\s*[^。\n]{0,20}?行政(?:法)?复议[^。\n]{0,12}?行政诉讼(?:的)?情况/,
  },
  {
    numeral: '五',
    key: 'problems',
    label: '存在的主要问题及改进情况',
    // Variants: 存在的主要问题及整改措施 / 改进措施 / 改进情况, 存在主要问题…, 存在问题及改进情况.
    pattern: /五[、.]\s*(?:政府信息公开工作)?存在(?:的)?(?:主要)?问题(?:及|和|与)?(?:其)?(?:改进|整改)(?:情况|措施)/,
  },
  { numeral: '六', key: 'other', label: '其他需要报告的事项', pattern: /六[、.]\s*其他需要报告的事项/ },
];

// ---------------------------------------------------------------------------------------------------
// Table 三 — 收到和处理政府信息公开申请情况 (docs/format.md §4)
// ---------------------------------------------------------------------------------------------------

export const TABLE3_COLUMNS = ['natural_person', 'commercial', 'research', 'social_welfare', 'legal_service', 'other_org', 'total'] as const;
export type Table3Column = (typeof TABLE3_COLUMNS)[number];
/** The six applicant columns (everything but 总计). */
export const TABLE3_APPLICANT_COLUMNS = TABLE3_COLUMNS.slice(0, 6) as readonly Table3Column[];

export const TABLE3_COLUMN_LABELS: Record<Table3Column, string> = {
  natural_person: '自然人',
  commercial: '商业企业',
  research: '科研机构',
  social_welfare: '社会公益组织',
  legal_service: '法律服务机构',
  other_org: '其他',
  total: '总计',
};

export const TABLE3_ROW_KEYS = [
  'received',
  'carried_over',
  'granted',
  'partially_granted',
  'denied_state_secret',
  'denied_prohibited',
  'denied_three_safeties',
  'denied_third_party',
  'denied_internal_affairs',
  'denied_process_info',
  'denied_enforcement_file',
  'denied_administrative_query',
  'unavailable_not_held',
  'unavailable_needs_creation',
  'unavailable_unclear',
  'rejected_complaint',
  'rejected_repeated',
  'rejected_publication',
  'rejected_excessive',
  'rejected_confirmation',
  'other_no_correction',
  'other_no_fee',
  'other_other',
  'other',
  'total_handled',
  'carried_forward',
] as const;
export type Table3RowKey = (typeof TABLE3_ROW_KEYS)[number];

/** The result groups of 三、本年度办理结果. */
export const RESULT_GROUPS = ['granted', 'partial', 'denied', 'unavailable', 'rejected', 'other'] as const;
export type ResultGroup = (typeof RESULT_GROUPS)[number];

export interface Table3RowDef {
  readonly key: Table3RowKey;
  /** Official label, verbatim from the template. */
  readonly label: string;
  /** The group heading above it ((三)不予公开 …), if any. */
  readonly group?: string;
  /** Leaf number inside its group ("1." … "8."), printed before the label in most reports. */
  readonly number?: number;
  /**
   * The distinctive part of the label used to find the row in any layout. Matched after
   * normalisation with any whitespace allowed between characters (labels are broken over lines in
   * PDFs and Word tables), so it must not occur in the labels that precede it in the table.
   * Alternatives are separated by `|`.
   */
  readonly core: string;
  /**
   * The leaf number must precede the core ("3.其他"): the bare core is too common to find the row by
   * (it also occurs in "（六）其他处理" and the 其他 column header).
   */
  readonly numberRequired?: boolean;
  /** For a result leaf: which （一）…（六） group it adds to for T3-RESULTS. */
  readonly result?: ResultGroup;
  /** In which formats the row exists. */
  readonly formats: readonly ('2021' | '2019')[];
}

const BOTH = ['2021', '2019'] as const;

export const TABLE3_ROWS: readonly Table3RowDef[] = [
  { key: 'received', label: '一、本年新收政府信息公开申请数量', core: '本年新收', formats: BOTH },
  { key: 'carried_over', label: '二、上年结转政府信息公开申请数量', core: '上年结转', formats: BOTH },
  { key: 'granted', label: '（一）予以公开', group: '三、本年度办理结果', core: '予以公开', result: 'granted', formats: BOTH },
  {
    key: 'partially_granted',
    label: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）',
    group: '三、本年度办理结果',
    core: '部分公开',
    result: 'partial',
    formats: BOTH,
  },
  ...leaves('（三）不予公开', 'denied', [
    ['denied_state_secret', '属于国家秘密', '国家秘密'],
    ['denied_prohibited', '其他法律行政法规禁止公开', '禁止公开|法律行政法规'],
    ['denied_three_safeties', '危及“三安全一稳定”', '危及|三安全'],
    ['denied_third_party', '保护第三方合法权益', '第三方'],
    ['denied_internal_affairs', '属于三类内部事务信息', '内部事务|三类内部'],
    ['denied_process_info', '属于四类过程性信息', '过程性'],
    ['denied_enforcement_file', '属于行政执法案卷', '执法案卷'],
    ['denied_administrative_query', '属于行政查询事项', '行政查询'],
  ]),
  ...leaves('（四）无法提供', 'unavailable', [
    ['unavailable_not_held', '本机关不掌握相关政府信息', '不掌握'],
    ['unavailable_needs_creation', '没有现成信息需要另行制作', '另行制作|没有现成'],
    ['unavailable_unclear', '补正后申请内容仍不明确', '仍不明确|补正后申请'],
  ]),
  ...leaves('（五）不予处理', 'rejected', [
    ['rejected_complaint', '信访举报投诉类申请', '信访举报|举报投诉'],
    ['rejected_repeated', '重复申请', '重复申请'],
    ['rejected_publication', '要求提供公开出版物', '出版物'],
    ['rejected_excessive', '无正当理由大量反复申请', '大量反复'],
    ['rejected_confirmation', '要求行政机关确认或重新出具已获取信息', '重新出具|确认或重新|已获取信息'],
  ]),
  ...leaves(
    '（六）其他处理',
    'other',
    [
      ['other_no_correction', '申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', '逾期不补正|无正当理由逾期'],
      ['other_no_fee', '申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', '缴纳费用|收费通知'],
      ['other_other', '其他', '其他', true],
    ],
    ['2021'],
  ),
  { key: 'other', label: '（六）其他处理', group: '三、本年度办理结果', core: '其他处理', result: 'other', formats: ['2019'] },
  { key: 'total_handled', label: '（七）总计', group: '三、本年度办理结果', core: '总计', formats: BOTH },
  { key: 'carried_forward', label: '四、结转下年度继续办理', core: '结转下年度', formats: BOTH },
];

function leaves(
  group: string,
  result: ResultGroup,
  items: [key: Table3RowKey, label: string, core: string, numberRequired?: boolean][],
  formats: readonly ('2021' | '2019')[] = BOTH,
): Table3RowDef[] {
  return items.map(([key, label, core, numberRequired], i) => ({
    key,
    label,
    group,
    number: i + 1,
    core,
    ...(numberRequired ? { numberRequired } : {}),
    result,
    formats,
  }));
}

/** Row definitions of table 三 in the given template (23 rows in 2019, 25 in 2021). */
export function table3Rows(format: '2021' | '2019'): Table3RowDef[] {
  return TABLE3_ROWS.filter((r) => r.formats.includes(format));
}

export const TABLE3_ROW_BY_KEY = new Map(TABLE3_ROWS.map((r) => [r.key, r]));

const table3Names = new Map<string, Map<string, string>>();
/**
 * The name of a table 三 cell, `table3.received.natural_person`. Interned by row then column: readers and
 * rules ask for these thousands of times per report, and an interned name builds no string.
 */
export function table3CellName(row: string, col: string): string {
  let byCol = table3Names.get(row);
  if (byCol === undefined) table3Names.set(row, (byCol = new Map()));
  let name = byCol.get(col);
  if (name === undefined) byCol.set(col, (name = `table3.${row}.${col}`));
  return name;
}

// ---------------------------------------------------------------------------------------------------
// Table 四 — 政府信息公开行政复议、行政诉讼情况 (docs/format.md §5; same in 2019 and 2021)
// ---------------------------------------------------------------------------------------------------

export const TABLE4_GROUPS = ['review', 'suit_direct', 'suit_after_review'] as const;
export type Table4Group = (typeof TABLE4_GROUPS)[number];
export const TABLE4_OUTCOMES = ['upheld', 'corrected', 'other', 'pending', 'total'] as const;
export type Table4Outcome = (typeof TABLE4_OUTCOMES)[number];
export type Table4Key = `${Table4Group}_${Table4Outcome}`;

/** The 15 keys of table 四 in template column order. */
export const TABLE4_KEYS: readonly Table4Key[] = TABLE4_GROUPS.flatMap((g) => TABLE4_OUTCOMES.map((o) => `${g}_${o}` as Table4Key));

export const TABLE4_GROUP_LABELS: Record<Table4Group, string> = {
  review: '行政复议',
  suit_direct: '行政诉讼·未经复议直接起诉',
  suit_after_review: '行政诉讼·复议后起诉',
};
export const TABLE4_OUTCOME_LABELS: Record<Table4Outcome, string> = {
  upheld: '结果维持',
  corrected: '结果纠正',
  other: '其他结果',
  pending: '尚未审结',
  total: '总计',
};

// ---------------------------------------------------------------------------------------------------
// Table 二 — 主动公开政府信息情况 (docs/format.md §3 for 2021, §6 for the 2019 trial format)
// ---------------------------------------------------------------------------------------------------

export interface Table2RowDef {
  /** Public key (docs/format.md §11). */
  readonly key: string;
  readonly label: string;
  /** Distinctive label text (see Table3RowDef.core); 规范性文件 also finds 行政规范性文件. */
  readonly core: string;
  /** The 条例 第二十条 item the block belongs to. */
  readonly item: string;
  /**
   * Column keys with their labels and the word that identifies the column header; a single-value row
   * has one column whose key is `value`.
   */
  readonly columns: readonly { key: string; label: string; word: string }[];
  /** Columns whose value may be negative (2019 format 本年增/减) or fractional (收费, 采购金额). */
  readonly signed?: readonly string[];
  readonly decimal?: readonly string[];
}

const VALUE = [{ key: 'value', label: '本年处理决定数量', word: '处理决定' }] as const;
const STOCK_2021 = [
  { key: 'issued', label: '本年制发件数', word: '制发' },
  { key: 'repealed', label: '本年废止件数', word: '废止' },
  { key: 'in_force', label: '现行有效件数', word: '现行有效' },
] as const;
const STOCK_2019 = [
  { key: 'made', label: '本年新制作数量', word: '制作' },
  { key: 'published', label: '本年新公开数量', word: '新公开' },
  { key: 'in_force', label: '对外公开总数量', word: '公开总数' },
] as const;
const ITEMS_2019 = [
  { key: 'previous_items', label: '上一年项目数量', word: '上一年' },
  { key: 'change', label: '本年增/减', word: '增' },
  { key: 'decisions', label: '处理决定数量', word: '处理决定' },
] as const;

const REG = '规章';
const NORM = '规范性文件';

/** 2021 format table 二: `regulations`/`normative_documents` {issued, repealed, in_force}; single values. */
export const TABLE2_ROWS_2021: readonly Table2RowDef[] = [
  { key: 'regulations', label: '规章', core: REG, item: '第二十条第（一）项', columns: STOCK_2021 },
  { key: 'normative_documents', label: '行政规范性文件', core: NORM, item: '第二十条第（一）项', columns: STOCK_2021 },
  { key: 'licensing', label: '行政许可', core: '行政许可', item: '第二十条第（五）项', columns: VALUE },
  { key: 'punishment', label: '行政处罚', core: '行政处罚', item: '第二十条第（六）项', columns: VALUE },
  { key: 'coercion', label: '行政强制', core: '行政强制', item: '第二十条第（六）项', columns: VALUE },
  {
    key: 'fees',
    label: '行政事业性收费',
    core: '行政事业性收费',
    item: '第二十条第（八）项',
    columns: [{ key: 'value', label: '本年收费金额（单位：万元）', word: '收费金额' }],
    decimal: ['value'],
  },
];

/**
 * 2019 trial format table 二 (国办公开办函〔2019〕60号): stock columns 本年新制作数量 · 本年新公开数量 · 对外公开总数量;
 * item columns 上一年项目数量 · 本年增/减 · 处理决定数量; 收费 has no decisions column; （九）政府集中采购.
 */
export const TABLE2_ROWS_2019: readonly Table2RowDef[] = [
  { key: 'regulations', label: '规章', core: REG, item: '第二十条第（一）项', columns: STOCK_2019 },
  { key: 'normative_documents', label: '规范性文件', core: NORM, item: '第二十条第（一）项', columns: STOCK_2019 },
  { key: 'licensing', label: '行政许可', core: '行政许可', item: '第二十条第（五）项', columns: ITEMS_2019, signed: ['change'] },
  {
    key: 'other_services',
    label: '其他对外管理服务事项',
    core: '其他对外管理服务事项',
    item: '第二十条第（五）项',
    columns: ITEMS_2019,
    signed: ['change'],
  },
  { key: 'punishment', label: '行政处罚', core: '行政处罚', item: '第二十条第（六）项', columns: ITEMS_2019, signed: ['change'] },
  { key: 'coercion', label: '行政强制', core: '行政强制', item: '第二十条第（六）项', columns: ITEMS_2019, signed: ['change'] },
  {
    key: 'fees',
    label: '行政事业性收费',
    core: '行政事业性收费',
    item: '第二十条第（八）项',
    columns: ITEMS_2019.slice(0, 2),
    signed: ['change'],
  },
  {
    key: 'procurement',
    label: '政府集中采购',
    core: '政府集中采购',
    item: '第二十条第（九）项',
    columns: [
      { key: 'items', label: '采购项目数量', word: '项目数' },
      { key: 'amount', label: '采购总金额', word: '金额' },
    ],
    decimal: ['amount'],
  },
];

/** Column-header words that tell the two table 二 versions apart. */
export const TABLE2_MARKERS = {
  '2021': /本年制发|本年废止|现行有效/,
  '2019': /本年新制作|本年新公开|对外公开总数|上一年项目数|本年增\/?减|采购项目数|采购总金额/,
} as const;

export function table2Rows(format: '2021' | '2019'): readonly Table2RowDef[] {
  return format === '2021' ? TABLE2_ROWS_2021 : TABLE2_ROWS_2019;
}

/** Parser version recorded with every parse result (bump when figures could come out differently). */
export const PARSER_VERSION = '1.4.1';
