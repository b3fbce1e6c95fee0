/**
 * Velero object storage: the surface the three cloud constructs share (VeleroS3Storage in
 * ./velero-s3-storage.ts, VeleroGcsStorage in ./velero-gcs-storage.ts, VeleroAzureBlobStorage in
 * ./velero-azure-blob-storage.ts). Types only; the shared checks are in ./_velero.ts.
 */
import { IConstruct } from 'constructs';
import type { BackupStorageTarget } from '../core/backup-storage-target';

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
  /**
   * The same location as a plain value (literal names, credential model) for `VeleroBackup`
   * (lib/backup): the one source of the names a cluster's BackupStorageLocation uses (decision 0072).
   */
  readonly storageTarget: BackupStorageTarget;
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
