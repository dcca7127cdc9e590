/**
 * Is our own network up? Asked when most bodies of a run (or of a Lambda batch) failed at the network level but
 * too few of them to tell by numbers (pipeline/access.ts `detectOutage` needs five): a batch of the crawl function
 * holds five bodies at most, and a local run may crawl one. Without the question, an outage of ours (a NAT gateway,
 * the egress proxy, a laptop's Wi-Fi) was counted against every portal it hid, and after three crawls over 48 hours
 * each of them was an `unreachable` alert — the watchdogs told that thousands of portals were down.
 *
 * The probe fetches well-known pages (the canaries: by default the central government's portal, which is up when
 * anything is) through the crawl's own fetcher, so through its egress proxy and its address guard. Any answer — any
 * HTTP status, a robots.txt refusal — is an answer: our network works. Only when every canary fails below HTTP (DNS,
 * connection, timeout: outcomes.ts `network`) is the outage ours.
 */
import type { Fetcher } from './fetcher.ts';
import { OUTCOMES } from './outcomes.ts';

/** Canary pages of `nianbao run` and of the crawl functions when not configured (`--canary`, NIANBAO_CANARY_URLS). */
export const DEFAULT_CANARIES = ['https://www.gov.cn/'] as const;

/** What a probe found: our network answers, or every canary failed (with the first one's outcome). */
export type NetworkVerdict = { reachable: true; url: string } | { reachable: false; outcome: string; urls: string[] };

/** The port the pipeline asks (PipelineDeps.network). */
export interface NetworkProbe {
  probe(): Promise<NetworkVerdict>;
}

/** A probe that fetches `urls` in turn with `fetcher` and stops at the first answer. */
export function canaryProbe(fetcher: Fetcher, urls: readonly string[]): NetworkProbe {
  if (urls.length === 0) throw new Error('canaryProbe: no canary URL');
  return {
    async probe() {
      let outcome = '';
      for (const url of urls) {
        const r = await fetcher.fetch({ url, conditional: false });
        if (!OUTCOMES[r.outcome].network) return { reachable: true, url };
        outcome ||= r.outcome;
      }
      return { reachable: false, outcome, urls: [...urls] };
    },
  };
}

/** The probe of `urls` (canaryUrls' reading of a setting), or none when the setting is `none`. */
export const networkProbe = (fetcher: Fetcher, urls: readonly string[]): NetworkProbe | undefined => (urls.length ? canaryProbe(fetcher, urls) : undefined);

/**
 * The canary URLs of a setting: a comma-separated list, `none` for no probe (then only numbers tell our outage).
 * Each must be an absolute http(s) URL.
 */
export function canaryUrls(setting: string | undefined): string[] {
  if (setting === undefined || setting.trim() === '') return [...DEFAULT_CANARIES];
  if (setting.trim() === 'none') return [];
  const urls = setting
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  for (const u of urls) {
    let ok = false;
    try {
      ok = ['http:', 'https:'].includes(new URL(u).protocol);
    } catch {}
    if (!ok) throw new Error(`canary "${u}": not an http(s) URL (a comma-separated list, or none)`);
  }
  return urls;
}
