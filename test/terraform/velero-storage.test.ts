import { Testing, TerraformVariable } from 'cdktf';
import { ErrorCode } from '../../lib/core/errors';
import { thrownBy } from '../support/errors';
import { IamAccessKey } from '@cdktf/provider-aws/lib/iam-access-key';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { FederatedIdentityCredential } from '@cdktf/provider-azurerm/lib/federated-identity-credential';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member';
import { ServiceAccountKey } from '@cdktf/provider-google/lib/service-account-key';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';
import { BackupCredentialKind, BackupProvider } from '../../lib/core/backup-storage-target';
import { AzureVeleroCredentials, VELERO_AZURE_ACCOUNT_KEY_ENV } from '../../lib/terraform/velero-azure-blob-storage';
import { VeleroAzureBlobStorage } from '../../lib/terraform/velero-azure-blob-storage';
import { VeleroGcsStorage } from '../../lib/terraform/velero-gcs-storage';
import { VeleroS3Storage } from '../../lib/terraform/velero-s3-storage';
import {
  AwsPlatformStack,
  AwsVeleroCredentials,
  AwsVeleroCredentialsKind,
  AzurePlatformStack,
  GcpPlatformStack,
  GcpVeleroCredentials,
  GcpVeleroCredentialsKind,
  VeleroAzureBlobStorageProps,
  VeleroGcsStorageProps,
  VeleroS3StorageProps,
} from '../../lib/terraform';
import { findSecretLeaks, PackProvider, PinnedProviderSchemas } from '../../scripts/lib/provider-schema';
import { buildTerraformApp } from '../../stacks/terraform';
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

// Types of cdktf's jest matchers (toHaveResourceWithProperties, ...).
import 'cdktf/lib/testing/adapters/jest';

Testing.setupJest();

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const OIDC_ARN = 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const OIDC_HOST = 'oidc.eks.eu-central-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';

function aws(props: Partial<VeleroS3StorageProps> = {}): AwsPlatformStack {
  const stack = new AwsPlatformStack(Testing.app(), 'aws', { region: 'eu-central-1' });
  stack.addVeleroStorage('velero', { bucketName: 'infraflux-velero-prod', credentials: AwsVeleroCredentials.irsa(OIDC_ARN), ...props });
  return stack;
}
function gcp(props: Partial<VeleroGcsStorageProps> = {}): GcpPlatformStack {
  const stack = new GcpPlatformStack(Testing.app(), 'gcp', { projectId: 'infraflux-prod', region: 'europe-west3' });
  stack.addVeleroStorage('velero', { bucketName: 'infraflux-velero-gke', location: 'EU', ...props });
  return stack;
}
const AZURE: VeleroAzureBlobStorageProps = {
  storageAccountName: 'infrafluxvelero',
  resourceGroupName: 'rg-backups',
  location: 'westeurope',
  oidcIssuerUrl: 'https://westeurope.oic.prod-aks.azure.com/00000000-0000-0000-0000-000000000000/11111111-1111-1111-1111-111111111111/',
};
function azure(props: Partial<VeleroAzureBlobStorageProps> = {}): AzurePlatformStack {
  const stack = new AzurePlatformStack(Testing.app(), 'azure', {});
  stack.addVeleroStorage('velero', { ...AZURE, ...props });
  return stack;
}
const synth = (stack: AwsPlatformStack | GcpPlatformStack | AzurePlatformStack): string => Testing.synth(stack, true);
const parse = (stack: AwsPlatformStack | GcpPlatformStack | AzurePlatformStack): Json => JSON.parse(synth(stack)) as Json;
const all = (json: Json, section: 'resource' | 'data', type: string): Json[] => Object.values(json[section]?.[type] ?? {}) as Json[];
/** The policy document whose construct id is `child` (logical ids are `<parent>_<child>_<hash>`). */
const policyNamed = (json: Json, child: string): Json =>
  Object.entries(json.data.aws_iam_policy_document as Json).find(([k]) => k.includes(`_${child.replace(/^\//, '')}_`))![1] as Json;

/**
 * Sensitive attributes of the cloud resources these constructs use, as the providers' schemas mark
 * them (hashicorp/aws 6.25.0 `aws_iam_access_key.secret`/`ses_smtp_password_v4`, hashicorp/google
 * 6.50.0 `google_service_account_key.private_key`, hashicorp/azurerm 4.55.0 storage-account keys and
 * connection strings). The pack has no schema summaries for these providers, so the list is kept here.
 */
