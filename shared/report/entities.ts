/**
 * Character references (`&amp;`, `&#20013;`, `&nbsp`) decoded by us, not by htmlparser2's tokenizer. With
 * `decodeEntities: false` the tokenizer skips a whole text run or quoted attribute value in one scan instead of a state
 * step per character; most runs and values hold no `&`, and the few that do are decoded here with the library and
 * the modes the tokenizer itself uses (entities; HTML § 13.2.5.72–73), so the text read is the same.
 */
import { decodeHTML, decodeHTMLAttribute } from 'entities';

/**
 * Elements whose content htmlparser2 12 reads as raw text, references left as written (HTML § 13.1.2.1: script,
 * style and the legacy xmp, iframe, noembed, noframes, plaintext). title and textarea are RCDATA: decoded.
 */
export const RAW_TEXT_ELEMENTS: ReadonlySet<string> = new Set(['script', 'style', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext']);

/** A text run as the page means it (legacy references without `;` included, as in text: `&nbsp` → U+00A0). */
export const decodeText = (text: string): string => (text.includes('&') ? decodeHTML(text) : text);

/** An attribute value as the page means it (the attribute rule: `?a=1&notit=2` keeps its `&not`). */
export const decodeAttribute = (value: string | undefined): string | undefined => (value?.includes('&') ? decodeHTMLAttribute(value) : value);
