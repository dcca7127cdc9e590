/**
 * Lambda layers built from this checkout's node_modules at synth — no network, no Docker: the packages
 * and their dependency closure are copied into `nodejs/node_modules/` of a staging folder that becomes
 * the layer asset. Used for what esbuild cannot bundle: Chromium (@sparticuz/chromium's compressed
 * binary, playwright-core) and the report readers that load files at run time (pdfjs-dist's legacy build
 * and worker, mammoth, word-extractor).
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';

/**
 * The packages and every (non-optional) dependency they need, resolved as Node resolves them: a dependency is
 * looked up in the requiring package's own `node_modules` first, then in each folder above it. Returns the
 * top-level folders of `nodeModules` to copy (a nested `node_modules` travels inside its package's folder) —
 * so a package that keeps its own version of a dependency (word-extractor's yauzl 2) gets that version and
 * its dependencies, whatever version sits at the top.
 */
export function dependencyClosure(packages: string[], nodeModules: string): { name: string; version: string }[] {
  const top = new Map<string, string>();
  const seen = new Set<string>();
  const resolve = (from: string, dep: string): string | null => {
    for (let dir = from; dir.startsWith(dirname(nodeModules)); dir = dirname(dir)) {
      const candidate = join(dir, 'node_modules', dep);
      if (existsSync(join(candidate, 'package.json'))) return candidate;
      if (dir === dirname(dir)) break;
    }
    return null;
  };
  const stack = packages.map((name) => {
    const dir = join(nodeModules, name);
    if (!existsSync(join(dir, 'package.json'))) throw new Error(`layer: ${name} is not installed in ${nodeModules} (run npm ci)`);
    return dir;
  });
  while (stack.length) {
    const dir = stack.pop()!;
    if (seen.has(dir)) continue;
    seen.add(dir);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string; dependencies?: Record<string, string> };
    const rel = relative(nodeModules, dir);
    if (!rel.includes(`${sep}node_modules${sep}`) && !rel.startsWith('..')) top.set(rel.split(sep).join('/'), pkg.version);
    for (const dep of Object.keys(pkg.dependencies ?? {})) {
      const found = resolve(dir, dep);
      if (!found) throw new Error(`layer: ${dep} (needed by ${pkg.name}) is not installed (run npm ci)`);
      stack.push(found);
    }
  }
  return [...top].map(([name, version]) => ({ name, version })).sort((a, b) => a.name.localeCompare(b.name));
}

export interface PackageLayerProps {
  packages: string[];
  nodeModules: string;
  architectures: lambda.Architecture[];
  description: string;
}

export function packageLayer(scope: Construct, id: string, props: PackageLayerProps): lambda.LayerVersion {
  const closure = dependencyClosure(props.packages, props.nodeModules);
  const key = createHash('sha256').update(JSON.stringify(closure)).digest('hex').slice(0, 16);
  const staging = join(tmpdir(), 'nianbao-layers', `${id}-${key}`);
  const target = join(staging, 'nodejs', 'node_modules');
  if (!existsSync(join(staging, '.complete'))) {
    mkdirSync(target, { recursive: true });
    for (const { name } of closure) cpSync(join(props.nodeModules, name), join(target, name), { recursive: true, dereference: true });
    cpSync(join(target, closure[0]!.name, 'package.json'), join(staging, '.complete'));
  }
  return new lambda.LayerVersion(scope, id, {
    code: lambda.Code.fromAsset(staging, { exclude: ['.complete'] }),
    compatibleRuntimes: [lambda.Runtime.NODEJS_22_X],
    compatibleArchitectures: props.architectures,
    description: `${props.description}: ${closure
      .filter((c) => props.packages.includes(c.name))
      .map((c) => `${c.name}@${c.version}`)
      .join(' ')} (+${closure.length - props.packages.length} dependencies)`.slice(0, 256),
  });
}
