/**
 * Object storage plus least-privilege credentials for Velero on AWS (S3), Google Cloud (GCS) and
 * Azure (Blob), built on the prebuilt CDKTF bindings (`@cdktf/provider-aws` 21.22.1 → hashicorp/aws
 * 6.25.0, `@cdktf/provider-google` 16.12.1 → hashicorp/google 6.50.0, `@cdktf/provider-azurerm`
 * 14.23.1 → hashicorp/azurerm 4.55.0; decision 0051). Provider classes are imported by resource
 * path, never the package root (synth speed).
 *
 * The permission lists are the ones the Velero plugins' READMEs document (docs/terraform.md cites
 * them); tests assert them in full.
 */
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamAccessKey } from '@cdktf/provider-aws/lib/iam-access-key';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import { IamUserPolicy } from '@cdktf/provider-aws/lib/iam-user-policy';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { FederatedIdentityCredential } from '@cdktf/provider-azurerm/lib/federated-identity-credential';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { RoleDefinition } from '@cdktf/provider-azurerm/lib/role-definition';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { ProjectIamCustomRole } from '@cdktf/provider-google/lib/project-iam-custom-role';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member';
import { ServiceAccountKey } from '@cdktf/provider-google/lib/service-account-key';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member';
import { Fn, TerraformOutput, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { invalidProp, validateDnsLabel, validateDnsSubdomain } from '../core/errors';
import { validateGcpProjectId } from './_net';

// ---------------------------------------------------------------------------------------------
// Permission lists (exactly what the plugins document; see docs/terraform.md "Velero storage")
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

/**
 * GCS permissions of the Velero GCP plugin's custom role; granted on the bucket only.
 * @see https://github.com/vmware-tanzu/velero-plugin-for-gcp#set-permissions-for-velero
 */
export const VELERO_GCP_STORAGE_PERMISSIONS = [
  'storage.objects.create',
  'storage.objects.delete',
  'storage.objects.get',
  'storage.objects.list',
] as const;
/** Compute Engine permissions of the Velero GCP plugin's disk snapshotter; granted on the project. */
export const VELERO_GCP_COMPUTE_PERMISSIONS = [
  'compute.disks.get',
  'compute.disks.create',
  'compute.disks.createSnapshot',
  'compute.snapshots.get',
  'compute.snapshots.create',
  'compute.snapshots.useReadOnly',
  'compute.snapshots.delete',
  'compute.zones.get',
] as const;
/**
 * With Workload Identity the plugin signs download URLs through the IAM API and needs this on
 * its own Google service account (there is no key to sign with).
 * @see https://github.com/vmware-tanzu/velero-plugin-for-gcp#option-2-set-permissions-with-using-workload-identity-optional
 */
export const VELERO_GCP_SIGN_BLOB_PERMISSIONS = ['iam.serviceAccounts.signBlob'] as const;

/**
 * Built-in Azure role for the Velero Azure plugin with `useAAD: "true"` (Workload Identity):
 * data-plane access to blobs only, no account keys.
 * @see https://github.com/vmware-tanzu/velero-plugin-for-microsoft-azure#if-using-azure-ad-workload-identity
 */
export const VELERO_AZURE_BLOB_ROLE = 'Storage Blob Data Contributor';
/**
 * Managed-disk actions of the Velero Azure plugin's snapshotter (the README's minimum custom role
 * without its `listkeys`/`regeneratekey` storage actions, which Workload Identity does not need).
 */
export const VELERO_AZURE_DISK_SNAPSHOT_ACTIONS = [
  'Microsoft.Compute/disks/read',
  'Microsoft.Compute/disks/write',
  'Microsoft.Compute/disks/endGetAccess/action',
  'Microsoft.Compute/disks/beginGetAccess/action',
  'Microsoft.Compute/snapshots/read',
  'Microsoft.Compute/snapshots/write',
  'Microsoft.Compute/snapshots/delete',
] as const;

// ---------------------------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------------------------

/** What the Velero chart's `configuration.backupStorageLocation[]` entry needs (no secrets). */
export interface VeleroBackupStorageLocation {
  /** Plugin provider name: `aws`, `gcp` or `azure`. */
  readonly provider: string;
  /** Bucket (S3/GCS) or blob container (Azure). May be a Terraform reference. */
  readonly bucket: string;
  /** The location's `config` map. Values may be Terraform references. */
  readonly config: Readonly<Record<string, string>>;
}

/** Common surface of the three storage constructs. */
export interface IVeleroBackupStorage extends IConstruct {
  /** The backup storage location (provider, bucket, config) for the Velero chart. */
  readonly backupStorageLocation: VeleroBackupStorageLocation;
  /**
   * Annotations for the Velero server's Kubernetes service account (`serviceAccount.server.annotations`)
   * when the pod authenticates with a workload identity; empty with static credentials.
   */
  readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
  /** Terraform outputs are named `<outputPrefix>_<what>`. */
  readonly outputPrefix: string;
}

/** The Kubernetes service account Velero runs as; trust policies are bound to exactly this one. */
export interface VeleroServiceAccountProps {
  /**
   * Namespace of the Velero server.
   * @default 'velero'
   * @see https://github.com/vmware-tanzu/helm-charts/blob/velero-12.1.0/charts/velero/values.yaml
   */
  readonly namespace?: string;
  /**
   * Name of the Velero server's service account (the chart names it after the release).
   * @default 'velero'
   */
  readonly serviceAccount?: string;
  /**
   * Prefix of the Terraform output names (`<prefix>_bucket`, …); lowercase letters, digits, `_`.
   * @default - the construct id with `-` replaced by `_`, prefixed with `velero_` unless it starts with `velero`
   */
  readonly outputPrefix?: string;
}

function subject(scope: IConstruct, props: VeleroServiceAccountProps): { namespace: string; serviceAccount: string; sub: string } {
  const namespace = props.namespace ?? 'velero';
  const serviceAccount = props.serviceAccount ?? 'velero';
  if (namespace === '') invalidProp(scope, 'namespace "" is empty; give the namespace Velero runs in, e.g. velero');
  if (serviceAccount === '') invalidProp(scope, 'serviceAccount "" is empty; give the Velero server service account, e.g. velero');
  validateDnsLabel(scope, 'namespace', namespace);
  validateDnsSubdomain(scope, 'serviceAccount', serviceAccount);
  return { namespace, serviceAccount, sub: `system:serviceaccount:${namespace}:${serviceAccount}` };
}

function outputPrefixOf(scope: IConstruct, id: string, prefix: string | undefined): string {
  const base = id.replace(/-/g, '_');
  const p = prefix ?? (base.startsWith('velero') ? base : `velero_${base}`);
  if (!/^[a-z][a-z0-9_]*$/.test(p)) invalidProp(scope, `outputPrefix "${p}" is not a Terraform output name; use lowercase letters, digits and '_', starting with a letter`);
  return p;
}

function positiveDays(scope: IConstruct, what: string, value: number, max = 36500): number {
  if (!Number.isInteger(value) || value < 1 || value > max) invalidProp(scope, `${what} ${value} is out of range; use a whole number of days from 1 to ${max}`);
  return value;
}

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
      new TerraformOutput(this, 'credentials', {
        value: `[default]\naws_access_key_id=${this.accessKey.id}\naws_secret_access_key=${this.accessKey.secret}\n`,
        sensitive: true,
        description: 'credentials-velero file for the Velero chart (credentials.secretContents.cloud); put it in a SealedSecret/ExternalSecret',
      }).overrideLogicalId(`${p}_credentials`);
    }

    this.backupStorageLocation = { provider: 'aws', bucket: this.bucket.bucket, config: { region } };
    new TerraformOutput(this, 'bucket', { value: this.bucket.bucket, description: 'Velero BackupStorageLocation bucket' }).overrideLogicalId(`${p}_bucket`);
    new TerraformOutput(this, 'region', { value: region, description: 'Velero BackupStorageLocation config.region' }).overrideLogicalId(`${p}_region`);
    new TerraformOutput(this, 'bsl', { value: this.backupStorageLocation, description: 'Velero chart configuration.backupStorageLocation[] entry (no secrets)' }).overrideLogicalId(`${p}_backup_storage_location`);
  }
}

