/**
 * Velero object storage on AWS: an S3 bucket plus least-privilege credentials (IRSA or an IAM user),
 * built on the prebuilt `@cdktf/provider-aws` 21.22.1 bindings (hashicorp/aws 6.25.0; decision
 * 0051). Provider classes are imported by resource path, never the package root (synth speed).
 *
 * The permission lists are the ones the Velero AWS plugin's README documents (docs/terraform.md
 * cites it); tests assert them in full. Shared surface: ./velero-storage.ts.
 */
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamAccessKey } from '@cdktf/provider-aws/lib/iam-access-key';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import { IamUserPolicy } from '@cdktf/provider-aws/lib/iam-user-policy';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Fn, TerraformOutput, Token } from 'cdktf';
import { Construct } from 'constructs';
import { BackupCredentialModel, BackupStorageTarget } from '../core/backup-storage-target';
import { invalidProp } from '../core/errors';
import { outputPrefixOf, positiveDays, subject } from './_velero';
import { IVeleroBackupStorage, VeleroBackupStorageLocation, VeleroServiceAccountProps } from './velero-storage';

// ---------------------------------------------------------------------------------------------
// Permission lists (exactly what the plugin documents; see docs/terraform.md "Velero storage")
// ---------------------------------------------------------------------------------------------

/**
 * S3 object actions of the Velero AWS plugin's IAM policy, on `arn:aws:s3:::<bucket>/*`.
 * @see https://github.com/vmware-tanzu/velero-plugin-for-aws#set-permissions-for-velero
 */
export const VELERO_AWS_S3_OBJECT_ACTIONS = [
  's3:GetObject',
  's3:DeleteObject',
  's3:PutObject',
  's3:AbortMultipartUpload',
  's3:ListMultipartUploadParts',
] as const;
/** S3 bucket actions of the Velero AWS plugin's IAM policy, on `arn:aws:s3:::<bucket>`. */
export const VELERO_AWS_S3_BUCKET_ACTIONS = ['s3:ListBucket'] as const;
/** EC2 actions of the Velero AWS plugin's EBS volume snapshotter (`Resource: "*"`). */
export const VELERO_AWS_EC2_SNAPSHOT_ACTIONS = [
  'ec2:DescribeVolumes',
  'ec2:DescribeSnapshots',
  'ec2:CreateTags',
  'ec2:CreateVolume',
  'ec2:CreateSnapshot',
  'ec2:DeleteSnapshot',
] as const;
/**
 * KMS actions S3 needs from the caller for SSE-KMS objects with a customer managed key
 * (PutObject → GenerateDataKey, GetObject → Decrypt).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms
 */
export const VELERO_AWS_KMS_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'] as const;

// ---------------------------------------------------------------------------------------------
// AWS
// ---------------------------------------------------------------------------------------------

/** How Velero authenticates to AWS (see {@link AwsVeleroCredentials}). */
export enum AwsVeleroCredentialsKind {
  /** IAM Roles for Service Accounts: a role trusted for the service account's web identity. */
  IRSA = 'irsa',
  /** An IAM user with an access key (a long-lived secret). */
  ACCESS_KEY = 'access-key',
}

/** How the Velero server authenticates to AWS. */
export class AwsVeleroCredentials {
  /**
   * IAM Roles for Service Accounts: a role trusted by the cluster's IAM OIDC provider for exactly
   * `system:serviceaccount:<namespace>:<serviceAccount>` (audience `sts.amazonaws.com`). No secret
   * exists anywhere. Works on EKS and on any cluster whose service-account issuer is registered
   * as an IAM OIDC provider.
   * @param oidcProviderArn `arn:aws:iam::<account>:oidc-provider/<issuer host and path>` (or a Terraform reference)
   * @see https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html
   */
  public static irsa(oidcProviderArn: string): AwsVeleroCredentials {
    return new AwsVeleroCredentials(AwsVeleroCredentialsKind.IRSA, oidcProviderArn);
  }

