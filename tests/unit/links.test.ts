/** Attachment links of report pages: found as before, and a page that names no file is not tokenized at all. */
import { describe, expect, it } from 'vitest';
import * as links from '../../shared/crawl/links.ts';

describe('attachmentLinks', () => {
  it('finds file links and pdf.js viewers, resolved and deduplicated', () => {
    const html = `<div class="TRS_Editor"><p>附件：<a href="./P020250120.pdf">2024年报.pdf</a> <a href="/upload/2024.docx?v=1">Word 版</a>
      <a href="P020250120.pdf">再次</a> <a href="/pdfjs/web/viewer.html?file=/files/nb.pdf">在线阅读</a> <a href="/news/1.html">新闻</a></p></div>`;
    expect(links.attachmentLinks(html, 'https://www.example.gov.cn/zwgk/2025/a.html')).toEqual([
      { url: 'https://www.example.gov.cn/zwgk/2025/P020250120.pdf', type: 'pdf', text: '2024年报.pdf' },
      { url: 'https://www.example.gov.cn/upload/2024.docx?v=1', type: 'docx', text: 'Word 版' },
      { url: 'https://www.example.gov.cn/files/nb.pdf', type: 'pdf', text: '在线阅读' },
    ]);
  });

  it('a page that mentions no file is answered by one scan: no link comes out, whatever else it holds', () => {
    const html = `<html><body>${'<p><a href="/news/x.html">新闻</a> 本机关认真贯彻落实条例。</p>'.repeat(2000)}</body></html>`;
    expect(links.attachmentLinks(html, 'https://www.example.gov.cn/')).toEqual([]);
    // The same page with one PDF link is read in full.
    expect(links.attachmentLinks(html.replace('/news/x.html', '/f/a.pdf'), 'https://www.example.gov.cn/')).toHaveLength(1);
  });
});