const SENSITIVE: PackProvider[] = [
  { provider: 'hashicorp/aws', localName: 'aws', version: '6.25.0', dataSources: {}, resources: { aws_iam_access_key: { attributes: { secret: { type: 'string', computed: true, sensitive: true }, ses_smtp_password_v4: { type: 'string', computed: true, sensitive: true } } } } },
  { provider: 'hashicorp/google', localName: 'google', version: '6.50.0', dataSources: {}, resources: { google_service_account_key: { attributes: { private_key: { type: 'string', computed: true, sensitive: true } } } } },
  {
    provider: 'hashicorp/azurerm',
    localName: 'azurerm',
    version: '4.55.0',
    dataSources: {},
    resources: {
      azurerm_storage_account: {
        attributes: Object.fromEntries(
          ['primary_access_key', 'secondary_access_key', 'primary_connection_string', 'secondary_connection_string', 'primary_blob_connection_string', 'secondary_blob_connection_string'].map((a) => [a, { type: 'string', computed: true, sensitive: true }]),
        ),
      },
    },
  },
];
const cloudSchemas = new PinnedProviderSchemas(SENSITIVE);

describe('Velero credentials', () => {
  test('each factory names its kind with an enum value', () => {
    expect(AwsVeleroCredentials.irsa(OIDC_ARN).kind).toBe(AwsVeleroCredentialsKind.IRSA);
    expect(AwsVeleroCredentials.accessKey().kind).toBe(AwsVeleroCredentialsKind.ACCESS_KEY);
    expect(GcpVeleroCredentials.workloadIdentity().kind).toBe(GcpVeleroCredentialsKind.WORKLOAD_IDENTITY);
    expect(GcpVeleroCredentials.serviceAccountKey().kind).toBe(GcpVeleroCredentialsKind.SERVICE_ACCOUNT_KEY);
  });
});

