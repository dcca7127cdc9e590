/**
 * Every fetch ends in one named outcome (a closed vocabulary), and one table says what each means and what happens
 * next — the fetcher (retries), discovery (use, browser, give up), the pipeline (access failure, our own outage)
 * and the operator runbook (docs/runbook.md) all read it. A blocked portal is an access failure, never a "missing
 * report" (docs/architecture.md, "Nothing silent").
 */
export const FETCH_OUTCOMES = [
  'ok',
  'not_modified',
  'not_found',
  'gone',
  'blocked',
  'rate_limited',
  'server_error',
  'timeout',
  'dns_error',
  'tls_error',
  'connection_error',
  'client_error',
  'too_large',
  'robots_disallowed',
  'redirect_loop',
  'unsafe_address',
  'bad_url',
] as const;
export type FetchOutcome = (typeof FETCH_OUTCOMES)[number];

export const NEXT_STEPS = ['use', 'retry', 'browser', 'give_up'] as const;
export type NextStep = (typeof NEXT_STEPS)[number];

export interface OutcomeInfo {
  /** What the crawler does next: use the bytes, retry with backoff, try the browser, or give up on the URL this run. */
  next: NextStep;
  /** We could not get in (the portal is unreachable), as opposed to "it is not there". */
  access: boolean;
  /** Failed below HTTP (name, connection, time): when most bodies fail so at once, the outage is ours. */
  network: boolean;
  /** For people (docs/runbook.md has the longer version). */
  meaning: string;
  /** The same, short, for the Chinese line of an alert. */
  zh: string;
}

export const OUTCOMES: Readonly<Record<FetchOutcome, OutcomeInfo>> = {
  ok: { next: 'use', access: false, network: false, meaning: 'the page was read', zh: '已读取' },
  not_modified: { next: 'use', access: false, network: false, meaning: '304: unchanged since the last capture (its archived bytes are used)', zh: '未变化' },
  not_found: { next: 'give_up', access: false, network: false, meaning: '404: not there', zh: '页面不存在（404）' },
  gone: { next: 'give_up', access: false, network: false, meaning: '410: removed for good', zh: '页面已删除（410）' },
  blocked: {
    next: 'browser',
    access: true,
    network: false,
    meaning: '403/412 or a JavaScript challenge: the portal refused a plain client',
    zh: '被网站拒绝访问',
  },
  rate_limited: { next: 'retry', access: true, network: false, meaning: '429: too many requests (Retry-After honoured)', zh: '请求过于频繁（429）' },
  server_error: { next: 'retry', access: true, network: false, meaning: '5xx: the portal failed', zh: '网站服务器错误（5xx）' },
  timeout: { next: 'retry', access: true, network: true, meaning: 'no answer in time', zh: '请求超时' },
  dns_error: { next: 'give_up', access: true, network: true, meaning: 'the host name does not resolve', zh: '域名无法解析' },
  tls_error: { next: 'give_up', access: true, network: false, meaning: 'the TLS handshake failed (certificate, protocol)', zh: '加密连接失败' },
  connection_error: { next: 'retry', access: true, network: true, meaning: 'the connection was refused or reset', zh: '连接被拒绝或中断' },
  client_error: {
    next: 'give_up',
    access: false,
    network: false,
    meaning: 'another 4xx: the request is wrong (a moved column answers 400 on some CMSs)',
    zh: '请求被拒绝（4xx）',
  },
  too_large: { next: 'give_up', access: false, network: false, meaning: 'larger than the body limit (or a decompression bomb)', zh: '内容过大' },
  robots_disallowed: { next: 'give_up', access: true, network: false, meaning: 'robots.txt disallows the URL', zh: 'robots.txt 禁止抓取' },
  redirect_loop: { next: 'give_up', access: true, network: false, meaning: 'redirects loop or go on past the limit', zh: '重定向循环' },
  unsafe_address: {
    next: 'give_up',
    access: true,
    network: false,
    meaning: 'the host is on a private, loopback or metadata address: never fetched',
    zh: '内网地址，不予访问',
  },
  bad_url: { next: 'give_up', access: false, network: false, meaning: 'not an http(s) URL', zh: '地址无效' },
};

/** What discovery concludes beyond a fetch's outcome: the column page was read, but it is not a list of reports. */
const COLUMN_OUTCOMES_ZH: Readonly<Record<string, string>> = { not_a_list: '栏目页不是年报列表' };

/** An outcome (of a fetch, or discovery's `not_a_list`) in Chinese, for people; the code stays beside it for operators. */
export const outcomeZh = (outcome: string): string => OUTCOMES[outcome as FetchOutcome]?.zh ?? COLUMN_OUTCOMES_ZH[outcome] ?? '访问失败';

/** An outcome as an alert says it: its code in English, its Chinese phrase with the code beside. */
export const outcomeText = (outcome: string): { en: string; zh: string } => ({ en: outcome, zh: `${outcomeZh(outcome)}，${outcome}` });

/** What the crawler does after each outcome. */
export const NEXT_STEP: Readonly<Record<FetchOutcome, NextStep>> = Object.fromEntries(FETCH_OUTCOMES.map((o) => [o, OUTCOMES[o].next])) as Record<
  FetchOutcome,
  NextStep
>;

const where = (test: (i: OutcomeInfo) => boolean): ReadonlySet<FetchOutcome> => new Set(FETCH_OUTCOMES.filter((o) => test(OUTCOMES[o])));

/** Outcomes that mean "we could not get in" (the portal is unreachable), as opposed to "not there". */
export const ACCESS_FAILURES = where((i) => i.access);
/** Outcomes retried with backoff. */
export const RETRYABLE = where((i) => i.next === 'retry');
/** Failures below HTTP: when most bodies of a run fail so, the outage is ours (pipeline/access.ts). */
export const NETWORK_OUTCOMES: ReadonlySet<string> = where((i) => i.network);
