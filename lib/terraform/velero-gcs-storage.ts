/**
 * Velero object storage on Google Cloud: a GCS bucket, a Google service account with custom roles,
 * and Workload Identity (or an opt-in key), built on the prebuilt `@cdktf/provider-google` 16.12.1
 * bindings (hashicorp/google 6.50.0; decision 0051). Provider classes are imported by resource
 * path, never the package root (synth speed).
 *
 * The permission lists are the ones the Velero GCP plugin's README documents (docs/terraform.md
 * cites it); tests assert them in full. Shared surface: ./velero-storage.ts.
 */
import { ProjectIamCustomRole } from '@cdktf/provider-google/lib/project-iam-custom-role';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { SecretManagerSecret } from '@cdktf/provider-google/lib/secret-manager-secret';
import { SecretManagerSecretVersion } from '@cdktf/provider-google/lib/secret-manager-secret-version';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member';
import { ServiceAccountKey } from '@cdktf/provider-google/lib/service-account-key';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member';
import { Fn, TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { BackupCredentialModel, BackupStorageTarget } from '../core/backup-storage-target';
import { invalidProp } from '../core/errors';
import { validateGcpProjectId } from './_net';
import { outputPrefixOf, positiveDays, subject } from './_velero';
import { IVeleroBackupStorage, VeleroBackupStorageLocation, VeleroServiceAccountProps } from './velero-storage';

// ---------------------------------------------------------------------------------------------
// Permission lists (exactly what the plugin documents; see docs/terraform.md "Velero storage")
// ---------------------------------------------------------------------------------------------

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
  /**
   * With a service-account key: also write the key file to this Secret Manager secret (in the
   * project), as JSON `{"cloud": "<key file>"}`, so the cluster's ExternalSecret reads it (property
   * `cloud`) without anyone copying the key. The ESO identity needs `roles/secretmanager.secretAccessor`.
   * @default - only the sensitive output `<prefix>_credentials`
   * @see https://external-secrets.io/latest/provider/google-secrets-manager/
   */
  readonly credentialsSecretId?: string;
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
  /**
   * The location for `VeleroBackup` (lib/backup): the literal bucket name, and either the
   * workload-identity annotation with the service account's email (known from `serviceAccountId`
   * and `projectId`) or the key file in the sensitive output `<prefix>_credentials`.
   */
  public readonly storageTarget: BackupStorageTarget;

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
    if (props.credentialsSecretId !== undefined) {
      if (credentials.kind !== GcpVeleroCredentialsKind.SERVICE_ACCOUNT_KEY) invalidProp(this, `credentialsSecretId "${props.credentialsSecretId}" needs GcpVeleroCredentials.serviceAccountKey(); Workload Identity has no key file`);
      if (!/^[A-Za-z0-9_-]{1,255}$/.test(props.credentialsSecretId)) invalidProp(this, `credentialsSecretId "${props.credentialsSecretId}" is not a Secret Manager id; use letters, digits, '-' and '_'`);
    }
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
      if (props.credentialsSecretId !== undefined) {
        const secret = new SecretManagerSecret(this, 'credentials-secret', {
          project: projectId,
          secretId: props.credentialsSecretId,
          replication: { auto: {} },
          labels: { 'app-kubernetes-io-name': 'velero' },
        });
        new SecretManagerSecretVersion(this, 'credentials-version', { secret: secret.id, secretData: Fn.jsonencode({ cloud: Fn.base64decode(this.key.privateKey) }) });
      }
      new TerraformOutput(this, 'credentials', {
        value: Fn.base64decode(this.key.privateKey),
        sensitive: true,
        description: 'Service-account JSON key for the Velero chart (credentials.secretContents.cloud); put it in a SealedSecret/ExternalSecret',
      }).overrideLogicalId(`${p}_credentials`);
    }
    this.backupStorageLocation = { provider: 'gcp', bucket: this.bucket.name, config };
    this.storageTarget = BackupStorageTarget.gcs({
      bucket: bucketName,
      credentials:
        credentials.kind === GcpVeleroCredentialsKind.WORKLOAD_IDENTITY
          ? BackupCredentialModel.workloadIdentity({ 'iam.gke.io/gcp-service-account': `${saId}@${projectId}.iam.gserviceaccount.com` })
          : BackupCredentialModel.secretFile(`${p}_credentials`, props.credentialsSecretId),
    });
    new TerraformOutput(this, 'bucket', { value: this.bucket.name, description: 'Velero BackupStorageLocation bucket' }).overrideLogicalId(`${p}_bucket`);
    new TerraformOutput(this, 'sa-email', { value: this.serviceAccount.email, description: 'Google service account of the Velero server (annotation iam.gke.io/gcp-service-account)' }).overrideLogicalId(`${p}_service_account_email`);
    new TerraformOutput(this, 'bsl', { value: this.backupStorageLocation, description: 'Velero chart configuration.backupStorageLocation[] entry (no secrets)' }).overrideLogicalId(`${p}_backup_storage_location`);
  }
}
