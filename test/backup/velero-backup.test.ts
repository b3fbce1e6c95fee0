import { ApiObject, Duration } from 'cdk8s';
import { parse } from 'yaml';
import { VELERO_CHART } from '../../imports/helm/charts';
import {
  BackupContent,
  BackupCredentialModel,
  BackupPlan,
  BackupSchedule,
  BackupStorageTarget,
  CronSchedule,
  ErrorCode,
  MANAGEMENT_EXCLUDED_RESOURCES,
  SecretReference,
  VeleroBackup,
  VeleroCredentials,
} from '../../lib';
import { VELERO_PLUGIN_IMAGES } from '../../lib/backup/velero-backup';
import { validateFleetManifests } from '../../lib/validation';
import { validateObject } from '../../lib/validation/manifest-validator';
import { thrownBy } from '../support/errors';
import { manifest, manifestsByFile, testCluster } from '../support/fleet';

const S3 = BackupStorageTarget.s3({ bucket: 'infraflux-velero-test', region: 'eu-central-1', credentials: BackupCredentialModel.secretFile('velero_test_credentials') });
const SEALED = SecretReference.fromSealedSecret('velero-credentials', 'velero', undefined, ['cloud']);

function values(fleet: Parameters<typeof manifest>[0]): Record<string, any> {
  return parse(manifest(fleet, 'test/releases/velero/configmap-velero-values.yaml').data['values.yaml']);
}

