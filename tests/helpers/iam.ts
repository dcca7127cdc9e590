/**
 * IAM as AWS would apply it to the functions, for tests that run the handlers against the emulators (which allow
 * everything): every AWS call a handler makes is recorded as the IAM requests it needs (action, resource ARN, the
 * condition keys a policy may test), attributed to the function that made it, and evaluated against that
 * function's role in the synthesized stack. A call its role does not allow would be AccessDenied on the first
 * deploy; here it fails the test, naming the call.
 *
 * What it evaluates: the Allow statements of the roles' identity policies (Action and Resource with `*` and `?`,
 * Condition StringLike/StringEquals, also ForAllValues:/ForAnyValue:, on `s3:prefix` and on `dynamodb:LeadingKeys`, an
 * item's partition key); a statement with any other condition is not taken. Not
 * evaluated: resource policies, KMS, SCPs. A presigned URL a function hands out is recorded as the GET it allows
 * (`recordPresigned`).
 * Sources: the IAM authorization reference (actions and resource ARNs per S3, DynamoDB, SQS, SNS and Secrets
 * Manager API operation).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';

/** One permission a call needs. */
export interface IamRequest {
  action: string;
  resource: string;
  context?: Record<string, string>;
}

/** A call a function made, with the permissions it needs. */
export interface RecordedCall {
  fn: string;
  call: string;
  requests: IamRequest[];
}

const attribution = new AsyncLocalStorage<string>();
const recorded: RecordedCall[] = [];

/** `f`, whose AWS calls (and those of everything it awaits) are the function `fn`'s (a logical id prefix). */
export function asFunction<A extends unknown[], R>(fn: string, f: (...args: A) => R): (...args: A) => R {
  return (...args: A) => attribution.run(fn, () => f(...args));
}

/** The calls recorded so far. */
export const recordedCalls = (): readonly RecordedCall[] => recorded;

type Input = Record<string, unknown>;
const s3Object = (bucket: unknown, key: unknown) => `arn:aws:s3:::${bucket}/${key}`;
const table = (name: unknown, index?: unknown) => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}${index ? `/index/${index}` : ''}`;
const queueArn = (url: unknown) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${String(url).split('/').at(-1)}`;

/** lib-dynamodb's document commands, by the DynamoDB operation each sends. */
const DOCUMENT_OPERATIONS: Record<string, string> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  BatchWrite: 'BatchWriteItem',
  BatchGet: 'BatchGetItem',
  TransactWrite: 'TransactWriteItems',
  TransactGet: 'TransactGetItems',
};

function s3Requests(op: string, i: Input): IamRequest[] {
  const object = s3Object(i.Bucket, i.Key);
  switch (op) {
    case 'GetObject':
    case 'HeadObject':
      return [{ action: 's3:GetObject', resource: object }];
    case 'PutObject': {
      const out: IamRequest[] = [{ action: 's3:PutObject', resource: object }];
      if (i.Tagging) out.push({ action: 's3:PutObjectTagging', resource: object });
      if (i.ObjectLockMode || i.ObjectLockRetainUntilDate) out.push({ action: 's3:PutObjectRetention', resource: object });
      if (i.ObjectLockLegalHoldStatus) out.push({ action: 's3:PutObjectLegalHold', resource: object });
      if (i.ACL) out.push({ action: 's3:PutObjectAcl', resource: object });
      return out;
    }
    case 'CopyObject':
      return [
        { action: 's3:PutObject', resource: object },
        { action: 's3:GetObject', resource: `arn:aws:s3:::${decodeURIComponent(String(i.CopySource).replace(/^\//, '').split('?')[0]!)}` },
      ];
    case 'DeleteObject':
      return [{ action: 's3:DeleteObject', resource: object }];
    case 'DeleteObjects':
      return ((i.Delete as { Objects?: { Key: string }[] })?.Objects ?? []).map((o) => ({ action: 's3:DeleteObject', resource: s3Object(i.Bucket, o.Key) }));
    case 'ListObjectsV2':
    case 'ListObjects':
      return [{ action: 's3:ListBucket', resource: `arn:aws:s3:::${i.Bucket}`, context: { 's3:prefix': String(i.Prefix ?? '') } }];
    case 'CreateMultipartUpload':
    case 'UploadPart':
    case 'CompleteMultipartUpload':
      return [{ action: 's3:PutObject', resource: object }];
    case 'AbortMultipartUpload':
      return [{ action: 's3:AbortMultipartUpload', resource: object }];
    default:
      return [{ action: `s3:${op}`, resource: i.Key === undefined ? `arn:aws:s3:::${i.Bucket}` : object }];
  }
}

