/** Download names of captures: UTF-8 and GBK percent-escapes, malformed escapes, RFC 6266/8187 headers. */
import { describe, expect, it } from 'vitest';
import { attachmentDisposition, captureFileName } from '../../shared/archive/filename.ts';

describe('captureFileName', () => {
  it.each([
    ['https://www.gov.cn/a/%E4%B8%AD%E6%96%87.pdf', '中文.pdf'], // UTF-8
    ['http://www.xx.gov.cn/upload/%D6%D0%CE%C4.pdf', '中文.pdf'], // GBK, as older portals write it
    ['http://www.xx.gov.cn/upload/2024%C4%EA%B1%A8.doc', '2024年报.doc'],
    ['http://www.xx.gov.cn/upload/100%.pdf', '100%.pdf'], // a bare % is not an escape
    ['http://www.xx.gov.cn/upload/%FF%FE.pdf', '%FF%FE.pdf'], // neither UTF-8 nor GBK: kept as written
    ['http://www.xx.gov.cn/zfxxgk/', 'index.html'],
    ['http://www.xx.gov.cn/P020250120.pdf?download=1', 'P020250120.pdf'],
  ])('%s → %s', (url, name) => {
    expect(captureFileName(url)).toBe(name);
  });
});

describe('attachmentDisposition', () => {
  it('an ASCII fallback and the exact name in filename* (UTF-8)', () => {
    expect(attachmentDisposition('0a1b-中文 (1).pdf')).toBe(`attachment; filename="0a1b-____1_.pdf"; filename*=UTF-8''0a1b-%E4%B8%AD%E6%96%87%20%281%29.pdf`);
  });
});
