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
import { join } from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';

/** The packages and every (non-optional) dependency they need, as found in `nodeModules`. */
export function dependencyClosure(packages: string[], nodeModules: string): { name: string; version: string }[] {
  const seen = new Map<string, string>();
  const stack = [...packages];
  while (stack.length) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    const manifest = join(nodeModules, name, 'package.json');
    if (!existsSync(manifest)) throw new Error(`layer: ${name} is not installed in ${nodeModules} (run npm ci)`);
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string; dependencies?: Record<string, string> };
    seen.set(name, pkg.version);
    stack.push(...Object.keys(pkg.dependencies ?? {}));
  }
  return [...seen].map(([name, version]) => ({ name, version })).sort((a, b) => a.name.localeCompare(b.name));
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
    description: `${props.description}: ${closure.filter((c) => props.packages.includes(c.name)).map((c) => `${c.name}@${c.version}`).join(' ')} (+${closure.length - props.packages.length} dependencies)`.slice(0, 256),
  });
}
