/** `nianbao run`'s summary as a person reads it (printDigest): each failure said once, nothing left out unsaid. */
import { stripVTControlCharacters } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { printDigest } from '../../shared/cli/run.ts';
import type { Body } from '../../shared/crawl/registry.ts';
import type { RunDigest } from '../../shared/pipeline.ts';

let out = '';
beforeEach(() => {
  out = '';
  // Colours stripped: picocolors colours when CI or FORCE_COLOR is set, as on the CI machine; the words are what is tested.
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += stripVTControlCharacters(String(s));
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

const body: Body = { id: 'ji', name: '己区人民政府', level: 'government', lists: ['https://www.ji.gov.cn/zfxxgknb/'] };
const digest = (over: Partial<RunDigest>): RunDigest => ({
  results: [],
  delivery: { sent: [], failed: [], damaged: [] },
  outage: null,
  errors: [],
  cut: null,
  startedAt: '2025-06-02T02:00:00.000Z',
  finishedAt: '2025-06-02T02:00:01.000Z',
  ...over,
});

describe('the run summary', () => {
  it('says a failed fetch once: its reason already begins with its outcome', () => {
    const failure = { url: body.lists[0]!, outcome: 'server_error' as const, status: 503, reason: 'server_error (HTTP 503)' };
    printDigest(digest({ results: [{ bodyId: 'ji', year: 2024, status: 'unreachable', reports: 0, alertsChanged: 1, outcome: 'access_failure', failure }] }), [
      body,
    ]);
    expect(out).toContain('2024  unreachable 己区人民政府  (server_error (HTTP 503))');
    const other = { ...failure, outcome: 'robots_disallowed' as const, status: null, reason: 'the site’s robots.txt disallows the column' };
    out = '';
    printDigest(
      digest({ results: [{ bodyId: 'ji', year: 2024, status: 'unreachable', reports: 0, alertsChanged: 0, outcome: 'access_failure', failure: other }] }),
      [body],
    );
    expect(out).toContain('(robots_disallowed: the site’s robots.txt disallows the column)');
  });

  it('says why a body with no column in the registry is unknown, as status does', () => {
    const geng: Body = { id: 'geng', name: '庚街道办事处', level: 'township', lists: [] };
    const results = [
      { bodyId: 'geng', year: 2024, status: 'unknown' as const, reports: 0, alertsChanged: 0, outcome: 'crawled' as const },
      { bodyId: 'ji', year: 2024, status: 'unknown' as const, reports: 0, alertsChanged: 0, outcome: 'crawled' as const },
    ];
    printDigest(digest({ results }), [body, geng]);
    expect(out).toContain('2024  unknown     庚街道办事处  (no column URL known (registry) / 没有已知的年报栏目)');
    // A body with a column is not said to have none.
    expect(out).toMatch(/2024 {2}unknown {5}己区人民政府\n/);
  });

  it('says how many documents were read, how many were kept from an earlier run, and any the store failed on', () => {
    printDigest({ ...digest({}), documents: { read: 0, kept: 0, cacheErrors: 0 } }, [body]);
    expect(out).toContain('documents read: 0\n');
    out = '';
    printDigest({ ...digest({}), documents: { read: 3, kept: 12, cacheErrors: 2, lastError: 'SQLITE_FULL: database or disk is full' } }, [body]);
    expect(out).toContain(
      'documents read: 3 (12 unchanged since an earlier run, not read again / 未变化的文件未重复解析) — the home failed 2 times to keep or give back a report (SQLITE_FULL: database or disk is full): read again\n',
    );
  });

  it('counts the body-years our own outage left unchecked apart, as not checked, never as unreachable', () => {
    const failure = { url: body.lists[0]!, outcome: 'dns_error' as const, status: null, reason: 'dns_error: www.ji.gov.cn: dns_error' };
    const yi: Body = { ...body, id: 'yi', name: '乙区人民政府' };
    printDigest(
      digest({
        results: [
          { bodyId: 'ji', year: 2024, status: 'found', reports: 0, alertsChanged: 0, outcome: 'outage', failure },
          { bodyId: 'yi', year: 2024, status: 'unknown', reports: 0, alertsChanged: 0, outcome: 'outage', failure },
        ],
        outage: { outcome: 'dns_error', bodies: 2, of: 2 },
      }),
      [body, yi],
    );
    expect(out).toContain('status: not checked (our network) 2\n');
    expect(out).toContain('2024  not checked 己区人民政府  (dns_error: www.ji.gov.cn: dns_error)');
    expect(out).toContain('2024  not checked 乙区人民政府');
    expect(out).not.toContain('unreachable');
    expect(out).toContain('our network looks down: 2 of 2 bodies failed with dns_error — nothing was counted against the portals');
  });

  it('in our outage, a portal that answered with an error is counted as on any day, and the summary says so', () => {
    const dns = { url: body.lists[0]!, outcome: 'dns_error' as const, status: null, reason: 'dns_error: www.ji.gov.cn: dns_error' };
    const notFound = { url: 'http://122.137.242.24:8080/ndbg/', outcome: 'not_found' as const, status: 404, reason: 'not_found (HTTP 404)' };
    const yi: Body = { ...body, id: 'yi', name: '乙区人民政府' };
    printDigest(
      digest({
        results: [
          { bodyId: 'ji', year: 2024, status: 'unknown', reports: 0, alertsChanged: 0, outcome: 'outage', failure: dns },
          { bodyId: 'yi', year: 2024, status: 'unreachable', reports: 0, alertsChanged: 0, outcome: 'access_failure', failure: notFound },
        ],
        outage: { outcome: 'dns_error', bodies: 1, of: 2 },
      }),
      [body, yi],
    );
    expect(out).toContain(
      'no network failure was counted against the portals and no alert was raised for them; 1 body whose portal answered with an error is counted as on any day',
    );
    expect(out).not.toContain('nothing was counted');
  });

  it('lists forty body-years and says how many more there are, never a shorter list that looks complete', () => {
    const failure = { url: body.lists[0]!, outcome: 'server_error' as const, status: 503, reason: 'server_error (HTTP 503)' };
    const results = Array.from({ length: 45 }, (_, i) => ({
      bodyId: `b${i}`,
      year: 2024,
      status: 'unreachable' as const,
      reports: 0,
      alertsChanged: 0,
      outcome: 'access_failure' as const,
      failure,
    }));
    printDigest(digest({ results }), [body]);
    expect(out).toContain('status: unreachable 45');
    expect(out.match(/^ {2}2024 {2}unreachable /gm)).toHaveLength(40);
    expect(out).toContain('  … and 5 more (nianbao status, or run --json)');
    out = '';
    printDigest(digest({ results: results.slice(0, 40) }), [body]);
    expect(out).not.toContain('more (nianbao status');
  });

  it('names the alerts that could not be sent because their records could not be read', () => {
    printDigest(digest({ delivery: { sent: [], failed: [], damaged: ['stored record alert a2 (SQLite alerts): not JSON ("{")'] } }), [body]);
    expect(out).toContain('alerts not sent: 1 could not be read');
    expect(out).toContain('  stored record alert a2 (SQLite alerts): not JSON');
  });
});
