/**
 * What the three Velero storage constructs share (lib/terraform/velero-storage.ts): the credential
 * factories, no secret outside sensitive outputs, and the aws-platform stack of the reference app.
 * Each construct has its own test file (velero-s3-storage, velero-gcs-storage,
 * velero-azure-blob-storage .test.ts).
 */
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { BackupCredentialKind, BackupProvider } from '../../lib/core/backup-storage-target';
import { AwsPlatformStack, AwsVeleroCredentials, AwsVeleroCredentialsKind, AzurePlatformStack, GcpPlatformStack, GcpVeleroCredentials, GcpVeleroCredentialsKind } from '../../lib/terraform';
import { AzureVeleroCredentials } from '../../lib/terraform/velero-azure-blob-storage';
import { VeleroAzureBlobStorage } from '../../lib/terraform/velero-azure-blob-storage';
import { VeleroGcsStorage } from '../../lib/terraform/velero-gcs-storage';
import { VeleroS3Storage } from '../../lib/terraform/velero-s3-storage';
import { findSecretLeaks } from '../../scripts/lib/provider-schema';
import { buildTerraformApp } from '../../stacks/terraform';
import { all, aws, azure, cloudSchemas, gcp, type Json, OIDC_ARN, parse } from './_velero-stacks';

describe('Velero credentials', () => {
  test('each factory names its kind with an enum value', () => {
    expect(AwsVeleroCredentials.irsa(OIDC_ARN).kind).toBe(AwsVeleroCredentialsKind.IRSA);
    expect(AwsVeleroCredentials.accessKey().kind).toBe(AwsVeleroCredentialsKind.ACCESS_KEY);
    expect(GcpVeleroCredentials.workloadIdentity().kind).toBe(GcpVeleroCredentialsKind.WORKLOAD_IDENTITY);
    expect(GcpVeleroCredentials.serviceAccountKey().kind).toBe(GcpVeleroCredentialsKind.SERVICE_ACCOUNT_KEY);
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

describe('the aws-platform stack of the reference app', () => {
  const outdir = join(mkdtempSync(join(tmpdir(), 'tf-aws-platform-')), 'cdktf.out');
  buildTerraformApp(outdir).synth();
  const json = JSON.parse(readFileSync(join(outdir, 'stacks', 'aws-platform', 'cdk.tf.json'), 'utf8')) as Json;

  test('one bucket per S3 cluster, access keys for all of them, no OIDC provider variable (decision 0072)', () => {
    expect(all(json, 'resource', 'aws_s3_bucket').map((b) => b.bucket).sort()).toEqual(['infraflux-velero-dev-proxmox', 'infraflux-velero-edge-metal3', 'infraflux-velero-mgmt', 'infraflux-velero-prod-aws']);
    expect(all(json, 'resource', 'aws_iam_role')).toHaveLength(0);
    expect(all(json, 'resource', 'aws_iam_access_key')).toHaveLength(4);
    expect(json.variable).toBeUndefined();
    // prod-aws's file also goes to Secrets Manager, where its ExternalSecret reads it (no manual copy)
    expect(all(json, 'resource', 'aws_secretsmanager_secret').map((x) => x.name)).toEqual(['infraflux/prod-aws/velero-credentials']);
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
    expect(all(gcpJson, 'resource', 'google_secret_manager_secret').map((x) => x.secret_id)).toEqual(['velero-credentials']);
    expect(all(azJson, 'resource', 'azurerm_storage_account').map((a) => a.name)).toEqual(['infrafluxveleroprodazure']);
    expect(azJson.output.velero_prod_azure_credentials.sensitive).toBe(true);
    for (const j of [gcpJson, azJson]) expect(findSecretLeaks(cloudSchemas, j)).toEqual([]);
  });

  test('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });
});