// ---------------------------------------------------------------------------------------------
// Google Cloud
// ---------------------------------------------------------------------------------------------

/** How Velero authenticates to Google Cloud (see {@link GcpVeleroCredentials}). */
export enum GcpVeleroCredentialsKind {
  /** GKE Workload Identity: the Kubernetes service account impersonates a Google service account. */
  WORKLOAD_IDENTITY = 'workload-identity',
  /** A service-account JSON key (a long-lived secret). */
  SERVICE_ACCOUNT_KEY = 'key',
}

/** How the Velero server authenticates to Google Cloud. */
export class GcpVeleroCredentials {
  /**
   * GKE Workload Identity: the Kubernetes service account impersonates the Google service account
   * (`roles/iam.workloadIdentityUser` for `serviceAccount:<pool>[<namespace>/<serviceAccount>]`).
   * @param workloadPool the cluster's workload pool; default `<projectId>.svc.id.goog`
   * @see https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity
   */
  public static workloadIdentity(workloadPool?: string): GcpVeleroCredentials {
    return new GcpVeleroCredentials(GcpVeleroCredentialsKind.WORKLOAD_IDENTITY, workloadPool);
  }

  /**
   * A service-account key (opt-in: long-lived secret). The JSON key is only in the sensitive
   * output `<prefix>_credentials` (and in Terraform state).
   */
  public static serviceAccountKey(): GcpVeleroCredentials {
    return new GcpVeleroCredentials(GcpVeleroCredentialsKind.SERVICE_ACCOUNT_KEY);
  }

