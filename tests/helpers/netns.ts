/**
 * A test world on public addresses (tests/netns/world.ts) inside a network and mount namespace the test makes
 * itself with `unshare -rnm` — no root on the host network, nothing reachable from outside, nothing out. Commands
 * run in it through `nsenter`. Where a namespace cannot be made (no user namespaces, no nsenter rights), the
 * tests that need it say so and skip.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { addressCommands, hostsFile } from '../netns/world-map.ts';

export const ROOT = join(import.meta.dirname, '..', '..');
const WORLD = join(ROOT, 'tests', 'netns', 'world.ts');
const BIN = join(ROOT, 'bin', 'nianbao.js');

/** Why the namespace world cannot run here, or null when it can. */
export function netnsUnavailable(): string | null {
  const probe = spawnSync('unshare', ['-rnm', 'sh', '-c', 'ip link set lo up && ip addr add 202.96.134.1/32 dev lo'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return `cannot make a network namespace (unshare -rnm): ${probe.error?.message ?? probe.stderr.trim()}`;
  const nsenter = spawnSync('nsenter', ['--version'], { encoding: 'utf8' });
  if (nsenter.error) return `nsenter is missing: ${nsenter.error.message}`;
  return null;
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface World {
  pid: number;
  origins: Record<string, string>;
  /** Runs a command inside the world (the project's environment minus the private-network switch). */
  exec(cmd: string[], env?: Record<string, string>): Promise<Run>;
  /** `nianbao …` inside the world. */
  nianbao(...args: string[]): Promise<Run>;
  /** An operation of the world's protocol (log, clear-log, network, state). */
  op<T = unknown>(message: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

export async function startWorld(scenario: 'season' | 'fresh' = 'season'): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-world-'));
  const hosts = join(dir, 'hosts');
  writeFileSync(hosts, hostsFile());
  const setup = [`mount --bind ${hosts} /etc/hosts`, ...addressCommands(), `exec ${process.execPath} --import tsx ${WORLD}`].join(' && ');
  const child: ChildProcessWithoutNullStreams = spawn('unshare', ['-rnm', '--fork', 'sh', '-c', setup], {
    cwd: ROOT,
    env: { ...process.env, WORLD_SCENARIO: scenario },
  });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  const lines = createInterface({ input: child.stdout });
  const waiting = new Map<number, (v: { result?: unknown; error?: string }) => void>();
  const ready = new Promise<{ pid: number; origins: Record<string, string> }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the world exited (${code}): ${stderr}`)));
    lines.on('line', (line) => {
      const msg = JSON.parse(line) as { ready?: boolean; id?: number; pid: number; origins: Record<string, string> };
      if (msg.ready) resolve(msg);
      else if (msg.id !== undefined) waiting.get(msg.id)?.(msg as never);
    });
  });
  const { pid, origins } = await ready;
  let next = 0;
  const env = { ...process.env, NO_COLOR: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } as Record<string, string>;
  delete env.NIANBAO_ALLOW_PRIVATE_NETWORK;
  const exec = (cmd: string[], extra: Record<string, string> = {}) =>
    new Promise<Run>((resolve) => {
      const p = spawn('nsenter', ['-t', String(pid), '-n', '-m', `--wd=${ROOT}`, '--', ...cmd], { env: { ...env, ...extra } });
      let out = '';
      let err = '';
      p.stdout.on('data', (c) => (out += c));
      p.stderr.on('data', (c) => (err += c));
      p.on('close', (code) => resolve({ code, stdout: out, stderr: err }));
    });
  return {
    pid,
    origins,
    exec,
    nianbao: (...args) => exec([process.execPath, BIN, ...args]),
    op: <T>(message: Record<string, unknown>) =>
      new Promise<T>((resolve, reject) => {
        const id = ++next;
        waiting.set(id, (r) => (r.error ? reject(new Error(r.error)) : resolve(r.result as T)));
        child.stdin.write(`${JSON.stringify({ id, ...message })}\n`);
      }),
    close: async () => {
      child.stdin.end();
      await new Promise<void>((r) => {
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(t);
          r();
        });
      });
    },
  };
}
