/**
 * Terminal width of text for the tables people read. string-width is right for everything (emoji, combining marks,
 * Hangul jamo) but segments every non-ASCII string into graphemes with Intl.Segmenter, whose first use alone costs
 * tens of milliseconds of a command's start; the tables are Chinese labels, figures and a few marks, whose width is
 * one per character or two for a wide one. Those are counted here, anything else goes to string-width.
 */
import stringWidth from 'string-width';

/** Width of one character of the common set, or 0 when it is not in it (then string-width decides). */
function commonWidth(c: number): number {
  if (c >= 0x20 && c <= 0x7e) return 1;
  // East Asian Wide or Fullwidth (UAX #11): CJK punctuation (not its combining tone marks, U+302A–302F), unified
  // ideographs, full-width forms.
  if ((c >= 0x3000 && c <= 0x3029) || (c >= 0x3030 && c <= 0x303e) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xff01 && c <= 0xff60)) return 2;
  // Narrow or ambiguous (narrow, as string-width counts them by default): the middle dot of blank cells, and the
  // general punctuation of labels and findings — dashes, typographic quotes, the ellipsis.
  if (c === 0xb7 || (c >= 0x2010 && c <= 0x2027)) return 1;
  return 0;
}

/** Columns `s` takes in a terminal (string-width's answer, faster for table text). */
export function displayWidth(s: string): number {
  let width = 0;
  for (let i = 0; i < s.length; i++) {
    const w = commonWidth(s.charCodeAt(i));
    if (w === 0) return stringWidth(s);
    width += w;
  }
  return width;
}
