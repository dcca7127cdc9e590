import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeBytes, UnsupportedEncodingError } from '../../shared/report/decode.ts';
import { seededRandom } from '../helpers/random.ts';

const TEXT = '平潭综合实验区2021年度政府信息公开工作年度报告：本年新收政府信息公开申请数量70件。';
const page = (meta: string) => `<html><head>${meta}<title>年报</title></head><body><p>${TEXT}</p></body></html>`;

describe('decodeBytes (content-type → BOM → meta → detection)', () => {
  it('uses the charset of the Content-Type header', () => {
    const d = decodeBytes(iconv.encode(page(''), 'gbk'), 'text/html; charset=GBK');
    expect(d).toMatchObject({ encoding: 'gb18030', source: 'content-type' });
    expect(d.text).toContain(TEXT);
  });

  it('lets a BOM win over the header', () => {
    const d = decodeBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(page(''))]), 'text/html; charset=gbk');
    expect(d).toMatchObject({ encoding: 'utf-8', source: 'bom' });
    expect(d.text.startsWith('<html>')).toBe(true);
  });

  it('reads <meta charset> and <meta http-equiv> (GB2312 pages decode as GB18030)', () => {
    for (const meta of ['<meta charset="gb2312">', '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">']) {
      const d = decodeBytes(iconv.encode(page(meta), 'gb18030'));
      expect(d).toMatchObject({ encoding: 'gb18030', source: 'meta' });
      expect(d.text).toContain(TEXT);
    }
  });

  it('detects GBK bytes with no declaration, and keeps valid UTF-8 as UTF-8', () => {
    const gbk = decodeBytes(iconv.encode(page(''), 'gbk'));
    expect(gbk.source).toBe('detected');
    expect(gbk.text).toContain(TEXT);
    expect(decodeBytes(Buffer.from(page(''))).encoding).toBe('utf-8');
  });

  it('distrusts a utf-8 meta on bytes that are not UTF-8', () => {
    const d = decodeBytes(iconv.encode(page('<meta charset="utf-8">'), 'gbk'));
    expect(d.text).toContain(TEXT);
  });

  it('reads a GBK page that the server calls UTF-8 as its meta or detection says, and says so', () => {
    const page = (meta: string) =>
      iconv.encode(`<html><head>${meta}</head><body><p>本机关认真贯彻落实《中华人民共和国政府信息公开条例》，主动公开政府信息。</p></body></html>`, 'gbk');
    const withMeta = decodeBytes(page('<meta charset="gb2312">'), 'text/html; charset=UTF-8');
    expect(withMeta).toMatchObject({ encoding: 'gb18030', source: 'meta' });
    expect(withMeta.text).toContain('中华人民共和国政府信息公开条例');
    const bare = decodeBytes(page(''), 'text/html; charset=UTF-8');
    expect(bare).toMatchObject({ encoding: 'gb18030', source: 'detected' });
    expect(bare.text).toContain('中华人民共和国政府信息公开条例');
  });

  it('keeps a UTF-8 page with a damaged character as UTF-8, the character replaced (WHATWG)', () => {
    const text = '本机关认真贯彻落实《中华人民共和国政府信息公开条例》，主动公开政府信息。'.repeat(3);
    const bytes = Buffer.concat([Buffer.from(text), Buffer.from([0xe5, 0xb9]), Buffer.from(text)]);
    const decoded = decodeBytes(bytes, 'text/html; charset=utf-8');
    expect(decoded).toMatchObject({ encoding: 'utf-8', source: 'content-type' });
    expect(decoded.text).toBe(`${text}\ufffd${text}`);
  });

  it('reads UTF-16 with a BOM', () => {
    const d = decodeBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(TEXT, 'utf-16le')]));
    expect(d.text).toBe(TEXT);
  });

  it('removes one byte order mark, a UTF-8 or UTF-16 one, and keeps a second U+FEFF as text (WHATWG decode)', () => {
    const twice = Buffer.from('\ufeff\ufeff年报', 'utf8');
    expect(decodeBytes(twice).text).toBe('\ufeff年报');
    expect(decodeBytes(twice, 'text/html; charset=utf-8').text).toBe('\ufeff年报');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('\ufeff年报', 'utf16le')]);
    expect(decodeBytes(utf16).text).toBe('\ufeff年报');
    // GB18030 has no byte order mark in WHATWG's sense: a U+FEFF it encodes is a character of the page.
    const gb = Buffer.concat([Buffer.from([0x84, 0x31, 0x95, 0x33]), iconv.encode('年报', 'gb18030')]);
    expect(decodeBytes(gb, 'text/html; charset=gb18030').text).toBe('\ufeff年报');
  });

  it('refuses a declared charset that does not exist', () => {
    expect(() => decodeBytes(Buffer.from('x'), 'text/html; charset=klingon')).toThrow(UnsupportedEncodingError);
  });
});

describe('UTF-8 decoding (ICU for text beyond ASCII, V8 for ASCII)', () => {
  it('gives the very string Node’s own decoder gives: CJK, astral characters, a BOM, ASCII, mixed, at every size', () => {
    const pieces = ['政府信息公开', 'abc <td>1</td>', '𠀀𪚥😀', '\ufeff', '（一）１２３', 'é ß', '\u0000\u007f', ' '];
    const next = seededRandom(20240101);
    for (let n = 0; n < 300; n++) {
      let text = '';
      const parts = next(200);
      for (let i = 0; i < parts; i++) text += pieces[next(pieces.length)]!;
      const bytes = Buffer.from(text, 'utf8');
      // WHATWG "decode" removes one leading byte order mark, no more.
      const meant = bytes.toString('utf8').replace(/^\ufeff/, '');
      expect(decodeBytes(bytes, 'text/plain; charset=utf-8').text).toBe(meant); // declared
      expect(decodeBytes(bytes).text).toBe(meant); // detected
    }
    const ascii = Buffer.from('<html><body>plain ASCII only</body></html>');
    expect(decodeBytes(ascii).text).toBe(ascii.toString('utf8'));
    // Declared UTF-8 that is not: the WHATWG replacement characters, as before.
    const broken = Buffer.concat([Buffer.from('年报'), Buffer.from([0xe5, 0xb9]), Buffer.from('abc'), Buffer.from([0xff])]);
    expect(decodeBytes(broken, 'text/html; charset=utf-8').text).toBe(broken.toString('utf8'));
  });
});