  private constructor(
    public readonly kind: GcpVeleroCredentialsKind,
    public readonly workloadPool?: string,
  ) {}
}

export interface VeleroGcsStorageProps extends VeleroServiceAccountProps {
  /**
   * Globally unique bucket name: 3-63 lowercase letters, digits, `-` and `_`.
   * @see https://cloud.google.com/storage/docs/buckets#naming
   */
  readonly bucketName: string;
  /** Project that owns the bucket, the service account and the custom roles. */
  readonly projectId: string;
  /**
   * Bucket location: a region (`europe-west3`), dual-region or multi-region (`EU`).
   * @see https://cloud.google.com/storage/docs/locations
   */
  readonly location: string;
  /**
   * Workload Identity (default) or a service-account key.
   * @default GcpVeleroCredentials.workloadIdentity()
   */
  readonly credentials?: GcpVeleroCredentials;
  /**
   * Google service account id (6-30 characters).
   * @default 'velero'
   */
  readonly serviceAccountId?: string;
  /**
   * Days after which noncurrent object versions are deleted.
   * @default 30
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Grant the Compute Engine permissions of Velero's native persistent-disk snapshotter (on the
   * project). Not needed for kopia or the CSI data mover.
   * @default false
   */
  readonly diskSnapshots?: boolean;
  /**
   * Customer managed Cloud KMS key for default bucket encryption.
   * @default - Google-managed encryption keys
   */
  readonly kmsKeyName?: string;
}

/**
 * A hardened GCS bucket for Velero (uniform bucket-level access, public access prevention
 * enforced, versioning, lifecycle for noncurrent versions) and a dedicated Google service account
 * with custom roles holding exactly the permissions the Velero GCP plugin documents: object
 * permissions on this bucket only, disk-snapshot permissions on the project only when
 * `diskSnapshots`, `iam.serviceAccounts.signBlob` on itself only with Workload Identity.
 *
 * Outputs: `<prefix>_bucket`, `<prefix>_service_account_email`, `<prefix>_backup_storage_location`,
 * and with a key the sensitive `<prefix>_credentials`.
 */