  /**
   * An IAM user with an access key, for clusters without an OIDC issuer known to IAM (e.g. on
   * Proxmox). The key lands in Terraform state and only in the sensitive output
   * `<prefix>_credentials` (the `credentials-velero` file for the chart's `credentials.secretContents.cloud`).
   */
  public static accessKey(): AwsVeleroCredentials {
    return new AwsVeleroCredentials(AwsVeleroCredentialsKind.ACCESS_KEY);
  }

  private constructor(
    public readonly kind: AwsVeleroCredentialsKind,
    public readonly oidcProviderArn?: string,
  ) {}
}

export interface VeleroS3StorageProps extends VeleroServiceAccountProps {
  /**
   * Globally unique bucket name: 3-63 lowercase letters, digits and `-` (no dots: they break
   * TLS for virtual-hosted-style requests).
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
   */
  readonly bucketName: string;
  /** AWS region of the bucket (the provider's region), e.g. `eu-central-1`; goes into the BSL config. */
  readonly region: string;
  /** IRSA role or IAM user with an access key. */
  readonly credentials: AwsVeleroCredentials;
  /**
   * Customer managed KMS key for SSE-KMS (with S3 Bucket Keys); the Velero policy then also gets
   * `kms:GenerateDataKey` and `kms:Decrypt` on this key only.
   * @default - SSE-S3 (AES256, S3-managed keys)
   */
  readonly kmsKeyArn?: string;
  /**
   * Days after which noncurrent object versions (left by overwrites and deletes; Velero deletes
   * expired backups itself) are removed.
   * @default 30
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Grant the EC2 actions of Velero's native EBS volume snapshotter (VolumeSnapshotLocation
   * provider `aws`). Not needed for kopia file-system backups or the CSI data mover.
   * @default false
   */
  readonly ebsSnapshots?: boolean;
  /**
   * With an access key: also write the credentials file to this AWS Secrets Manager secret (in the
   * stack's region), as JSON `{"cloud": "<file>"}`, so the cluster's ExternalSecret reads it
   * (property `cloud`) without anyone copying the key. The ESO identity needs
   * `secretsmanager:GetSecretValue` on it.
   * @default - only the sensitive output `<prefix>_credentials`
   * @see https://external-secrets.io/latest/provider/aws-secrets-manager/
   */
  readonly credentialsSecretName?: string;
}

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
const S3_BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const IAM_OIDC_ARN = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/[a-z0-9.-]+(\/[A-Za-z0-9._~-]+)*$/;

/**
 * A hardened S3 bucket for Velero plus least-privilege credentials:
 * versioning, default encryption (SSE-S3 or SSE-KMS with bucket keys), all public access blocked,
 * ACLs disabled (BucketOwnerEnforced), a TLS-only bucket policy, lifecycle rules that expire
 * noncurrent versions and abort stale multipart uploads; an IRSA role (or IAM user + key) whose
 * inline policy holds exactly the actions the Velero AWS plugin documents, on this bucket only.
 *
 * Outputs: `<prefix>_bucket`, `<prefix>_region`, `<prefix>_backup_storage_location` and either
 * `<prefix>_role_arn` (IRSA) or the sensitive `<prefix>_credentials`.
 *
 * {@link storageTarget} is the same location as a plain value for `VeleroBackup` (lib/backup): the
 * bucket name and region it was given, and the credential model (decision 0072).
 */
export class VeleroS3Storage extends Construct implements IVeleroBackupStorage {
  public readonly bucket: S3Bucket;
  public readonly policyDocument: DataAwsIamPolicyDocument;
  public readonly role?: IamRole;
  public readonly user?: IamUser;
  public readonly accessKey?: IamAccessKey;
  public readonly backupStorageLocation: VeleroBackupStorageLocation;
  public readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
  public readonly outputPrefix: string;
  /**
   * The location for `VeleroBackup`: literal bucket name and region, credentials file in the
   * sensitive output `<prefix>_credentials` (access key), or the IRSA annotation (whose role ARN is
   * a Terraform reference, which a cdk8s consumer refuses: give it the ARN as a literal instead).
   */
  public readonly storageTarget: BackupStorageTarget;

