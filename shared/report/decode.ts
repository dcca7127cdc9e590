/**
 * Bytes → text with the charset a browser would use: the caller's Content-Type → BOM → <meta charset> /
 * http-equiv → detection. Chinese portals often serve GBK/GB2312 without saying so (docs/portals.md); those labels
 * are decoded as GB18030, their superset, as the WHATWG Encoding Standard does for "gbk".
 */
import { GiveUpError } from '../errors.ts';
import { isAscii, isUtf8, transcode } from 'node:buffer';
import chardet from 'chardet';
import iconv from 'iconv-lite';

export const ENCODING_SOURCES = ['content-type', 'bom', 'meta', 'detected', 'default'] as const;
export type EncodingSource = (typeof ENCODING_SOURCES)[number];

export interface Decoded {
  text: string;
  encoding: string;
  source: EncodingSource;
}

/** Thrown when bytes claim a charset nobody can decode. */
export class UnsupportedEncodingError extends GiveUpError {
  constructor(readonly label: string) {
    super({ en: `unsupported character encoding "${label}"`, zh: `不支持的字符编码"${label}"` });
  }
}

const ALIASES: Record<string, string> = {
  gb2312: 'gb18030',
  gbk: 'gb18030',
  'x-gbk': 'gb18030',
  gb_2312: 'gb18030',
  'gb_2312-80': 'gb18030',
  cp936: 'gb18030',
  'windows-936': 'gb18030',
  'iso-8859-1': 'windows-1252', // WHATWG: latin1 labels decode as windows-1252
  'us-ascii': 'utf-8',
  ascii: 'utf-8',
  utf8: 'utf-8',
};

/** Canonical encoding name for a charset label, or null if iconv-lite cannot decode it. */
export function canonicalEncoding(label: string): string | null {
  const l = label
    .trim()
    .toLowerCase()
    .replace(/^["']|["']$/g, '');
  const name = ALIASES[l] ?? l;
  return iconv.encodingExists(name) ? name : null;
}

/** The charset parameter of a Content-Type header value. */
export function charsetFromContentType(contentType: string | undefined): string | undefined {
  const m = contentType ? /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType) : null;
  return m?.[1];
}

function bomEncoding(bytes: Uint8Array): { encoding: string; length: number } | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

/** <meta charset=…> or <meta http-equiv="Content-Type" content="…; charset=…"> in the first 4 KB. */
export function charsetFromMeta(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
  const m = /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head) ?? /<meta[^>]+content\s*=\s*["'][^"']*charset\s*=\s*([\w.:-]+)/i.exec(head);
  return m?.[1];
}

/**
 * Valid UTF-8 as a string. V8's own UTF-8 decoding (`toString('utf8')`, `TextDecoder`) is fast for ASCII but slow
 * for CJK text (~300 MB/s here, a tenth of a report's parse); ICU's converter to UTF-16 and a UTF-16 read are
 * about twice as fast on a Chinese portal page (and ~8× on a kept report's JSON: parse-cache.ts), and the same
 * string. ASCII stays on V8's fast path.
 */
export function validUtf8(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isAscii(buffer)) return buffer.toString('latin1');
  // transcode needs ICU (every official Node build has it); without it, V8's decoder.
  if (typeof transcode !== 'function') return buffer.toString('utf8');
  return transcode(buffer, 'utf8', 'utf16le').toString('utf16le');
}

/** The bytes as UTF-8 text, or null if they are not valid UTF-8 (validated with simdutf via buffer.isUtf8). */
function strictUtf8(bytes: Uint8Array): string | null {
  return isUtf8(bytes) ? validUtf8(bytes) : null;
}

/** Guess for bytes that say nothing: valid UTF-8 stays UTF-8; otherwise chardet, GB18030 by default. */
function detect(bytes: Uint8Array): string {
  const guess = chardet.detect(bytes.subarray(0, 64 * 1024));
  const name = guess ? canonicalEncoding(guess) : null;
  // chardet sometimes calls short GBK text Big5/EUC-*; Chinese government pages are overwhelmingly GB.
  if (!name || /^(big5|euc-kr|euc-jp|shift_jis|iso-8859-\d+|windows-125\d)$/.test(name)) return 'gb18030';
  return name;
}

