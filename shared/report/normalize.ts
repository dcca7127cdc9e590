/**
 * Text normalisation shared by every parser: NFKC folds full-width digits and brackets (１２３ → 123,
 * （一） → (一)) and the Kangxi radicals some PDF fonts use (⼀ → 一); quotes are unified so “三安全一稳定”
 * matches "三安全一稳定".
 */

/**
 * CJK Radicals Supplement (U+2E80–2EFF) have no NFKC mapping, but PDF fonts (Noto CJK in Chromium's
 * print-to-PDF among them) put them in the text layer for ordinary characters: "人⺠政府" for 人民政府.
 * Mapped to the unified ideographs they stand for (Unicode EquivalentUnifiedIdeograph.txt).
 */
const RADICALS: Record<string, string> = {
  '⺁': '厂',
  '⺄': '乙',
  '⺅': '亻',
  '⺆': '冂',
  '⺇': '几',
  '⺊': '卜',
  '⺌': '小',
  '⺎': '兀',
  '⺐': '尢',
  '⺒': '巳',
  '⺓': '幺',
  '⺔': '彑',
  '⺕': '彐',
  '⺖': '忄',
  '⺗': '心',
  '⺘': '扌',
  '⺙': '攵',
  '⺛': '旡',
  '⺝': '月',
  '⺞': '歺',
  '⺠': '民',
  '⺡': '氵',
  '⺢': '氺',
  '⺣': '灬',
  '⺤': '爫',
  '⺦': '丬',
  '⺧': '牛',
  '⺨': '犭',
  '⺩': '王',
  '⺪': '疋',
  '⺫': '罒',
  '⺬': '示',
  '⺭': '礻',
  '⺯': '糸',
  '⺰': '纟',
  '⺲': '罒',
  '⺷': '羊',
  '⺹': '耂',
  '⺺': '肀',
  '⺻': '聿',
  '⺼': '月',
  '⺽': '臼',
  '⺾': '艹',
  '⻀': '艹',
  '⻁': '虎',
  '⻂': '衤',
  '⻃': '覀',
  '⻄': '西',
  '⻅': '见',
  '⻆': '角',
  '⻈': '讠',
  '⻉': '贝',
  '⻋': '车',
  '⻍': '辶',
  '⻏': '阝',
  '⻐': '钅',
  '⻑': '長',
  '⻓': '长',
  '⻔': '门',
  '⻖': '阝',
  '⻗': '雨',
  '⻘': '青',
  '⻙': '韦',
  '⻚': '页',
  '⻛': '风',
  '⻜': '飞',
  '⻝': '食',
  '⻠': '饣',
  '⻢': '马',
  '⻣': '骨',
  '⻤': '鬼',
  '⻥': '鱼',
  '⻦': '鸟',
  '⻧': '卤',
  '⻨': '麦',
  '⻩': '黄',
  '⻪': '黾',
  '⻬': '齐',
  '⻮': '齿',
  '⻰': '龙',
  '⻳': '龟',
};
const RADICAL = /[\u2e80-\u2eff]/g;

const QUOTES = /[“”„‟"'‘’‚‛「」『』〝〞]/g;
const DASHES = /[‐‑‒–—―−－﹣]/g;

/** Text that no step of `norm` would change: printable ASCII (no quotes), CJK ideographs, line breaks. */
const ALREADY_NORMAL = /^[\n\r\t\x20\x21\x23-\x26\x28-\x7e\u4e00-\u9fff]*$/;

/**
 * Text whose only compatibility characters are full-width ASCII (，：（）１２３), the ideographic space and
 * typographic quotes and dashes: for these NFKC maps each character on its own, so the full Unicode
 * normalisation (slow on long prose) is replaced by one pass over a per-character table.
 */
const SIMPLE_FOLD = /^[\n\r\t\x20-\x7e\u00a0\u2010-\u2015\u2018-\u201f\u3000-\u3035\u4e00-\u9fff\uff01-\uff5e]*$/;
const SIMPLE_CHANGED = /[\x22\x27\u00a0\u2010-\u2015\u2018-\u201f\u3000\u300c-\u300f\u301d\u301e\uff01-\uff5e]/g;

/** Quotes, dashes and spaces unified after NFKC (the last steps of the full path). */
function unify(s: string): string {
  return s
    .replace(QUOTES, '"')
    .replace(DASHES, '—')
    .replace(/[\u00a0\u3000\u2000-\u200b\ufeff]/g, ' ');
}

/** The full path's result for each character `SIMPLE_CHANGED` matches, computed once at load. */
const SIMPLE_MAP = new Map<string, string>();
for (const [a, b] of [
  [0x22, 0x22],
  [0x27, 0x27],
  [0xa0, 0xa0],
  [0x2010, 0x2015],
  [0x2018, 0x201f],
  [0x3000, 0x3000],
  [0x300c, 0x300f],
  [0x301d, 0x301e],
  [0xff01, 0xff5e],
] as const) {
  for (let c = a; c <= b; c++) {
    const ch = String.fromCharCode(c);
    SIMPLE_MAP.set(ch, unify(ch.normalize('NFKC')));
  }
}
const simpleChar = (c: string) => SIMPLE_MAP.get(c) ?? c;

/** What `norm` means, for any text: NFKC, Kangxi radicals as their ideographs, then `unify`. */
export function normFull(s: string): string {
  return unify(s.normalize('NFKC').replace(RADICAL, (c) => RADICALS[c] ?? c));
}

/**
 * NFKC + unified quotes and dashes + non-breaking and ideographic spaces as plain spaces (`normFull`), with two
 * native regex passes for the text nearly every report is made of. (A JavaScript loop over a per-character table
 * was tried in their place: more instructions a report, not fewer.)
 */
export function norm(s: string): string {
  if (ALREADY_NORMAL.test(s)) return s; // the common case for cells and labels: skip NFKC
  if (SIMPLE_FOLD.test(s)) return s.replace(SIMPLE_CHANGED, simpleChar);
  return normFull(s);
}

/** `norm` with all whitespace removed — for comparing labels broken over lines ("商业<br>企业"). */
export function compact(s: string): string {
  return norm(s).replace(/\s+/g, '');
}

function escapeChar(ch: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(ch) ? `\\${ch}` : ch;
}

/** One character of a label as a pattern: punctuation that varies between reports matches its variants. */
function charPattern(ch: string): string {
  if (/[、，,;；]/.test(ch)) return '[、，,;；]?';
  if (ch === '"') return '"?';
  if (/[(（]/.test(ch)) return '[(（]';
  if (/[)）]/.test(ch)) return '[)）]';
  return escapeChar(ch);
}

/**
 * A pattern finding `label` in normalised text with any whitespace between its characters (PDF text
 * layers and Word tables break labels anywhere, even one character per line).
 */
export function spacedPattern(label: string): string {
  return [...compact(label)].map(charPattern).join('\\s*');
}

/**
 * A pattern for a template row: its core (alternatives separated by `|`), optionally preceded by its leaf
 * number ("2." "2、" "2 、" "2．") so the number is consumed with the label and not read as a figure.
 */
export function rowLabelPattern(core: string, leaf?: number, numberRequired = false): string {
  const alternatives = core.split('|').map(spacedPattern).join('|');
  if (leaf === undefined) return `(?:${alternatives})`;
  const prefix = `${leaf}\\s*[.、,，:]\\s*`;
  return numberRequired ? `${prefix}(?:${alternatives})` : `(?:${prefix})?(?:${alternatives})`;
}