export class VeleroGcsStorage extends Construct implements IVeleroBackupStorage {
  public readonly bucket: StorageBucket;
  public readonly serviceAccount: ServiceAccount;
  public readonly storageRole: ProjectIamCustomRole;
  public readonly computeRole?: ProjectIamCustomRole;
  public readonly signBlobRole?: ProjectIamCustomRole;
  public readonly key?: ServiceAccountKey;
  public readonly backupStorageLocation: VeleroBackupStorageLocation;
  public readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
  public readonly outputPrefix: string;

  public constructor(scope: Construct, id: string, props: VeleroGcsStorageProps) {
    super(scope, id);
    const { bucketName, projectId, location } = props;
    if (!/^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$/.test(bucketName) || bucketName.startsWith('goog') || bucketName.includes('google')) {
      invalidProp(this, `bucketName "${bucketName}" is not a valid GCS bucket name; use 3-63 lowercase letters, digits, '-' and '_', starting and ending with a letter or digit, without 'goog' prefix or 'google'`);
    }
    validateGcpProjectId(this, 'projectId', projectId);
    if (location === undefined || location === '') invalidProp(this, 'location is missing; give a GCS location such as europe-west3 or EU');
    if (!/^[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]$/.test(location)) invalidProp(this, `location "${location}" is not a GCS location such as europe-west3 or EU`);
    const saId = props.serviceAccountId ?? 'velero';
    if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(saId)) invalidProp(this, `serviceAccountId "${saId}" is not a service account id; use 6-30 lowercase letters, digits and '-', starting with a letter`);
    const sa = subject(this, props);
    this.outputPrefix = outputPrefixOf(this, id, props.outputPrefix);
    const noncurrentDays = positiveDays(this, 'noncurrentVersionExpirationDays', props.noncurrentVersionExpirationDays ?? 30);
    const credentials = props.credentials ?? GcpVeleroCredentials.workloadIdentity();
    const pool = credentials.workloadPool ?? `${projectId}.svc.id.goog`;
    if (credentials.kind === GcpVeleroCredentialsKind.WORKLOAD_IDENTITY && !/^[a-z0-9.-]+\.svc\.id\.goog$/.test(pool)) {
      invalidProp(this, `workloadPool "${pool}" is not a GKE workload pool like <project>.svc.id.goog`);
    }

