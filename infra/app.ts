/**
 * `cdk deploy` entry point: one NianbaoStack in the account and region of the CLI's credentials (any
 * region, including the aws-cn partition and ap-east-1), with cdk-nag's AwsSolutions checks on every synth.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { configFromContext } from './config.ts';
import { NianbaoStack } from './stack.ts';

/** The deploying account and region when the CLI knows them (unset: an environment-agnostic stack). */
function environment(): { account?: string; region?: string } {
  const { CDK_DEFAULT_ACCOUNT: account, CDK_DEFAULT_REGION: region } = process.env;
  return { ...(account ? { account } : {}), ...(region ? { region } : {}) };
}

export function buildApp(app = new App()): { app: App; stack: NianbaoStack } {
  const config = configFromContext((key) => app.node.tryGetContext(key));
  const stack = new NianbaoStack(app, String(app.node.tryGetContext('stackName') ?? 'Nianbao'), {
    config,
    env: environment(),
    description: 'nianbao: watchdog for 政府信息公开工作年度报告 (crawl, archive, parse, alert)',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

if (import.meta.url === `file://${process.argv[1]}`) buildApp().app.synth();
