/**
 * Links of a page: anchors with their text/title, frames and embedded documents, and the list records that
 * Hanweb's dataproxy.jsp returns as XML with CDATA (docs/portals.md §2). Report titles and attachments are
 * recognised here; what to follow is decided by discover.ts.
 */
import { Parser } from 'htmlparser2';
import { arabicYears, compact, norm } from '../report/normalize.ts';

export interface Link {
  url: string;
  text: string;
  /** The element it came from (a, iframe, embed, object). */
  tag: string;
}

/** Every link of an HTML (or Hanweb XML) document, resolved against `base`. */
export function extractLinks(html: string, base: string): Link[] {
  // Hanweb list records are HTML inside CDATA sections of an XML document (or a <script type="text/xml">).
  const source = html.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1');
  const links: Link[] = [];
  let current: { href: string; title: string; text: string } | null = null;
  const push = (href: string | undefined, text: string, tag: string) => {
    if (!href || /^(?:javascript:|mailto:|#)/i.test(href.trim())) return;
    try {
      links.push({ url: new URL(href.trim(), base).href, text: norm(text).replace(/\s+/g, ' ').trim(), tag });
    } catch {
      /* an href that is not a URL */
    }
  };
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (name === 'a') current = { href: attrs.href ?? '', title: attrs.title ?? '', text: '' };
        else if (name === 'iframe' || name === 'embed') push(attrs.src, attrs.title ?? '', name);
        else if (name === 'object') push(attrs.data, attrs.title ?? '', name);
      },
      ontext(text) {
        if (current) current.text += text;
      },
      onclosetag(name) {
        if (name === 'a' && current) {
          push(current.href, current.title.length > current.text.trim().length ? current.title : current.text, 'a');
          current = null;
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(source);
  parser.end();
  return links;
}

/**
 * A file link anywhere in the markup: an href/src/data ending in an attachment type, or a pdf.js viewer. One
 * native scan; a report page without one (most pages) is not tokenized for its links at all.
 */
const FILE_REFERENCE = /\.(?:pdf|docx?|wps|xlsx?|ofd)(?:[?#"'\s>]|$)|viewer\.html?\?file=/i;

/** The attachments a report page links to (`extractLinks` only when the page mentions a file at all). */
export function attachmentLinks(html: string, base: string): Attachment[] {
  if (!FILE_REFERENCE.test(html)) return [];
  const out: Attachment[] = [];
  for (const l of extractLinks(html, base)) {
    const a = attachmentOf(l);
    if (a && !out.some((x) => x.url === a.url)) out.push(a);
  }
  return out;
}

/**
 * A report title: "2024年(度)…政府信息公开…年度报告" (or "…工作报告", as older years' titles read) or "…2024年…年报",
 * not a notice about one.
 */
const REPORT_TITLE =
  /((?:19|20)\d{2})\s*年\s*度?[^<>\n]{0,40}?(?:政府信息公开|政务公开|信息公开)[^<>\n]{0,16}?(?:年度?|工作)报告|((?:19|20)\d{2})\s*年\s*度?[^<>\n]{0,24}?(?:政府信息公开|信息公开)?年报/;
/** The year after the report's name: "…政府信息公开工作年度报告（2023年）". */
const YEAR_AFTER = /(?:政府信息公开|政务公开|信息公开)[^<>\n]{0,16}?(?:年度?|工作)报告\(((?:19|20)\d{2})年度?\)/;

const NOTICE = /^关于|通知|编制|报送|培训|要点|解读|征求|部署/;
/**
 * An infographic of the report ("一图读懂…年度报告", "图解：…", "…年度报告（图解）"), which portals post beside it, often
 * listed above it: pictures, not the report the 条例 (art. 50) requires. Taken for the report, it was read as a scan
 * and the report itself only compared with it.
 */
const INFOGRAPHIC = /图解|一图|读懂|图说|图读/;

/** A tail naming the edition, unbracketed: "…年度报告更正版", "…年度报告修订稿" (crawl/versions.ts). */
const EDITION_TAIL = /^(?:更正|修订|修正)(?:版|稿|后)?$/;

/** The report year a title names, or null if it is not a report title. `pattern` overrides the default. */
export function reportYear(title: string, pattern?: RegExp): number | null {
  const t = compact(title);
  if (pattern) {
    if (!pattern.test(t)) return null;
    const y = /((?:19|20)\d{2})\s*年/.exec(t);
    return y ? Number(y[1]) : null;
  }
  // A year in Chinese numerals ("二〇二三年") is read as one in digits.
  const digits = arabicYears(t);
  const m = REPORT_TITLE.exec(digits) ?? YEAR_AFTER.exec(digits);
  if (!m) return null;
  // The title must end with the report's name ("…年度报告", "…年度报告（全文）", "….pdf"), and not be a notice.
  const tail = digits.slice(m.index + m[0].length).replace(/[（(【[][^）)】\]]*[）)】\]]|\.(?:pdf|docx?|wps|html?)$/gi, '');
  if ((tail.length > 2 && !EDITION_TAIL.test(tail)) || NOTICE.test(t) || INFOGRAPHIC.test(t)) return null;
  return Number(m[1] ?? m[2]);
}

export const ATTACHMENT_TYPES = ['pdf', 'doc', 'docx', 'wps', 'xls', 'xlsx', 'ofd'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

export interface Attachment {
  url: string;
  type: AttachmentType;
  text: string;
}

/** The attachment a link points at: a file link, or the file of a pdf.js viewer (`viewer.html?file=…`). */
export function attachmentOf(link: Link): Attachment | null {
  let url: URL;
  try {
    url = new URL(link.url);
  } catch {
    return null;
  }
  const file = url.searchParams.get('file');
  if (file && /viewer\.html?$/i.test(url.pathname)) {
    try {
      url = new URL(file, url);
    } catch {
      return null;
    }
  }
  const ext = /\.([a-z]+)$/i.exec(url.pathname)?.[1]?.toLowerCase();
  if (!ext || !(ATTACHMENT_TYPES as readonly string[]).includes(ext)) return null;
  return { url: url.href, type: ext as AttachmentType, text: link.text };
}
