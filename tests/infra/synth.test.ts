/**
 * `cdk synth` as an operator runs it (offline, the local esbuild, layers copied from node_modules, cdk-nag on),
 * with every context option the README documents; then every function of the template loaded the way Lambda
 * loads it (tests/helpers/lambda-runtime.ts): its bundle at /var/task and only the layers the template
 * attaches at /opt — copied, outside the checkout — with the runtime's module resolution. arm64 functions carry
 * no x86_64 binary. The parse function reads a PDF, a DOCX and a DOC of a real report with only the report
 * readers layer, against the emulators over HTTP.
 */
import { captureRecord } from '../helpers/records.ts';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { CreateBucketCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import dynalite from 'dynalite';
import { startFauxqs } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientsFromEnv, type AwsClients } from '../../functions/lib/aws.ts';
import { ensureTable } from '../../shared/store/dynamo-client.ts';
import { DynamoStore } from '../../shared/store/dynamo.ts';
import { S3ArchiveStore } from '../../shared/store/s3.ts';
import { DynamoStateStore } from '../../shared/store/state.ts';
import { elfMachine, lambdaSandbox, mountNamespaces, rel, synthesizedFunctions, walk, type SynthesizedFunction } from '../helpers/lambda-runtime.ts';

const root = join(import.meta.dirname, '..', '..');
const fixtures = join(root, 'tests', 'fixtures');

/** Every context value the README's table documents, each set to something other than its default. */
const CONTEXT = {
  alertEmail: 'watchdog@example.org',
  operatorEmail: 'operator@example.org',
  webhookSecretName: 'nianbao/webhooks',
  crawlSchedules: 'cron(0 9 * 1-4 ? *);cron(0 9 ? 5-12 MON *)',
  deadlineSchedule: 'cron(30 19 * * ? *)',
  deadlineGraceDays: '5',
  objectLockYears: '2',
  registry: join(root, 'registry', 'portals.yaml'),
  egressProxySecretName: 'nianbao/proxy',
  stackName: 'NianbaoFaithful',
};

let assembly: string;
let functions: SynthesizedFunction[];