    this.bucket = new StorageBucket(this, 'Resource', {
      name: bucketName,
      project: projectId,
      location,
      storageClass: 'STANDARD',
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      forceDestroy: false,
      versioning: { enabled: true },
      labels: { 'app-kubernetes-io-name': 'velero' },
      lifecycleRule: [
        { action: { type: 'Delete' }, condition: { daysSinceNoncurrentTime: noncurrentDays, withState: 'ARCHIVED' } },
        { action: { type: 'AbortIncompleteMultipartUpload' }, condition: { age: 7 } },
      ],
      encryption: props.kmsKeyName ? { defaultKmsKeyName: props.kmsKeyName } : undefined,
    });
    this.serviceAccount = new ServiceAccount(this, 'service-account', {
      project: projectId,
      accountId: saId,
      displayName: 'Velero server',
      description: `Velero (${sa.sub}) backups in gs://${bucketName}`,
    });
    const member = this.serviceAccount.member;
    const roleBase = `velero_${saId.replace(/-/g, '_')}`;
    this.storageRole = new ProjectIamCustomRole(this, 'storage-role', {
      project: projectId,
      roleId: `${roleBase}_storage`,
      title: 'Velero server: backup objects',
      permissions: [...VELERO_GCP_STORAGE_PERMISSIONS],
    });
    new StorageBucketIamMember(this, 'storage-binding', { bucket: this.bucket.name, role: this.storageRole.name, member });
    if (props.diskSnapshots) {
      this.computeRole = new ProjectIamCustomRole(this, 'compute-role', {
        project: projectId,
        roleId: `${roleBase}_snapshots`,
        title: 'Velero server: disk snapshots',
        permissions: [...VELERO_GCP_COMPUTE_PERMISSIONS],
      });
      new ProjectIamMember(this, 'compute-binding', { project: projectId, role: this.computeRole.name, member });
    }
    const p = this.outputPrefix;
    const config: Record<string, string> = {};
    if (credentials.kind === GcpVeleroCredentialsKind.WORKLOAD_IDENTITY) {
      this.signBlobRole = new ProjectIamCustomRole(this, 'sign-blob-role', {
        project: projectId,
        roleId: `${roleBase}_sign_blob`,
        title: 'Velero server: sign download URLs',
        permissions: [...VELERO_GCP_SIGN_BLOB_PERMISSIONS],
      });
      new ServiceAccountIamMember(this, 'sign-blob-binding', { serviceAccountId: this.serviceAccount.name, role: this.signBlobRole.name, member });
      new ServiceAccountIamMember(this, 'workload-identity', {
        serviceAccountId: this.serviceAccount.name,
        role: 'roles/iam.workloadIdentityUser',
        member: `serviceAccount:${pool}[${sa.namespace}/${sa.serviceAccount}]`,
      });
      config.serviceAccount = this.serviceAccount.email;
      this.serviceAccountAnnotations = { 'iam.gke.io/gcp-service-account': this.serviceAccount.email };
    } else {
      this.key = new ServiceAccountKey(this, 'key', { serviceAccountId: this.serviceAccount.name });
      this.serviceAccountAnnotations = {};
      new TerraformOutput(this, 'credentials', {
        value: Fn.base64decode(this.key.privateKey),
        sensitive: true,
        description: 'Service-account JSON key for the Velero chart (credentials.secretContents.cloud); put it in a SealedSecret/ExternalSecret',
      }).overrideLogicalId(`${p}_credentials`);
    }
    this.backupStorageLocation = { provider: 'gcp', bucket: this.bucket.name, config };
    new TerraformOutput(this, 'bucket', { value: this.bucket.name, description: 'Velero BackupStorageLocation bucket' }).overrideLogicalId(`${p}_bucket`);
    new TerraformOutput(this, 'sa-email', { value: this.serviceAccount.email, description: 'Google service account of the Velero server (annotation iam.gke.io/gcp-service-account)' }).overrideLogicalId(`${p}_service_account_email`);
    new TerraformOutput(this, 'bsl', { value: this.backupStorageLocation, description: 'Velero chart configuration.backupStorageLocation[] entry (no secrets)' }).overrideLogicalId(`${p}_backup_storage_location`);
  }
}

// ---------------------------------------------------------------------------------------------
// Azure
// ---------------------------------------------------------------------------------------------

/** Azure storage redundancy (`account_replication_type`). */
export class AzureStorageRedundancy {
  /** Locally redundant (one datacenter). */
  public static readonly LRS = new AzureStorageRedundancy('LRS');
  /** Zone redundant (three zones in the region). */
  public static readonly ZRS = new AzureStorageRedundancy('ZRS');
  /** Geo redundant (paired region); what the Velero Azure README creates. */
  public static readonly GRS = new AzureStorageRedundancy('GRS');
  /** Geo-zone redundant. */
  public static readonly GZRS = new AzureStorageRedundancy('GZRS');
  private constructor(public readonly value: string) {}
}