/** Half or more of the non-ASCII bytes (16 at least) came out as replacement characters in a UTF-8 reading. */
function mostlyNotUtf8(bytes: Uint8Array, lossy: string): boolean {
  let nonAscii = 0;
  for (const b of bytes) if (b >= 0x80) nonAscii++;
  if (nonAscii < 16) return false;
  let replaced = 0;
  for (let i = lossy.indexOf('\ufffd'); i >= 0; i = lossy.indexOf('\ufffd', i + 1)) replaced++;
  return replaced >= nonAscii / 2;
}

/**
 * iconv-lite without its own BOM removal: WHATWG "decode" removes one byte order mark, and only a UTF-8 or UTF-16 one
 * (decodeBytes does that); a second U+FEFF, or one decoded from GB18030, is text of the page.
 */
const iconvDecode = (bytes: Uint8Array, encoding: string) => iconv.decode(Buffer.from(bytes), encoding, { stripBOM: false });

/**
 * The encoding a page's `<meta>` names (null: none, or one nobody decodes), and the page decoded in it unless that
 * is UTF-8 (UTF-8 is validated first: pages lie about it).
 */
function byMeta(bytes: Uint8Array): { encoding: string | null; decoded?: Decoded } {
  const meta = charsetFromMeta(bytes);
  const encoding = meta ? canonicalEncoding(meta) : null;
  if (!encoding || encoding === 'utf-8') return { encoding };
  return { encoding, decoded: { text: iconvDecode(bytes, encoding), encoding, source: 'meta' } };
}

/**
 * Decodes `bytes`. `contentType` is the HTTP header (or a caller's hint such as "text/html; charset=gbk").
 * A declared charset that does not exist throws UnsupportedEncodingError; an unknown meta charset is
 * ignored (pages lie) and detection decides.
 */
export function decodeBytes(bytes: Uint8Array, contentType?: string): Decoded {
  const declared = charsetFromContentType(contentType);
  if (declared) {
    const encoding = canonicalEncoding(declared);
    if (!encoding) throw new UnsupportedEncodingError(declared);
    const bom = bomEncoding(bytes);
    // A BOM wins over the header (WHATWG "decode": BOM sniffing comes first).
    if (bom) return { text: iconvDecode(bytes.subarray(bom.length), bom.encoding), encoding: bom.encoding, source: 'bom' };
    if (encoding !== 'utf-8') return { text: iconvDecode(bytes, encoding), encoding, source: 'content-type' };
    // UTF-8 by Node's native decoder (simdutf validation, ICU conversion): several times faster than iconv-lite.
    const utf8 = strictUtf8(bytes);
    if (utf8 !== null) return { text: utf8, encoding, source: 'content-type' };
    const lossy = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    // Not UTF-8 as the header says: a GBK page behind a server whose default charset is UTF-8 (nginx `charset
    // utf-8;`) far more often than broken UTF-8. Mostly undecodable (GBK text leaves ~70 % of its non-ASCII bytes as
    // replacement characters; a UTF-8 page with a damaged character, a handful), it is read as its meta or detection
    // says, and `source` tells so; a UTF-8 page with a few bad bytes keeps WHATWG's replacement characters.
    if (mostlyNotUtf8(bytes, lossy)) {
      const meta = byMeta(bytes);
      if (meta.decoded) return meta.decoded;
      const detected = detect(bytes);
      if (detected !== 'utf-8') return { text: iconvDecode(bytes, detected), encoding: detected, source: 'detected' };
    }
    return { text: lossy, encoding, source: 'content-type' };
  }
  const bom = bomEncoding(bytes);
  if (bom) return { text: iconvDecode(bytes.subarray(bom.length), bom.encoding), encoding: bom.encoding, source: 'bom' };
  const meta = byMeta(bytes);
  if (meta.decoded) return meta.decoded;
  // A page that says utf-8 but is not valid UTF-8 is GBK in disguise more often than broken UTF-8.
  const utf8 = strictUtf8(bytes);
  if (utf8 !== null) return { text: utf8, encoding: 'utf-8', source: meta.encoding ? 'meta' : 'detected' };
  const encoding = detect(bytes);
  return { text: iconvDecode(bytes, encoding), encoding, source: 'detected' };
}
