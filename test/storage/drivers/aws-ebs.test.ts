import { parse } from 'yaml';
import { ErrorCode } from '../../../lib/core/errors';
import { AwsEbsCsiDriver } from '../../../lib/storage/drivers/aws-ebs';
import { SnapshotController, SnapshotCrds } from '../../../lib/storage/snapshot-controller';
import { thrownBy } from '../../support/errors';
import { manifest, manifestsByFile, testCluster } from '../../support/fleet';

const setup = (name: string) => {
  const { fleet, cluster } = testCluster(name);
  const snapshotController = new SnapshotController(cluster.controllers, 'Snap', { crds: new SnapshotCrds(cluster.crds, 'Crds') });
  return { fleet, cluster, snapshotController };
};

describe('AwsEbsCsiDriver', () => {
  // GIVEN the driver in the controllers layer
  const { fleet, cluster, snapshotController } = setup('aws');
  const ebs = new AwsEbsCsiDriver(cluster.controllers, 'Ebs', { region: 'eu-central-1', snapshotController });
  const values = parse(manifest(fleet, 'aws/releases/aws-ebs-csi-driver/configmap-aws-ebs-csi-driver-values.yaml').data['values.yaml']);

  test('matches the snapshot', () => {
    expect(manifestsByFile(fleet)).toMatchSnapshot();
  });

  test('kube-system, region set, snapshotter forced on, chart classes off', () => {
    expect(ebs.namespace).toBe('kube-system');
    expect(values).toEqual({
      controller: { region: 'eu-central-1', replicaCount: 2 },
      sidecars: { snapshotter: { forceEnable: true } },
      storageClasses: [],
      volumeSnapshotClasses: [],
      defaultStorageClass: { enabled: false },
    });
    expect(ebs.node.defaultChild).toBe(ebs.helmRelease);
    expect(manifest(fleet, 'aws/controllers/kustomization-aws-ebs-csi-driver.yaml').spec.dependsOn).toEqual([{ name: 'snapshot-controller', namespace: 'flux-system' }]);
    // kube-system is never created (or pruned) by the app
    expect(fleet.manifests().some((m) => m.file === 'aws/controllers/namespace-kube-system.yaml')).toBe(false);
  });

  test('fails for a region that is not an AWS region', () => {
    const s = setup('bad');
    const err = thrownBy(() => new AwsEbsCsiDriver(s.cluster.controllers, 'Ebs', { region: 'Frankfurt', snapshotController: s.snapshotController }));
    expect(err.code).toBe(ErrorCode.INVALID_CLOUD_IDENTIFIER);
    expect(err.constructPath).toBe('bad/controllers/Ebs');
  });

  test('fails for 0 controller replicas', () => {
    const s = setup('zero');
    const err = thrownBy(() => new AwsEbsCsiDriver(s.cluster.controllers, 'Ebs', { region: 'eu-central-1', replicas: 0, snapshotController: s.snapshotController }));
    expect(err.code).toBe(ErrorCode.INVALID_NODE_COUNT);
  });

  test('fails outside the controllers layer', () => {
    const s = setup('layer');
    const err = thrownBy(() => new AwsEbsCsiDriver(s.cluster.apps, 'Ebs', { region: 'eu-central-1', snapshotController: s.snapshotController }));
    expect(err.code).toBe(ErrorCode.WRONG_LAYER);
  });
});
