/**
 * Character references decoded by us (shared/report/entities.ts), not by htmlparser2's tokenizer, which then skips text
 * runs and quoted values in one scan. The text and the values read must be exactly what the tokenizer would have
 * decoded: checked here against htmlparser2 with `decodeEntities: true` on generated tag soup, and on pages whose
 * meaning is stated by hand.
 */
import { Parser } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { extractLinks } from '../../shared/crawl/links.ts';
import { decodeAttribute, decodeText, RAW_TEXT_ELEMENTS } from '../../shared/report/entities.ts';
import { parseHtml } from '../../shared/report/html.ts';
import { seededRandom } from '../helpers/random.ts';

const REFERENCES = [
  '&amp;',
  '&lt;',
  '&nbsp;',
  '&nbsp',
  '&amp',
  '&notin;',
  '&notit;',
  '&not',
  '&#20013;',
  '&#x4e2d;',
  '&#0;',
  '&#x80;',
  '&#xD800;',
  '&#1114112;',
  '&',
  '&;',
  '&#;',
  '&copy',
  '&ampx',
  '&AMP;',
  '&unknown;',
  '&#65',
  '&quot;',
  '&ldquo;',
];
const PIECES = [
  '<p>',
  '</p>',
  '<td colspan="',
  '">',
  '<a href="/x?a=1',
  '&b=2',
  "<a title='t",
  "'>",
  '<a href=u?x=1',
  '>',
  '"',
  'text 文本 ',
  '<title>',
  '</title>',
  '<textarea>',
  '</textarea>',
  '<script>',
  '</script>',
  '<style>',
  '</style>',
  '<xmp>',
  '</xmp>',
  '<iframe>',
  '</iframe>',
  '<noembed>',
  '</noembed>',
  '<noframes>',
  '</noframes>',
  '<!--',
  '-->',
  '<![CDATA[',
  ']]>',
];

function soups(count: number): string[] {
  const next = seededRandom(20261202);
  return Array.from({ length: count }, () => {
    let s = next(20) === 0 ? '<plaintext>' : '';
    for (let i = 5 + next(40); i > 0; i--) s += next(3) === 0 ? REFERENCES[next(REFERENCES.length)] : PIECES[next(PIECES.length)];
    return s;
  });
}

/** Every text run and attribute value as htmlparser2 hands them over, references decoded by it or by us. */
function tokens(html: string, ours: boolean): string {
  const out: string[] = [];
  let rawText = false;
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        rawText = RAW_TEXT_ELEMENTS.has(name);
        for (const [k, v] of Object.entries(attribs)) out.push(`@${k}=${ours ? decodeAttribute(v) : v}`);
      },
      ontext(text) {
        out.push(ours && !rawText ? decodeText(text) : text);
      },
      onclosetag() {
        rawText = false;
      },
    },
    { decodeEntities: !ours, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  // Runs are joined: the tokenizer splits a run at each reference it decodes, we decode the run whole.
  return out.join('').replace(/(?<!^)(?=@)/g, '\n');
}

describe('character references decoded outside the tokenizer', () => {
  it('gives the text and the attribute values the tokenizer would have decoded, on 5,000 tag soups', () => {
    for (const html of soups(5000)) expect(tokens(html, true), html).toBe(tokens(html, false));
  });

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
