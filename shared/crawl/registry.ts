/**
 * The registry of bodies we watch (registry/portals.yaml): a top-level `bodies:` list validated entry by
 * entry against registry/portals.schema.json. A bad entry is reported with its line and skipped — one bad
 * entry never stops the rest (docs/portals.md §5).
 */
import { projectFile } from '../paths.ts';
import { readFileSync } from 'node:fs';
import { compileSchema, describeSchemaErrors } from '../schema/check.ts';
import SCHEMA from '../../registry/portals.schema.json' with { type: 'json' };
import { LineCounter, parseDocument, isMap, isSeq, type Node } from 'yaml';
import { gatewayOriginal } from './gateway.ts';

export const LEVELS = ['government', 'department', 'township', 'other'] as const;
export type Level = (typeof LEVELS)[number];
export const KINDS = ['trs', 'hanweb', 'hanweb-xxgk', 'generic'] as const;
export type PortalKind = (typeof KINDS)[number];
export const RENDER_MODES = ['auto', 'static', 'browser'] as const;
export type RenderMode = (typeof RENDER_MODES)[number];

/** One body that publishes annual reports. */
export interface Body {
  id: string;
  name: string;
  region?: string;
  level: Level;
  parent?: string;
  lists: string[];
  deadline?: string;
  allow_hosts?: string[];
  kind?: PortalKind;
  render?: RenderMode;
  encoding?: string;
  title_pattern?: string;
  note?: string;
}

/** A problem with one entry (or with the file), with the line it starts on. */
export interface RegistryProblem {
  line: number;
  id?: string | undefined;
  message: string;
}

export interface Registry {
  bodies: Body[];
  problems: RegistryProblem[];
  /** Entries that load but look wrong (a single-year sub-column, a body listed twice): said by `registry check`. */
  warnings?: RegistryProblem[];
}

/** The registry shipped with nianbao (the CLI's default; functions get theirs from NIANBAO_REGISTRY). */
export const DEFAULT_REGISTRY = projectFile('registry', 'portals.yaml');

const validate = compileSchema(SCHEMA);

const describeErrors = () => describeSchemaErrors(validate.errors ?? [], 'entry');

/** Parses registry YAML text; `source` names the file in messages. */
export function parseRegistry(text: string): Registry {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const problems: RegistryProblem[] = doc.errors.map((e) => ({ line: lineCounter.linePos(e.pos[0]).line, message: `YAML: ${e.message.split('\n')[0]}` }));
  const lineOf = (n: Node | null | undefined) => (n?.range ? lineCounter.linePos(n.range[0]).line : 1);
  const root = doc.contents;
  const list = isMap(root) ? root.get('bodies', true) : null;
  if (!isSeq(list)) {
    problems.push({ line: lineOf(root as Node), message: 'the file must have a top-level "bodies:" list' });
    return { bodies: [], problems };
  }
  const bodies: Body[] = [];
  const seen = new Map<string, number>();
  for (const item of list.items) {
    const line = lineOf(item as Node);
    const value = (item as Node & { toJSON(): unknown }).toJSON?.() ?? item;
    const id = typeof (value as Body)?.id === 'string' ? (value as Body).id : undefined;
    if (!validate(value)) {
      problems.push({ line, id, message: describeErrors() });
      continue;
    }
    const body = value as Body;
    if (seen.has(body.id)) {
      problems.push({ line, id: body.id, message: `duplicate id (first on line ${seen.get(body.id)})` });
      continue;
    }
    if (body.title_pattern) {
      try {
        new RegExp(body.title_pattern);
      } catch (e) {
        problems.push({ line, id: body.id, message: `title_pattern: ${(e as Error).message}` });
        continue;
      }
    }
    seen.set(body.id, line);
    bodies.push(body);
  }
  return { bodies, problems, warnings: registryWarnings(bodies, (id) => seen.get(id) ?? 1) };
}

/**
 * The column URLs of a body for the report years checked. A list URL may name a year's sub-column with `{year}`
 * (the report year) or `{year+1}` (the year it is published), as portals that keep one sub-column per year do
 * (…/xxgknb/{year}nb/): each checked year reads its own.
 */