describe('VeleroS3Storage', () => {
  test('hardens the bucket: versioning, SSE, public access block, ACLs off, TLS-only policy, lifecycle', () => {
    const out = synth(aws());
    expect(out).toHaveResourceWithProperties(S3Bucket, { bucket: 'infraflux-velero-prod', force_destroy: false });
    expect(out).toHaveResourceWithProperties(S3BucketVersioningA, { versioning_configuration: { status: 'Enabled' } });
    expect(out).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, { rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }] });
    expect(out).toHaveResourceWithProperties(S3BucketPublicAccessBlock, { block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(out).toHaveResourceWithProperties(S3BucketOwnershipControls, { rule: { object_ownership: 'BucketOwnerEnforced' } });
    const json = parse(aws({ noncurrentVersionExpirationDays: 45 }));
    const [lifecycle] = all(json, 'resource', 'aws_s3_bucket_lifecycle_configuration');
    expect(lifecycle.rule).toEqual([
      expect.objectContaining({ status: 'Enabled', noncurrent_version_expiration: [{ noncurrent_days: 45 }], expiration: [{ expired_object_delete_marker: true }] }),
      expect.objectContaining({ status: 'Enabled', abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] }),
    ]);
    const tls = policyNamed(json, '/tls-only');
    expect(tls.statement).toEqual([
      expect.objectContaining({
        effect: 'Deny',
        actions: ['s3:*'],
        principals: [{ type: '*', identifiers: ['*'] }],
        condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
      }),
    ]);
    expect(tls.statement[0].resources).toHaveLength(2);
    const [bucketPolicy] = all(json, 'resource', 'aws_s3_bucket_policy');
    expect(bucketPolicy.policy).toMatch(/^\$\{data\.aws_iam_policy_document\..*tls-only.*\.json\}$/);
  });

  test('SSE-KMS with a customer key adds bucket keys and exactly kms:GenerateDataKey + kms:Decrypt on that key', () => {
    const key = 'arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const json = parse(aws({ kmsKeyArn: key }));
    const [sse] = all(json, 'resource', 'aws_s3_bucket_server_side_encryption_configuration');
    expect(sse.rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: key }, bucket_key_enabled: true }]);
    const kms = policyNamed(json, '/velero-policy').statement.find((s: Json) => s.sid === 'VeleroKms');
    expect(kms).toEqual({ sid: 'VeleroKms', effect: 'Allow', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [key] });
  });

  test('grants exactly the Velero AWS plugin actions on this bucket (no EC2 unless ebsSnapshots)', () => {
    const statements = policyNamed(parse(aws()), '/velero-policy').statement as Json[];
    expect(statements.map((s) => [s.sid, s.effect, s.actions])).toEqual([
      ['VeleroObjects', 'Allow', ['s3:GetObject', 's3:DeleteObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts']],
      ['VeleroBucket', 'Allow', ['s3:ListBucket']],
    ]);
    expect(statements[0].resources).toEqual([expect.stringMatching(/^\$\{aws_s3_bucket\.[\w-]+\.arn\}\/\*$/)]);
    expect(statements[1].resources).toEqual([expect.stringMatching(/^\$\{aws_s3_bucket\.[\w-]+\.arn\}$/)]);

    const withEbs = policyNamed(parse(aws({ ebsSnapshots: true })), '/velero-policy').statement as Json[];
    expect(withEbs[2]).toEqual({
      sid: 'VeleroEbsSnapshots',
      effect: 'Allow',
      actions: ['ec2:DescribeVolumes', 'ec2:DescribeSnapshots', 'ec2:CreateTags', 'ec2:CreateVolume', 'ec2:CreateSnapshot', 'ec2:DeleteSnapshot'],
      resources: ['*'],
    });
  });

  test('IRSA: the role trusts only system:serviceaccount:velero:velero with audience sts.amazonaws.com', () => {
    const json = parse(aws());
    expect(synth(aws())).toHaveResourceWithProperties(IamRole, { name: 'velero-infraflux-velero-prod' });
    expect(policyNamed(json, '/trust').statement).toEqual([
      {
        sid: 'VeleroServiceAccount',
        effect: 'Allow',
        actions: ['sts:AssumeRoleWithWebIdentity'],
        principals: [{ type: 'Federated', identifiers: [OIDC_ARN] }],
        condition: [
          { test: 'StringEquals', variable: `${OIDC_HOST}:sub`, values: ['system:serviceaccount:velero:velero'] },
          { test: 'StringEquals', variable: `${OIDC_HOST}:aud`, values: ['sts.amazonaws.com'] },
        ],
      },
    ]);
    expect(all(json, 'resource', 'aws_iam_user')).toEqual([]);
    expect(all(json, 'resource', 'aws_iam_access_key')).toEqual([]);
    expect(json.output.velero_role_arn.value).toMatch(/aws_iam_role\..*\.arn/);
    expect(json.output.velero_backup_storage_location.value).toEqual({ provider: 'aws', bucket: expect.stringMatching(/aws_s3_bucket/), config: { region: 'eu-central-1' } });
  });

  test('IRSA with a Terraform reference derives the issuer in Terraform; custom namespace/service account', () => {
    const stack = new AwsPlatformStack(Testing.app(), 'aws', { region: 'eu-central-1' });
    const arn = new TerraformVariable(stack, 'oidc_arn', { type: 'string' });
    stack.addVeleroStorage('velero', { bucketName: 'infraflux-velero-prod', credentials: AwsVeleroCredentials.irsa(arn.stringValue), namespace: 'backup', serviceAccount: 'velero-server' });
    const [cond] = policyNamed(parse(stack), '/trust').statement[0].condition;
    expect(cond).toEqual({ test: 'StringEquals', variable: '${element(split("oidc-provider/", var.oidc_arn), 1)}:sub', values: ['system:serviceaccount:backup:velero-server'] });
  });

  test('access key: IAM user with the same policy; the key only in a sensitive output', () => {
    const stack = aws({ credentials: AwsVeleroCredentials.accessKey() });
    expect(synth(stack)).toHaveResource(IamAccessKey);
    const json = parse(stack);
    expect(all(json, 'resource', 'aws_iam_role')).toEqual([]);
    const [userPolicy] = all(json, 'resource', 'aws_iam_user_policy');
    expect(userPolicy.policy).toMatch(/velero-policy.*\.json/);
    expect(json.output.velero_credentials).toEqual(expect.objectContaining({ sensitive: true, value: expect.stringContaining('aws_secret_access_key=${aws_iam_access_key.') }));
    for (const [name, o] of Object.entries(json.output as Json)) {
      if (name !== 'velero_credentials') expect(JSON.stringify(o)).not.toMatch(/aws_iam_access_key/);
    }
  });

  test('configures the provider from the environment, with the region and default tags', () => {
    const out = synth(aws());
    expect(out).toHaveProviderWithProperties(AwsProvider, { region: 'eu-central-1', default_tags: [{ tags: { 'managed-by': 'infraflux' } }] });
    const json = parse(aws());
    expect(json.terraform.required_providers.aws).toEqual({ source: 'aws', version: '6.25.0' });
    expect(json.terraform.backend.local.path).toBe('../../../terraform.aws.tfstate');
    expect(JSON.stringify(json.provider)).not.toMatch(/access_key|secret_key|token/);
  });

  test('matches the snapshot (IRSA and access key)', () => {
    expect(parse(aws({ ebsSnapshots: true }))).toMatchSnapshot();
    expect(parse(aws({ credentials: AwsVeleroCredentials.accessKey() }))).toMatchSnapshot();
  });

  test('fails on an invalid bucket name', () => {
    expect(() => aws({ bucketName: 'Infraflux_Velero' })).toThrow(/\[aws\/velero\] bucketName "Infraflux_Velero" is not a valid S3 bucket name/);
  });
  test('fails on a bucket name with dots', () => {
    expect(() => aws({ bucketName: 'velero.example.com' })).toThrow(/bucketName "velero.example.com" is not a valid S3 bucket name; .*no dots/);
  });
  test('fails on a missing region', () => {
    expect(() => new AwsPlatformStack(Testing.app(), 'aws', { region: '' })).toThrow(/\[aws\] region is missing/);
  });
  test('fails on an invalid region', () => {
    expect(() => new AwsPlatformStack(Testing.app(), 'aws', { region: 'Frankfurt' }).addVeleroStorage('v', { bucketName: 'infraflux-velero', credentials: AwsVeleroCredentials.accessKey() })).toThrow(/\[aws\/v\] region "Frankfurt" is not an AWS region like eu-central-1/);
  });
  test('fails on an empty namespace', () => {
    expect(() => aws({ namespace: '' })).toThrow(/\[aws\/velero\] namespace "" is empty/);
  });
  test('fails on an empty service account', () => {
    expect(() => aws({ serviceAccount: '' })).toThrow(/\[aws\/velero\] serviceAccount "" is empty/);
  });
  test('fails on an invalid namespace', () => {
    expect(() => aws({ namespace: 'Velero_NS' })).toThrow(/namespace "Velero_NS" is not a DNS-1123 label/);
  });
  test('fails on a malformed OIDC provider ARN', () => {
    expect(() => aws({ credentials: AwsVeleroCredentials.irsa('arn:aws:iam::123:role/velero') })).toThrow(/oidcProviderArn "arn:aws:iam::123:role\/velero" is not an IAM OIDC provider ARN/);
  });
  test('fails on a malformed KMS key ARN', () => {
    expect(() => aws({ kmsKeyArn: 'alias/velero' })).toThrow(/kmsKeyArn "alias\/velero" is not a KMS key ARN/);
  });
  test('fails on noncurrent version days out of range', () => {
    expect(() => aws({ noncurrentVersionExpirationDays: 0 })).toThrow(/noncurrentVersionExpirationDays 0 is out of range/);
  });
  test('fails on noncurrent version days out of range with INVALID_DURATION', () => {
    // GIVEN 0 days WHEN the storage is built THEN the duration family code
    expect(thrownBy(() => aws({ noncurrentVersionExpirationDays: 0 })).code).toBe(ErrorCode.INVALID_DURATION);
  });
  test('fails on an output prefix that is not a Terraform name', () => {
    expect(() => aws({ outputPrefix: 'Velero-Prod' })).toThrow(/outputPrefix "Velero-Prod" is not a Terraform output name/);
  });
});

