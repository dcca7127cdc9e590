/** Option parsers of `nianbao run` (and `demo`): the alert channels and the pretend date. */
import { InvalidArgumentError } from 'commander';
import { checkChannels } from '../alerts/channels.ts';
import { canaryUrls } from '../crawl/canary.ts';

export function channelsOption(value: string): string {
  try {
    return checkChannels(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

/** YYYY-MM-DD, 10:00 in Shanghai that day. */
export function dateOption(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) throw new InvalidArgumentError('expected YYYY-MM-DD');
  return value;
}

/** `--canary`: a comma-separated list of http(s) URLs, or `none`. */
export function canaryOption(value: string): string[] {
  try {
    return canaryUrls(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}
