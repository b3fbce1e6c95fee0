import {
  BackupCredentialModel,
  BackupPlan,
  BackupStorageTarget,
  ErrorCode,
  ExistingResourcePolicy,
  FluxManifestApp,
  MANAGEMENT_EXCLUDED_RESOURCES,
  RestoreSource,
  SecretReference,
  VeleroBackup,
  VeleroCredentials,
  VeleroRestore,
} from '../../lib';
import { ApiObject } from 'cdk8s';
import { ALWAYS_EXCLUDED_RESOURCES } from '../../lib/backup/backup-schedule';
import { InfraFluxError } from '../../lib/core/errors';
import { ReconcileCode } from '../../lib/reconcile';
import { thrownBy } from '../support/errors';
import { testCluster } from '../support/fleet';

const S3 = BackupStorageTarget.s3({ bucket: 'infraflux-velero-test', region: 'eu-central-1', credentials: BackupCredentialModel.secretFile('velero_test_credentials') });
const SEALED = SecretReference.fromSealedSecret('velero-credentials', 'velero', undefined, ['cloud']);

/** A test cluster with Velero (production plan, the management exclusions) and an app folder for the restore. */
function withVelero() {
  const { fleet, cluster } = testCluster();
  const velero = new VeleroBackup(cluster.apps, 'Velero', { target: S3, credentials: VeleroCredentials.fromSecret(SEALED), plan: BackupPlan.production(), excludedResources: MANAGEMENT_EXCLUDED_RESOURCES });
  const dr = new FluxManifestApp(cluster.apps, 'DisasterRecovery', { name: 'disaster-recovery' });
  return { fleet, cluster, velero, dr };
}

describe('VeleroRestore', () => {
  test('restores the latest backup of a schedule with the backups\' exclusions, schema-valid and after Velero', () => {
    // GIVEN Velero with the production plan
    const { fleet, velero, dr } = withVelero();
    // WHEN a restore of the latest daily backup is added
    const restore = new VeleroRestore(dr.content, 'Restore', { velero, from: RestoreSource.latestOfSchedule('daily'), existingResourcePolicy: ExistingResourcePolicy.UPDATE });
    // THEN the Restore names the chart's Schedule, excludes what the backups exclude, in Velero's namespace
    const manifests = fleet.manifests();
    const obj = manifests.find((m) => m.file === 'test/releases/disaster-recovery/restore-restore.yaml')!.object as Record<string, any>;
    expect(obj.metadata).toMatchObject({ name: 'restore', namespace: 'velero' });
    expect(obj.spec).toMatchObject({ scheduleName: 'velero-daily', includedNamespaces: ['*'], includeClusterResources: true, restorePVs: true, existingResourcePolicy: 'update' });
    expect(obj.spec.excludedResources).toEqual([...ALWAYS_EXCLUDED_RESOURCES, ...MANAGEMENT_EXCLUDED_RESOURCES]);
    expect(restore.node.defaultChild).toBe(restore.resource);
    // AND its app waits for Velero (same layer: a derived dependsOn)
    const k = manifests.find((m) => m.file === 'test/apps/kustomization-disaster-recovery.yaml')!.object as Record<string, any>;
    expect(k.spec.dependsOn).toEqual([{ name: 'velero', namespace: 'flux-system' }]);
    expect(obj).toMatchSnapshot();
  });

  test('reconcile: a restore resolves the chart\'s Schedule; one naming a missing Schedule fails', () => {
    // GIVEN a typed restore and a hand-written one naming a schedule the chart never creates
    const { fleet, velero, dr } = withVelero();
    new VeleroRestore(dr.content, 'Restore', { velero, from: RestoreSource.latestOfSchedule('daily') });
    new ApiObject(dr.content, 'Raw', { apiVersion: 'velero.io/v1', kind: 'Restore', metadata: { name: 'raw', namespace: 'velero' }, spec: { scheduleName: 'velero-weekly' } });
    // WHEN the reconcile model replays the fleet
    let problems: InfraFluxError['problems'] = [];
    try {
      fleet.checkReconcile();
    } catch (e) {
      problems = (e as InfraFluxError).problems;
    }
    // THEN only the hand-written one is unresolved
    const unresolved = problems.filter((p) => p.code === ReconcileCode.UNRESOLVED_REFERENCE && /restore-/.test(p.message));
    expect(unresolved).toHaveLength(1);
    expect(unresolved[0]!.message).toMatch(/restore-raw\.yaml.*velero-weekly/);
  });

  test('restores a named backup into a mapped namespace, leaving existing objects alone by default', () => {
    const { fleet, velero, dr } = withVelero();
    new VeleroRestore(dr.content, 'Restore', { velero, name: 'podinfo-copy', from: RestoreSource.backup('velero-daily-20260101020000'), includedNamespaces: ['podinfo'], namespaceMapping: { podinfo: 'podinfo-restored' } });
    const obj = fleet.manifests().find((m) => m.file === 'test/releases/disaster-recovery/restore-podinfo-copy.yaml')!.object as Record<string, any>;
    expect(obj.spec).toMatchObject({ backupName: 'velero-daily-20260101020000', includedNamespaces: ['podinfo'], namespaceMapping: { podinfo: 'podinfo-restored' }, existingResourcePolicy: 'none' });
    expect(obj.spec.scheduleName).toBeUndefined();
  });

  test('fails: a schedule the backup plan does not have', () => {
    const { velero, dr } = withVelero();
    const err = thrownBy(() => new VeleroRestore(dr.content, 'Restore', { velero, from: RestoreSource.latestOfSchedule('weekly') }));
    expect(err.code).toBe(ErrorCode.BACKUP_RESTORE_SOURCE);
    expect(err.message).toMatch(/schedule "weekly" is not in backup plan production; use one of /);
    expect(err.constructPath).toBe('test/apps/DisasterRecovery/Content/Restore');
  });

  test('fails: an invalid backup name or mapped namespace', () => {
    const { velero, dr } = withVelero();
    expect(thrownBy(() => new VeleroRestore(dr.content, 'Bad', { velero, from: RestoreSource.backup('Not_A_Name') })).code).toBe(ErrorCode.INVALID_PROP);
    expect(thrownBy(() => new VeleroRestore(dr.content, 'Map', { velero, from: RestoreSource.backup('b'), namespaceMapping: { podinfo: 'Bad_NS' } })).code).toBe(ErrorCode.INVALID_PROP);
  });
});