describe('VeleroGcsStorage', () => {
  test('hardens the bucket: uniform access, public access prevention, versioning, lifecycle', () => {
    expect(synth(gcp())).toHaveResourceWithProperties(StorageBucket, {
      name: 'infraflux-velero-gke',
      project: 'infraflux-prod',
      location: 'EU',
      uniform_bucket_level_access: true,
      public_access_prevention: 'enforced',
      force_destroy: false,
      versioning: { enabled: true },
      lifecycle_rule: [
        { action: { type: 'Delete' }, condition: { days_since_noncurrent_time: 30, with_state: 'ARCHIVED' } },
        { action: { type: 'AbortIncompleteMultipartUpload' }, condition: { age: 7 } },
      ],
    });
  });

  test('custom roles hold exactly the Velero GCP plugin permissions; storage on the bucket only', () => {
    const json = parse(gcp({ diskSnapshots: true }));
    const roles = Object.fromEntries(all(json, 'resource', 'google_project_iam_custom_role').map((r) => [r.role_id, r.permissions]));
    expect(roles).toEqual({
      velero_velero_storage: ['storage.objects.create', 'storage.objects.delete', 'storage.objects.get', 'storage.objects.list'],
      velero_velero_snapshots: [
        'compute.disks.get',
        'compute.disks.create',
        'compute.disks.createSnapshot',
        'compute.snapshots.get',
        'compute.snapshots.create',
        'compute.snapshots.useReadOnly',
        'compute.snapshots.delete',
        'compute.zones.get',
      ],
      velero_velero_sign_blob: ['iam.serviceAccounts.signBlob'],
    });
    const [bucketBinding] = all(json, 'resource', 'google_storage_bucket_iam_member');
    expect(bucketBinding.role).toMatch(/storage-role.*\.name/);
    const projectBindings = all(json, 'resource', 'google_project_iam_member');
    expect(projectBindings).toHaveLength(1);
    expect(projectBindings[0].role).toMatch(/compute-role.*\.name/);
    // without disk snapshots there is no project-level grant at all
    expect(all(parse(gcp()), 'resource', 'google_project_iam_member')).toEqual([]);
  });

  test('Workload Identity binds exactly velero/velero and needs no key', () => {
    const stack = gcp();
    expect(synth(stack)).toHaveResourceWithProperties(ServiceAccountIamMember, { role: 'roles/iam.workloadIdentityUser', member: 'serviceAccount:infraflux-prod.svc.id.goog[velero/velero]' });
    const json = parse(stack);
    expect(all(json, 'resource', 'google_service_account_key')).toEqual([]);
    expect(json.output.velero_backup_storage_location.value).toEqual({ provider: 'gcp', bucket: expect.stringMatching(/google_storage_bucket/), config: { serviceAccount: expect.stringMatching(/google_service_account\..*\.email/) } });
  });

  test('a service-account key is opt-in and only a sensitive output', () => {
    const stack = gcp({ credentials: GcpVeleroCredentials.serviceAccountKey() });
    expect(synth(stack)).toHaveResource(ServiceAccountKey);
    const json = parse(stack);
    expect(json.output.velero_credentials).toEqual(expect.objectContaining({ sensitive: true, value: expect.stringMatching(/^\$\{base64decode\(google_service_account_key\..*\.private_key\)\}$/) }));
    expect(all(json, 'resource', 'google_service_account_iam_member')).toEqual([]);
  });

  test('matches the snapshot (Workload Identity and key)', () => {
    expect(parse(gcp({ diskSnapshots: true }))).toMatchSnapshot();
    expect(parse(gcp({ credentials: GcpVeleroCredentials.serviceAccountKey() }))).toMatchSnapshot();
  });

  test('fails on an invalid bucket name', () => {
    expect(() => gcp({ bucketName: 'google-velero' })).toThrow(/\[gcp\/velero\] bucketName "google-velero" is not a valid GCS bucket name/);
  });
  test('fails on an invalid project id', () => {
    expect(() => new GcpPlatformStack(Testing.app(), 'gcp', { projectId: 'Prod', region: 'europe-west3' }).addVeleroStorage('v', { bucketName: 'infraflux-velero', location: 'EU' })).toThrow(/projectId "Prod" is not a Google Cloud project id/);
  });
  test('fails on a missing location', () => {
    expect(() => gcp({ location: '' })).toThrow(/\[gcp\/velero\] location is missing/);
  });
  test('fails on a missing region', () => {
    expect(() => new GcpPlatformStack(Testing.app(), 'gcp', { projectId: 'infraflux-prod', region: '' })).toThrow(/\[gcp\] region is missing/);
  });
  test('fails on an invalid service account id', () => {
    expect(() => gcp({ serviceAccountId: 'v' })).toThrow(/serviceAccountId "v" is not a service account id/);
  });
  test('fails on an invalid workload pool', () => {
    expect(() => gcp({ credentials: GcpVeleroCredentials.workloadIdentity('my-pool') })).toThrow(/workloadPool "my-pool" is not a GKE workload pool/);
  });
  test('fails on an empty namespace', () => {
    expect(() => gcp({ namespace: '' })).toThrow(/\[gcp\/velero\] namespace "" is empty/);
  });
});

