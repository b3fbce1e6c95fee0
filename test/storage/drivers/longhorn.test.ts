import { parse } from 'yaml';
import { ErrorCode } from '../../../lib/core/errors';
import { Longhorn } from '../../../lib/storage/drivers/longhorn';
import { SnapshotController, SnapshotCrds } from '../../../lib/storage/snapshot-controller';
import { thrownBy } from '../../support/errors';
import { manifest, manifestsByFile, testCluster } from '../../support/fleet';

const setup = (name: string) => {
  const { fleet, cluster } = testCluster(name);
  const snapshotController = new SnapshotController(cluster.controllers, 'Snap', { crds: new SnapshotCrds(cluster.crds, 'Crds') });
  return { fleet, cluster, snapshotController };
};

describe('Longhorn', () => {
  // GIVEN Longhorn with 2 replicas
  const { fleet, cluster, snapshotController } = setup('lh');
  const lh = new Longhorn(cluster.controllers, 'Longhorn', { replicas: 2, snapshotController });
  const values = parse(manifest(fleet, 'lh/releases/longhorn/configmap-longhorn-values.yaml').data['values.yaml']);

  test('matches the snapshot', () => {
    expect(manifestsByFile(fleet)).toMatchSnapshot();
  });

  test('GitOps-safe values, no chart StorageClass, a privileged namespace', () => {
    expect(values).toEqual({
      preUpgradeChecker: { jobEnabled: false },
      persistence: { createStorageClass: false, defaultClass: false },
      defaultSettings: { defaultDataPath: '/var/lib/longhorn/', defaultReplicaCount: 2 },
    });
    expect(manifest(fleet, 'lh/controllers/namespace-longhorn-system.yaml').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(lh.ui).toMatchObject({ namespace: 'longhorn-system', name: 'longhorn-frontend', port: 80 });
    expect(lh.node.defaultChild).toBe(lh.helmRelease);
  });

  test('fails for 0 replicas', () => {
    const s = setup('zero');
    const err = thrownBy(() => new Longhorn(s.cluster.controllers, 'Longhorn', { replicas: 0, snapshotController: s.snapshotController }));
    expect(err.code).toBe(ErrorCode.INVALID_STORAGE_SIZING);
    expect(err.constructPath).toBe('zero/controllers/Longhorn');
  });

  test('fails for a data path outside /var', () => {
    const s = setup('path');
    const err = thrownBy(() => new Longhorn(s.cluster.controllers, 'Longhorn', { dataPath: '/opt/longhorn', snapshotController: s.snapshotController }));
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
  });

  test('fails outside the controllers layer', () => {
    const s = setup('layer');
    const err = thrownBy(() => new Longhorn(s.cluster.apps, 'Longhorn', { snapshotController: s.snapshotController }));
    expect(err.code).toBe(ErrorCode.WRONG_LAYER);
  });
});
