/** Secrets Manager values the functions read once per container (webhook URLs, the egress proxy). */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { secretsClientFromEnv } from './aws.ts';
import { ConfigError } from './config.ts';

let client: SecretsManagerClient | undefined;

/** The secret's string value, trimmed; a secret without one (a binary secret) is a ConfigError naming it. */
export async function secretString(name: string): Promise<string> {
  client ??= secretsClientFromEnv();
  const r = await client.send(new GetSecretValueCommand({ SecretId: name }));
  if (!r.SecretString) throw new ConfigError(`secret ${name} has no string value`);
  return r.SecretString.trim();
}
