/**
 * Big5 gateways: TRS portals (and 中国政府网) serve every page again, converted to traditional characters, under
 * `/gate/big5/<host>/<path>` ("https://www.beijing.gov.cn/gate/big5/www.beijing.gov.cn/gongkai/zfxxgk/gknb/",
 * "http://big5.www.gov.cn/gate/big5/www.gov.cn//gzdt/…"; shared/domain/COLUMNS.tsv). Through a gateway a report's
 * title reads "…政府信息公開工作年度報告": no report title, no table label, so a column read there lists nothing and
 * its report would be called missing. The page it mirrors is the one to read.
 */

const GATEWAY = /^\/gate\/big5\/([^/]+)(\/.*)?$/i;

/** The original of a Big5 gateway URL (same scheme, the mirrored host and path, query kept), or null for any other URL. */
export function gatewayOriginal(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  const m = GATEWAY.exec(u.pathname);
  if (!m || !/^[a-z0-9.-]+(?::\d+)?$/i.test(m[1]!)) return null;
  // The gateway doubles the slash after the host at times ("…/www.gov.cn//gzdt/…").
  const path = (m[2] ?? '/').replace(/^\/+/, '/');
  return `${u.protocol}//${m[1]}${path}${u.search}`;
}
