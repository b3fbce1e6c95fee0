/**
 * Velero on the reference fleet (stacks/backup.ts), and the reconcile model's view of it: the
 * chart's credentials Secret must be there when the release is applied.
 */
import { parse } from 'yaml';
import { BackupCredentialModel, BackupStorageTarget, SecretReference, VeleroBackup, VeleroCredentials } from '../../lib';
import { ReconcileCode } from '../../lib/reconcile';
import { validateFleetManifests } from '../../lib/validation';
import { fleetBackupTargets } from '../../stacks/backup';
import { REFERENCE_CLUSTERS } from '../../stacks/fleet';
import { thrownBy } from '../support/errors';
import { testCluster } from '../support/fleet';
import { referenceFleet } from '../support/reference-fleet';

describe('Velero on the reference fleet', () => {
  // GIVEN the complete reference fleet (the shared, read-only build)
  const { fleet, manifests } = referenceFleet();
  const file = (cluster: string, path: string): Record<string, any> | undefined => manifests.find((m) => m.file === `${cluster}/${path}`)?.object;
  const valuesOf = (cluster: string): Record<string, any> => parse(file(cluster, 'releases/velero/configmap-velero-values.yaml')!.data['values.yaml']);

  test('every cluster runs Velero with a BSL on its Terraform bucket, at least one Schedule and delivered credentials', () => {
    const targets = fleetBackupTargets();
    for (const { name } of REFERENCE_CLUSTERS) {
      const v = valuesOf(name);
      // THEN exactly one BSL, the bucket of that cluster's Terraform construct
      expect(v.configuration.backupStorageLocation).toHaveLength(1);
      expect(v.configuration.backupStorageLocation[0]).toMatchObject({ name: 'default', bucket: targets[name]!.bucket, provider: targets[name]!.provider.value });
      // AND schedules, the sealing keys among them
      expect(Object.keys(v.schedules).length).toBeGreaterThanOrEqual(1);
      expect(v.schedules['sealing-keys']).toBeDefined();
      // AND the credentials come from the fleet store, applied with the release
      expect(v.credentials).toEqual({ useSecret: true, existingSecret: 'velero-credentials' });
      expect(file(name, 'releases/velero/externalsecret-velero-credentials.yaml')?.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'fleet-secrets' });
    }
    expect(targets['prod-aws']!.credentials.backendSecretName).toBe('infraflux/prod-aws/velero-credentials');
    // prod-aws and dev-gcp read the secret their Terraform construct writes, by the name it exports
    for (const c of ['prod-aws', 'dev-gcp']) {
      expect(file(c, 'releases/velero/externalsecret-velero-credentials.yaml')?.spec.data[0].remoteRef).toEqual({ key: targets[c]!.credentials.backendSecretName, property: 'cloud' });
    }
    expect(targets['dev-gcp']!.credentials.backendSecretName).toBe('velero-credentials');
  });

  test('production clusters back up hourly and daily, the others daily; mgmt leaves Cluster API machines out', () => {
    for (const { name } of REFERENCE_CLUSTERS) {
      const keys = Object.keys(valuesOf(name).schedules).sort();
      expect([name, keys]).toEqual([name, ['mgmt', 'prod-aws', 'prod-azure'].includes(name) ? ['daily', 'hourly', 'sealing-keys'] : ['daily', 'sealing-keys']]);
    }
    expect(valuesOf('mgmt').schedules.daily.template.excludedResources).toContain('machines.cluster.x-k8s.io');
    expect(valuesOf('prod-aws').schedules.daily.template.excludedResources).not.toContain('machines.cluster.x-k8s.io');
  });

  test('schema-valid and clean under the reconcile model', () => {
    const ours = manifests.filter((m) => /\/releases\/velero\/|kustomization-velero\.yaml$|namespace-velero\.yaml$|helmrepository-helm-charts\.yaml$/.test(m.file));
    const report = validateFleetManifests(ours);
    expect(report.issues).toEqual([]);
    expect(report.helmReleasesValidated).toBe(REFERENCE_CLUSTERS.length);
    expect(() => fleet.checkReconcile()).not.toThrow();
  });
});

describe('VeleroBackup in the reconcile model', () => {
  test('fails when the credentials Secret is never delivered', () => {
    // GIVEN Velero naming an ExternalSecret-made Secret that no ExternalSecret produces
    const { fleet, cluster } = testCluster();
    const target = BackupStorageTarget.s3({ bucket: 'b-test', region: 'eu-central-1', credentials: BackupCredentialModel.secretFile('o') });
    new VeleroBackup(cluster.apps, 'Velero', { target, credentials: VeleroCredentials.fromSecret(SecretReference.fromExternalSecret('velero-credentials', 'velero', undefined, ['cloud'])) });
    // WHEN the reconcile model replays the cluster THEN the chart's credentials.existingSecret is unresolved
    const problems = thrownBy(() => fleet.checkReconcile()).problems;
    expect(problems.map((p) => p.code)).toContain(ReconcileCode.UNRESOLVED_REFERENCE);
    expect(problems.map((p) => p.message).join('\n')).toMatch(/credentials\.existingSecret names Secret velero\/velero-credentials/);
  });
});
