/**
 * Every fetch ends in one named outcome (a closed vocabulary), and each outcome says what happens next:
 * use the page, retry later, try the browser, or give up on this URL for this run. A blocked portal is an
 * access failure, never a "missing report" (DESIGN.md §6).
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

/** What the crawler does after each outcome. */
export const NEXT_STEP: Record<FetchOutcome, NextStep> = {
  ok: 'use',
  not_modified: 'use',
  not_found: 'give_up',
  gone: 'give_up',
  blocked: 'browser',
  rate_limited: 'retry',
  server_error: 'retry',
  timeout: 'retry',
  dns_error: 'give_up',
  tls_error: 'give_up',
  connection_error: 'retry',
  client_error: 'give_up',
  too_large: 'give_up',
  robots_disallowed: 'give_up',
  redirect_loop: 'give_up',
  unsafe_address: 'give_up',
  bad_url: 'give_up',
};

/** Outcomes that mean "we could not get in" (the portal is unreachable), as opposed to "not there". */
export const ACCESS_FAILURES: ReadonlySet<FetchOutcome> = new Set([
  'blocked',
  'rate_limited',
  'server_error',
  'timeout',
  'dns_error',
  'tls_error',
  'connection_error',
  'robots_disallowed',
  'redirect_loop',
  'unsafe_address',
]);
