import { parse } from 'yaml';
import { ErrorCode } from '../../../lib/core/errors';
import { SecretReference } from '../../../lib/secrets/secret-reference';
import { AzureDiskCsiDriver } from '../../../lib/storage/drivers/azure-disk';
import { SnapshotController, SnapshotCrds } from '../../../lib/storage/snapshot-controller';
import { thrownBy } from '../../support/errors';
import { manifest, manifestsByFile, testCluster } from '../../support/fleet';

const setup = (name: string) => {
  const { fleet, cluster } = testCluster(name);
  const snapshotController = new SnapshotController(cluster.controllers, 'Snap', { crds: new SnapshotCrds(cluster.crds, 'Crds') });
  return { fleet, cluster, snapshotController };
};
const cloudConfig = (key = 'cloud-config') => SecretReference.fromExternalInput('azure-cloud-provider', 'kube-system').key(key);

describe('AzureDiskCsiDriver', () => {
  // GIVEN the driver reading its cloud config by reference
  const { fleet, cluster, snapshotController } = setup('az');
  const disk = new AzureDiskCsiDriver(cluster.controllers, 'Disk', { cloudConfig: cloudConfig(), snapshotController });
  const values = parse(manifest(fleet, 'az/releases/azuredisk-csi-driver/configmap-azuredisk-csi-driver-values.yaml').data['values.yaml']);

  test('matches the snapshot', () => {
    expect(manifestsByFile(fleet)).toMatchSnapshot();
  });

  test('keeps the chart\'s own snapshot CRDs and controller off; reads the Secret in kube-system', () => {
    expect(values.snapshot).toEqual({ enabled: false });
    expect(values.controller).toEqual({ cloudConfigSecretName: 'azure-cloud-provider', cloudConfigSecretNamespace: 'kube-system' });
    expect(values.node).toEqual(values.controller);
    expect(disk.node.defaultChild).toBe(disk.helmRelease);
    // the use is recorded for the provenance check
    expect(cluster.secretUses.map((u) => `${u.namespace}/${u.name}`)).toContain('kube-system/azure-cloud-provider');
  });

  test('fails for a cloud config key the driver does not read', () => {
    const s = setup('key');
    const err = thrownBy(() => new AzureDiskCsiDriver(s.cluster.controllers, 'Disk', { cloudConfig: cloudConfig('azure.json'), snapshotController: s.snapshotController }));
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.constructPath).toBe('key/controllers/Disk');
  });

  test('fails outside the controllers layer', () => {
    const s = setup('layer');
    const err = thrownBy(() => new AzureDiskCsiDriver(s.cluster.configs, 'Disk', { cloudConfig: cloudConfig(), snapshotController: s.snapshotController }));
    expect(err.code).toBe(ErrorCode.WRONG_LAYER);
  });
});
