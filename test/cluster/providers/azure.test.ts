import { AzureIdentity, Cidr, ClusterProvider, Distribution, InfrastructureInputs, MachineSize, SecretReference, TalosClusterClass, TalosClusterProps } from '../../../lib/cluster';
import { ErrorCode } from '../../../lib/core/errors';
import { thrownBy } from '../../support/errors';
import { build, byKind, providerObjects } from './_build';

type AzureProps = Parameters<typeof InfrastructureInputs.azure>[0];
const workload = AzureIdentity.workloadIdentity({ clientId: 'client-1', tenantId: 'tenant-1' });

function props(inputs: Partial<AzureProps> = {}, over: Partial<TalosClusterProps> = {}): TalosClusterProps {
  return {
    name: 'az',
    clusterClass: TalosClusterClass.dev(ClusterProvider.AZURE),
    network: { nodes: Cidr.of('10.34.0.0/16') },
    infrastructure: InfrastructureInputs.azure({ location: 'westeurope', subscriptionId: 'sub-1', imageId: '/images/talos', identity: workload, ...inputs }),
    ...over,
  };
}

describe('Azure provider strategy (CAPZ)', () => {
  // GIVEN a dev Azure cluster with workload identity
  const { manifests } = build(props());

  test('matches the snapshot', () => {
    // THEN
    expect(providerObjects(manifests)).toMatchSnapshot();
  });

  test('workload identity: an AzureClusterIdentity without a client secret, for the cluster namespace only', () => {
    // GIVEN
    const [id] = byKind(manifests, 'AzureClusterIdentity');
    // THEN
    expect(id.metadata).toMatchObject({ name: 'az-identity', namespace: 'az' });
    expect(id.spec).toEqual({ type: 'WorkloadIdentity', clientID: 'client-1', tenantID: 'tenant-1', allowedNamespaces: { list: ['az'] } });
  });

  test('AzureCluster: resource group = cluster name, vnet = node CIDR, split into control-plane and node halves', () => {
    // GIVEN
    const [c] = byKind(manifests, 'AzureCluster');
    // THEN
    expect(c.spec).toMatchObject({ location: 'westeurope', subscriptionID: 'sub-1', resourceGroup: 'az' });
    expect(c.spec.identityRef).toEqual({ apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'AzureClusterIdentity', name: 'az-identity', namespace: 'az' });
    expect(c.spec.networkSpec.vnet).toEqual({ name: 'az-vnet', cidrBlocks: ['10.34.0.0/16'] });
    expect(c.spec.networkSpec.subnets).toEqual([
      { name: 'az-control-plane', role: 'control-plane', cidrBlocks: ['10.34.0.0/17'] },
      { name: 'az-node', role: 'node', cidrBlocks: ['10.34.128.0/17'] },
    ]);
  });

  test('machine templates: dev size, Talos image, no VM bootstrap extension', () => {
    // GIVEN
    const [t] = byKind(manifests, 'AzureMachineTemplate').filter((x) => x.metadata.name.startsWith('az-control-plane-'));
    // THEN
    expect(t.spec.template.spec).toEqual({
      vmSize: 'Standard_D2s_v5',
      image: { id: '/images/talos' },
      osDisk: { osType: 'Linux', diskSizeGB: 50, managedDisk: { storageAccountType: 'Premium_LRS' } },
      disableVMBootstrapExtension: true,
      disableExtensionOperations: true,
    });
  });

  test('prod sizes: Standard_D4s_v5 control plane, Standard_D8s_v5 workers', () => {
    // GIVEN
    const m = build(props({}, { clusterClass: TalosClusterClass.prod(ClusterProvider.AZURE) })).manifests;
    const sizes = byKind(m, 'AzureMachineTemplate').map((t) => [t.metadata.name.replace(/-[0-9a-f]{8}$/, ''), t.spec.template.spec.vmSize]);
    // THEN
    expect(sizes.sort()).toEqual([
      ['az-control-plane', 'Standard_D4s_v5'],
      ['az-workers', 'Standard_D8s_v5'],
    ]);
  });

  test('a service principal references its client secret; an explicit resource group is used', () => {
    // GIVEN a service principal and a resource group
    const secret = SecretReference.fromExternalSecret('az-sp', 'az');
    const m = build(props({ identity: AzureIdentity.servicePrincipal({ clientId: 'c', tenantId: 't' }, secret), resourceGroup: 'rg-shared' })).manifests;
    // THEN
    const [id] = byKind(m, 'AzureClusterIdentity');
    expect(id.spec.type).toBe('ServicePrincipal');
    expect(id.spec.clientSecret).toEqual({ name: 'az-sp', namespace: 'az' });
    expect(byKind(m, 'AzureCluster')[0].spec.resourceGroup).toBe('rg-shared');
  });

  test('with a ClusterClass: an AzureClusterTemplate without resourceGroup and no nodeCidr variable patch', () => {
    // GIVEN
    const m = build(props({}, { distribution: Distribution.rke2({ clusterClass: true }) })).manifests;
    const [t] = byKind(m, 'AzureClusterTemplate');
    // THEN
    expect(t.spec.template.spec.resourceGroup).toBeUndefined();
    expect(t.spec.template.spec.networkSpec.subnets[1].cidrBlocks).toEqual(['10.34.128.0/17']);
    expect(JSON.stringify(byKind(m, 'ClusterClass')[0].spec)).not.toContain('nodeCidr');
  });
});