function dynamoRequests(op: string, i: Input): IamRequest[] {
  switch (op) {
    case 'BatchWriteItem':
    case 'BatchGetItem':
      return Object.keys((i.RequestItems as object) ?? {}).map((t) => ({ action: `dynamodb:${op}`, resource: table(t) }));
    case 'TransactWriteItems':
      // Authorized per item, by the action each one is (there is no TransactWriteItems action).
      return ((i.TransactItems as Record<string, Input>[]) ?? []).flatMap((item) =>
        Object.entries(item).map(([kind, x]) => ({
          action: `dynamodb:${kind === 'ConditionCheck' ? 'ConditionCheckItem' : `${kind}Item`}`,
          resource: table(x.TableName),
        })),
      );
    case 'TransactGetItems':
      return ((i.TransactItems as { Get: Input }[]) ?? []).map((x) => ({ action: 'dynamodb:GetItem', resource: table(x.Get.TableName) }));
    default: {
      // An item's partition key is `dynamodb:LeadingKeys` (a statement may allow writes to some items only).
      const pk = (i.Key as Input | undefined)?.PK ?? (i.Item as Input | undefined)?.PK;
      return [
        { action: `dynamodb:${op}`, resource: table(i.TableName, i.IndexName), ...(typeof pk === 'string' ? { context: { 'dynamodb:LeadingKeys': pk } } : {}) },
      ];
    }
  }
}

/** The IAM requests of one SDK call: the client's service, the command's operation and its input. */
export function iamRequests(client: string, command: string, i: Input): IamRequest[] {
  const op = command.replace(/Command$/, '');
  if (client === 'S3Client') return s3Requests(op, i);
  if (client === 'DynamoDBDocumentClient') return dynamoRequests(DOCUMENT_OPERATIONS[op] ?? op, i);
  if (client === 'DynamoDBClient') return dynamoRequests(op, i);
  if (client === 'SQSClient') {
    const action = op === 'SendMessageBatch' ? 'SendMessage' : op === 'DeleteMessageBatch' ? 'DeleteMessage' : op;
    return [{ action: `sqs:${action}`, resource: i.QueueUrl ? queueArn(i.QueueUrl) : `arn:aws:sqs:${REGION}:${ACCOUNT}:${i.QueueName}` }];
  }
  if (client === 'SNSClient') return [{ action: `sns:${op === 'PublishBatch' ? 'Publish' : op}`, resource: String(i.TopicArn) }];
  if (client === 'SecretsManagerClient') {
    const id = String(i.SecretId);
    // A secret's ARN ends in six random characters, which the policies match with `-??????`.
    return [{ action: `secretsmanager:${op}`, resource: id.startsWith('arn:') ? id : `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${id}-AbCdEf` }];
  }
  return [{ action: `${client}:${op}`, resource: '*' }];
}

/**
 * A presigned S3 URL a function handed out (path-style, as the emulator's): whoever follows it acts with the
 * function's credentials, so its GET needs the function's s3:GetObject on that key.
 */
export function recordPresigned(fn: string, url: string): void {
  const u = new URL(url);
  if (!u.searchParams.has('X-Amz-Signature')) return;
  const [, bucket, ...key] = u.pathname.split('/');
  recorded.push({ fn, call: 'presigned GET', requests: [{ action: 's3:GetObject', resource: s3Object(bucket, decodeURIComponent(key.join('/'))) }] });
}

interface Sendable {
  send(command: { input: Input; constructor: { name: string } }, ...rest: unknown[]): Promise<unknown>;
}

/**
 * Starts recording the AWS calls made inside `asFunction`: `send` of the SDK clients' common base class (one per
 * copy of @smithy/smithy-client the given client classes extend), patched once for the whole test file.
 */
export function recordAwsCalls(clientClasses: { prototype: object }[]): void {
  const bases = new Set(clientClasses.map((c) => Object.getPrototypeOf(c.prototype) as Sendable & { __iamRecorded?: true }));
  for (const base of bases) {
    if (base.__iamRecorded) continue;
    base.__iamRecorded = true;
    const send = base.send;
    base.send = function (this: object, command, ...rest) {
      const fn = attribution.getStore();
      if (fn) {
        const client = this.constructor.name;
        recorded.push({ fn, call: `${client}.${command.constructor.name}`, requests: iamRequests(client, command.constructor.name, command.input ?? {}) });
      }
      return send.call(this, command, ...rest);
    };
  }
}

// --- The synthesized stack's policies ---------------------------------------------------------------------------

type Template = { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };

/**
 * The stack as `cdk synth` makes it with the default context (no bundling). infra/ is typechecked by
 * tsconfig.infra.json (aws-cdk-lib's own classes fail exactOptionalPropertyTypes): it is loaded by a specifier
 * the main typecheck does not follow.
 */