beforeAll(() => {
  assembly = mkdtempSync(join(tmpdir(), 'nianbao-synth-'));
  const args = ['synth', '--quiet', '-o', assembly, ...Object.entries(CONTEXT).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  execFileSync(join(root, 'node_modules', '.bin', 'cdk'), args, {
    cwd: root,
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', CDK_DEFAULT_REGION: 'cn-north-1' },
    stdio: 'pipe',
  });
  functions = synthesizedFunctions(assembly, `${CONTEXT.stackName}.template.json`);
}, 240_000);

const named = (prefix: string) => functions.find((f) => f.logicalId.startsWith(prefix))!;

describe('npm run synth with every documented context option', () => {
  it('synthesizes the eight functions on nodejs22.x with the options applied', () => {
    expect(functions.map((f) => f.logicalId.replace(/Function[0-9A-F]{8}$/, '')).sort()).toEqual(
      [
        'AlertsNotify',
        'ArchiveApiHandler',
        'CrawlingBrowserCrawl',
        'CrawlingCrawl',
        'CrawlingDeadlines',
        'CrawlingDispatch',
        'CrawlingParse',
        'SiteWriter',
      ].sort(),
    );
    for (const f of functions) expect(f.runtime).toBe('nodejs22.x');
    const template = readFileSync(join(assembly, `${CONTEXT.stackName}.template.json`), 'utf8');
    for (const v of ['operator@example.org', 'watchdog@example.org', 'cron(30 19 * * ? *)', 'cron(0 9 * 1-4 ? *)', 'nianbao/proxy'])
      expect(template).toContain(v);
    expect(named('CrawlingCrawl').environment.NIANBAO_GRACE_DAYS).toBe('5');
  });
});

describe('every function as Lambda loads it: its bundle and only its layers, copied, outside the checkout', () => {
  it('bundles and layers hold no symbolic link and nothing of the checkout', () => {
    for (const f of functions) {
      const sandbox = lambdaSandbox(f);
      const files = [...walk(sandbox.task), ...walk(sandbox.opt)];
      expect(
        rel(
          sandbox.task,
          files.filter((x) => x.link).map((x) => x.path),
        ),
        f.logicalId,
      ).toEqual([]);
      expect(sandbox.task.startsWith(root)).toBe(false);
      expect(readFileSync(join(sandbox.task, 'portals.yaml'), 'utf8')).toMatch(/^bodies:/m);
    }
  });

  it('arm64 functions carry no x86_64 binary at all; x86_64 ones no arm64 Node addon', () => {
    for (const f of functions) {
      const sandbox = lambdaSandbox(f);
      const files = [...walk(sandbox.task), ...walk(sandbox.opt)].filter((x) => !x.link).map((x) => x.path);
      // (tar-fs's bare-* dependencies ship prebuilds for the Bare runtime for every platform; Node never loads them.)
      const wrong =
        f.architecture === 'arm64' ? files.filter((p) => elfMachine(p) === 'x86_64') : files.filter((p) => p.endsWith('.node') && elfMachine(p) === 'arm64');
      expect(wrong, `${f.logicalId} (${f.architecture})`).toEqual([]);
    }
  });

  it.each([
    'CrawlingDispatch',
    'CrawlingCrawl',
    'CrawlingBrowserCrawl',
    'CrawlingParse',
    'CrawlingDeadlines',
    'ArchiveApiHandler',
    'AlertsNotify',
    'SiteWriter',
  ])(
    '%s: the handler module loads with its own layers only',
    async (prefix) => {
      const r = await lambdaSandbox(named(prefix)).invoke();
      expect(r.error ?? '', r.stderr).toBe('');
      expect(r.handlerType).toBe('function');
    },
    60_000,
  );
});

describe('the Lambda paths against the emulators', () => {
  let fauxqs: Awaited<ReturnType<typeof startFauxqs>>;
  let db: Server;
  let clients: AwsClients;
  let env: Record<string, string>;
  beforeAll(async () => {
    fauxqs = await startFauxqs({ port: 0, logger: false } as Parameters<typeof startFauxqs>[0]);
    db = dynalite({ createTableMs: 0 }) as unknown as Server;
    await new Promise<void>((r) => db.listen(0, '127.0.0.1', () => r()));
    env = {
      AWS_REGION: 'us-east-1',
      NIANBAO_AWS_ENDPOINT: `http://127.0.0.1:${fauxqs.port}`,
      NIANBAO_DYNAMODB_ENDPOINT: `http://127.0.0.1:${(db.address() as { port: number }).port}`,
      NIANBAO_BUCKET: 'faithful-archive',
      NIANBAO_TABLE: 'faithful',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    clients = clientsFromEnv(env);
    await clients.s3.send(new CreateBucketCommand({ Bucket: env.NIANBAO_BUCKET }));
    await ensureTable(clients.doc, env.NIANBAO_TABLE!);
  });
  afterAll(async () => {
    clients?.doc.destroy();
    await new Promise((r) => db?.close(r));
    await fauxqs?.stop();
  });

  it('reads each into figures equal to the real report’s (上海市人民政府办公厅 2019)', async () => {
    const parse = named('CrawlingParse');
    expect(parse.architecture).toBe('arm64');
    expect(parse.layers).toHaveLength(1);
    const archive = new S3ArchiveStore(clients.s3, env.NIANBAO_BUCKET!);
    const store = new DynamoStore(clients.doc, archive, env.NIANBAO_TABLE!);
    const files = ['shanghai-2019.pdf', 'shanghai-2019.docx', 'shanghai-2019.doc'];
    const shas: string[] = [];
    for (const [i, file] of files.entries()) {
      const bytes = readFileSync(join(fixtures, 'derived', file));
      const { sha256 } = await archive.put(bytes);
      shas.push(sha256);
      const url = `https://www.shanghai.gov.cn/nw12344/${file}`;
      await store.put(
        captureRecord(`faithful-${i}`, url, {
          time: '2020-03-30T02:00:00.000Z',
          sha256,
          size: bytes.length,
          contentType: null,
          bodyId: `faithful-${file.split('.').pop()}`,
          year: 2019,
        }),
      );
    }
    // S3 notifications as the parse queue delivers them.
    const event = {
      Records: shas.map((sha, i) => ({
        messageId: `m-${i}`,
        receiptHandle: `r-${i}`,
        attributes: { ApproximateReceiveCount: '1' },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:parse',
        awsRegion: 'us-east-1',
        body: JSON.stringify({
          Records: [
            { eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: env.NIANBAO_BUCKET }, object: { key: `blobs/sha256/${sha}` } } },
          ],
        }),
      })),
    };
    const r = await lambdaSandbox(parse).invoke(event, env);
    expect(r.error ?? '', r.stderr).toBe('');
    expect(r.response).toEqual({ batchItemFailures: [] });
    const expected = JSON.parse(readFileSync(join(fixtures, '01-shanghai-szfbgt-2019.expected.json'), 'utf8'));
    const received = (Object.values(expected.table3.rows)[0] as number[])[6];
    for (const [i, file] of files.entries()) {
      const body = `faithful-${file.split('.').pop()}`;
      const reports = await store.reports(body, 2019);
      expect(reports, file).toHaveLength(1);
      expect(reports[0]!.format, file).toBe('2019');
      const row = (await store.rows(body, 2019, shas[i]!)).find((x) => x.row === 'table3.received');
      expect(row?.values.total, file).toBe(received);
    }
  }, 120_000);

  it('the site function writes the dashboard to site/ from the table, with the assets its bundle carries', async () => {
    const site = named('SiteWriter');
    expect(site.layers).toHaveLength(0);
    const siteBucket = 'faithful-site';
    await clients.s3.send(new CreateBucketCommand({ Bucket: siteBucket }));
    const state = new DynamoStateStore(clients.doc, env.NIANBAO_TABLE!);
    await state.putState({
      bodyId: 'faithful-pdf',
      year: 2019,
      status: 'found',
      missedAt: [],
      consecutiveFailures: 0,
      deadline: '2020-03-31',
      updatedAt: '2020-03-30',
    });
    const r = await lambdaSandbox(site).invoke({}, { ...env, NIANBAO_SITE_BUCKET: siteBucket });
    expect(r.error ?? '', r.stderr).toBe('');
    expect(r.response).toMatchObject({ skipped: 0 });
    const text = async (key: string) => (await clients.s3.send(new GetObjectCommand({ Bucket: siteBucket, Key: key }))).Body!.transformToString();
    expect(await text('site/index.html')).toContain('<html lang="zh-CN">');
    expect(await text('site/data/overview.js')).toContain('faithful-pdf');
    expect(await text('site/report/faithful-pdf/2019.html')).toContain('data-cell="table3.received.total"');
    const echarts = readFileSync(createRequire(import.meta.url).resolve('echarts/dist/echarts.common.min.js'), 'utf8');
    expect(await text('site/assets/echarts.min.js')).toBe(echarts);
  }, 120_000);
});

it('runs in a mount namespace where one can be made (else at temporary paths, said here)', () => {
  if (!mountNamespaces()) console.warn('lambda-faithful: no mount namespaces here; /var/task and /opt are temporary folders');
  writeFileSync(join(assembly, '.checked'), '');
  expect(true).toBe(true);
});
