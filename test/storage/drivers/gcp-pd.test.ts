import { ErrorCode } from '../../../lib/core/errors';
import { SecretReference } from '../../../lib/secrets/secret-reference';
import { GCE_PD_NAMESPACE, GcpPdCsiDriver } from '../../../lib/storage/drivers/gcp-pd';
import { SnapshotController, SnapshotCrds } from '../../../lib/storage/snapshot-controller';
import { thrownBy } from '../../support/errors';
import { manifest, manifestsByFile, testCluster } from '../../support/fleet';

const setup = (name: string) => {
  const { fleet, cluster } = testCluster(name);
  const snapshotController = new SnapshotController(cluster.controllers, 'Snap', { crds: new SnapshotCrds(cluster.crds, 'Crds') });
  return { fleet, cluster, snapshotController };
};
const key = (name = 'cloud-sa') => SecretReference.fromExternalInput(name, GCE_PD_NAMESPACE).key('cloud-sa.json');

describe('GcpPdCsiDriver', () => {
  // GIVEN the driver from the upstream kustomize overlay
  const { fleet, cluster, snapshotController } = setup('gcp');
  new GcpPdCsiDriver(cluster.controllers, 'Pd', { serviceAccountKey: key(), snapshotController });
  const k = manifest(fleet, 'gcp/controllers/kustomization-gcp-pd-csi-driver.yaml');

  test('matches the snapshot', () => {
    expect(manifestsByFile(fleet)).toMatchSnapshot();
  });

  test('the stable-master overlay of the pinned tag, with the release image and a privileged namespace', () => {
    expect(manifest(fleet, 'gcp/controllers/gitrepository-gcp-compute-persistent-disk-csi-driver.yaml').spec.ref).toEqual({ tag: 'v1.26.4' });
    expect(k.spec.path).toBe('./deploy/kubernetes/overlays/stable-master');
    expect(k.spec.images).toEqual([{ name: 'registry.k8s.io/cloud-provider-gcp/gcp-compute-persistent-disk-csi-driver', newTag: 'v1.26.4' }]);
    expect(k.spec.patches[0].target).toEqual({ kind: 'Namespace', name: GCE_PD_NAMESPACE });
    expect(k.spec.patches[0].patch).toContain('pod-security.kubernetes.io/enforce: privileged');
    expect(k.spec.dependsOn).toEqual([{ name: 'snapshot-controller', namespace: 'flux-system' }]);
  });

  test('fails for a Secret name the overlay does not mount', () => {
    const s = setup('bad');
    const err = thrownBy(() => new GcpPdCsiDriver(s.cluster.controllers, 'Pd', { serviceAccountKey: key('gcp-key'), snapshotController: s.snapshotController }));
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.constructPath).toBe('bad/controllers/Pd');
  });

  test('fails outside the controllers layer', () => {
    const s = setup('layer');
    const err = thrownBy(() => new GcpPdCsiDriver(s.cluster.apps, 'Pd', { serviceAccountKey: key(), snapshotController: s.snapshotController }));
    expect(err.code).toBe(ErrorCode.WRONG_LAYER);
  });
});
