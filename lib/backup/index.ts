export { ALWAYS_EXCLUDED_RESOURCES, BackupContent, BackupContentKind, BackupPlan, BackupSchedule, MANAGEMENT_EXCLUDED_RESOURCES, SEALED_SECRETS_KEY_LABEL } from './backup-schedule';
export type { BackupScheduleProps } from './backup-schedule';
export { CRON_DESCRIPTORS, CronSchedule, cronProblem } from './cron-schedule';
export { backupLocationsInManifest, bucketKey, bucketsOfTerraformStack, checkBackupBucketsCreated } from './storage-join';
export type { BackupLocationUse, CreatedBucket } from './storage-join';
export {
  VELERO_BSL_NAME,
  VELERO_CREDENTIALS_KEY,
  VELERO_IMAGE,
  VELERO_NAMESPACE,
  VELERO_PLUGIN_IMAGES,
  VELERO_SNAPSHOT_CLASS_LABEL,
  VeleroBackup,
  VeleroCredentials,
} from './velero-backup';
export type { VeleroBackupProps } from './velero-backup';
export { ExistingResourcePolicy, RestoreSource, VeleroRestore } from './velero-restore';
export type { VeleroRestoreProps } from './velero-restore';
