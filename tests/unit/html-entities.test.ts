/**
 * Character references (`&amp;`, `&#20013;`, `&nbsp`) in a page's text, attributes, <title> and links are read as the
 * page means them; raw-text elements (xmp) keep theirs as written.
 */
import { describe, expect, it } from 'vitest';
import { extractLinks } from '../../shared/crawl/links.ts';
import { parseHtml } from '../../shared/report/html.ts';

describe('character references', () => {
  it('reads a page the way it is meant', () => {
    const doc = parseHtml(
      `<html><head><title>某区&amp;某局 2024年&nbsp;报告</title></head><body>
      <div class="TRS&#95;Editor"><h1>2024年度报告</h1>
      <p>一、总体情况 A&B &lt;p&gt; &copy &notit; &#20013;&#x6587;</p>
      <p>本机关坚持以公开为常态、不公开为例外，持续深化政务公开，依法依规办理政府信息公开申请，回应社会关切，推进政务公开标准化规范化建设。</p>
      <p>本年度共主动公开政府信息一千余条，办理政府信息公开申请若干件，均在法定期限内答复，未发生因政府信息公开被纠错的情况。</p>
      <xmp>&amp; stays</xmp><img alt="图&amp;表">
      <table><tr><td colspan="&#50;">二列</td></tr><tr><td>1</td><td>2</td></tr></table></div>
      </body></html>`,
    );
    expect(doc.titles).toContain('某区&某局 2024年 报告');
    expect(doc.text).toContain('A&B <p> © ¬it; 中文');
    expect(doc.text).toContain('&amp; stays');
    expect(doc.text).toContain('图&表');
    // The container was recognised through its decoded class (the chrome before it is not in the text).
    expect(doc.text).not.toContain('某区&某局');
    expect(doc.grids[0]!.rows[0]![0]).toMatchObject({ text: '二列', col: 0, colEnd: 2 });
  });

  it('resolves links whose href and text carry references', () => {
    const links = extractLinks(
      `<a href="/list.jsp?col=1&amp;page=2" title="">2024年&nbsp;报告</a><a href='/r.pdf?a=1&notit=2'>附件&lt;1&gt;</a>`,
      'http://www.example.gov.cn/',
    );
    expect(links.map((l) => [l.url, l.text])).toEqual([
      ['http://www.example.gov.cn/list.jsp?col=1&page=2', '2024年 报告'],
      ['http://www.example.gov.cn/r.pdf?a=1&notit=2', '附件<1>'],
    ]);
  });
});
