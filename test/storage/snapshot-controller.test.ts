import { ErrorCode } from '../../lib/core/errors';
import { SNAPSHOT_CRD_NAMES, SnapshotController, SnapshotCrds } from '../../lib/storage/snapshot-controller';
import { thrownBy } from '../support/errors';
import { manifest, manifestsByFile, testCluster } from '../support/fleet';

describe('SnapshotCrds and SnapshotController', () => {
  // GIVEN the CRDs in crds and the controller in controllers
  const { fleet, cluster } = testCluster('lab');
  const crds = new SnapshotCrds(cluster.crds, 'SnapshotCrds');
  new SnapshotController(cluster.controllers, 'SnapshotController', { crds });

  test('matches the snapshot', () => {
    expect(manifestsByFile(fleet)).toMatchSnapshot();
  });

  test('the CRDs come from the pinned release tag, every CRD health-checked, never pruned', () => {
    const src = manifest(fleet, 'lab/crds/gitrepository-external-snapshotter.yaml');
    expect(src.spec).toMatchObject({ url: 'https://github.com/kubernetes-csi/external-snapshotter', ref: { tag: 'v8.6.0' } });
    const k = manifest(fleet, 'lab/crds/kustomization-snapshot-crds.yaml');
    expect(k.spec).toMatchObject({ path: './client/config/crd', prune: false });
    expect(k.spec.healthChecks.map((h: { name: string }) => h.name)).toEqual([...SNAPSHOT_CRD_NAMES]);
  });

  test('the controller runs in kube-system with the release image tag, after the crds layer', () => {
    const k = manifest(fleet, 'lab/controllers/kustomization-snapshot-controller.yaml');
    expect(k.spec).toMatchObject({
      path: './deploy/kubernetes/snapshot-controller',
      targetNamespace: 'kube-system',
      images: [{ name: 'registry.k8s.io/sig-storage/snapshot-controller', newTag: 'v8.6.0' }],
      healthChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'snapshot-controller', namespace: 'kube-system' }],
    });
    // the controllers layer starts after crds is Ready
    expect(manifest(fleet, 'lab/flux-system/kustomization-controllers.yaml').spec.dependsOn).toContainEqual({ name: 'crds', namespace: 'flux-system' });
  });

  test('imported CRDs add no dependency', () => {
    const { fleet: f, cluster: c } = testCluster('imp');
    new SnapshotController(c.controllers, 'Ctl', { crds: SnapshotCrds.fromVersion(c, 'Crds', 'v8.6.0') });
    expect(manifest(f, 'imp/controllers/kustomization-snapshot-controller.yaml').spec.dependsOn).toEqual([]);
  });

  test('fails when the CRDs are created outside the crds layer', () => {
    const { cluster: c } = testCluster('wrong');
    const err = thrownBy(() => new SnapshotCrds(c.controllers, 'Crds'));
    expect(err.code).toBe(ErrorCode.WRONG_LAYER);
    expect(err.constructPath).toBe('wrong/controllers/Crds');
  });

  test('fails when the controller is created outside the controllers layer', () => {
    const { cluster: c } = testCluster('wrong2');
    const crds2 = new SnapshotCrds(c.crds, 'Crds');
    const err = thrownBy(() => new SnapshotController(c.configs, 'Ctl', { crds: crds2 }));
    expect(err.code).toBe(ErrorCode.WRONG_LAYER);
    expect(err.constructPath).toBe('wrong2/configs/Ctl');
  });
});