describe('VeleroAzureBlobStorage', () => {
  test('hardens the account: HTTPS only, TLS 1.2, no public blobs, no shared keys, infrastructure encryption', () => {
    expect(synth(azure())).toHaveResourceWithProperties(StorageAccount, {
      name: 'infrafluxvelero',
      account_kind: 'StorageV2',
      account_replication_type: 'GRS',
      https_traffic_only_enabled: true,
      min_tls_version: 'TLS1_2',
      allow_nested_items_to_be_public: false,
      shared_access_key_enabled: false,
      default_to_oauth_authentication: true,
      infrastructure_encryption_enabled: true,
      blob_properties: { versioning_enabled: true, delete_retention_policy: { days: 14 }, container_delete_retention_policy: { days: 14 } },
    });
    expect(synth(azure())).toHaveResourceWithProperties(StorageContainer, { name: 'velero', container_access_type: 'private' });
    expect(synth(azure())).toHaveProviderWithProperties(AzurermProvider, { storage_use_azuread: true, features: [{}] });
  });

  test('the identity gets only Storage Blob Data Contributor on this account, federated for velero/velero', () => {
    const json = parse(azure());
    const assignments = all(json, 'resource', 'azurerm_role_assignment');
    expect(assignments).toEqual([expect.objectContaining({ role_definition_name: 'Storage Blob Data Contributor', scope: expect.stringMatching(/^\$\{azurerm_storage_account\..*\.id\}$/), principal_type: 'ServicePrincipal' })]);
    expect(synth(azure())).toHaveResourceWithProperties(FederatedIdentityCredential, {
      audience: ['api://AzureADTokenExchange'],
      issuer: AZURE.oidcIssuerUrl,
      subject: 'system:serviceaccount:velero:velero',
    });
    expect(json.output.velero_backup_storage_location.value).toEqual({
      provider: 'azure',
      bucket: expect.stringMatching(/azurerm_storage_container/),
      config: expect.objectContaining({ useAAD: 'true', resourceGroup: 'rg-backups', storageAccountURI: expect.stringMatching(/primary_blob_endpoint/) }),
    });
    expect(JSON.stringify(json.output)).not.toMatch(/access_key|connection_string/);
  });

  test('disk snapshots: a custom role with exactly the plugin\'s disk actions on the node resource group', () => {
    const rg = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/MC_prod';
    const json = parse(azure({ diskSnapshotResourceGroupId: rg }));
    const [role] = all(json, 'resource', 'azurerm_role_definition');
    expect(role.permissions).toEqual([
      {
        actions: [
          'Microsoft.Compute/disks/read',
          'Microsoft.Compute/disks/write',
          'Microsoft.Compute/disks/endGetAccess/action',
          'Microsoft.Compute/disks/beginGetAccess/action',
          'Microsoft.Compute/snapshots/read',
          'Microsoft.Compute/snapshots/write',
          'Microsoft.Compute/snapshots/delete',
        ],
      },
    ]);
    expect(role.assignable_scopes).toEqual([rg]);
    expect(synth(azure({ diskSnapshotResourceGroupId: rg }))).toHaveResourceWithProperties(RoleAssignment, { scope: rg });
  });

  test('matches the snapshot', () => {
    expect(parse(azure())).toMatchSnapshot();
  });

  test('fails on an invalid storage account name', () => {
    expect(() => azure({ storageAccountName: 'Velero-Backups' })).toThrow(/\[azure\/velero\] storageAccountName "Velero-Backups" is not a storage account name/);
  });
  test('fails on an invalid container name', () => {
    expect(() => azure({ containerName: 'a--b' })).toThrow(/containerName "a--b" is not a blob container name/);
  });
  test('fails on a missing resource group', () => {
    expect(() => azure({ resourceGroupName: '' })).toThrow(/resourceGroupName is missing/);
  });
  test('fails on a missing location', () => {
    expect(() => azure({ location: '' })).toThrow(/\[azure\/velero\] location is missing/);
  });
  test('fails on a non-https issuer', () => {
    expect(() => azure({ oidcIssuerUrl: 'http://issuer.example.com' })).toThrow(/oidcIssuerUrl "http:\/\/issuer.example.com" is not an https:\/\/ issuer URL/);
  });
  test('fails on a malformed disk-snapshot resource group id', () => {
    expect(() => azure({ diskSnapshotResourceGroupId: 'MC_prod' })).toThrow(/diskSnapshotResourceGroupId "MC_prod" is not a resource group id/);
  });
  test('fails on soft-delete days out of range', () => {
    expect(() => azure({ softDeleteRetentionDays: 400 })).toThrow(/softDeleteRetentionDays 400 is out of range; use a whole number of days from 1 to 365/);
  });
  test('fails on soft-delete days out of range with INVALID_DURATION', () => {
    // GIVEN 400 days WHEN the storage is built THEN the duration family code
    expect(thrownBy(() => azure({ softDeleteRetentionDays: 400 })).code).toBe(ErrorCode.INVALID_DURATION);
  });
  test('fails on an invalid subscription id', () => {
    expect(() => new AzurePlatformStack(Testing.app(), 'azure', { subscriptionId: 'prod' })).toThrow(/subscriptionId "prod" is not a subscription id/);
  });
  test('fails on an empty service account', () => {
    expect(() => azure({ serviceAccount: '' })).toThrow(/\[azure\/velero\] serviceAccount "" is empty/);
  });
});

