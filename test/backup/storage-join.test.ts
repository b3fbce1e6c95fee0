import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  backupLocationsInManifest,
  BackupLocationUse,
  bucketKey,
  bucketsOfTerraformStack,
  checkBackupBucketsCreated,
  CreatedBucket,
} from '../../lib/backup/storage-join';
import { ErrorCode } from '../../lib/core/errors';
import { REFERENCE_CLUSTERS } from '../../stacks/config';
import { buildTerraformApp } from '../../stacks/terraform';
import { thrownBy } from '../support/errors';

const VALUES = `apiVersion: v1
kind: ConfigMap
metadata: { name: velero-values, namespace: velero }
data:
  values.yaml: |
    configuration:
      backupStorageLocation:
        - name: default
          provider: azure
          bucket: velero
          config: { storageAccount: acct1, resourceGroup: rg }
`;

describe('the BSL ↔ Terraform join', () => {
  test('reads BSLs from values ConfigMaps and BackupStorageLocation objects', () => {
    // GIVEN a values ConfigMap and a BSL object in one file
    const text = `${VALUES}---
apiVersion: velero.io/v1
kind: BackupStorageLocation
metadata: { name: extra, namespace: velero }
spec: { provider: aws, objectStorage: { bucket: b2 }, config: { region: eu-central-1 } }
`;
    // WHEN it is read THEN both locations are found
    expect(backupLocationsInManifest('c/f.yaml', text)).toEqual([
      { source: 'c/f.yaml', provider: 'azure', bucket: 'velero', storageAccount: 'acct1' },
      { source: 'c/f.yaml', provider: 'aws', bucket: 'b2' },
    ]);
  });

  test('reads buckets from a Terraform stack, Azure containers with their account', () => {
    // GIVEN a synthesized stack's resources
    const json = {
      resource: {
        aws_s3_bucket: { a: { bucket: 'b1' } },
        google_storage_bucket: { g: { name: 'g1' } },
        azurerm_storage_account: { acct_Resource_1: { name: 'acct1' } },
        azurerm_storage_container: { c: { name: 'velero', storage_account_id: '${azurerm_storage_account.acct_Resource_1.id}' } },
      },
    };
    // THEN
    expect(bucketsOfTerraformStack('s', json).map(bucketKey)).toEqual(['aws:b1', 'azure:acct1/velero', 'gcp:g1']);
  });

  test('fails when a BSL names a bucket no stack creates', () => {
    // GIVEN a BSL in an account no stack has
    const uses = backupLocationsInManifest('prod/releases/velero/configmap-velero-values.yaml', VALUES);
    const created: CreatedBucket[] = [{ stack: 'azure-platform', provider: 'azure', bucket: 'velero', storageAccount: 'acct2' }];
    // WHEN joined THEN BACKUP_BUCKET_UNKNOWN names the file and the bucket
    const e = thrownBy(() => checkBackupBucketsCreated(uses, created));
    expect(e.code).toBe(ErrorCode.BACKUP_BUCKET_UNKNOWN);
    expect(e.message).toMatch(/prod\/releases\/velero\/configmap-velero-values.yaml: azure:acct1\/velero/);
    expect(e.message).toMatch(/The stacks create azure:acct2\/velero/);
  });
});

describe('the reference fleet: every BSL of dist/ names a bucket of the Terraform app', () => {
  // GIVEN dist/ (equal to a fresh synth: test/dist.test.ts) and a fresh Terraform synth
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.yaml')) files.push(p);
    }
  };
  walk('dist');
  const uses: BackupLocationUse[] = files.sort().flatMap((f) => backupLocationsInManifest(relative('dist', f), readFileSync(f, 'utf8')));
  const outdir = join(mkdtempSync(join(tmpdir(), 'tf-join-')), 'cdktf.out');
  buildTerraformApp(outdir).synth();
  const created: CreatedBucket[] = readdirSync(join(outdir, 'stacks'))
    .sort()
    .flatMap((stack) => bucketsOfTerraformStack(stack, JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'))));

  test('each cluster has exactly one BSL, and its bucket is created by a stack', () => {
    // THEN one location per cluster ...
    expect(uses.map((u) => u.source.split('/')[0]).sort()).toEqual(REFERENCE_CLUSTERS.map((c) => c.name).sort());
    // ... and the join holds
    expect(() => checkBackupBucketsCreated(uses, created)).not.toThrow();
    expect(uses.map((u) => `${u.source.split('/')[0]} → ${bucketKey(u)}`).sort()).toEqual([
      'dev-gcp → gcp:infraflux-velero-dev-gcp',
      'dev-proxmox → aws:infraflux-velero-dev-proxmox',
      'edge-metal3 → aws:infraflux-velero-edge-metal3',
      'mgmt → aws:infraflux-velero-mgmt',
      'prod-aws → aws:infraflux-velero-prod-aws',
      'prod-azure → azure:infrafluxveleroprodazure/velero',
    ]);
  });

  test('fails when a BSL of dist/ names a bucket no stack creates', () => {
    // GIVEN prod-aws's values with the bucket renamed by hand
    const file = 'dist/prod-aws/releases/velero/configmap-velero-values.yaml';
    const edited = readFileSync(file, 'utf8').replace('bucket: infraflux-velero-prod-aws', 'bucket: infraflux-velero-typo');
    const tampered = [...uses.filter((u) => !u.source.startsWith('prod-aws/')), ...backupLocationsInManifest('prod-aws/releases/velero/configmap-velero-values.yaml', edited)];
    // WHEN joined with the real Terraform synth THEN it fails naming the bucket
    const e = thrownBy(() => checkBackupBucketsCreated(tampered, created));
    expect(e.code).toBe(ErrorCode.BACKUP_BUCKET_UNKNOWN);
    expect(e.message).toMatch(/aws:infraflux-velero-typo/);
  });
});
