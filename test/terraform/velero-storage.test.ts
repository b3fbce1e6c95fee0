/**
 * What the three Velero storage constructs share (lib/terraform/velero-storage.ts): the credential
 * factories, no secret outside sensitive outputs, and the aws-platform stack of the reference app.
 * Each construct has its own test file (velero-s3-storage, velero-gcs-storage,
 * velero-azure-blob-storage .test.ts).
 */
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { AwsVeleroCredentials, AwsVeleroCredentialsKind, GcpVeleroCredentials, GcpVeleroCredentialsKind } from '../../lib/terraform';
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

describe('the aws-platform stack of the reference app', () => {
  const outdir = join(mkdtempSync(join(tmpdir(), 'tf-aws-platform-')), 'cdktf.out');
  buildTerraformApp(outdir).synth();
  const json = JSON.parse(readFileSync(join(outdir, 'stacks', 'aws-platform', 'cdk.tf.json'), 'utf8')) as Json;

  test('one bucket per cluster: IRSA for prod-aws, access keys for the Proxmox clusters', () => {
    expect(all(json, 'resource', 'aws_s3_bucket').map((b) => b.bucket).sort()).toEqual(['infraflux-velero-dev-proxmox', 'infraflux-velero-mgmt', 'infraflux-velero-prod-aws']);
    expect(all(json, 'resource', 'aws_iam_role')).toHaveLength(1);
    expect(all(json, 'resource', 'aws_iam_access_key')).toHaveLength(2);
    expect(json.variable.prod_aws_oidc_provider_arn).toEqual(expect.objectContaining({ type: 'string' }));
    expect(Object.keys(json.output).sort()).toEqual([
      'velero_dev_proxmox_backup_storage_location', 'velero_dev_proxmox_bucket', 'velero_dev_proxmox_credentials', 'velero_dev_proxmox_region',
      'velero_mgmt_backup_storage_location', 'velero_mgmt_bucket', 'velero_mgmt_credentials', 'velero_mgmt_region',
      'velero_prod_aws_backup_storage_location', 'velero_prod_aws_bucket', 'velero_prod_aws_region', 'velero_prod_aws_role_arn',
    ]);
    expect(findSecretLeaks(cloudSchemas, json)).toEqual([]);
    expect(JSON.stringify(json)).not.toContain(process.cwd());
  });

  test('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });
});
