/**
 * Anti-bot challenge pages (docs/portals.md §5): 瑞数 answers HTTP 412 with an inline `$_ts` script; 加速乐 and
 * Cloudflare-style walls answer a tiny page with scripts and "请稍候" / "安全验证" / "Just a moment". Such a
 * page is an access failure (outcome `blocked`, try the browser), never a page without a report.
 */
const WORDS = /\$_ts|请稍候|安全验证|访问异常|验证码|Just a moment|Checking your browser|acw_sc__v2|__jsl_clearance/i;

export function isChallenge(status: number, text: string): boolean {
  if (status === 412) return true;
  if (text.length > 20_000) return false;
  const scripts = (text.match(/<script/gi) ?? []).length;
  const visible = text.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>|<[^>]+>|\s+/gi, '');
  return WORDS.test(text) && (visible.length < 400 || (scripts > 0 && visible.length < 1200));
}
