/**
 * A function as AWS Lambda runs it, from a synthesized cloud assembly: its bundle copied to `/var/task`, each
 * layer the template attaches copied (never symlinked — Node follows a symlink to its real path, and a path into
 * the checkout would find the project's node_modules) into `/opt`, and nothing else. Node is started the way the
 * nodejs22.x runtime starts it: `LAMBDA_TASK_ROOT`, `NODE_PATH=/opt/nodejs/node22/node_modules:
 * /opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:/var/task`, and ES modules resolved from the
 * NODE_PATH folders when the usual lookup fails (the runtime does this for ESM since nodejs18.x; Node alone
 * does not — a resolve hook stands in for it).
 *
 * `/var/task`, `/var/runtime` and `/opt` are real paths inside a mount namespace the test makes (`unshare -rm`).
 * Where namespaces are not allowed, the same folders are used at temporary paths (the function's
 * NIANBAO_REGISTRY pointed there): the resolution — what can and cannot be found — is the same.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, closeSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export interface SynthesizedFunction {
  logicalId: string;
  runtime: string;
  architecture: 'arm64' | 'x86_64';
  handler: string;
  /** The bundle folder in the assembly. */
  asset: string;
  /** The layer folders in the assembly, in the template's order. */
  layers: string[];
  environment: Record<string, unknown>;
}

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
  Metadata?: Record<string, string>;
}

/** Every Node.js function of the template with its bundle and layers (found through the asset metadata). */
export function synthesizedFunctions(assembly: string, templateFile: string): SynthesizedFunction[] {
  const template = JSON.parse(readFileSync(join(assembly, templateFile), 'utf8')) as { Resources: Record<string, Resource> };
  const assetOf = (r: Resource, what: string) => {
    const path = r.Metadata?.['aws:asset:path'];
    if (!path) throw new Error(`${what}: no aws:asset:path metadata (synthesize with asset metadata on)`);
    return join(assembly, path);
  };
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::Lambda::Function' && String(r.Properties.Runtime).startsWith('nodejs'))
    .map(([logicalId, r]) => ({
      logicalId,
      runtime: String(r.Properties.Runtime),
      architecture: ((r.Properties.Architectures as string[] | undefined)?.[0] ?? 'x86_64') as 'arm64' | 'x86_64',
      handler: String(r.Properties.Handler),
      asset: assetOf(r, logicalId),
      layers: ((r.Properties.Layers as { Ref: string }[] | undefined) ?? []).map((l) => assetOf(template.Resources[l.Ref]!, l.Ref)),
      environment: ((r.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {}) as Record<string, unknown>,
    }));
}

/** Files under `dir`, recursively (symbolic links reported, not followed). */
export function walk(dir: string): { path: string; link: boolean }[] {
  const out: { path: string; link: boolean }[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = lstatSync(path);
    if (st.isSymbolicLink()) out.push({ path, link: true });
    else if (st.isDirectory()) out.push(...walk(path));
    else out.push({ path, link: false });
  }
  return out;
}

/** The CPU an ELF file is built for (ELF header e_machine), or null for anything that is not ELF. */
export function elfMachine(file: string): 'x86_64' | 'arm64' | 'other' | null {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(20);
    if (readSync(fd, head, 0, 20, 0) < 20 || head.readUInt32BE(0) !== 0x7f454c46) return null;
    const machine = head[5] === 2 ? head.readUInt16BE(18) : head.readUInt16LE(18);
    return machine === 0x3e ? 'x86_64' : machine === 0xb7 ? 'arm64' : 'other';
  } finally {
    closeSync(fd);
  }
}

export interface LambdaSandbox {
  /** The folders (host paths) mounted as /var/task and /opt. */
  task: string;
  opt: string;
  /** The task root as the function sees it (`/var/task`, or the host path without namespaces). */
  taskRoot: string;
  /** Loads the handler module, and with an event invokes it; returns what the runner saw. */
  invoke(
    event?: unknown,
    env?: Record<string, string>,
  ): Promise<{ code: number | null; handlerType?: string; response?: unknown; error?: string; stderr: string; stdout: string }>;
}

let namespaces: boolean | undefined;
/** True when a user and mount namespace can be made here (unshare -rm, bind mounts). */
export function mountNamespaces(): boolean {
  namespaces ??= spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs tmpfs /opt && mkdir /opt/x'], { encoding: 'utf8' }).status === 0;
  return namespaces;
}

// The runtime's ESM lookup in NODE_PATH (nodejs18.x and later), as a resolve hook.
const HOOKS = `
import { pathToFileURL } from 'node:url';
const dirs = (process.env.NODE_PATH ?? '').split(':').filter(Boolean);
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (e) {
    const bare = !/^(\\.|\\/|file:|node:|data:)/.test(specifier);
    if (!bare || e?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
    for (const dir of dirs) {
      try {
        return await next(specifier, { ...context, parentURL: pathToFileURL(dir + '/__lambda_runtime__.mjs').href });
      } catch {}
    }
    throw e;
  }
}
`;

