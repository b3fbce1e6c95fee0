import { ErrorCode } from '../../lib/core/errors';
import { SecretReference } from '../../lib/secrets/secret-reference';
import { ClusterStorage, DEFAULT_STORAGE_CLASS, GOLD_STORAGE_CLASS } from '../../lib/storage/cluster-storage';
import { CEPH_DASHBOARD_SERVICE, CEPH_FS_CSI_DRIVER, CEPH_RBD_CSI_DRIVER } from '../../lib/storage/drivers/rook-ceph';
import { EBS_CSI_DRIVER } from '../../lib/storage/drivers/aws-ebs';
import { StorageBackend } from '../../lib/storage/storage-backend';
import { StoragePlatform } from '../../lib/storage/storage-platform';
import { SnapshotCrds } from '../../lib/storage/snapshot-controller';
import { addStorageClass } from '../../lib/storage/storage-class';
import { thrownBy } from '../support/errors';
import { manifest, manifestsByFile, testCluster } from '../support/fleet';

const defaults = (files: ReturnType<typeof manifestsByFile>): string[] =>
  Object.values(files)
    .filter((o) => o.kind === 'StorageClass' && (o as { metadata: { annotations: Record<string, string> } }).metadata.annotations['storageclass.kubernetes.io/is-default-class'] === 'true')
    .map((o) => (o as { metadata: { name: string } }).metadata.name);

describe('ClusterStorage', () => {
  describe('on AWS', () => {
    // GIVEN an AWS cluster with the platform's default backend
    const { fleet, cluster } = testCluster('aws');
    const storage = new ClusterStorage(cluster, 'Storage', { platform: StoragePlatform.aws('eu-central-1') });
    const files = manifestsByFile(fleet);

    test('matches the snapshot', () => {
      expect(files).toMatchSnapshot();
    });

    test('runs the EBS CSI driver after the snapshot-controller, which runs after the CRDs', () => {
      // THEN
      expect(storage.backend.name).toBe('aws-ebs');
      expect(storage.drivers).toEqual([EBS_CSI_DRIVER]);
      expect(manifest(fleet, 'aws/controllers/kustomization-aws-ebs-csi-driver.yaml').spec.dependsOn).toEqual([{ name: 'snapshot-controller', namespace: 'flux-system' }]);
      expect(manifest(fleet, 'aws/crds/kustomization-snapshot-crds.yaml').spec.path).toBe('./client/config/crd');
    });

    test('exactly one default class, a gold class and one snapshot class', () => {
      expect(defaults(files)).toEqual([DEFAULT_STORAGE_CLASS]);
      expect(Object.keys(storage.storageClasses)).toEqual([DEFAULT_STORAGE_CLASS, GOLD_STORAGE_CLASS]);
      expect(manifest(fleet, 'aws/configs/storageclass-gold.yaml')).toMatchObject({ provisioner: EBS_CSI_DRIVER, reclaimPolicy: 'Retain', parameters: { type: 'io2' } });
      expect(Object.keys(storage.snapshotClasses)).toEqual([EBS_CSI_DRIVER]);
      expect(storage.ui).toBeUndefined();
    });
  });

  describe('on Proxmox', () => {
    // GIVEN a Proxmox cluster: Rook-Ceph by default
    const { fleet, cluster } = testCluster('pve');
    const storage = new ClusterStorage(cluster, 'Storage', { platform: StoragePlatform.PROXMOX });

    test('runs Rook-Ceph with block, gold and CephFS classes and a snapshot class per driver', () => {
      expect(storage.backend.name).toBe('rook-ceph');
      expect(storage.drivers).toEqual([CEPH_RBD_CSI_DRIVER, CEPH_FS_CSI_DRIVER]);
      expect(Object.keys(storage.storageClasses)).toEqual(['default', 'gold', 'ceph-filesystem']);
      expect(manifest(fleet, 'pve/configs/volumesnapshotclass-ceph-filesystem-snapshots.yaml').driver).toBe(CEPH_FS_CSI_DRIVER);
      expect(defaults(manifestsByFile(fleet))).toEqual(['default']);
    });

    test('provides the Ceph dashboard as its storage UI', () => {
      expect(storage.ui).toMatchObject(CEPH_DASHBOARD_SERVICE);
    });
  });

  test('the one override: Longhorn on Metal3', () => {
    const { fleet, cluster } = testCluster('bm');
    const storage = new ClusterStorage(cluster, 'Storage', { platform: StoragePlatform.METAL3, backend: StorageBackend.longhorn({ replicas: 2 }) });
    expect(storage.backend.name).toBe('longhorn');
    expect(manifest(fleet, 'bm/configs/storageclass-default.yaml').parameters.numberOfReplicas).toBe('2');
    expect(storage.ui?.name).toBe('longhorn-frontend');
  });

  test('imported snapshot CRDs: nothing installed in the crds layer', () => {
    const { fleet, cluster } = testCluster('imp');
    new ClusterStorage(cluster, 'Storage', { platform: StoragePlatform.aws('eu-west-1'), snapshotCrds: SnapshotCrds.fromVersion(cluster, 'Crds', 'v8.6.0') });
    expect(fleet.manifests().some((m) => m.file === 'imp/crds/kustomization-snapshot-crds.yaml')).toBe(false);
  });

  test('Rook-Ceph on a cloud with the explicit opt-in', () => {
    const { cluster } = testCluster('optin');
    const storage = new ClusterStorage(cluster, 'Storage', { platform: StoragePlatform.aws('eu-central-1'), backend: StorageBackend.rookCeph(), allowRookCephOnCloud: true });
    expect(storage.backend.name).toBe('rook-ceph');
  });

  test('fails for Rook-Ceph on a cloud cluster without the explicit opt-in', () => {
    // GIVEN an Azure cluster asked to run Rook-Ceph
    const { cluster } = testCluster('cloud');
    const cloudConfig = SecretReference.fromExternalInput('azure-cloud-provider', 'kube-system').key('cloud-config');
    // WHEN
    const err = thrownBy(() => new ClusterStorage(cluster, 'Storage', { platform: StoragePlatform.azure(cloudConfig), backend: StorageBackend.rookCeph() }));
    // THEN
    expect(err.code).toBe(ErrorCode.STORAGE_BACKEND_PLATFORM);
    expect(err.constructPath).toBe('cloud/Storage');
    expect(err.message).toContain('set allowRookCephOnCloud: true');
  });

  test('fails for a cloud CSI driver off its cloud', () => {
    const { cluster } = testCluster('pve2');
    const err = thrownBy(() => new ClusterStorage(cluster, 'Storage', { platform: StoragePlatform.PROXMOX, backend: StorageBackend.awsEbs({ region: 'eu-central-1' }) }));
    expect(err.code).toBe(ErrorCode.STORAGE_BACKEND_PLATFORM);
    expect(err.message).toContain('backend aws-ebs does not fit platform proxmox');
  });

  test('fails at synth when another default StorageClass joins the cluster', () => {
    // GIVEN ClusterStorage's default plus a hand-made default class
    const { fleet, cluster } = testCluster('dup');
    new ClusterStorage(cluster, 'Storage', { platform: StoragePlatform.aws('eu-central-1') });
    addStorageClass(cluster.configs, 'Extra', { name: 'fast', provisioner: EBS_CSI_DRIVER, isDefault: true });
    // WHEN
    const err = thrownBy(() => fleet.manifests());
    // THEN
    expect(err.problems.map((p) => p.code)).toContain(ErrorCode.DEFAULT_STORAGE_CLASS);
  });
});
