/** The article container test counts visible characters as `\s` defines them, stopping once it knows. */
import { describe, expect, it } from 'vitest';
import { visibleMoreThan } from '../../shared/report/html.ts';
import { seededRandom } from '../helpers/random.ts';

describe('visibleMoreThan', () => {
  it('answers as counting what /\\s/ leaves does, for every whitespace JavaScript knows and every threshold', () => {
    const spaces: string[] = [];
    for (let c = 0; c <= 0xffff; c++) if (/\s/.test(String.fromCharCode(c))) spaces.push(String.fromCharCode(c));
    expect(spaces.length).toBeGreaterThan(20); // \t \n \v \f \r, space, NBSP, U+2000–200A, U+3000, BOM, …
    const alphabet = [...spaces, '年', 'a', '1', '，', '\u{20000}'];
    const next = seededRandom(11);
    for (let n = 0; n < 300; n++) {
      const text = Array.from({ length: next(80) }, () => alphabet[next(alphabet.length)]).join('');
      const from = next(text.length + 1);
      const to = from + next(text.length - from + 1);
      const visible = text.slice(from, to).replace(/\s/g, '').length;
      for (const min of [0, visible - 1, visible, visible + 1, 200]) expect(visibleMoreThan(text, from, to, min)).toBe(visible > min);
    }
  });
});