describe('VeleroBackup', () => {
  test('installs the pinned chart with the kopia node-agent, the provider plugin and the BSL of its target', () => {
    // GIVEN a cluster and an S3 target with a credentials file
    const { fleet, cluster } = testCluster();
    // WHEN Velero is added with a sealed credentials Secret
    const velero = new VeleroBackup(cluster.apps, 'Velero', { target: S3, credentials: VeleroCredentials.fromSecret(SEALED) });
    // THEN the HelmRelease installs velero 12.1.0
    expect(manifest(fleet, 'test/releases/velero/helmrelease-velero.yaml').spec.chart.spec).toMatchObject({ chart: 'velero', version: VELERO_CHART.version });
    const v = values(fleet);
    // AND the BSL is exactly the target's bucket and config, the default location
    expect(v.configuration.backupStorageLocation).toEqual([
      { name: 'default', provider: 'aws', bucket: 'infraflux-velero-test', default: true, accessMode: 'ReadWrite', config: { region: 'eu-central-1' } },
    ]);
    expect(v.configuration).toMatchObject({ uploaderType: 'kopia', defaultBackupStorageLocation: 'default', volumeSnapshotLocation: [] });
    expect(v).toMatchObject({ deployNodeAgent: true, snapshotsEnabled: false, backupsEnabled: true, upgradeCRDs: false, cleanUpCRDs: false, image: { tag: 'v1.18.2' } });
    // AND the AWS plugin runs as a restricted init container into the plugins volume
    expect(v.initContainers).toEqual([
      expect.objectContaining({
        name: 'velero-plugin-for-aws',
        image: VELERO_PLUGIN_IMAGES.aws,
        volumeMounts: [{ mountPath: '/target', name: 'plugins' }],
        securityContext: expect.objectContaining({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true }),
      }),
    ]);
    // AND the credentials are the referenced Secret, never inline contents
    expect(v.credentials).toEqual({ useSecret: true, existingSecret: 'velero-credentials' });
    expect(JSON.stringify(v)).not.toContain('secretContents');
    // AND the namespace is privileged (node-agent hostPath + root), the server restricted
    expect(manifest(fleet, 'test/apps/namespace-velero.yaml').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(v.containerSecurityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true });
    expect(velero.node.defaultChild).toBe(velero.helmRelease);
    expect(velero.credentialsSecret?.name).toBe('velero-credentials');
    expect(manifestsByFile(fleet)).toMatchSnapshot();
  });

  test('production plan: hourly objects, daily everything, sealing keys; names as the chart creates them', () => {
    // GIVEN the production plan (the default)
    const { fleet, cluster } = testCluster();
    const velero = new VeleroBackup(cluster.apps, 'Velero', { target: S3, credentials: VeleroCredentials.fromSecret(SEALED), csiSnapshotDrivers: ['ebs.csi.aws.com'] });
    const s = values(fleet).schedules;
    // THEN three schedules with their crons and retention
    expect(Object.keys(s).sort()).toEqual(['daily', 'hourly', 'sealing-keys']);
    expect(s.hourly).toMatchObject({ schedule: '5 * * * *', template: { ttl: '48h', snapshotVolumes: false, defaultVolumesToFsBackup: false, includeClusterResources: true } });
    expect(s.daily).toMatchObject({ schedule: '0 2 * * *', template: { ttl: '720h', snapshotVolumes: true, snapshotMoveData: true, defaultVolumesToFsBackup: true } });
    expect(s.daily.template.resourcePolicy).toEqual({ kind: 'configmap', name: 'velero-volume-policy' });
    // AND the sealing-keys schedule selects exactly the controller's key Secrets in kube-system
    expect(s['sealing-keys'].template).toMatchObject({
      includedNamespaces: ['kube-system'],
      includedResources: ['secrets'],
      includeClusterResources: false,
      labelSelector: { matchExpressions: [{ key: 'sealedsecrets.bitnami.com/sealed-secrets-key', operator: 'Exists' }] },
      ttl: '2160h',
    });
    // AND Cilium's agent state and events are never in a backup
    expect(s.daily.template.excludedResources).toEqual(expect.arrayContaining(['ciliumidentities.cilium.io', 'ciliumendpoints.cilium.io', 'events', 'events.events.k8s.io']));
    expect(velero.scheduleNames).toEqual(['velero-hourly', 'velero-daily', 'velero-sealing-keys']);
  });

  test('CSI snapshots with the data mover for the listed drivers, kopia for the rest', () => {
    // GIVEN two snapshot-capable drivers
    const { fleet, cluster } = testCluster();
    new VeleroBackup(cluster.apps, 'Velero', { target: S3, credentials: VeleroCredentials.fromSecret(SEALED), csiSnapshotDrivers: ['ebs.csi.aws.com', 'efs.csi.aws.com'] });
    const v = values(fleet);
    // THEN EnableCSI is on, data moves to the bucket, and the volume policy snapshots only those drivers
    expect(v.configuration).toMatchObject({ features: 'EnableCSI', defaultSnapshotMoveData: true });
    expect(parse(v.configMaps['volume-policy'].data['policy.yaml'])).toEqual({
      version: 'v1',
      volumePolicies: [
        { conditions: { csi: { driver: 'ebs.csi.aws.com' } }, action: { type: 'snapshot' } },
        { conditions: { csi: { driver: 'efs.csi.aws.com' } }, action: { type: 'snapshot' } },
      ],
    });
  });

  test('without snapshot drivers every volume gets kopia and EnableCSI stays off', () => {
    // GIVEN no CSI snapshot drivers
    const { fleet, cluster } = testCluster();
    new VeleroBackup(cluster.apps, 'Velero', { target: S3, credentials: VeleroCredentials.fromSecret(SEALED), plan: BackupPlan.development() });
    const v = values(fleet);
    // THEN no feature flag, no policy, and the daily backup uses file-system backup for all volumes
    expect(v.configuration.features).toBeUndefined();
    expect(v.configMaps).toBeUndefined();
    expect(v.schedules.daily.template).toMatchObject({ defaultVolumesToFsBackup: true, ttl: '168h' });
    expect(v.schedules.daily.template.resourcePolicy).toBeUndefined();
    expect(Object.keys(v.schedules).sort()).toEqual(['daily', 'sealing-keys']);
  });

  test('a workload identity target: no Secret, the annotations on the server ServiceAccount', () => {
    // GIVEN a GCS target with a workload identity
    const { fleet, cluster } = testCluster();
    const target = BackupStorageTarget.gcs({ bucket: 'b-test', credentials: BackupCredentialModel.workloadIdentity({ 'iam.gke.io/gcp-service-account': 'velero@p.iam.gserviceaccount.com' }) });
    new VeleroBackup(cluster.controllers, 'Velero', { target });
    const v = parse(manifest(fleet, 'test/releases/velero/configmap-velero-values.yaml').data['values.yaml']);
    // THEN
    expect(v.credentials).toEqual({ useSecret: false });
    expect(v.serviceAccount.server.annotations).toEqual({ 'iam.gke.io/gcp-service-account': 'velero@p.iam.gserviceaccount.com' });
    expect(v.initContainers[0].image).toBe(VELERO_PLUGIN_IMAGES.gcp);
  });

  test('an Azure target gets the Microsoft plugin and the account config', () => {
    // GIVEN an Azure target with an account key file
    const { fleet, cluster } = testCluster();
    const target = BackupStorageTarget.azureBlob({
      container: 'velero',
      resourceGroup: 'rg',
      storageAccount: 'acct1',
      config: { storageAccountKeyEnvVar: 'AZURE_STORAGE_ACCOUNT_ACCESS_KEY' },
      credentials: BackupCredentialModel.secretFile('x_credentials'),
    });
    new VeleroBackup(cluster.apps, 'Velero', { target, credentials: VeleroCredentials.fromSecret(SEALED) });
    const v = values(fleet);
    // THEN
    expect(v.initContainers[0]).toMatchObject({ name: 'velero-plugin-for-microsoft-azure', image: VELERO_PLUGIN_IMAGES.azure });
    expect(v.configuration.backupStorageLocation[0].config).toEqual({ resourceGroup: 'rg', storageAccount: 'acct1', storageAccountKeyEnvVar: 'AZURE_STORAGE_ACCOUNT_ACCESS_KEY' });
  });

  test('a delivered credential is created with the release, in Velero\'s namespace, and recorded', () => {
    // GIVEN a delivery function
    const { cluster } = testCluster();
    let seen: string | undefined;
    // WHEN Velero binds it
    const velero = new VeleroBackup(cluster.apps, 'Velero', {
      target: S3,
      credentials: VeleroCredentials.deliveredBy((app) => {
        seen = app.namespace;
        return SecretReference.fromExternalSecret('velero-credentials', app.namespace, undefined, ['cloud']);
      }),
    });
    // THEN the function got the app and the use is recorded on the cluster
    expect(seen).toBe('velero');
    expect(cluster.secretUses).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'velero-credentials', namespace: 'velero', consumer: expect.stringContaining(velero.node.path) })]));
  });

  test('the rendered schedules are valid velero.io/v1 Schedules and the values pass the chart schema', () => {
    // GIVEN a management cluster's Velero with the CAPI exclusions
    const { fleet, cluster } = testCluster();
    new VeleroBackup(cluster.apps, 'Velero', { target: S3, credentials: VeleroCredentials.fromSecret(SEALED), excludedResources: MANAGEMENT_EXCLUDED_RESOURCES, csiSnapshotDrivers: ['x.csi.example.com'] });
    const v = values(fleet);
    // THEN each schedule, as the chart's templates/schedule.yaml renders it, validates against the pinned CRD
    for (const [name, s] of Object.entries<any>(v.schedules)) {
      const obj = { apiVersion: 'velero.io/v1', kind: 'Schedule', metadata: { name: `velero-${name}`, namespace: 'velero' }, spec: { schedule: s.schedule, useOwnerReferencesInBackup: s.useOwnerReferencesInBackup, template: s.template } };
      expect(validateObject(obj, `schedule ${name}`)).toEqual([]);
    }
    expect(v.schedules.daily.template.excludedResources).toEqual(expect.arrayContaining(['machines.cluster.x-k8s.io', 'talosconfigs.bootstrap.cluster.x-k8s.io']));
    // AND the HelmRelease values validate against the chart (a credentials Secret must exist: sealed)
    const report = validateFleetManifests(fleet.manifests());
    expect(report.issues).toEqual([]);
    expect(report.helmReleasesValidated).toBe(1);
  });

  test('the escape hatch: extra values merge over InfraFlux\'s', () => {
    // GIVEN extra values
    const { fleet, cluster } = testCluster();
    new VeleroBackup(cluster.apps, 'Velero', { target: S3, credentials: VeleroCredentials.fromSecret(SEALED), values: { resources: { requests: { cpu: '100m' } } } });
    // THEN they are in the rendered values, ours untouched
    const v = values(fleet);
    expect(v.resources).toEqual({ requests: { cpu: '100m' } });
    expect(v.deployNodeAgent).toBe(true);
    expect(ApiObject.isApiObject(new VeleroBackup(testCluster().cluster.apps, 'V', { target: S3, credentials: VeleroCredentials.fromSecret(SEALED) }).helmRelease)).toBe(true);
  });

  test('fails with an invalid cron expression in a schedule', () => {
    // GIVEN a plan whose schedule has six fields
    const { cluster } = testCluster();
    const plan = BackupPlan.of('custom', [new BackupSchedule({ name: 'bad', schedule: CronSchedule.expression('0 0 * * * *'), retention: Duration.days(1), content: BackupContent.everything() })]);
    // WHEN / THEN
    const e = thrownBy(() => new VeleroBackup(cluster.apps, 'Velero', { target: S3, credentials: VeleroCredentials.fromSecret(SEALED), plan }));
    expect(e.code).toBe(ErrorCode.INVALID_CRON);
    expect(e.constructPath).toBe('test/apps/Velero');
    expect(e.message).toMatch(/schedule bad "0 0 \* \* \* \*" has 6 fields/);
  });

  test('fails when a credentials-file target gets no credentials', () => {
    const { cluster } = testCluster();
    const e = thrownBy(() => new VeleroBackup(cluster.apps, 'Velero', { target: S3 }));
    expect(e.code).toBe(ErrorCode.BACKUP_CREDENTIALS_MISMATCH);
    expect(e.message).toMatch(/needs a credentials file \(Terraform output velero_test_credentials\)/);
  });

  test('fails when a workload-identity target also gets a credentials Secret', () => {
    const { cluster } = testCluster();
    const target = BackupStorageTarget.gcs({ bucket: 'b-test', credentials: BackupCredentialModel.workloadIdentity({ 'iam.gke.io/gcp-service-account': 'v@p.iam.gserviceaccount.com' }) });
    const e = thrownBy(() => new VeleroBackup(cluster.apps, 'Velero', { target, credentials: VeleroCredentials.fromSecret(SEALED) }));
    expect(e.code).toBe(ErrorCode.BACKUP_CREDENTIALS_MISMATCH);
  });

  test('fails with a target carrying a Terraform reference', () => {
    const { cluster } = testCluster();
    const target = BackupStorageTarget.s3({ bucket: '${TfToken[TOKEN.12]}', region: 'eu-central-1', credentials: BackupCredentialModel.secretFile('o') });
    const e = thrownBy(() => new VeleroBackup(cluster.apps, 'Velero', { target, credentials: VeleroCredentials.fromSecret(SEALED) }));
    expect(e.code).toBe(ErrorCode.INVALID_PROP);
    expect(e.message).toMatch(/has Terraform references the manifests cannot carry: bucket/);
  });

  test('fails when the credentials Secret is in another namespace', () => {
    const { cluster } = testCluster();
    const other = SecretReference.fromSealedSecret('velero-credentials', 'kube-system', undefined, ['cloud']);
    const e = thrownBy(() => new VeleroBackup(cluster.apps, 'Velero', { target: S3, credentials: VeleroCredentials.fromSecret(other) }));
    expect(e.code).toBe(ErrorCode.SECRET_NAMESPACE_MISMATCH);
  });

  test('fails when the credentials Secret has no key "cloud"', () => {
    const { cluster } = testCluster();
    const wrong = SecretReference.fromSealedSecret('velero-credentials', 'velero', undefined, ['credentials']);
    const e = thrownBy(() => new VeleroBackup(cluster.apps, 'Velero', { target: S3, credentials: VeleroCredentials.fromSecret(wrong) }));
    expect(e.code).toBe(ErrorCode.SECRET_KEY_UNKNOWN);
  });

  test('fails in the crds layer', () => {
    const { cluster } = testCluster();
    const e = thrownBy(() => new VeleroBackup(cluster.crds, 'Velero', { target: S3, credentials: VeleroCredentials.fromSecret(SEALED) }));
    expect(e.code).toBe(ErrorCode.WRONG_LAYER);
  });

  test('fails with a malformed excluded resource or CSI driver name', () => {
    const { cluster } = testCluster();
    expect(thrownBy(() => new VeleroBackup(cluster.apps, 'V1', { target: S3, credentials: VeleroCredentials.fromSecret(SEALED), excludedResources: ['Machines'] })).code).toBe(ErrorCode.INVALID_PROP);
    expect(thrownBy(() => new VeleroBackup(cluster.apps, 'V2', { target: S3, credentials: VeleroCredentials.fromSecret(SEALED), csiSnapshotDrivers: ['Bad Driver'] })).code).toBe(ErrorCode.INVALID_PROP);
  });

  test('fails when values set what the props derive (a hand-written bucket or credentials)', () => {
    // GIVEN values naming another bucket and inline credentials
    const { cluster } = testCluster();
    const e = thrownBy(() =>
      new VeleroBackup(cluster.apps, 'Velero', {
        target: S3,
        credentials: VeleroCredentials.fromSecret(SEALED),
        values: { credentials: { secretContents: { cloud: 'x' } }, configuration: { backupStorageLocation: [{ provider: 'aws', bucket: 'other' }] } },
      }),
    );
    // THEN INVALID_CHART_VALUES names both keys
    expect(e.code).toBe(ErrorCode.INVALID_CHART_VALUES);
    expect(e.message).toMatch(/values key\(s\) credentials, configuration.backupStorageLocation are derived by VeleroBackup/);
  });
});
