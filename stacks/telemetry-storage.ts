/**
 * The Terraform side of the fleet's logs (decision 0085): one private S3 bucket per production
 * cluster whose Loki keeps its chunks in object storage — `mgmt` (on-premises, like its Velero
 * bucket) and `prod-aws` — in the stack `aws-logs`, with an access key limited to the bucket.
 * `LOKI_BUCKETS` (stacks/telemetry.ts) is the one table both sides read: stacks/terraform.ts creates the buckets
 * from it, stacks/telemetry.ts points each cluster's Loki at the same names.
 * prod-azure keeps Loki on its volume until an Azure Blob target exists (docs/observability.md).
 */
import { App } from 'cdktf';
import { AwsPlatformStack } from '../lib/terraform/cloud-platform-stack';
import { LokiS3Storage } from '../lib/terraform/loki-s3-storage';
import { VELERO_AWS_REGION } from './backup-storage';
import { LOKI_BUCKETS, PRODUCTION_BUDGET } from './telemetry';

/** Adds the stack `aws-logs` with every Loki bucket to `app`. */
export function addFleetLogStorage(app: App): AwsPlatformStack {
  const stack = new AwsPlatformStack(app, 'aws-logs', { region: VELERO_AWS_REGION });
  for (const [cluster, b] of Object.entries(LOKI_BUCKETS)) {
    new LokiS3Storage(stack, `loki-${cluster}`, {
      bucketName: b.bucket,
      region: b.region,
      retentionDays: PRODUCTION_BUDGET.logRetentionDays,
      ...(b.credentialsSecretName ? { credentialsSecretName: b.credentialsSecretName } : {}),
    });
  }
  return stack;
}
