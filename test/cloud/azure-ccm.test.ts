import { Cidr } from '../../lib/core/cidr';
import { ErrorCode } from '../../lib/core/errors';
import { AZURE_CCM_IMAGE_TAG, AzureCloudControllerManager, SecretReference } from '../../lib';
import { validateFleetManifests } from '../../lib/validation';
import { thrownBy } from '../support/errors';
import { bootstrap, bootstrapFiles, file, remoteValues, setup } from './_setup';

const cloudConfig = SecretReference.fromExternalInput('azure-cloud-provider', 'kube-system', ['cloud-config']);
const resourceSet = SecretReference.fromExternalInput('prod-azure-azure-cloud-provider', 'prod-azure');
const props = { clusterName: 'prod-azure', podCidr: Cidr.of('10.32.0.0/16'), cloudConfig, cloudConfigResourceSet: resourceSet };

describe('AzureCloudControllerManager', () => {
  test('snapshot of what the management cluster installs', () => {
    const { fleet, mgmt, workload } = setup('prod-azure');
    bootstrap(mgmt, workload, new AzureCloudControllerManager(workload.controllers, 'Ccm', props));
    expect(bootstrapFiles(fleet, 'prod-azure')).toMatchSnapshot();
  });

  test('reads azure.json from the Secret, with no CIDR allocation and no routes (Cilium owns both)', () => {
    const { fleet, mgmt, workload } = setup('prod-azure');
    bootstrap(mgmt, workload, new AzureCloudControllerManager(workload.controllers, 'Ccm', props));
    const v = remoteValues(fleet, 'prod-azure', 'cloud-provider-azure');
    expect(v.infra).toEqual({ clusterName: 'prod-azure' });
    expect(v.cloudControllerManager).toMatchObject({
      cloudConfig: '',
      enableDynamicReloading: 'true',
      cloudConfigSecretName: 'azure-cloud-provider',
      allocateNodeCidrs: 'false',
      configureCloudRoutes: 'false',
      clusterCIDR: '10.32.0.0/16',
      imageTag: AZURE_CCM_IMAGE_TAG,
    });
    expect(v.cloudNodeManager.imageTag).toBe(AZURE_CCM_IMAGE_TAG);
    expect(v.cloudControllerManager.tolerations.map((t: { key: string }) => t.key)).toContain('node.cloudprovider.kubernetes.io/uninitialized');
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
  });

  test('the Secret comes with a ClusterResourceSet from the management cluster, and both uses are recorded', () => {
    const { fleet, mgmt, workload } = setup('prod-azure');
    bootstrap(mgmt, workload, new AzureCloudControllerManager(workload.controllers, 'Ccm', props));
    const crs = file(fleet, 'mgmt/releases/prod-azure-bootstrap/clusterresourceset-prod-azure-azure-cloud-provider.yaml');
    expect(crs.spec.resources).toEqual([{ kind: 'Secret', name: 'prod-azure-azure-cloud-provider' }]);
    expect(crs.spec.clusterSelector.matchLabels).toEqual({ 'cluster.x-k8s.io/cluster-name': 'prod-azure' });
    expect(workload.secretUses.map((u) => `${u.namespace}/${u.name}`)).toEqual(['kube-system/azure-cloud-provider']);
    expect(mgmt.secretUses.map((u) => `${u.namespace}/${u.name}`)).toContain('prod-azure/prod-azure-azure-cloud-provider');
  });

  test('fails when the resource-set Secret is not in the Cluster\'s namespace (a ClusterResourceSet reads its own namespace)', () => {
    const { mgmt, workload } = setup('prod-azure');
    const ccm = new AzureCloudControllerManager(workload.controllers, 'Ccm', { ...props, cloudConfigResourceSet: SecretReference.fromExternalInput('prod-azure-azure-cloud-provider', 'default') });
    const e = thrownBy(() => bootstrap(mgmt, workload, ccm));
    expect(e.code).toBe(ErrorCode.SECRET_NAMESPACE_MISMATCH);
    expect(e.constructPath).toBe('mgmt/apps/Bootstrap-prod-azure');
  });

  test('fails on a cloud config Secret in another namespace than kube-system', () => {
    const { workload } = setup('prod-azure');
    const e = thrownBy(() => new AzureCloudControllerManager(workload.controllers, 'Ccm', { ...props, cloudConfig: SecretReference.fromExternalInput('azure-cloud-provider', 'default') }));
    expect(e.code).toBe(ErrorCode.SECRET_NAMESPACE_MISMATCH);
  });

  test('fails on a cloud config Secret with another name (the chart cannot pass the namespace or key)', () => {
    const { workload } = setup('prod-azure');
    const e = thrownBy(() => new AzureCloudControllerManager(workload.controllers, 'Ccm', { ...props, cloudConfig: SecretReference.fromExternalInput('azure-json', 'kube-system') }));
    expect(e.code).toBe(ErrorCode.INVALID_PROP);
    expect(e.message).toContain('azure-cloud-provider');
  });

  test('fails on a cloud config Secret without the cloud-config key', () => {
    const { workload } = setup('prod-azure');
    const e = thrownBy(() => new AzureCloudControllerManager(workload.controllers, 'Ccm', { ...props, cloudConfig: SecretReference.fromExternalInput('azure-cloud-provider', 'kube-system', ['azure.json']) }));
    expect(e.code).toBe(ErrorCode.SECRET_KEY_UNKNOWN);
  });

  test('fails on replicas 0', () => {
    const { workload } = setup('prod-azure');
    const e = thrownBy(() => new AzureCloudControllerManager(workload.controllers, 'Ccm', { ...props, replicas: 0 }));
    expect(e.code).toBe(ErrorCode.INVALID_PROP);
    expect(e.constructPath).toBe('prod-azure/controllers/Ccm');
  });
});
