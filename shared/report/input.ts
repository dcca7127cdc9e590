/**
 * What kind of file a report is, by its content (magic bytes and sniffing); extension and Content-Type are
 * only hints. WPS files are DOC (OLE2 with a WordDocument stream) or DOCX (zip with word/document.xml)
 * inside, and are read as such; an OFD is a zip with OFD.xml. Spreadsheets (XLS, XLSX) are recognised to be named
 * when they are refused; other OLE2 files are `ole`, other zips `zip`.
 */
export const INPUT_KINDS = ['html', 'text', 'pdf', 'docx', 'doc', 'ofd', 'xlsx', 'xls', 'zip', 'ole', 'image', 'binary'] as const;
export type InputKind = (typeof INPUT_KINDS)[number];

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

/** Sniffs the kind of `bytes` (first bytes, then markup in the first 8 KB). */
export function sniffInput(bytes: Uint8Array, hint?: { contentType?: string | undefined; fileName?: string | undefined }): InputKind {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) return 'pdf'; // %PDF
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    // OLE2 compound file: a Word (or WPS) document has a "WordDocument" stream (UTF-16LE name).
    if (buf.includes(Buffer.from('WordDocument', 'utf16le'))) return 'doc';
    // An Excel 97–2003 workbook's stream is "Workbook" (or "Book" before Excel 97).
    return buf.includes(Buffer.from('Workbook', 'utf16le')) || buf.includes(Buffer.from('Book\0', 'utf16le')) ? 'xls' : 'ole';
  }
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    if (buf.includes('word/document.xml', 0, 'latin1')) return 'docx';
    if (buf.includes('xl/workbook.xml', 0, 'latin1')) return 'xlsx';
    // An OFD package (GB/T 33190 §7.1) has OFD.xml at its root. The name follows a zip header whose last field (the
    // extra field's length, little-endian) ends in a zero byte.
    return buf.includes('\0OFD.xml', 0, 'latin1') || buf.includes('\0ofd.xml', 0, 'latin1') ? 'ofd' : 'zip';
  }
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47]) || startsWith(bytes, [0xff, 0xd8, 0xff]) || startsWith(bytes, [0x47, 0x49, 0x46])) return 'image';
  const head = Buffer.from(bytes.subarray(0, 8192)).toString('latin1');
  // Text has no NUL bytes (UTF-16 with a BOM aside).
  const utf16 = startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff]);
  if (!utf16 && head.includes('\u0000')) return 'binary';
  const ascii = utf16 ? Buffer.from(bytes.subarray(0, 8192)).toString(startsWith(bytes, [0xff, 0xfe]) ? 'utf16le' : 'latin1') : head;
  if (/<(?:!doctype\s+html|html|head|body|table|p|div|span|meta|br)[\s>/]/i.test(ascii)) return 'html';
  if (/html/i.test(hint?.contentType ?? '')) return 'html';
  return 'text';
}
