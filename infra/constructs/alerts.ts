/**
 * Alerts: an SNS topic the functions publish to (docs/architecture.md §7), an email subscription from the
 * `alertEmail` context value, and the notify function that posts to the webhooks kept in a secret.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SnsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { NianbaoFunction } from './function.ts';

export interface AlertsProps {
  alertEmail?: string | undefined;
  webhookSecretName?: string | undefined;
  registry: string;
}

export class Alerts extends Construct {
  readonly topic: sns.Topic;
  readonly notify?: lambda.IFunction;

  constructor(scope: Construct, id: string, props: AlertsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'nianbao alerts', enforceSSL: true });
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Alerts carry public facts about published government reports; CloudWatch alarms publish here too, which a KMS-encrypted topic would need a customer key policy for.',
    });
    if (props.alertEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alertEmail));

    if (props.webhookSecretName) {
      const secret = secretsmanager.Secret.fromSecretNameV2(this, 'Webhooks', props.webhookSecretName);
      const notify = new NianbaoFunction(this, 'Notify', {
        entry: 'notify',
        description: 'nianbao: SNS alerts → webhooks (DingTalk, WeCom, Feishu, Slack, JSON)',
        architecture: lambda.Architecture.ARM_64,
        memorySize: 256,
        timeout: Duration.seconds(60),
        environment: { NIANBAO_WEBHOOK_SECRET: props.webhookSecretName },
        registry: props.registry,
      }).fn;
      // fromSecretNameV2 yields an ARN with a `-??????` suffix wildcard (Secrets Manager adds six characters).
      notify.addToRolePolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [`${secret.secretArn}-??????`] }));
      notify.addEventSource(new SnsEventSource(this.topic));
      this.notify = notify;
    }
  }
}
