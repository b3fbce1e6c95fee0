/**
 * LokiS3Storage (lib/terraform/loki-s3-storage.ts, decision 0085): a private bucket, an access key
 * limited to Loki's S3 actions on it, credentials only as sensitive outputs / Secrets Manager.
 */
import { Testing } from 'cdktf';
import { AwsPlatformStack } from '../../lib/terraform';
import { LOKI_S3_BUCKET_ACTIONS, LOKI_S3_OBJECT_ACTIONS, LokiS3Storage } from '../../lib/terraform/loki-s3-storage';
import { findSecretLeaks } from '../../scripts/lib/provider-schema';
import { LOKI_BUCKETS } from '../../stacks/telemetry';
import { addFleetLogStorage } from '../../stacks/telemetry-storage';
import { all, cloudSchemas, type Json } from './_velero-stacks';

function stack(props: Partial<ConstructorParameters<typeof LokiS3Storage>[2]> = {}): Json {
  const s = new AwsPlatformStack(Testing.app(), 'aws', { region: 'eu-central-1' });
  new LokiS3Storage(s, 'loki-prod', { bucketName: 'infraflux-loki-prod', region: 'eu-central-1', retentionDays: 30, credentialsSecretName: 'infraflux/prod/loki-s3-credentials', ...props });
  return JSON.parse(Testing.synth(s, true)) as Json;
}

describe('LokiS3Storage', () => {
  test('a private, encrypted, TLS-only bucket whose objects expire 30 days after Loki\'s retention; an access key for exactly Loki\'s actions', () => {
    // GIVEN / WHEN a Loki bucket with 30 days of retention
    const json = stack();
    // THEN the bucket is private and encrypted, unversioned (Loki deletes chunks itself)
    expect(all(json, 'resource', 'aws_s3_bucket').map((b) => b.bucket)).toEqual(['infraflux-loki-prod']);
    expect(all(json, 'resource', 'aws_s3_bucket_versioning')).toHaveLength(0);
    expect(all(json, 'resource', 'aws_s3_bucket_public_access_block')[0]).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(all(json, 'resource', 'aws_s3_bucket_lifecycle_configuration')[0].rule[0]).toMatchObject({ id: 'expire-after-loki-retention', expiration: [{ days: 60 }] });
    // AND the IAM policy has only Loki's actions, on this bucket
    const statements = Object.values(json.data.aws_iam_policy_document as Json).flatMap((d) => (d as Json).statement as Json[]).filter((st) => st.effect === 'Allow');
    expect(statements.map((st) => st.actions).sort()).toEqual([[...LOKI_S3_BUCKET_ACTIONS], [...LOKI_S3_OBJECT_ACTIONS]].sort());
    // AND the key leaves only as a sensitive output and a Secrets Manager secret
    expect(json.output.loki_prod_credentials.sensitive).toBe(true);
    expect(all(json, 'resource', 'aws_secretsmanager_secret').map((x) => x.name)).toEqual(['infraflux/prod/loki-s3-credentials']);
    expect(findSecretLeaks(cloudSchemas, json)).toEqual([]);
  });

  test('the reference app creates exactly the buckets the clusters\' Loki names (LOKI_BUCKETS)', () => {
    const app = Testing.app();
    const json = JSON.parse(Testing.synth(addFleetLogStorage(app), true)) as Json;
    expect(all(json, 'resource', 'aws_s3_bucket').map((b) => b.bucket).sort()).toEqual(Object.values(LOKI_BUCKETS).map((b) => b.bucket).sort());
    expect(all(json, 'resource', 'aws_secretsmanager_secret').map((x) => x.name)).toEqual(['infraflux/prod-aws/loki-s3-credentials']);
  });

  test('fails with a bucket name S3 refuses', () => {
    expect(() => stack({ bucketName: 'Loki_Bucket' })).toThrow(/bucketName "Loki_Bucket" is not a valid S3 bucket name/);
  });

  test('fails with a retention of 0 days', () => {
    expect(() => stack({ retentionDays: 0 })).toThrow(/retentionDays 0 is out of range/);
  });
});
