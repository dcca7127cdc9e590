/**
 * One nianbao Lambda function: TypeScript bundled by the local esbuild (no Docker), ESM, nodejs22.x,
 * the registry copied beside the bundle, its own log group.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Packages the functions load at run time from layers instead of the bundle (see infra/layers.ts). */
export const LAYER_PACKAGES = { parsers: ['pdfjs-dist', 'mammoth', 'word-extractor'], chromium: ['@sparticuz/chromium', 'playwright-core'] } as const;

export interface NianbaoFunctionProps {
  /** The file in functions/ (without .ts). */
  entry: string;
  description: string;
  architecture: lambda.Architecture;
  memorySize: number;
  timeout: Duration;
  environment: Record<string, string>;
  registry: string;
  layers?: lambda.ILayerVersion[];
  /** Files copied beside the bundle (absolute source → path in /var/task), e.g. the dashboard's assets. */
  files?: Record<string, string>;
}

export class NianbaoFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: NianbaoFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.DESTROY });
    this.logGroup = logGroup;
    this.fn = new NodejsFunction(this, 'Function', {
      entry: join(PROJECT_ROOT, 'functions', `${props.entry}.ts`),
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: props.architecture,
      memorySize: props.memorySize,
      timeout: props.timeout,
      logGroup,
      ...(props.layers ? { layers: props.layers } : {}),
      environment: {
        ...props.environment,
        NIANBAO_REGISTRY: '/var/task/portals.yaml',
        NODE_OPTIONS: '--enable-source-maps',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        // Powertools Metrics: the namespace of every nianbao metric (functions/lib/observe.ts).
        POWERTOOLS_METRICS_NAMESPACE: 'nianbao',
      },
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        sourceMap: true,
        // Some CommonJS dependencies call require(): ESM bundles get one.
        banner: "import { createRequire as __nianbaoRequire } from 'node:module'; const require = __nianbaoRequire(import.meta.url);",
        externalModules: [...LAYER_PACKAGES.parsers, ...LAYER_PACKAGES.chromium],
        forceDockerBundling: false,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_input: string, output: string) => [
            `cp "${props.registry}" "${output}/portals.yaml"`,
            ...Object.entries(props.files ?? {}).map(([from, to]) => `mkdir -p "${dirname(join(output, to))}" && cp "${from}" "${join(output, to)}"`),
          ],
        },
      },
    });
  }
}
