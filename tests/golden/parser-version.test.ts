/**
 * PARSER_VERSION changes whenever parsed output changes: stored figures are re-parsed on AWS when the version
 * moves, so an output change without a version bump would leave old figures in place for ever.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PARSER_VERSION } from '../../shared/report/format.ts';
import { outputDigests, RECORD } from './outputs.ts';

describe('PARSER_VERSION', () => {
  it('the parsed output of every fixture is the one recorded for this version', async () => {
    const record = JSON.parse(readFileSync(RECORD, 'utf8')) as { parser_version: string; all: string; files: Record<string, string> };
    const now = await outputDigests();
    const changed = Object.keys({ ...now.files, ...record.files }).filter((f) => now.files[f] !== record.files[f]);
    if (record.parser_version === PARSER_VERSION) {
      expect(changed, `parsed output changed for ${changed.join(', ')} — bump PARSER_VERSION (shared/report/format.ts), then npm run golden:update`).toEqual(
        [],
      );
    } else {
      expect.fail(`PARSER_VERSION is ${PARSER_VERSION} but tests/golden/parser-outputs.json records ${record.parser_version}: run npm run golden:update`);
    }
  }, 120_000);
});
