/**
 * The parsed output of every committed report fixture, digested: re-parsing stored captures on AWS happens when
 * PARSER_VERSION changes, so any change of output must come with a new version (tests/golden/parser-version.test.ts).
 * `npm run golden:update` rewrites parser-outputs.json after a deliberate change (and a version bump).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseReport } from '../../shared/check.ts';
import { toPublicJson } from '../../shared/report/public.ts';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
export const RECORD = join(import.meta.dirname, 'parser-outputs.json');

const INPUT = /\.(?:html|txt|md|pdf|docx?)$/;

/** Every fixture a report can be parsed from, relative to tests/fixtures. */
export function reportFixtures(): string[] {
  const top = readdirSync(FIXTURES).filter((f) => INPUT.test(f));
  const derived = readdirSync(join(FIXTURES, 'derived'))
    .filter((f) => INPUT.test(f))
    .map((f) => `derived/${f}`);
  return [...top, ...derived].sort();
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** The digest of each fixture's public JSON (the parser version itself left out), and of them all. */
export async function outputDigests(): Promise<{ files: Record<string, string>; all: string }> {
  const files: Record<string, string> = {};
  for (const f of reportFixtures()) {
    let out: unknown;
    try {
      const { parser_version: _v, ...json } = toPublicJson(await parseReport(readFileSync(join(FIXTURES, f)), { name: f }));
      out = json;
    } catch (e) {
      out = { error: (e as Error).message };
    }
    files[f] = sha(JSON.stringify(out));
  }
  return { files, all: sha(JSON.stringify(files)) };
}
