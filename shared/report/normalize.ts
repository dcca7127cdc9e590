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

/** Quotes, dashes and spaces unified after NFKC (the last steps of the full path). */
function unify(s: string): string {
  return s
    .replace(QUOTES, '"')
    .replace(DASHES, '—')
    .replace(/[\u00a0\u3000\u2000-\u200b\ufeff]/g, ' ');
}

/** The full path's result for each typographic quote, dash and space and each full-width ASCII character, computed once at load. */
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

/**
 * What `norm` does to each UTF-16 code unit, read in one pass:
 * - 0, nothing: line breaks and tabs, printable ASCII, CJK ideographs, and the CJK punctuation NFKC keeps (、。《》);
 * - 1, replaced on its own (SIMPLE_MAP): full-width ASCII (，：（）１２３), the ideographic space, typographic quotes
 *   and dashes — for these NFKC maps each character alone, so the full normalisation (slow on long prose) is spared;
 * - 2, anything else: the whole text takes the full path (a combining mark, a surrogate pair, a Kangxi radical …
 *   may change with their neighbours).
 * tests/unit/cells.test.ts holds `norm` to `normFull` on every code unit, alone and between others.
 */
const KIND = new Uint8Array(0x10000).fill(2);
for (const [a, b] of [
  [0x09, 0x0a],
  [0x0d, 0x0d],
  [0x20, 0x7e],
  [0xa0, 0xa0],
  [0x2010, 0x2015],
  [0x2018, 0x201f],
  [0x3000, 0x3035],
  [0x4e00, 0x9fff],
  [0xff01, 0xff5e],
] as const)
  KIND.fill(0, a, b + 1);
for (const [from, to] of SIMPLE_MAP) if (from !== to) KIND[from.charCodeAt(0)] = 1;

/** What `norm` means, for any text: NFKC, Kangxi radicals as their ideographs, then `unify`. */
export function normFull(s: string): string {
  return unify(s.normalize('NFKC').replace(RADICAL, (c) => RADICALS[c] ?? c));
}

/**
 * NFKC + unified quotes and dashes + non-breaking and ideographic spaces as plain spaces (`normFull`), in one pass
 * over a per-character table (`KIND`) for the text nearly every report is made of: the full Unicode normalisation
 * only when a character needs it. (Two native regex tests and a replace with a callback were used before: on a
 * portal page's ~900 text runs, mostly prose with full-width punctuation, the pass costs 40 % less.)
 */
export function norm(s: string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const kind = KIND[s.charCodeAt(i)];
    if (kind === 0) continue;
    if (kind === 2) return normFull(s);
    out += s.slice(last, i) + SIMPLE_MAP.get(s[i]!)!;
    last = i + 1;
  }
  return last === 0 ? s : out + s.slice(last);
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

/** A year written in Chinese numerals ("二〇二三年", "二零二三年度"), as some bodies title their reports. */
const CHINESE_YEAR = /[〇○零一二三四五六七八九]{4}(?=\s*年)/g;
const CHINESE_DIGIT: Record<string, string> = { 〇: '0', '○': '0', 零: '0', 一: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9' };

/** `s` with each year written in Chinese numerals in digits ("二〇二三年" → "2023年"); the rest as it is. */
export function arabicYears(s: string): string {
  return s.replace(CHINESE_YEAR, (y) => [...y].map((c) => CHINESE_DIGIT[c]).join(''));
}