  public constructor(scope: Construct, id: string, props: VeleroS3StorageProps) {
    super(scope, id);
    const { bucketName, region } = props;
    if (!S3_BUCKET.test(bucketName) || bucketName.includes('--') || bucketName.startsWith('xn--') || /^\d+\.\d+\.\d+\.\d+$/.test(bucketName) || bucketName.endsWith('-s3alias')) {
      invalidProp(this, `bucketName "${bucketName}" is not a valid S3 bucket name; use 3-63 lowercase letters, digits and '-', starting and ending with a letter or digit (no dots, no 'xn--' prefix)`);
    }
    if (region === undefined || region === '') invalidProp(this, 'region is missing; give the bucket\'s AWS region, e.g. eu-central-1');
    if (!REGION.test(region)) invalidProp(this, `region "${region}" is not an AWS region like eu-central-1`);
    const sa = subject(this, props);
    this.outputPrefix = outputPrefixOf(this, id, props.outputPrefix);
    const noncurrentDays = positiveDays(this, 'noncurrentVersionExpirationDays', props.noncurrentVersionExpirationDays ?? 30);
    if (props.kmsKeyArn !== undefined && !Token.isUnresolved(props.kmsKeyArn) && !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[A-Za-z0-9/_-]+$/.test(props.kmsKeyArn)) {
      invalidProp(this, `kmsKeyArn "${props.kmsKeyArn}" is not a KMS key ARN like arn:aws:kms:eu-central-1:111122223333:key/<key id>`);
    }
    if (props.credentialsSecretName !== undefined) {
      if (props.credentials.kind !== AwsVeleroCredentialsKind.ACCESS_KEY) invalidProp(this, `credentialsSecretName "${props.credentialsSecretName}" needs AwsVeleroCredentials.accessKey(); IRSA has no credentials file`);
      if (!/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(props.credentialsSecretName)) invalidProp(this, `credentialsSecretName "${props.credentialsSecretName}" is not a Secrets Manager name; use letters, digits and /_+=.@-`);
    }
    const irsaArn = props.credentials.oidcProviderArn;
    if (props.credentials.kind === AwsVeleroCredentialsKind.IRSA && (irsaArn === undefined || (!Token.isUnresolved(irsaArn) && !IAM_OIDC_ARN.test(irsaArn)))) {
      invalidProp(this, `oidcProviderArn "${irsaArn ?? ''}" is not an IAM OIDC provider ARN like arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/EXAMPLE`);
    }

    // The primary child: the bucket.
    this.bucket = new S3Bucket(this, 'Resource', { bucket: bucketName, forceDestroy: false, tags: { 'app.kubernetes.io/name': 'velero' } });
    const bucketId = this.bucket.id;
    new S3BucketOwnershipControls(this, 'ownership', { bucket: bucketId, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    const publicAccess = new S3BucketPublicAccessBlock(this, 'public-access', {
      bucket: bucketId,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    const versioning = new S3BucketVersioningA(this, 'versioning', { bucket: bucketId, versioningConfiguration: { status: 'Enabled' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: bucketId,
      rule: [
        props.kmsKeyArn
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } },
      ],
    });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: bucketId,
      dependsOn: [versioning],
      rule: [
        {
          id: 'expire-noncurrent-versions',
          status: 'Enabled',
          filter: [{}],
          noncurrentVersionExpiration: [{ noncurrentDays }],
          expiration: [{ expiredObjectDeleteMarker: true }],
        },
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

    // Velero's permissions: exactly the plugin's list, scoped to this bucket.
    const statements: DataAwsIamPolicyDocumentStatement[] = [
      { sid: 'VeleroObjects', effect: 'Allow', actions: [...VELERO_AWS_S3_OBJECT_ACTIONS], resources: [`${this.bucket.arn}/*`] },
      { sid: 'VeleroBucket', effect: 'Allow', actions: [...VELERO_AWS_S3_BUCKET_ACTIONS], resources: [this.bucket.arn] },
    ];
    if (props.ebsSnapshots) {
      statements.push({ sid: 'VeleroEbsSnapshots', effect: 'Allow', actions: [...VELERO_AWS_EC2_SNAPSHOT_ACTIONS], resources: ['*'] });
    }
    if (props.kmsKeyArn) {
      statements.push({ sid: 'VeleroKms', effect: 'Allow', actions: [...VELERO_AWS_KMS_ACTIONS], resources: [props.kmsKeyArn] });
    }
    this.policyDocument = new DataAwsIamPolicyDocument(this, 'velero-policy', { statement: statements });

    const name = `velero-${bucketName}`.slice(0, 64);
    const p = this.outputPrefix;
    if (props.credentials.kind === AwsVeleroCredentialsKind.IRSA) {
      const issuer = Token.isUnresolved(irsaArn!) ? Fn.element(Fn.split('oidc-provider/', irsaArn!), 1) : irsaArn!.split('oidc-provider/')[1]!;
      const trust = new DataAwsIamPolicyDocument(this, 'trust', {
        statement: [
          {
            sid: 'VeleroServiceAccount',
            effect: 'Allow',
            actions: ['sts:AssumeRoleWithWebIdentity'],
            principals: [{ type: 'Federated', identifiers: [irsaArn!] }],
            condition: [
              { test: 'StringEquals', variable: `${issuer}:sub`, values: [sa.sub] },
              { test: 'StringEquals', variable: `${issuer}:aud`, values: ['sts.amazonaws.com'] },
            ],
          },
        ],
      });
      this.role = new IamRole(this, 'role', { name, assumeRolePolicy: trust.json, maxSessionDuration: 3600, description: `Velero (${sa.sub}) backups in s3://${bucketName}` });
      new IamRolePolicy(this, 'role-policy', { name: 'velero', role: this.role.id, policy: this.policyDocument.json });
      this.serviceAccountAnnotations = { 'eks.amazonaws.com/role-arn': this.role.arn };
      new TerraformOutput(this, 'role_arn', { value: this.role.arn, description: 'IAM role for the Velero service account annotation eks.amazonaws.com/role-arn' }).overrideLogicalId(`${p}_role_arn`);
    } else {
      this.user = new IamUser(this, 'user', { name, forceDestroy: false });
      new IamUserPolicy(this, 'user-policy', { name: 'velero', user: this.user.name, policy: this.policyDocument.json });
      this.accessKey = new IamAccessKey(this, 'access-key', { user: this.user.name });
      this.serviceAccountAnnotations = {};
      const file = `[default]\naws_access_key_id=${this.accessKey.id}\naws_secret_access_key=${this.accessKey.secret}\n`;
      if (props.credentialsSecretName !== undefined) {
        const secret = new SecretsmanagerSecret(this, 'credentials-secret', {
          name: props.credentialsSecretName,
          description: `Velero credentials file (property cloud) for ${sa.sub}, bucket ${bucketName}`,
          recoveryWindowInDays: 7,
        });
        new SecretsmanagerSecretVersion(this, 'credentials-version', { secretId: secret.id, secretString: Fn.jsonencode({ cloud: file }) });
      }
      new TerraformOutput(this, 'credentials', {
        value: file,
        sensitive: true,
        description: 'credentials-velero file for the Velero chart (credentials.secretContents.cloud); put it in a SealedSecret/ExternalSecret',
      }).overrideLogicalId(`${p}_credentials`);
    }

    this.backupStorageLocation = { provider: 'aws', bucket: this.bucket.bucket, config: { region } };
    this.storageTarget = BackupStorageTarget.s3({
      bucket: bucketName,
      region,
      credentials: this.role ? BackupCredentialModel.workloadIdentity(this.serviceAccountAnnotations) : BackupCredentialModel.secretFile(`${p}_credentials`, props.credentialsSecretName),
    });
    new TerraformOutput(this, 'bucket', { value: this.bucket.bucket, description: 'Velero BackupStorageLocation bucket' }).overrideLogicalId(`${p}_bucket`);
    new TerraformOutput(this, 'region', { value: region, description: 'Velero BackupStorageLocation config.region' }).overrideLogicalId(`${p}_region`);
    new TerraformOutput(this, 'bsl', { value: this.backupStorageLocation, description: 'Velero chart configuration.backupStorageLocation[] entry (no secrets)' }).overrideLogicalId(`${p}_backup_storage_location`);
  }
}