describe('Azure provider strategy: failing inputs', () => {
  test.each<[string, Partial<AzureProps>, RegExp]>([
    ['fails when the location is missing', { location: '' }, /Azure input "location" is missing/],
    ['fails when the subscription id is missing', { subscriptionId: ' ' }, /Azure input "subscriptionId" is missing/],
    ['fails when the image id is missing', { imageId: '' }, /Azure input "imageId" is missing/],
    ['fails when the identity client id is missing', { identity: AzureIdentity.workloadIdentity({ clientId: '', tenantId: 't' }) }, /Azure input "identity.clientId" is missing/],
    ['fails when the identity tenant id is missing', { identity: AzureIdentity.workloadIdentity({ clientId: 'c', tenantId: '' }) }, /Azure input "identity.tenantId" is missing/],
  ])('%s', (_name, inputs, message) => {
    // GIVEN bad Azure inputs WHEN built THEN INVALID_PROP on the cluster path
    const err = thrownBy(() => build(props(inputs)));
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.constructPath).toBe('mgmt/apps/Workload');
    expect(err.message).toMatch(message);
  });

  test('fails on a node CIDR smaller than /28', () => {
    // GIVEN a /29 node network
    const err = thrownBy(() => build(props({}, { network: { nodes: Cidr.of('10.34.0.0/29') } })));
    // THEN it cannot be split into two subnets
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toContain('Azure node CIDR 10.34.0.0/29 is too small to split into control-plane and node subnets; use /28 or larger');
  });

  test('fails on a resource group with a ClusterClass (AzureClusterTemplate has no resourceGroup)', () => {
    // WHEN
    const err = thrownBy(() => build(props({ resourceGroup: 'rg-shared' }, { distribution: Distribution.rke2({ clusterClass: true }) })));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toContain('Azure resourceGroup "rg-shared" cannot be used with a ClusterClass');
  });

  test('fails on a bare-metal machine size', () => {
    // WHEN
    const err = thrownBy(() => build(props({}, { workers: [{ name: 'w', machine: MachineSize.bareMetal({ rack: 'a' }) }] })));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toContain('worker pool "w" machine is a bare-metal hosts {"rack":"a"}, which Azure cannot use');
  });
});

describe('Azure control-plane identity for the cloud controller manager (decision 0070)', () => {
  const identity = '/subscriptions/sub-1/resourceGroups/az/providers/Microsoft.ManagedIdentity/userAssignedIdentities/az-ccm';

  test('the user-assigned identity goes on the control-plane machine template only', () => {
    // GIVEN an Azure cluster with a control-plane identity
    const { manifests } = build(props({ controlPlaneIdentity: identity }));
    // THEN the control-plane template carries it and the worker template does not
    const templates = byKind(manifests, 'AzureMachineTemplate');
    const cp = templates.find((t) => t.metadata.name.startsWith('az-control-plane'))!;
    const workers = templates.filter((t) => t !== cp);
    expect(cp.spec.template.spec).toMatchObject({ identity: 'UserAssigned', userAssignedIdentities: [{ providerID: identity }] });
    expect(workers.length).toBeGreaterThan(0);
    for (const w of workers) expect(w.spec.template.spec.identity).toBeUndefined();
  });

  test('fails on a control-plane identity that is not a user-assigned identity resource ID', () => {
    const e = thrownBy(() => build(props({ controlPlaneIdentity: 'az-ccm' })));
    expect(e.code).toBe(ErrorCode.INVALID_PROP);
    expect(e.message).toContain('userAssignedIdentities');
  });
});