export interface VeleroAzureBlobStorageProps extends VeleroServiceAccountProps {
  /**
   * Globally unique storage account name: 3-24 lowercase letters and digits.
   * @see https://learn.microsoft.com/azure/storage/common/storage-account-overview#storage-account-name
   */
  readonly storageAccountName: string;
  /** Existing resource group for the account and the identity. */
  readonly resourceGroupName: string;
  /** Azure region, e.g. `westeurope`. */
  readonly location: string;
  /**
   * Issuer URL of the cluster's service-account tokens (AKS: `oidc_issuer_url`), trusted by the
   * federated identity credential.
   * @see https://learn.microsoft.com/azure/aks/workload-identity-overview
   */
  readonly oidcIssuerUrl: string;
  /**
   * Private blob container for the backups: 3-63 lowercase letters, digits and single `-`.
   * @default 'velero'
   */
  readonly containerName?: string;
  /**
   * Name of the user-assigned managed identity.
   * @default 'velero-<storageAccountName>'
   */
  readonly identityName?: string;
  /**
   * Replication of the storage account.
   * @default AzureStorageRedundancy.GRS
   */
  readonly redundancy?: AzureStorageRedundancy;
  /**
   * Double encryption at rest (infrastructure encryption); can only be set when the account is created.
   * @default true
   * @see https://learn.microsoft.com/azure/storage/common/infrastructure-encryption-enable
   */
  readonly infrastructureEncryption?: boolean;
  /**
   * Soft-delete retention for blobs and containers, in days (1-365).
   * @default 14
   */
  readonly softDeleteRetentionDays?: number;
  /**
   * Resource group id (`/subscriptions/…/resourceGroups/<node resource group>`) holding the
   * cluster's managed disks: a custom role with the Velero plugin's disk and snapshot actions is
   * assigned there. Needed only for Velero's native Azure disk snapshotter.
   * @default - no disk-snapshot permissions
   */
  readonly diskSnapshotResourceGroupId?: string;
}

/**
 * A hardened Azure storage account (HTTPS only, TLS 1.2 minimum, no public blob access, shared
 * key access disabled so only Entra ID works, infrastructure encryption, blob versioning and soft
 * delete), a private container, a user-assigned managed identity with **Storage Blob Data
 * Contributor** on this account only, and a Workload Identity federated credential for exactly
 * `system:serviceaccount:<namespace>:<serviceAccount>`. Velero uses `useAAD: "true"` and
 * `storageAccountURI` (so the plugin needs no control-plane read of the account).
 *
 * Outputs: `<prefix>_container`, `<prefix>_storage_account`, `<prefix>_client_id`,
 * `<prefix>_backup_storage_location`. No secret is created.
 */
export class VeleroAzureBlobStorage extends Construct implements IVeleroBackupStorage {
  public readonly storageAccount: StorageAccount;
  public readonly container: StorageContainer;
  public readonly identity: UserAssignedIdentity;
  public readonly backupStorageLocation: VeleroBackupStorageLocation;
  public readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
  public readonly outputPrefix: string;

