/**
 * The Terraform side of the fleet's backups: one bucket per cluster of the reference fleet (the
 * Velero FAQ's advice: a bucket per cluster), in the cloud each cluster runs in; the on-premises
 * clusters (`mgmt`, `dev-proxmox`, `edge-metal3`) back up to S3 in {@link VELERO_AWS_REGION}, off
 * their own sites. Called by stacks/terraform.ts (the CDKTF app) and by stacks/backup.ts (which
 * takes each cluster's {@link BackupStorageTarget} from the construct that creates its bucket:
 * one source of truth for the names, decision 0072).
 *
 * Every cluster authenticates with a credentials file (Terraform sensitive output → the cluster's
 * secret store → an ExternalSecret): none of the reference clusters has a service-account issuer
 * that IAM, Entra ID or Google can reach before the cluster exists (decision 0072, as 0062 for the
 * secret stores).
 */
import { App } from 'cdktf';
import { BackupStorageTarget } from '../lib/core/backup-storage-target';
import { AwsPlatformStack, AzurePlatformStack, GcpPlatformStack } from '../lib/terraform/cloud-platform-stack';
import { AzureVeleroCredentials } from '../lib/terraform/velero-azure-blob-storage';
import { GcpVeleroCredentials } from '../lib/terraform/velero-gcs-storage';
import { AwsVeleroCredentials } from '../lib/terraform/velero-s3-storage';

/** Region of the fleet's S3 buckets (prod-aws and the on-premises clusters). */
export const VELERO_AWS_REGION = 'eu-central-1';
/** Project and location of dev-gcp's bucket (the project of stacks/clusters.ts). */
export const VELERO_GCP_PROJECT = 'infraflux-dev';
export const VELERO_GCP_LOCATION = 'europe-west4';
/** Subscription, resource group (a prerequisite: docs/runbooks/disaster-recovery.md) and region of prod-azure's storage account. */
export const VELERO_AZURE_SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';
export const VELERO_AZURE_RESOURCE_GROUP = 'infraflux-backup';
export const VELERO_AZURE_LOCATION = 'westeurope';

/** The Secrets Manager secret the aws-platform stack writes prod-aws's credentials file to (the ESO user may read infraflux/prod-aws/*). */
export const PROD_AWS_CREDENTIALS_SECRET = 'infraflux/prod-aws/velero-credentials';

/** The clusters whose backups go to S3 (on-premises ones included). */
const S3_CLUSTERS = ['mgmt', 'prod-aws', 'dev-proxmox', 'edge-metal3'] as const;

/** Adds the backup storage stacks to `app`; returns each cluster's storage target. */
export function addFleetBackupStorage(app: App): Readonly<Record<string, BackupStorageTarget>> {
  const targets: Record<string, BackupStorageTarget> = {};
  const aws = new AwsPlatformStack(app, 'aws-platform', { region: VELERO_AWS_REGION });
  for (const cluster of S3_CLUSTERS) {
    targets[cluster] = aws.addVeleroStorage(`velero-${cluster}`, {
      bucketName: `infraflux-velero-${cluster}`,
      credentials: AwsVeleroCredentials.accessKey(),
      // prod-aws reads its secrets from AWS Secrets Manager (decision 0062): Terraform writes the file there.
      ...(cluster === 'prod-aws' ? { credentialsSecretName: PROD_AWS_CREDENTIALS_SECRET } : {}),
    }).storageTarget;
  }
  const gcp = new GcpPlatformStack(app, 'gcp-platform', { projectId: VELERO_GCP_PROJECT, region: VELERO_GCP_LOCATION });
  targets['dev-gcp'] = gcp.addVeleroStorage('velero-dev-gcp', {
    bucketName: 'infraflux-velero-dev-gcp',
    location: VELERO_GCP_LOCATION,
    serviceAccountId: 'velero-dev-gcp',
    credentials: GcpVeleroCredentials.serviceAccountKey(),
    // dev-gcp reads its secrets from Secret Manager (decision 0062): Terraform writes the key file there.
    credentialsSecretId: 'velero-credentials',
  }).storageTarget;
  const azure = new AzurePlatformStack(app, 'azure-platform', { subscriptionId: VELERO_AZURE_SUBSCRIPTION });
  targets['prod-azure'] = azure.addVeleroStorage('velero-prod-azure', {
    storageAccountName: 'infrafluxveleroprodazure',
    resourceGroupName: VELERO_AZURE_RESOURCE_GROUP,
    location: VELERO_AZURE_LOCATION,
    credentials: AzureVeleroCredentials.storageAccountKey(),
  }).storageTarget;
  return targets;
}