describe('secrets in the cloud stacks', () => {
  const stacks = (): [string, Json][] => [
    ['aws-irsa', parse(aws())],
    ['aws-key', parse(aws({ credentials: AwsVeleroCredentials.accessKey() }))],
    ['gcp-wi', parse(gcp())],
    ['gcp-key', parse(gcp({ credentials: GcpVeleroCredentials.serviceAccountKey() }))],
    ['azure', parse(azure())],
    ['azure-key', parse(azure({ oidcIssuerUrl: undefined, credentials: AzureVeleroCredentials.storageAccountKey() }))],
  ];

  test('no secret appears outside sensitive outputs', () => {
    for (const [, json] of stacks()) {
      expect(findSecretLeaks(cloudSchemas, json)).toEqual([]);
      const text = JSON.stringify(json);
      for (const shape of [/-----BEGIN/, /PRIVATE KEY/, /AKIA[0-9A-Z]{16}/, /\b[A-Za-z0-9/+]{40}\b/]) expect(text).not.toMatch(shape);
    }
  });

  test('the leak check catches an unmarked credentials output', () => {
    const json = parse(aws({ credentials: AwsVeleroCredentials.accessKey() }));
    delete json.output.velero_credentials.sensitive;
    expect(findSecretLeaks(cloudSchemas, json)).toEqual([expect.objectContaining({ path: 'output.velero_credentials', message: expect.stringMatching(/not marked sensitive/) })]);
    const g = parse(gcp({ credentials: GcpVeleroCredentials.serviceAccountKey() }));
    delete g.output.velero_credentials.sensitive;
    expect(findSecretLeaks(cloudSchemas, g)).toEqual([expect.objectContaining({ path: 'output.velero_credentials' })]);
  });
});

