/** Table text is measured as string-width measures it, without its grapheme segmenter for the common characters. */
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../shared/cli/width.ts';

describe('displayWidth', () => {
  it('agrees with string-width on every UTF-16 code unit, alone and in table text', () => {
    const mismatches: string[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c);
      for (const s of [ch, `本年新收${ch}12`, `${ch}\u0301`, `a${ch}${ch}`])
        if (displayWidth(s) !== stringWidth(s)) mismatches.push(`U+${c.toString(16)} in ${JSON.stringify(s)}`);
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
  });

  it('agrees on labels, figures, marks, colours and emoji', () => {
    for (const s of ['（一）本年新收政府信息公开申请数量', '1,234*', '·', '…', '\u001b[31m?\u001b[39m', '👍🏽', '한국어', 'é', ''])
      expect(displayWidth(s), s).toBe(stringWidth(s));
  });
});
