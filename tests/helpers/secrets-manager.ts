/**
 * A Secrets Manager stand-in over HTTP, for the one call the functions make (GetSecretValue): no npm package
 * emulates Secrets Manager (fauxqs does S3, SQS and SNS), so the real SDK client talks to this. It speaks the
 * service's protocol (AWS JSON 1.1: `POST /`, `X-Amz-Target: secretsmanager.GetSecretValue`, a JSON body) and
 * answers as the service does, a missing secret included (400 `ResourceNotFoundException`). It records who asked
 * for what, so a test can tell a secret read once per container from one read per invocation.
 */
import { createServer, type Server } from 'node:http';

export interface SecretsManagerStandIn {
  endpoint: string;
  /** Secret names (or ARNs) by their string values; change them at will. */
  secrets: Map<string, string>;
  /** The SecretIds asked for, in order. */
  asked: string[];
  close(): Promise<void>;
}

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';

export async function startSecretsManager(secrets: Record<string, string> = {}): Promise<SecretsManagerStandIn> {
  const values = new Map(Object.entries(secrets));
  const asked: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const reply = (status: number, json: unknown) =>
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `req-${asked.length}` }).end(JSON.stringify(json));
      const target = req.headers['x-amz-target'];
      if (req.method !== 'POST' || target !== 'secretsmanager.GetSecretValue')
        return reply(400, { __type: 'UnknownOperationException', message: `not emulated: ${String(target)}` });
      const { SecretId } = JSON.parse(body || '{}') as { SecretId?: string };
      asked.push(String(SecretId));
      // A secret is found by its name or by its ARN (which ends in "-" and six random characters).
      const name = String(SecretId).replace(/^arn:[^:]+:secretsmanager:[^:]+:\d+:secret:(.+)-[A-Za-z0-9]{6}$/, '$1');
      const value = values.get(name);
      if (value === undefined) return reply(400, { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." });
      reply(200, {
        ARN: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-AbCdEf`,
        Name: name,
        VersionId: '00000000-0000-4000-8000-000000000000',
        SecretString: value,
        VersionStages: ['AWSCURRENT'],
        CreatedDate: 1_735_689_600,
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    secrets: values,
    asked,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