// Loads /var/task/<file>.mjs like the runtime (index.handler), optionally invokes it with an event and a context.
const RUNNER = `
import { register } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
register(pathToFileURL(process.env.LAMBDA_RUNTIME_DIR + '/hooks.mjs').href);
const [out, eventFile] = process.argv.slice(2);
const [file, name] = process.env._HANDLER.split('.');
const result = {};
try {
  const mod = await import(pathToFileURL(process.env.LAMBDA_TASK_ROOT + '/' + file + '.mjs').href);
  result.handlerType = typeof mod[name];
  if (eventFile) {
    const started = Date.now();
    const context = { awsRequestId: 'lambda-faithful-1', functionName: process.env.AWS_LAMBDA_FUNCTION_NAME, getRemainingTimeInMillis: () => 600000 - (Date.now() - started) };
    result.response = await mod[name](JSON.parse(readFileSync(eventFile, 'utf8')), context);
  }
} catch (e) {
  result.error = (e && e.stack) || String(e);
}
writeFileSync(out, JSON.stringify(result));
`;

/**
 * Copies the function's bundle and layers into a fresh folder outside the checkout and returns a way to run it.
 * `/opt` holds the layers merged in order (a later layer's files over an earlier one's, as Lambda extracts them).
 */
export function lambdaSandbox(fn: SynthesizedFunction): LambdaSandbox {
  const root = mkdtempSync(join(tmpdir(), `nianbao-lambda-${fn.logicalId.slice(0, 24)}-`));
  const task = join(root, 'task');
  const opt = join(root, 'opt');
  const runtime = join(root, 'runtime');
  const scratch = join(root, 'scratch');
  for (const d of [task, opt, runtime, scratch]) mkdirSync(d);
  cpSync(fn.asset, task, { recursive: true, dereference: true });
  for (const layer of fn.layers) cpSync(layer, opt, { recursive: true, dereference: true, force: true });
  writeFileSync(join(runtime, 'hooks.mjs'), HOOKS);
  writeFileSync(join(runtime, 'runner.mjs'), RUNNER);
  const ns = mountNamespaces();
  const taskRoot = ns ? '/var/task' : task;
  const optRoot = ns ? '/opt' : opt;
  const runtimeRoot = ns ? '/var/runtime' : runtime;
  // Node itself must stay visible when /opt and /var are covered.
  let node = process.execPath;
  if (ns && /^\/(opt|var)\//.test(node)) {
    cpSync(node, join(root, 'node'));
    node = join(root, 'node');
  }
  return {
    task,
    opt,
    taskRoot,
    invoke(event, env = {}) {
      const out = join(scratch, `result-${Date.now()}.json`);
      const eventFile = event === undefined ? undefined : join(scratch, `event-${Date.now()}.json`);
      if (eventFile) writeFileSync(eventFile, JSON.stringify(event));
      const lambdaEnv: Record<string, string> = {
        PATH: '/usr/local/bin:/usr/bin:/bin',
        LANG: 'en_US.UTF-8',
        TZ: ':UTC',
        LAMBDA_TASK_ROOT: taskRoot,
        LAMBDA_RUNTIME_DIR: runtimeRoot,
        _HANDLER: fn.handler,
        AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
        AWS_LAMBDA_FUNCTION_NAME: fn.logicalId,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
        AWS_REGION: 'cn-north-1',
        NODE_PATH: [`${optRoot}/nodejs/node22/node_modules`, `${optRoot}/nodejs/node_modules`, `${runtimeRoot}/node_modules`, runtimeRoot, taskRoot].join(':'),
        HOME: scratch,
        // Paths under /var/task (the registry, the dashboard's assets) point into the copy when there is no mount namespace.
        ...Object.fromEntries(
          (Object.entries(fn.environment).filter(([, v]) => typeof v === 'string') as [string, string][]).map(([k, v]) => [
            k,
            ns ? v : v.replace(/^\/var\/task(?=\/|$)/, task),
          ]),
        ),
        ...env,
      };
      const run = `${node} --enable-source-maps ${runtimeRoot}/runner.mjs ${out}${eventFile ? ` ${eventFile}` : ''}`;
      const script = ns
        ? `mount -t tmpfs tmpfs /var && mkdir -p /var/task /var/runtime && mount --bind ${task} /var/task && mount -o remount,bind,ro /var/task && mount --bind ${runtime} /var/runtime && mount --bind ${opt} /opt && cd /var/task && exec ${run}`
        : `cd ${task} && exec ${run}`;
      const child = ns ? spawn('unshare', ['-rm', 'sh', '-c', script], { env: lambdaEnv }) : spawn('sh', ['-c', script], { env: lambdaEnv });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      return new Promise((resolve) => {
        child.on('close', (code) => {
          const result = existsSync(out)
            ? (JSON.parse(readFileSync(out, 'utf8')) as { handlerType?: string; response?: unknown; error?: string })
            : { error: `the runner wrote nothing (exit ${code})` };
          resolve({ code, ...result, stderr, stdout });
        });
      });
    },
  };
}

/** Paths of `files` relative to `dir`, for messages. */
export const rel = (dir: string, files: string[]) => files.map((f) => relative(dir, f));
