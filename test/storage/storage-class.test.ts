import { ErrorCode } from '../../lib/core/errors';
import { addSnapshotClass, addStorageClass, DEFAULT_STORAGE_CLASS_ANNOTATION, ReclaimPolicy, VELERO_SNAPSHOT_CLASS_LABEL, VolumeBindingMode } from '../../lib/storage/storage-class';
import { thrownBy } from '../support/errors';
import { manifest, manifestsByFile, testCluster } from '../support/fleet';

describe('addStorageClass / addSnapshotClass', () => {
  // GIVEN one default class, one retained class and a snapshot class in the configs layer
  const { fleet, cluster } = testCluster('lab');
  addStorageClass(cluster.configs, 'Default', { name: 'default', provisioner: 'ebs.csi.aws.com', parameters: { type: 'gp3' }, isDefault: true });
  addStorageClass(cluster.configs, 'Gold', { name: 'gold', provisioner: 'ebs.csi.aws.com', reclaimPolicy: ReclaimPolicy.RETAIN, volumeBindingMode: VolumeBindingMode.IMMEDIATE });
  addSnapshotClass(cluster.configs, 'Snap', { name: 'ebs-snapshots', driver: 'ebs.csi.aws.com' });

  test('matches the snapshot', () => {
    expect(manifestsByFile(fleet)).toMatchSnapshot();
  });

  test('the default carries the default-class annotation; the others say false', () => {
    // THEN
    expect(manifest(fleet, 'lab/configs/storageclass-default.yaml').metadata.annotations[DEFAULT_STORAGE_CLASS_ANNOTATION]).toBe('true');
    const gold = manifest(fleet, 'lab/configs/storageclass-gold.yaml');
    expect(gold.metadata.annotations[DEFAULT_STORAGE_CLASS_ANNOTATION]).toBe('false');
    expect(gold).toMatchObject({ reclaimPolicy: 'Retain', volumeBindingMode: 'Immediate', allowVolumeExpansion: true });
  });

  test('the snapshot class is labelled for Velero and deletes its contents', () => {
    const vsc = manifest(fleet, 'lab/configs/volumesnapshotclass-ebs-snapshots.yaml');
    expect(vsc.metadata.labels).toEqual({ [VELERO_SNAPSHOT_CLASS_LABEL]: 'true' });
    expect(vsc).toMatchObject({ apiVersion: 'snapshot.storage.k8s.io/v1', driver: 'ebs.csi.aws.com', deletionPolicy: 'Delete' });
  });

  test('fails at synth with two default StorageClasses in one cluster', () => {
    // GIVEN a second default class
    const { fleet: f, cluster: c } = testCluster('two');
    addStorageClass(c.configs, 'A', { name: 'fast', provisioner: 'ebs.csi.aws.com', isDefault: true });
    addStorageClass(c.configs, 'B', { name: 'slow', provisioner: 'ebs.csi.aws.com', isDefault: true });
    // WHEN
    const err = thrownBy(() => f.manifests());
    // THEN both are named, with the stable code
    expect(err.problems.map((p) => p.code)).toContain(ErrorCode.DEFAULT_STORAGE_CLASS);
    expect(err.message).toContain('has 2 default StorageClasses ("fast" at two/configs/A, "slow" at two/configs/B)');
  });

  test('fails at synth when classes exist but none is the default', () => {
    const { fleet: f, cluster: c } = testCluster('none');
    addStorageClass(c.configs, 'A', { name: 'fast', provisioner: 'ebs.csi.aws.com' });
    const err = thrownBy(() => f.manifests());
    expect(err.problems.map((p) => p.code)).toContain(ErrorCode.DEFAULT_STORAGE_CLASS);
    expect(err.message).toContain('has no default StorageClass');
  });

  test('fails for a class name that is no DNS subdomain', () => {
    const { cluster: c } = testCluster('bad');
    const err = thrownBy(() => addStorageClass(c.configs, 'A', { name: 'Fast_1', provisioner: 'x' }));
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.constructPath).toBe('bad/configs');
  });
});