export function listsFor(body: Pick<Body, 'lists'>, years: number[]): string[] {
  const out = new Set<string>();
  for (const url of body.lists) {
    if (!/\{year(?:\+1)?\}/.test(url)) out.add(url);
    else for (const y of years) out.add(url.replace(/\{year\+1\}/g, String(y + 1)).replace(/\{year\}/g, String(y)));
  }
  return [...out];
}

/** A path segment holding a literal year (2000–2099) of its own: …/2024/, …/2014nb/, …/xxgknb2020/ — not …/202501/. */
const YEAR_SEGMENT = /\/[^/?#]*?(?<!\d)20\d{2}(?!\d)[^/?#]*\//;

/**
 * What looks wrong in entries that otherwise load: literal single-year sub-columns, one body listed twice, a column
 * shared by several bodies read without a `title_pattern`.
 */
export function registryWarnings(bodies: Body[], lineOf: (id: string) => number): RegistryProblem[] {
  const warnings: RegistryProblem[] = [];
  const byName = new Map<string, Body>();
  const byList = new Map<string, Body[]>();
  for (const b of bodies) for (const url of new Set(b.lists)) byList.set(url, [...(byList.get(url) ?? []), b]);
  for (const [url, sharing] of byList) {
    if (sharing.length < 2) continue;
    // Without a pattern each takes the year's first report of the column, whoever's it is: another body's report read
    // as its own, and every year a DUPLICATE-REPORT between them.
    for (const b of sharing.filter((x) => !x.title_pattern))
      warnings.push({
        line: lineOf(b.id),
        id: b.id,
        message: `${url} is shared with ${sharing
          .filter((x) => x !== b)
          .map((x) => x.name)
          .join(
            '、',
          )}: without a title_pattern naming ${b.name}, its report is whichever of theirs the column lists first; give each body sharing the column a title_pattern / 多个单位共用栏目，需按标题区分`,
      });
  }
  for (const b of bodies) {
    for (const url of b.lists) {
      const original = gatewayOriginal(url);
      if (original)
        warnings.push({
          line: lineOf(b.id),
          id: b.id,
          message: `${url}: a Big5 gateway copy, in traditional characters nianbao does not read — ${original} is read instead; give that / 繁体网关地址，请改用原网址`,
        });
      const m = YEAR_SEGMENT.exec(url.replace(/\{year(?:\+1)?\}/g, ''));
      if (m)
        warnings.push({
          line: lineOf(b.id),
          id: b.id,
          message: `${url}: a single-year sub-column (${m[0]}) — every later year would be reported missing; give the annual-report column itself, or the sub-column with {year} / 单年度子栏目`,
        });
    }
    const key = `${b.name}#${b.level}`;
    const first = byName.get(key);
    if (first)
      warnings.push({
        line: lineOf(b.id),
        id: b.id,
        message: `${b.name} (${b.level}) is listed twice (also ${first.id} on line ${lineOf(first.id)}): merge the entries / 重复的单位`,
      });
    else byName.set(key, b);
  }
  return warnings.sort((a, b) => a.line - b.line);
}

/** Reads and parses a registry file. */
export function loadRegistry(file = DEFAULT_REGISTRY): Registry {
  return parseRegistry(readFileSync(file, 'utf8'));
}

/**
 * The last report year due under the 2007 条例, whose 第三十一条 gave every body until 31 March; the revised 条例 (in
 * force 15 May 2019) moved departments to 31 January from the 2019 report on (published in 2020).
 */
export const LAST_YEAR_OF_2007_RULES = 2018;

/**
 * The deadline (MM-DD) of a body's report of `year`: its own (`deadline`: a local rule), else 31 January for
 * departments and 31 March otherwise (条例 第四十九条) — and 31 March for every body for the reports of 2018 and
 * before (2007 条例 第三十一条). Without `year`: today's rule.
 */
export function deadlineOf(body: Body, year?: number): string {
  if (body.deadline) return body.deadline;
  if (year !== undefined && year <= LAST_YEAR_OF_2007_RULES) return '03-31';
  return body.level === 'department' ? '01-31' : '03-31';
}
