/**
 * Legacy Word (.doc, and WPS files in the same OLE2 format) → text with word-extractor, read by the
 * flattened-text parser. Table cells come out separated by tabs and rows by line breaks, which the text
 * parser reads as cell separators.
 */
import { type Bilingual, GiveUpError } from '../errors.ts';

export class DocError extends GiveUpError {
  constructor(message: string | Bilingual) {
    super(message);
  }
}

export async function docToText(bytes: Uint8Array): Promise<string> {
  // Loaded when a DOC comes (see docx.ts).
  const { default: WordExtractor } = await import('word-extractor');
  try {
    const doc = await new WordExtractor().extract(Buffer.from(bytes));
    // Word marks cell ends with \x07 in some files; tabs separate cells in word-extractor's output.
    return doc.getBody().replace(/\x07/g, '\t');
  } catch (e) {
    throw new DocError({ en: `not a readable Word document (${(e as Error).message})`, zh: '无法读取的 Word 文档' });
  }
}