  public constructor(scope: Construct, id: string, props: VeleroAzureBlobStorageProps) {
    super(scope, id);
    const { storageAccountName, resourceGroupName, location, oidcIssuerUrl } = props;
    if (!/^[a-z0-9]{3,24}$/.test(storageAccountName)) invalidProp(this, `storageAccountName "${storageAccountName}" is not a storage account name; use 3-24 lowercase letters and digits`);
    const containerName = props.containerName ?? 'velero';
    if (!/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(containerName)) {
      invalidProp(this, `containerName "${containerName}" is not a blob container name; use 3-63 lowercase letters, digits and single '-', starting and ending with a letter or digit`);
    }
    if (resourceGroupName === undefined || resourceGroupName === '') invalidProp(this, 'resourceGroupName is missing; give the resource group for the storage account');
    if (location === undefined || location === '') invalidProp(this, 'location is missing; give an Azure region such as westeurope');
    if (!/^[a-z][a-z0-9]+$/.test(location)) invalidProp(this, `location "${location}" is not an Azure region name such as westeurope`);
    if (!Token.isUnresolved(oidcIssuerUrl) && !/^https:\/\/[^\s/]+(\/\S*)?$/.test(oidcIssuerUrl)) {
      invalidProp(this, `oidcIssuerUrl "${oidcIssuerUrl}" is not an https:// issuer URL`);
    }
    const sa = subject(this, props);
    this.outputPrefix = outputPrefixOf(this, id, props.outputPrefix);
    const retention = positiveDays(this, 'softDeleteRetentionDays', props.softDeleteRetentionDays ?? 14, 365);

    this.storageAccount = new StorageAccount(this, 'Resource', {
      name: storageAccountName,
      resourceGroupName,
      location,
      accountKind: 'StorageV2',
      accountTier: 'Standard',
      accountReplicationType: (props.redundancy ?? AzureStorageRedundancy.GRS).value,
      accessTier: 'Hot',
      httpsTrafficOnlyEnabled: true,
      minTlsVersion: 'TLS1_2',
      allowNestedItemsToBePublic: false,
      sharedAccessKeyEnabled: false,
      defaultToOauthAuthentication: true,
      crossTenantReplicationEnabled: false,
      infrastructureEncryptionEnabled: props.infrastructureEncryption ?? true,
      blobProperties: {
        versioningEnabled: true,
        deleteRetentionPolicy: { days: retention },
        containerDeleteRetentionPolicy: { days: retention },
      },
      tags: { 'app.kubernetes.io/name': 'velero' },
    });
    this.container = new StorageContainer(this, 'container', {
      name: containerName,
      storageAccountId: this.storageAccount.id,
      containerAccessType: 'private',
    });
    this.identity = new UserAssignedIdentity(this, 'identity', {
      name: props.identityName ?? `velero-${storageAccountName}`,
      resourceGroupName,
      location,
    });
    new RoleAssignment(this, 'blob-data', {
      scope: this.storageAccount.id,
      roleDefinitionName: VELERO_AZURE_BLOB_ROLE,
      principalId: this.identity.principalId,
      principalType: 'ServicePrincipal',
      description: `Velero (${sa.sub}) backups in container ${containerName}`,
    });
    if (props.diskSnapshotResourceGroupId !== undefined) {
      const rg = props.diskSnapshotResourceGroupId;
      if (!Token.isUnresolved(rg) && !/^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[-\w._()]+$/i.test(rg)) {
        invalidProp(this, `diskSnapshotResourceGroupId "${rg}" is not a resource group id like /subscriptions/<uuid>/resourceGroups/<name>`);
      }
      const role = new RoleDefinition(this, 'snapshot-role', {
        name: `velero-snapshots-${storageAccountName}`,
        scope: rg,
        description: 'Velero Azure plugin: managed disk snapshots',
        permissions: [{ actions: [...VELERO_AZURE_DISK_SNAPSHOT_ACTIONS] }],
        assignableScopes: [rg],
      });
      new RoleAssignment(this, 'snapshots', {
        scope: rg,
        roleDefinitionId: role.roleDefinitionResourceId,
        principalId: this.identity.principalId,
        principalType: 'ServicePrincipal',
      });
    }
    new FederatedIdentityCredential(this, 'federated', {
      name: `${sa.namespace}-${sa.serviceAccount}`,
      resourceGroupName,
      parentId: this.identity.id,
      audience: ['api://AzureADTokenExchange'],
      issuer: oidcIssuerUrl,
      subject: sa.sub,
    });
    const client = new DataAzurermClientConfig(this, 'client');

    this.serviceAccountAnnotations = { 'azure.workload.identity/client-id': this.identity.clientId };
    this.backupStorageLocation = {
      provider: 'azure',
      bucket: this.container.name,
      config: {
        resourceGroup: resourceGroupName,
        storageAccount: this.storageAccount.name,
        storageAccountURI: this.storageAccount.primaryBlobEndpoint,
        subscriptionId: client.subscriptionId,
        useAAD: 'true',
      },
    };
    const p = this.outputPrefix;
    new TerraformOutput(this, 'container-out', { value: this.container.name, description: 'Velero BackupStorageLocation bucket (blob container)' }).overrideLogicalId(`${p}_container`);
    new TerraformOutput(this, 'account-out', { value: this.storageAccount.name, description: 'Velero BackupStorageLocation config.storageAccount' }).overrideLogicalId(`${p}_storage_account`);
    new TerraformOutput(this, 'client-id', { value: this.identity.clientId, description: 'Managed identity client id (annotation azure.workload.identity/client-id; pod label azure.workload.identity/use: "true")' }).overrideLogicalId(`${p}_client_id`);
    new TerraformOutput(this, 'bsl', { value: this.backupStorageLocation, description: 'Velero chart configuration.backupStorageLocation[] entry (no secrets)' }).overrideLogicalId(`${p}_backup_storage_location`);
  }
}
