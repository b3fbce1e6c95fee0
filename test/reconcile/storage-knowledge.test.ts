/**
 * The reconcile model's storage knowledge (issue 13): snapshot CRDs from the upstream release, the
 * snapshot-controller and GCP PD releases, Rook's and Longhorn's charts, the Ceph dashboard.
 */
import { CHART_KNOWLEDGE, CONTROLLER_KNOWLEDGE, UPSTREAM_RELEASES } from '../../lib/reconcile';
import { ClusterStorage } from '../../lib/storage/cluster-storage';
import { addSnapshotClass, addStorageClass } from '../../lib/storage/storage-class';
import { StoragePlatform } from '../../lib/storage/storage-platform';
import { thrownBy } from '../support/errors';
import { testCluster } from '../support/fleet';

describe('storage knowledge', () => {
  test('the upstream releases the storage constructs apply are known', () => {
    const known = UPSTREAM_RELEASES.map((u) => `${u.url} ${u.path}`);
    expect(known).toEqual(
      expect.arrayContaining([
        'https://github.com/kubernetes-csi/external-snapshotter ./client/config/crd',
        'https://github.com/kubernetes-csi/external-snapshotter ./deploy/kubernetes/snapshot-controller',
        'https://github.com/kubernetes-sigs/gcp-compute-persistent-disk-csi-driver ./deploy/kubernetes/overlays/stable-master',
      ]),
    );
    const pd = UPSTREAM_RELEASES.find((u) => u.path === './deploy/kubernetes/overlays/stable-master')!;
    expect(pd.references.map((r) => `${r.namespace}/${r.name}`)).toEqual(['gce-pd-csi-driver/cloud-sa']);
  });

  test('a CephCluster with the dashboard on provides its Service and the CSI Secrets once Ready', () => {
    const k = CONTROLLER_KNOWLEDGE.find((c) => c.id === 'rook/CephCluster')!;
    const o = { apiVersion: 'ceph.rook.io/v1', kind: 'CephCluster', metadata: { name: 'rook-ceph', namespace: 'rook-ceph' }, spec: { dashboard: { enabled: true } } };
    const names = k.providesOnceReady!(o, undefined as never).map((t) => `${t.kind}/${t.name}`);
    expect(names).toContain('Service/rook-ceph-mgr-dashboard');
    expect(names).toContain('Secret/rook-csi-rbd-provisioner');
    const off = k.providesOnceReady!({ ...o, spec: { dashboard: { enabled: false } } }, undefined as never).map((t) => t.name);
    expect(off).not.toContain('rook-ceph-mgr-dashboard');
  });

  test('the Azure Disk chart names its cloud-config Secret; Longhorn provides its UI Service', () => {
    const azure = CHART_KNOWLEDGE.find((c) => c.chart === 'azuredisk-csi-driver')!;
    expect(azure.references!({ controller: { cloudConfigSecretName: 'azure-cloud-provider', cloudConfigSecretNamespace: 'kube-system' } }, 'kube-system')).toEqual([
      { group: '', kind: 'Secret', name: 'azure-cloud-provider', namespace: 'kube-system', field: 'values controller.cloudConfigSecretName' },
    ]);
    const longhorn = CHART_KNOWLEDGE.find((c) => c.chart === 'longhorn')!;
    expect(longhorn.objects!({}, { metadata: { name: 'longhorn', namespace: 'longhorn-system' }, spec: {} }, undefined as never)).toEqual([
      { group: '', kind: 'Service', name: 'longhorn-frontend', namespace: 'longhorn-system' },
    ]);
  });

  test('ClusterStorage on AWS replays cleanly', () => {
    const { fleet, cluster } = testCluster('aws');
    new ClusterStorage(cluster, 'Storage', { platform: StoragePlatform.aws('eu-central-1') });
    expect(() => fleet.checkReconcile()).not.toThrow();
  });

  test('fails the replay for a VolumeSnapshotClass on a cluster without the snapshot CRDs', () => {
    // GIVEN a snapshot class but no SnapshotCrds
    const { fleet, cluster } = testCluster('nocrds');
    addStorageClass(cluster.configs, 'Default', { name: 'default', provisioner: 'ebs.csi.aws.com', isDefault: true });
    addSnapshotClass(cluster.configs, 'Snap', { name: 'ebs-snapshots', driver: 'ebs.csi.aws.com' });
    // WHEN
    const err = thrownBy(() => fleet.checkReconcile());
    // THEN the kind is not served when the configs layer applies it
    expect(err.problems.map((p) => p.code)).toContain('RECONCILE_CRD_MISSING');
    expect(err.message).toContain('VolumeSnapshotClass');
  });

  test('a StorageClass names the CSI Secrets of its parameters (eventual references); templated names are skipped', () => {
    const k = CONTROLLER_KNOWLEDGE.find((c) => c.id === 'storage/StorageClass')!;
    const refs = k.references!(
      {
        kind: 'StorageClass',
        metadata: { name: 'default' },
        parameters: {
          'csi.storage.k8s.io/provisioner-secret-name': 'rook-csi-rbd-provisioner',
          'csi.storage.k8s.io/provisioner-secret-namespace': 'rook-ceph',
          'csi.storage.k8s.io/node-stage-secret-name': '${pvc.name}',
          'csi.storage.k8s.io/node-stage-secret-namespace': '${pvc.namespace}',
        },
      },
      undefined as never,
    );
    expect(refs).toEqual([{ group: '', kind: 'Secret', name: 'rook-csi-rbd-provisioner', namespace: 'rook-ceph', field: 'parameters.csi.storage.k8s.io/provisioner-secret-name', eventual: true }]);
  });

  test('fails the replay for a StorageClass naming a CSI Secret nothing provides', () => {
    // GIVEN a default class whose provisioner Secret no object, controller or input provides
    const { fleet, cluster } = testCluster('nosecret');
    addStorageClass(cluster.configs, 'Default', {
      name: 'default',
      provisioner: 'rook-ceph.rbd.csi.ceph.com',
      isDefault: true,
      parameters: { 'csi.storage.k8s.io/provisioner-secret-name': 'missing', 'csi.storage.k8s.io/provisioner-secret-namespace': 'kube-system' },
    });
    // WHEN
    const err = thrownBy(() => fleet.checkReconcile());
    // THEN
    expect(err.problems.map((p) => p.code)).toContain('RECONCILE_UNRESOLVED_REFERENCE');
    expect(err.message).toContain('missing');
  });
});