export async function synthesizedTemplate(context: Record<string, unknown> = {}): Promise<Template> {
  const infra = new URL('../../infra/app.ts', import.meta.url).href;
  const { buildApp } = (await import(infra)) as { buildApp(app: unknown): { stack: unknown } };
  const { App } = await import('aws-cdk-lib');
  const { Template } = await import('aws-cdk-lib/assertions');
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  return Template.fromStack(buildApp(app).stack as Parameters<typeof Template.fromStack>[0]).toJSON() as Template;
}
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, string | string[]>> };

/**
 * Physical values of the stack's resources as the test made them: a resource a function gets in an environment
 * variable (`NIANBAO_BUCKET: { Ref: ArchiveBucket… }`) is what the test put in that variable (`values`).
 */
function physicalNames(t: Template, values: Record<string, string | undefined>): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of Object.values(t.Resources)) {
    if (r.Type !== 'AWS::Lambda::Function') continue;
    const env = ((r.Properties.Environment as { Variables?: Record<string, unknown> })?.Variables ?? {}) as Record<string, unknown>;
    for (const [name, v] of Object.entries(env)) {
      const ref = (v as { Ref?: string })?.Ref;
      if (ref && values[name]) out.set(ref, values[name]!);
    }
  }
  return out;
}

function resolver(t: Template, names: Map<string, string>) {
  const arnOf = (id: string): string => {
    const type = t.Resources[id]?.Type;
    const name = names.get(id);
    if (!name) return `<${id}: no test value>`;
    if (type === 'AWS::S3::Bucket') return `arn:aws:s3:::${name}`;
    if (type === 'AWS::DynamoDB::Table' || type === 'AWS::DynamoDB::GlobalTable') return table(name);
    if (type === 'AWS::SQS::Queue') return queueArn(name);
    if (type === 'AWS::SNS::Topic') return name;
    return `<${id}: ${type}>`;
  };
  const resolve = (v: unknown): string => {
    if (typeof v === 'string') return v;
    const o = v as Record<string, unknown>;
    if ('Ref' in o) {
      const ref = o.Ref as string;
      if (ref === 'AWS::Partition') return 'aws';
      if (ref === 'AWS::Region') return REGION;
      if (ref === 'AWS::AccountId') return ACCOUNT;
      if (ref === 'AWS::URLSuffix') return 'amazonaws.com';
      return names.get(ref) ?? `<${ref}: no test value>`;
    }
    if ('Fn::GetAtt' in o) {
      const [id, attr] = o['Fn::GetAtt'] as [string, string];
      return attr === 'Arn' ? arnOf(id) : `<${id}.${attr}>`;
    }
    if ('Fn::Join' in o) {
      const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
      return parts.map(resolve).join(sep);
    }
    return `<${JSON.stringify(v)}>`;
  };
  return resolve;
}

/** IAM's wildcard match: `*` any run of characters, `?` any one (case-sensitive for resources, not for actions). */
const matches = (pattern: string, value: string, ignoreCase = false) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    ignoreCase ? 'i' : '',
  ).test(value);

function conditionHolds(condition: Statement['Condition'], context: Record<string, string> = {}): boolean {
  if (!condition) return true;
  return Object.entries(condition).every(([operator, tests]) =>
    Object.entries(tests).every(([key, want]) => {
      const have = context[key];
      if (have === undefined) return false;
      const wanted = [want].flat();
      // A request here has one value per key: "for all values" and "for any value" are that value's test.
      const op = operator.replace(/^For(?:All|Any)Values:/, '');
      if (op === 'StringLike') return wanted.some((w) => matches(w, have));
      if (op === 'StringEquals') return wanted.includes(have);
      return false; // an operator this evaluator does not know is not taken as allowing anything
    }),
  );
}

/** The Allow statements of the role of the function whose logical id starts with `fn`, resolved. */
export function functionPolicy(t: Template, fn: string, values: Record<string, string | undefined>) {
  const ids = Object.keys(t.Resources).filter((id) => t.Resources[id]!.Type === 'AWS::Lambda::Function' && id.startsWith(fn));
  if (ids.length !== 1) throw new Error(`${fn}: ${ids.length} functions in the stack start with it`);
  const role = (t.Resources[ids[0]!]!.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const resolve = resolver(t, physicalNames(t, values));
  const statements = Object.values(t.Resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles as { Ref: string }[]).some((x) => x.Ref === role))
    .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
    .filter((s) => s.Effect === 'Allow')
    .map((s) => ({ actions: [s.Action].flat(), resources: [s.Resource].flat().map(resolve), condition: s.Condition }));
  return {
    statements,
    allows: (r: IamRequest) =>
      statements.some(
        (s) => s.actions.some((a) => matches(a, r.action, true)) && s.resources.some((p) => matches(p, r.resource)) && conditionHolds(s.condition, r.context),
      ),
  };
}
