import { AzureIdentity, ClassVariant, ClusterProvider, InfrastructureInputs, MachineSize, NodeRole, SecretReference } from '../../../lib/cluster';

// GIVEN one InfrastructureInputs per provider factory
const inputs: Record<string, InfrastructureInputs> = {
  aws: InfrastructureInputs.aws({ region: 'eu-central-1', amiId: 'ami-0123456789abcdef0' }),
  azure: InfrastructureInputs.azure({ location: 'westeurope', subscriptionId: 's', imageId: 'i', identity: AzureIdentity.workloadIdentity({ clientId: 'c', tenantId: 't' }) }),
  gcp: InfrastructureInputs.gcp({ project: 'p', region: 'europe-west4', image: 'img', credentials: SecretReference.fromExternalSecret('g', 'x') }),
  proxmox: InfrastructureInputs.proxmox({
    nodes: ['pve1'],
    templateId: 9000,
    controlPlaneEndpoint: '192.168.10.10',
    nodeAddresses: ['192.168.10.100-192.168.10.120'],
    gateway: '192.168.10.1',
    dnsServers: ['192.168.10.1'],
    credentials: SecretReference.fromSealedSecret('pve', 'lab'),
  }),
  metal3: InfrastructureInputs.metal3({
    hosts: [{ name: 'h1', role: NodeRole.CONTROL_PLANE, bmcAddress: 'ipmi://10.0.0.1', bootMacAddress: '52:54:00:00:00:01', bmcCredentials: SecretReference.fromSealedSecret('b', 'edge') }],
    image: { url: 'u', checksum: 'c' },
    controlPlaneEndpoint: '192.168.30.10',
    vipLink: 'eno1',
  }),
};

describe('InfrastructureInputs', () => {
  test('each factory is for its provider, with the 63-character name limit', () => {
    // THEN
    expect(Object.entries(inputs).map(([name, i]) => [name, i.provider, i._maxClusterNameLength])).toEqual([
      ['aws', ClusterProvider.AWS, 63],
      ['azure', ClusterProvider.AZURE, 63],
      ['gcp', ClusterProvider.GCP, 63],
      ['proxmox', ClusterProvider.PROXMOX, 63],
      ['metal3', ClusterProvider.METAL3, 63],
    ]);
  });

  test('default machine sizes of the dev variant, per provider', () => {
    // WHEN the dev worker size is asked for
    const sizes = Object.values(inputs).map((i) => i._defaultMachine(ClassVariant.DEV, NodeRole.WORKER).toString());
    // THEN each provider answers with its own kind
    expect(sizes).toEqual([
      'instance type m6i.large',
      'instance type Standard_D2s_v5',
      'instance type e2-standard-4',
      'VM 2 cores/4096 MiB/40 GiB',
      'bare-metal hosts {"infraflux.io/host-role":"worker"}',
    ]);
  });

  test('node-CIDR template paths: one string field on AWS and GCP, none elsewhere', () => {
    // THEN
    expect(Object.values(inputs).map((i) => i._nodeCidrTemplatePaths())).toEqual([
      ['/spec/template/spec/network/vpc/cidrBlock'],
      [],
      ['/spec/template/spec/network/subnets/0/cidrBlock'],
      [],
      [],
    ]);
  });

  test('secret producers: the construct behind each credentials reference', () => {
    // GIVEN a producer construct for the Proxmox credentials
    const producer = { node: { path: 'mgmt/configs/SealedPve' } } as never;
    const withProducer = InfrastructureInputs.proxmox({
      nodes: ['pve1'],
      templateId: 9000,
      controlPlaneEndpoint: '192.168.10.10',
      nodeAddresses: ['192.168.10.100'],
      gateway: '192.168.10.1',
      dnsServers: ['192.168.10.1'],
      credentials: SecretReference.fromSealedSecret('pve', 'lab', producer),
    });
    // THEN it is waited for; references without a producer add nothing
    expect(withProducer._secretProducers()).toEqual([producer]);
    expect(inputs.aws._secretProducers()).toEqual([]);
    expect(inputs.proxmox._secretProducers()).toEqual([]);
  });

  test('machine-kind checks delegate to the provider', () => {
    // GIVEN
    const owner = { node: { path: 'x' } } as never;
    // THEN
    expect(() => inputs.aws._checkMachine(owner, 'pool', MachineSize.instanceType('m6i.large'))).not.toThrow();
    expect(() => inputs.aws._checkMachine(owner, 'pool', MachineSize.bareMetal({}))).toThrow(/which AWS cannot use/);
  });
});
