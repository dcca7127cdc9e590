/** Secrets Manager values the functions read once per container (webhook URLs, the egress proxy). */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError } from './config.ts';

let client: SecretsManagerClient | undefined;

export async function secretString(name: string): Promise<string> {
  client ??= new SecretsManagerClient({});
  const r = await client.send(new GetSecretValueCommand({ SecretId: name }));
  if (!r.SecretString) throw new ConfigError(`secret ${name} has no string value`);
  return r.SecretString.trim();
}
