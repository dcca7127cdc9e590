/**
 * DOCX → HTML with mammoth (tables keep their merged cells as colspan/rowspan), read by the HTML parser.
 * WPS files saved in the DOCX format are recognised by content (input.ts), not by extension. The zip is checked
 * first (zip-guard.ts): mammoth inflates every entry into memory, so a zip bomb must never reach it.
 */
import { type Bilingual, GiveUpError } from '../errors.ts';
import { DEFAULT_LIMITS, type ReadLimits } from './limits.ts';
import { checkZip, ZipLimitError } from './zip-guard.ts';

/** Thrown when a DOCX cannot be opened (not a zip, no word/document.xml …). */
export class DocxError extends GiveUpError {
  constructor(message: string | Bilingual) {
    super(message);
  }
}

export async function docxToHtml(bytes: Uint8Array, limits: ReadLimits = DEFAULT_LIMITS): Promise<string> {
  try {
    await checkZip(bytes, limits);
  } catch (e) {
    if (e instanceof ZipLimitError) throw new DocxError({ en: `DOCX refused: ${e.text?.en ?? e.message}`, zh: `拒绝读取 DOCX：${e.text?.zh ?? e.message}` });
    throw e;
  }
  // Loaded when a DOCX comes: a function that never reads one (deadlines, the API) does not need the package.
  const { default: mammoth } = await import('mammoth');
  try {
    const { value } = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) });
    return `<html><body>${value}</body></html>`;
  } catch (e) {
    throw new DocxError({ en: `not a readable DOCX (${(e as Error).message})`, zh: '无法读取的 DOCX' });
  }
}
