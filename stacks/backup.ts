/**
 * Backups of the reference fleet: Velero on every cluster (apps layer: its credentials come from
 * the cluster's ClusterSecretStore, which the configs layer applies), writing to the bucket the
 * Terraform app creates for that cluster (stacks/backup-storage.ts), with the schedules of the
 * cluster's environment (decision 0072, docs/runbooks/disaster-recovery.md).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { BackupPlan, MANAGEMENT_EXCLUDED_RESOURCES } from '../lib/backup/backup-schedule';
import { VELERO_CREDENTIALS_KEY, VeleroBackup, VeleroCredentials } from '../lib/backup/velero-backup';
import { BackupStorageTarget } from '../lib/core/backup-storage-target';
import { VELERO_SNAPSHOT_CLASS_LABEL } from '../lib/core/storage-names';
import { ClusterStorage } from '../lib/storage';
import { addFleetBackupStorage } from './backup-storage';
import { MANAGEMENT_CLUSTER, type Baseline } from './config';
import type { ClusterExternalSecrets } from './external-secrets';

/** The Secret (key `cloud`) Velero reads its credentials file from, and its backend secret's name. */
export const VELERO_CREDENTIALS_SECRET = 'velero-credentials';

/** Production clusters get hourly + daily schedules; the others daily. */
const PRODUCTION = new Set([MANAGEMENT_CLUSTER, 'prod-aws', 'prod-azure']);

/**
 * CSI drivers whose VolumeSnapshotClass (the cluster's {@link ClusterStorage}, one per driver)
 * carries `velero.io/csi-volumesnapshot-class: "true"`: their volumes are snapshotted and the data
 * moved to the bucket; every other volume is backed up with kopia. One source of truth: the
 * storage constructs' snapshot classes.
 */
export function veleroSnapshotDrivers(storage: ClusterStorage): string[] {
  return Object.entries(storage.snapshotClasses)
    .filter(([, vsc]) => vsc.metadata.getLabel(VELERO_SNAPSHOT_CLASS_LABEL) === 'true')
    .map(([driver]) => driver);
}

let targets: Readonly<Record<string, BackupStorageTarget>> | undefined;

/**
 * Each cluster's storage target, read from the Terraform constructs that create the buckets (a
 * throwaway CDKTF app in a temporary folder, never synthesized).
 */
export function fleetBackupTargets(): Readonly<Record<string, BackupStorageTarget>> {
  if (!targets) {
    const dir = mkdtempSync(join(tmpdir(), 'infraflux-backup-targets-'));
    try {
      targets = addFleetBackupStorage(new App({ outdir: dir }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return targets;
}

/** Velero on one cluster of the reference fleet. */
export function addBackup(baseline: Baseline, secrets: ClusterExternalSecrets, storage: ClusterStorage): VeleroBackup {
  const { cluster } = baseline;
  const target = fleetBackupTargets()[cluster.name];
  if (!target) throw new Error(`[${cluster.node.path}] has no Velero bucket in stacks/backup-storage.ts`);
  return new VeleroBackup(cluster.apps, 'Velero', {
    target,
    // The backend secret Terraform writes (prod-aws), else the store's naming of velero-credentials.
    credentials: VeleroCredentials.deliveredBy((velero) => secrets.deliver(velero, 'Credentials', VELERO_CREDENTIALS_SECRET, [VELERO_CREDENTIALS_KEY], target.credentials.backendSecretName)),
    plan: PRODUCTION.has(cluster.name) ? BackupPlan.production() : BackupPlan.development(),
    csiSnapshotDrivers: veleroSnapshotDrivers(storage),
    excludedResources: cluster.name === MANAGEMENT_CLUSTER ? MANAGEMENT_EXCLUDED_RESOURCES : [],
  });
}
