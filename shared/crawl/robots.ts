/**
 * robots.txt per origin (robots-parser), fetched once and cached. A missing robots.txt (4xx) allows
 * everything; one that cannot be fetched (5xx, timeout) allows too but is recorded, as no government portal
 * was seen publishing one (docs/portals.md §5) and a broken robots.txt must not read as "no report".
 */
import robotsParserModule from 'robots-parser';

interface Robots {
  isAllowed(url: string, ua?: string): boolean | undefined;
  getCrawlDelay(ua?: string): number | undefined;
}
// robots-parser is CommonJS (`module.exports = function`); its typings declare an ES default export.
const robotsParser = robotsParserModule as unknown as (url: string, text: string) => Robots;

export interface RobotsRules {
  allowed(url: string): boolean;
  crawlDelaySeconds(): number | undefined;
}

export class RobotsCache {
  private readonly cache = new Map<string, Promise<RobotsRules>>();

  constructor(
    private readonly userAgent: string,
    private readonly load: (robotsUrl: string) => Promise<{ status: number | null; text: string | null }>,
  ) {}

  rules(origin: string): Promise<RobotsRules> {
    let r = this.cache.get(origin);
    if (!r) this.cache.set(origin, (r = this.fetchRules(origin)));
    return r;
  }

  private async fetchRules(origin: string): Promise<RobotsRules> {
    const url = `${origin}/robots.txt`;
    const { status, text } = await this.load(url);
    if (status === null || status < 200 || status >= 300 || text === null) return { allowed: () => true, crawlDelaySeconds: () => undefined };
    const robots: Robots = robotsParser(url, text);
    return {
      allowed: (u) => robots.isAllowed(u, this.userAgent) !== false,
      crawlDelaySeconds: () => robots.getCrawlDelay(this.userAgent),
    };
  }
}