describe('storageTarget: the location as literals for VeleroBackup', () => {
  const storageOf = <T>(stack: AwsPlatformStack | GcpPlatformStack | AzurePlatformStack, type: new (...a: never[]) => T): T => stack.node.findAll().find((c): c is T & typeof c => c instanceof type) as T;

  test('S3 with an access key: the literal bucket and region, the credentials output', () => {
    // GIVEN an S3 storage with an access key
    const t = storageOf(aws({ credentials: AwsVeleroCredentials.accessKey() }), VeleroS3Storage).storageTarget;
    // THEN the target holds literals (no Terraform reference) and names the sensitive output
    expect([t.provider, t.bucket, t.config]).toEqual([BackupProvider.AWS, 'infraflux-velero-prod', { region: 'eu-central-1' }]);
    expect([t.credentials.kind, t.credentials.terraformOutput]).toEqual([BackupCredentialKind.SECRET_FILE, 'velero_credentials']);
    expect(t.unresolvedFields()).toEqual([]);
  });

  test('S3 with IRSA: a workload identity whose role ARN is a Terraform reference (refused by cdk8s consumers)', () => {
    const t = storageOf(aws(), VeleroS3Storage).storageTarget;
    expect(t.credentials.kind).toBe(BackupCredentialKind.WORKLOAD_IDENTITY);
    expect(t.unresolvedFields()).toEqual([expect.stringMatching(/^serviceAccount annotation eks.amazonaws.com\/role-arn/)]);
  });

  test('GCS with Workload Identity: the service account email is a literal', () => {
    const t = storageOf(gcp(), VeleroGcsStorage).storageTarget;
    expect(t.credentials.serviceAccountAnnotations).toEqual({ 'iam.gke.io/gcp-service-account': 'velero@infraflux-prod.iam.gserviceaccount.com' });
    expect(t.unresolvedFields()).toEqual([]);
    expect(storageOf(gcp({ credentials: GcpVeleroCredentials.serviceAccountKey() }), VeleroGcsStorage).storageTarget.credentials.terraformOutput).toBe('velero_credentials');
  });

  test('Azure with Workload Identity: literal account, container and blob URI', () => {
    const t = storageOf(azure(), VeleroAzureBlobStorage).storageTarget;
    expect([t.provider, t.bucket]).toEqual([BackupProvider.AZURE, 'velero']);
    expect(t.config).toEqual({ resourceGroup: 'rg-backups', storageAccount: 'infrafluxvelero', storageAccountURI: 'https://infrafluxvelero.blob.core.windows.net/', useAAD: 'true' });
  });
});

