/**
 * The file name of a capture for a download: the last segment of its URL, percent-decoded. Chinese portals
 * escape names in UTF-8 (`%E4%B8%AD%E6%96%87.pdf`) or, older ones, in GBK (`%D6%D0%CE%C4.pdf`); a name in
 * neither (or a malformed escape) is kept as written — never a `URIError` (a 500 for the archivist).
 */
import iconv from 'iconv-lite';

/** Percent-escapes to bytes; characters that are not escapes are kept as their UTF-8 bytes. */
function percentBytes(segment: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < segment.length; ) {
    const hex = segment[i] === '%' ? segment.slice(i + 1, i + 3) : '';
    if (/^[0-9a-fA-F]{2}$/.test(hex)) {
      out.push(parseInt(hex, 16));
      i += 3;
    } else {
      const cp = segment.codePointAt(i)!;
      out.push(...Buffer.from(String.fromCodePoint(cp)));
      i += cp > 0xffff ? 2 : 1;
    }
  }
  return Buffer.from(out);
}

/** The decoded last path segment of `url` ('index.html' for a directory), UTF-8 first, then GB18030 (GBK's superset). */
export function captureFileName(url: string): string {
  let segment: string;
  try {
    segment = new URL(url).pathname.split('/').pop() ?? '';
  } catch {
    segment = url.split(/[?#]/)[0]!.split('/').pop() ?? '';
  }
  if (!segment) return 'index.html';
  const bytes = percentBytes(segment);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const gbk = iconv.decode(bytes, 'gb18030');
    return gbk.includes('\uFFFD') ? segment : gbk;
  }
}

/**
 * A Content-Disposition for an attachment named `name` (RFC 6266 §4.3): an ASCII `filename` for old clients and
 * the exact name as `filename*` in UTF-8 (RFC 8187).
 */
export function attachmentDisposition(name: string): string {
  const ascii = name.replace(/[^\w.-]/g, '_');
  const exact = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
}
