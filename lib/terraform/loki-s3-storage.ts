/**
 * Loki's object storage on AWS (issue 14, decision 0085): a private S3 bucket for one cluster's
 * chunks, index and ruler data, and an IAM user whose inline policy allows exactly what Loki's S3
 * client does on that bucket (list; get, put, delete objects). Loki deletes expired chunks itself
 * (compactor retention), so the bucket is not versioned (a deleted chunk must be gone); a lifecycle
 * rule expires objects a safety margin after Loki's retention, in case the compactor stops.
 *
 * The access key leaves only as the sensitive output `<prefix>_credentials` (JSON with
 * `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, the keys `LokiStorage.s3` mounts as environment)
 * and, with `credentialsSecretName`, as a Secrets Manager secret with those properties for the
 * cluster's ExternalSecret. Same provider bindings as ./velero-s3-storage.ts.
 */
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamAccessKey } from '@cdktf/provider-aws/lib/iam-access-key';
import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import { IamUserPolicy } from '@cdktf/provider-aws/lib/iam-user-policy';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { Fn, TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { invalidProp } from '../core/errors';
import { positiveDays } from './_velero';

/** S3 object actions of Loki's storage client, on `arn:aws:s3:::<bucket>/*`. */
export const LOKI_S3_OBJECT_ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'] as const;
/** S3 bucket actions of Loki's storage client, on `arn:aws:s3:::<bucket>`. */
export const LOKI_S3_BUCKET_ACTIONS = ['s3:ListBucket'] as const;

export interface LokiS3StorageProps {
  /** Bucket name (3-63 lowercase letters, digits, '-'). */
  readonly bucketName: string;
  /** Region of the bucket. */
  readonly region: string;
  /** Loki's retention; the lifecycle rule expires objects `retentionDays + 30` days after they are written. */
  readonly retentionDays: number;
  /**
   * Also write the credentials (JSON with AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) to this Secrets
   * Manager secret, for the cluster's ExternalSecret.
   * @default - only the sensitive output
   */
  readonly credentialsSecretName?: string;
  /**
   * Prefix of the Terraform outputs.
   * @default `loki_<id with _>`
   */
  readonly outputPrefix?: string;
}

/** A hardened S3 bucket for one cluster's Loki plus an access key limited to it. */
export class LokiS3Storage extends Construct {
  public readonly bucket: S3Bucket;
  public readonly user: IamUser;
  public readonly accessKey: IamAccessKey;
  public readonly outputPrefix: string;

  public constructor(scope: Construct, id: string, props: LokiS3StorageProps) {
    super(scope, id);
    const { bucketName, region } = props;
    if (!/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(bucketName) || bucketName.includes('--')) invalidProp(this, `bucketName "${bucketName}" is not a valid S3 bucket name; use 3-63 lowercase letters, digits and '-'`);
    if (!/^[a-z]{2}(-gov)?-[a-z]+-\d{1,2}$/.test(region)) invalidProp(this, `region "${region}" is not an AWS region like eu-central-1`);
    const expireAfter = positiveDays(this, 'retentionDays', props.retentionDays, 3650) + 30;
    if (props.credentialsSecretName !== undefined && !/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(props.credentialsSecretName)) invalidProp(this, `credentialsSecretName "${props.credentialsSecretName}" is not a Secrets Manager name; use letters, digits and /_+=.@-`);
    const p = props.outputPrefix ?? `loki_${id.replace(/^loki-/, '').replace(/-/g, '_')}`;
    if (!/^[a-z][a-z0-9_]*$/.test(p)) invalidProp(this, `outputPrefix "${p}" is not a Terraform output name`);
    this.outputPrefix = p;

    this.bucket = new S3Bucket(this, 'Resource', { bucket: bucketName, forceDestroy: false, tags: { 'app.kubernetes.io/name': 'loki' } });
    const bucketId = this.bucket.id;
    new S3BucketOwnershipControls(this, 'ownership', { bucket: bucketId, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    const publicAccess = new S3BucketPublicAccessBlock(this, 'public-access', { bucket: bucketId, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', { bucket: bucketId, rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: bucketId,
      rule: [
        { id: 'expire-after-loki-retention', status: 'Enabled', filter: [{}], expiration: [{ days: expireAfter }] },
        { id: 'abort-incomplete-multipart-uploads', status: 'Enabled', filter: [{}], abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }] },
      ],
    });
    const tlsOnly = new DataAwsIamPolicyDocument(this, 'tls-only', {
      statement: [
        {
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          principals: [{ type: '*', identifiers: ['*'] }],
          actions: ['s3:*'],
          resources: [this.bucket.arn, `${this.bucket.arn}/*`],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
      ],
    });
    new S3BucketPolicy(this, 'policy', { bucket: bucketId, policy: tlsOnly.json, dependsOn: [publicAccess] });
    const policy = new DataAwsIamPolicyDocument(this, 'loki-policy', {
      statement: [
        { sid: 'LokiObjects', effect: 'Allow', actions: [...LOKI_S3_OBJECT_ACTIONS], resources: [`${this.bucket.arn}/*`] },
        { sid: 'LokiBucket', effect: 'Allow', actions: [...LOKI_S3_BUCKET_ACTIONS], resources: [this.bucket.arn] },
      ],
    });
    this.user = new IamUser(this, 'user', { name: `loki-${bucketName}`.slice(0, 64), forceDestroy: false });
    new IamUserPolicy(this, 'user-policy', { name: 'loki', user: this.user.name, policy: policy.json });
    this.accessKey = new IamAccessKey(this, 'access-key', { user: this.user.name });
    const credentials = Fn.jsonencode({ AWS_ACCESS_KEY_ID: this.accessKey.id, AWS_SECRET_ACCESS_KEY: this.accessKey.secret });
    if (props.credentialsSecretName !== undefined) {
      const secret = new SecretsmanagerSecret(this, 'credentials-secret', { name: props.credentialsSecretName, description: `Loki S3 credentials for bucket ${bucketName}`, recoveryWindowInDays: 7 });
      new SecretsmanagerSecretVersion(this, 'credentials-version', { secretId: secret.id, secretString: credentials });
    }
    new TerraformOutput(this, 'credentials', { value: credentials, sensitive: true, description: 'Loki S3 credentials (JSON: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY); deliver as a Secret in the loki namespace' }).overrideLogicalId(`${p}_credentials`);
    new TerraformOutput(this, 'bucket', { value: this.bucket.bucket, description: 'Loki bucket (loki.storage.bucketNames)' }).overrideLogicalId(`${p}_bucket`);
  }
}