describe('Azure with the storage account key', () => {
  const keyStack = () => azure({ oidcIssuerUrl: undefined, credentials: AzureVeleroCredentials.storageAccountKey() });

  test('shared keys on, no identity or federation, the key only in a sensitive output', () => {
    // GIVEN the account-key model
    const stack = keyStack();
    const json = parse(stack);
    // THEN the account allows shared keys and nothing identity-related exists
    expect(all(json, 'resource', 'azurerm_storage_account')[0]).toEqual(expect.objectContaining({ shared_access_key_enabled: true, min_tls_version: 'TLS1_2', allow_nested_items_to_be_public: false }));
    for (const type of ['azurerm_user_assigned_identity', 'azurerm_federated_identity_credential', 'azurerm_role_assignment']) expect(all(json, 'resource', type)).toEqual([]);
    expect(json.output.velero_credentials).toEqual(expect.objectContaining({ sensitive: true }));
    expect(json.output.velero_credentials.value).toContain(`${VELERO_AZURE_ACCOUNT_KEY_ENV}=\${azurerm_storage_account.`);
    expect(json.output.velero_client_id).toBeUndefined();
    // AND the target names the env var and the output
    const t = (stack.node.findAll().find((c) => c instanceof VeleroAzureBlobStorage) as VeleroAzureBlobStorage).storageTarget;
    expect(t.config).toEqual({ resourceGroup: 'rg-backups', storageAccount: 'infrafluxvelero', storageAccountKeyEnvVar: VELERO_AZURE_ACCOUNT_KEY_ENV });
    expect(t.credentials.terraformOutput).toBe('velero_credentials');
    expect(findSecretLeaks(cloudSchemas, json)).toEqual([]);
  });

  test('fails with an issuer URL next to the account key', () => {
    const e = thrownBy(() => azure({ credentials: AzureVeleroCredentials.storageAccountKey() }));
    expect(e.code).toBe(ErrorCode.INVALID_PROP);
    expect(e.message).toMatch(/oidcIssuerUrl ".*" is given, but the credentials are the storage account key/);
  });

  test('fails with Workload Identity and no issuer URL', () => {
    expect(thrownBy(() => azure({ oidcIssuerUrl: undefined })).message).toMatch(/oidcIssuerUrl is missing/);
  });

  test('fails with disk-snapshot permissions and the account key', () => {
    const e = thrownBy(() => azure({ oidcIssuerUrl: undefined, credentials: AzureVeleroCredentials.storageAccountKey(), diskSnapshotResourceGroupId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/mc' }));
    expect(e.message).toMatch(/diskSnapshotResourceGroupId needs the managed identity/);
  });
});

describe('the aws-platform stack of the reference app', () => {
  const outdir = join(mkdtempSync(join(tmpdir(), 'tf-aws-platform-')), 'cdktf.out');
  buildTerraformApp(outdir).synth();
  const json = JSON.parse(readFileSync(join(outdir, 'stacks', 'aws-platform', 'cdk.tf.json'), 'utf8')) as Json;

  test('one bucket per S3 cluster, access keys for all of them, no OIDC provider variable (decision 0072)', () => {
    expect(all(json, 'resource', 'aws_s3_bucket').map((b) => b.bucket).sort()).toEqual(['infraflux-velero-dev-proxmox', 'infraflux-velero-edge-metal3', 'infraflux-velero-mgmt', 'infraflux-velero-prod-aws']);
    expect(all(json, 'resource', 'aws_iam_role')).toHaveLength(0);
    expect(all(json, 'resource', 'aws_iam_access_key')).toHaveLength(4);
    expect(json.variable).toBeUndefined();
    expect(Object.keys(json.output).sort()).toEqual(
      ['dev_proxmox', 'edge_metal3', 'mgmt', 'prod_aws'].flatMap((c) => ['backup_storage_location', 'bucket', 'credentials', 'region'].map((o) => `velero_${c}_${o}`)),
    );
    for (const c of ['dev_proxmox', 'edge_metal3', 'mgmt', 'prod_aws']) expect(json.output[`velero_${c}_credentials`].sensitive).toBe(true);
    expect(findSecretLeaks(cloudSchemas, json)).toEqual([]);
    expect(JSON.stringify(json)).not.toContain(process.cwd());
  });

  test('gcp-platform and azure-platform: one bucket each, credentials files as sensitive outputs', () => {
    const gcpJson = JSON.parse(readFileSync(join(outdir, 'stacks', 'gcp-platform', 'cdk.tf.json'), 'utf8')) as Json;
    const azJson = JSON.parse(readFileSync(join(outdir, 'stacks', 'azure-platform', 'cdk.tf.json'), 'utf8')) as Json;
    expect(all(gcpJson, 'resource', 'google_storage_bucket').map((b) => b.name)).toEqual(['infraflux-velero-dev-gcp']);
    expect(gcpJson.output.velero_dev_gcp_credentials.sensitive).toBe(true);
    expect(all(azJson, 'resource', 'azurerm_storage_account').map((a) => a.name)).toEqual(['infrafluxveleroprodazure']);
    expect(azJson.output.velero_prod_azure_credentials.sensitive).toBe(true);
    for (const j of [gcpJson, azJson]) expect(findSecretLeaks(cloudSchemas, j)).toEqual([]);
  });

  test('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });
});
