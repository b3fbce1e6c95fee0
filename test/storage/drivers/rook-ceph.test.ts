import { parse } from 'yaml';
import { ErrorCode } from '../../../lib/core/errors';
import { CEPH_RBD_CSI_DRIVER, RookCeph } from '../../../lib/storage/drivers/rook-ceph';
import { SnapshotController, SnapshotCrds } from '../../../lib/storage/snapshot-controller';
import { thrownBy } from '../../support/errors';
import { manifest, manifestsByFile, testCluster } from '../../support/fleet';

const setup = (name: string) => {
  const { fleet, cluster } = testCluster(name);
  const snapshotController = new SnapshotController(cluster.controllers, 'Snap', { crds: new SnapshotCrds(cluster.crds, 'Crds') });
  return { fleet, cluster, snapshotController };
};

describe('RookCeph', () => {
  // GIVEN Rook-Ceph with 3 mons, 2 replicas and an SSD gold pool
  const { fleet, cluster, snapshotController } = setup('pve');
  const rook = new RookCeph(cluster, 'Rook', { mons: 3, replicas: 2, goldDeviceClass: 'ssd', osdDeviceFilter: '^vd[b-c]$', snapshotController });

  test('matches the snapshot', () => {
    expect(manifestsByFile(fleet)).toMatchSnapshot();
  });

  test('operator, then the CSI drivers with Rook\'s recommended names, in a privileged namespace', () => {
    expect(manifest(fleet, 'pve/controllers/namespace-rook-ceph.yaml').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    const drivers = parse(manifest(fleet, 'pve/releases/ceph-csi-drivers/configmap-ceph-csi-drivers-values.yaml').data['values.yaml']);
    expect(drivers.drivers.rbd).toEqual({ enabled: true, name: CEPH_RBD_CSI_DRIVER });
    expect(drivers.operatorConfig.namespace).toBe('rook-ceph');
    expect(manifest(fleet, 'pve/controllers/kustomization-ceph-csi-drivers.yaml').spec.dependsOn).toEqual([
      { name: 'rook-ceph', namespace: 'flux-system' },
      { name: 'snapshot-controller', namespace: 'flux-system' },
    ]);
    const operator = parse(manifest(fleet, 'pve/releases/rook-ceph/configmap-rook-ceph-values.yaml').data['values.yaml']);
    expect(operator.crds).toEqual({ enabled: true });
    expect(rook.node.defaultChild).toBe(rook.app.helmRelease);
  });

  test('the CephCluster, pools and filesystem are sized by the props', () => {
    const cephCluster = manifest(fleet, 'pve/configs/cephcluster-rook-ceph.yaml');
    expect(cephCluster.spec.mon).toEqual({ count: 3, allowMultiplePerNode: false });
    expect(cephCluster.spec.mgr.count).toBe(2);
    expect(cephCluster.spec.storage).toEqual({ useAllNodes: true, useAllDevices: false, deviceFilter: '^vd[b-c]$' });
    expect(cephCluster.spec.dataDirHostPath).toBe('/var/lib/rook');
    expect(manifest(fleet, 'pve/configs/cephblockpool-replicapool.yaml').spec.replicated).toEqual({ size: 2, requireSafeReplicaSize: true });
    expect(manifest(fleet, 'pve/configs/cephblockpool-replicapool-gold.yaml').spec.deviceClass).toBe('ssd');
    expect(manifest(fleet, 'pve/configs/cephfilesystem-ceph-filesystem.yaml').spec.dataPools[0].replicated.size).toBe(2);
  });

  test.each([
    ['an even mon count', { mons: 2 }],
    ['more than 9 mons', { mons: 11 }],
    ['0 replicas', { replicas: 0 }],
    ['an osdDeviceFilter that takes every disk', { osdDeviceFilter: '.*' }],
    ['an osdDeviceFilter that is no regular expression', { osdDeviceFilter: '^(sd' }],
    ['a bad gold device class', { goldDeviceClass: 'SSD fast' }],
  ])('fails for %s', (_what, props) => {
    const s = setup('bad');
    const err = thrownBy(() => new RookCeph(s.cluster, 'Rook', { ...props, snapshotController: s.snapshotController }));
    expect(err.code).toBe(ErrorCode.INVALID_STORAGE_SIZING);
    expect(err.constructPath).toBe('bad/Rook');
  });
});
