/**
 * Lambda configuration from the environment the CDK stack sets. A missing or malformed value is a
 * deployment error: it names the variable and what was expected, at cold start, before any work.
 */
import { ConfigError } from '../../shared/errors.ts';

export { ConfigError };

type Env = Record<string, string | undefined>;

export function requiredEnv(name: string, env: Env = process.env): string {
  const v = env[name];
  if (!v) throw new ConfigError(`environment variable ${name} is not set (the stack sets it; see infra/)`);
  return v;
}

export function integerEnv(name: string, fallback: number, env: Env = process.env): number {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  if (!/^\d+$/.test(v)) throw new ConfigError(`environment variable ${name}=${v}: expected a whole number`);
  return Number(v);
}

/** Everything the functions read from their environment (each reads only what it uses). */
export interface FunctionConfig {
  bucket: string;
  table: string;
  topicArn?: string | undefined;
  registryFile: string;
  graceDays: number;
  unreachableAfter: number;
  /** Minimum delay between two requests to one portal host (ms). */
  delayMs: number;
  proxy?: string | undefined;
}

export function configFromEnv(env: Env = process.env): FunctionConfig {
  return {
    bucket: requiredEnv('NIANBAO_BUCKET', env),
    table: requiredEnv('NIANBAO_TABLE', env),
    topicArn: env.NIANBAO_TOPIC_ARN || undefined,
    registryFile: requiredEnv('NIANBAO_REGISTRY', env),
    graceDays: integerEnv('NIANBAO_GRACE_DAYS', 0, env),
    unreachableAfter: integerEnv('NIANBAO_UNREACHABLE_AFTER', 3, env),
    delayMs: integerEnv('NIANBAO_DELAY_MS', 2000, env),
    proxy: env.NIANBAO_PROXY || undefined,
  };
}
