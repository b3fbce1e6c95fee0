import { Testing, TerraformVariable } from 'cdktf';
import { IamAccessKey } from '@cdktf/provider-aws/lib/iam-access-key';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { ErrorCode } from '../../lib/core/errors';
import { AwsPlatformStack, AwsVeleroCredentials } from '../../lib/terraform';
import { thrownBy } from '../support/errors';
import { all, aws, type Json, OIDC_ARN, OIDC_HOST, parse, policyNamed, synth } from './_velero-stacks';

// Types of cdktf's jest matchers (toHaveResourceWithProperties, ...).
import 'cdktf/lib/testing/adapters/jest';

Testing.setupJest();

describe('VeleroS3Storage', () => {
  test('hardens the bucket: versioning, SSE, public access block, ACLs off, TLS-only policy, lifecycle', () => {
    // GIVEN a Velero bucket with defaults WHEN synthesized THEN every hardening resource is there
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
    // GIVEN a customer KMS key WHEN synthesized THEN SSE-KMS with bucket keys, and the policy may use only that key
    const key = 'arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const json = parse(aws({ kmsKeyArn: key }));
    const [sse] = all(json, 'resource', 'aws_s3_bucket_server_side_encryption_configuration');
    expect(sse.rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: key }, bucket_key_enabled: true }]);
    const kms = policyNamed(json, '/velero-policy').statement.find((s: Json) => s.sid === 'VeleroKms');
    expect(kms).toEqual({ sid: 'VeleroKms', effect: 'Allow', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [key] });
  });

  test('grants exactly the Velero AWS plugin actions on this bucket (no EC2 unless ebsSnapshots)', () => {
    // GIVEN the default storage, then with EBS snapshots WHEN the policy is read THEN exactly the plugin's actions
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
    // GIVEN IRSA credentials WHEN synthesized THEN the trust policy names one service account and audience, and no IAM user exists
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
    // GIVEN the OIDC provider ARN as a Terraform variable and a custom service account WHEN synthesized THEN the issuer is derived in Terraform
    const stack = new AwsPlatformStack(Testing.app(), 'aws', { region: 'eu-central-1' });
    const arn = new TerraformVariable(stack, 'oidc_arn', { type: 'string' });
    stack.addVeleroStorage('velero', { bucketName: 'infraflux-velero-prod', credentials: AwsVeleroCredentials.irsa(arn.stringValue), namespace: 'backup', serviceAccount: 'velero-server' });
    const [cond] = policyNamed(parse(stack), '/trust').statement[0].condition;
    expect(cond).toEqual({ test: 'StringEquals', variable: '${element(split("oidc-provider/", var.oidc_arn), 1)}:sub', values: ['system:serviceaccount:backup:velero-server'] });
  });

  test('access key: IAM user with the same policy; the key only in a sensitive output', () => {
    // GIVEN access-key credentials WHEN synthesized THEN an IAM user with the same policy, its key only in the sensitive output
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
    // GIVEN the AWS stack WHEN synthesized THEN the provider takes its credentials from the environment
    const out = synth(aws());
    expect(out).toHaveProviderWithProperties(AwsProvider, { region: 'eu-central-1', default_tags: [{ tags: { 'managed-by': 'infraflux' } }] });
    const json = parse(aws());
    expect(json.terraform.required_providers.aws).toEqual({ source: 'aws', version: '6.25.0' });
    expect(json.terraform.backend.local.path).toBe('../../../terraform.aws.tfstate');
    expect(JSON.stringify(json.provider)).not.toMatch(/access_key|secret_key|token/);
  });

  test('matches the snapshot (IRSA and access key)', () => {
    // GIVEN both credential kinds WHEN synthesized THEN the JSON is unchanged
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
