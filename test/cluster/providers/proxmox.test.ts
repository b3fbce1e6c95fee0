import { Cidr, ClusterProvider, Distribution, InfrastructureInputs, MachineSize, SecretReference, TalosClusterClass, TalosClusterProps } from '../../../lib/cluster';
import { ErrorCode } from '../../../lib/core/errors';
import { thrownBy } from '../../support/errors';
import { build, byKind, providerObjects } from './_build';

type ProxmoxProps = Parameters<typeof InfrastructureInputs.proxmox>[0];

function props(inputs: Partial<ProxmoxProps> = {}, over: Partial<TalosClusterProps> = {}): TalosClusterProps {
  return {
    name: 'lab',
    clusterClass: TalosClusterClass.dev(ClusterProvider.PROXMOX),
    network: { nodes: Cidr.of('192.168.10.0/24') },
    infrastructure: InfrastructureInputs.proxmox({
      nodes: ['pve1', 'pve2'],
      templateId: 9000,
      controlPlaneEndpoint: '192.168.10.10',
      nodeAddresses: ['192.168.10.100-192.168.10.120', '192.168.10.200'],
      gateway: '192.168.10.1',
      dnsServers: ['192.168.10.1'],
      credentials: SecretReference.fromSealedSecret('pve', 'lab'),
      ...inputs,
    }),
    ...over,
  };
}

const vm = (cores: number, memoryMiB: number, diskGiB: number) => MachineSize.virtual({ cores, memoryMiB, diskGiB });

describe('Proxmox provider strategy (CAPMOX)', () => {
  // GIVEN a dev Proxmox cluster with a secondary storage network on VLAN 20
  const { manifests } = build(props({ secondaryNetwork: { bridge: 'vmbr1', vlan: 20, addresses: ['10.20.0.10-10.20.0.50'], prefix: 24 } }));

  test('matches the snapshot', () => {
    // THEN
    expect(providerObjects(manifests)).toMatchSnapshot();
  });

  test('ProxmoxCluster: VIP endpoint, IPv4 pool with the node prefix, allowed nodes, credentials by reference', () => {
    // GIVEN
    const [c] = byKind(manifests, 'ProxmoxCluster');
    // THEN
    expect(c.spec).toEqual({
      controlPlaneEndpoint: { host: '192.168.10.10', port: 6443 },
      dnsServers: ['192.168.10.1'],
      ipv4Config: { addresses: ['192.168.10.100-192.168.10.120', '192.168.10.200'], prefix: 24, gateway: '192.168.10.1' },
      allowedNodes: ['pve1', 'pve2'],
      credentialsRef: { name: 'pve', namespace: 'lab' },
    });
  });

  test('the VIP is announced by Talos on ens18 (Layer2VIPConfig on control-plane nodes)', () => {
    // GIVEN
    const [tcp] = byKind(manifests, 'TalosControlPlane');
    // THEN
    expect(tcp.spec.controlPlaneConfig.controlplane.strategicPatches).toContain('apiVersion: v1alpha1\nkind: Layer2VIPConfig\nname: 192.168.10.10\nlink: ens18\n');
  });

  test('machine templates: full clone of the template on the first node, dev VM shape, no cloud-init wait', () => {
    // GIVEN
    const [t] = byKind(manifests, 'ProxmoxMachineTemplate');
    // THEN
    expect(t.spec.template.spec).toMatchObject({
      sourceNode: 'pve1',
      templateID: 9000,
      full: true,
      numSockets: 1,
      numCores: 2,
      memoryMiB: 4096,
      disks: { bootVolume: { disk: 'scsi0', sizeGb: 40 } },
      checks: { skipCloudInitStatus: true },
      metadataSettings: { providerIDInjection: true },
    });
  });

  test('the secondary network: an InClusterIPPool referenced by net1 on VLAN 20 of every template', () => {
    // GIVEN
    const [pool] = byKind(manifests, 'InClusterIPPool');
    // THEN
    expect(pool.metadata).toMatchObject({ name: 'lab-secondary', namespace: 'lab' });
    expect(pool.spec).toEqual({ addresses: ['10.20.0.10-10.20.0.50'], prefix: 24 });
    const templates = byKind(manifests, 'ProxmoxMachineTemplate');
    expect(templates).toHaveLength(2);
    for (const t of templates) {
      expect(t.spec.template.spec.network.networkDevices).toEqual([
        { name: 'net0', bridge: 'vmbr0', model: 'virtio', defaultIPv4: true },
        { name: 'net1', bridge: 'vmbr1', model: 'virtio', vlan: 20, ipPoolRef: [{ apiGroup: 'ipam.cluster.x-k8s.io', kind: 'InClusterIPPool', name: 'lab-secondary' }] },
      ]);
    }
  });

  test('bridge, source node and VIP link are configurable; no secondary network means one NIC and no pool', () => {
    // GIVEN
    const m = build(props({ bridge: 'vmbr5', sourceNode: 'pve2', vipLink: 'eth0' })).manifests;
    const [t] = byKind(m, 'ProxmoxMachineTemplate');
    // THEN
    expect(t.spec.template.spec.sourceNode).toBe('pve2');
    expect(t.spec.template.spec.network.networkDevices).toEqual([{ name: 'net0', bridge: 'vmbr5', model: 'virtio', defaultIPv4: true }]);
    expect(byKind(m, 'InClusterIPPool')).toEqual([]);
    expect(byKind(m, 'TalosControlPlane')[0].spec.controlPlaneConfig.controlplane.strategicPatches).toContain('apiVersion: v1alpha1\nkind: Layer2VIPConfig\nname: 192.168.10.10\nlink: eth0\n');
  });

  test('prod VM shapes: 4/8192/50 control plane, 8/16384/100 workers', () => {
    // GIVEN
    const m = build(props({}, { clusterClass: TalosClusterClass.prod(ClusterProvider.PROXMOX) })).manifests;
    const shapes = byKind(m, 'ProxmoxMachineTemplate').map((t) => [t.metadata.name.replace(/-[0-9a-f]{8}$/, ''), t.spec.template.spec.numCores, t.spec.template.spec.memoryMiB, t.spec.template.spec.disks.bootVolume.sizeGb]);
    // THEN
    expect(shapes.sort()).toEqual([
      ['lab-control-plane', 4, 8192, 50],
      ['lab-workers', 8, 16384, 100],
    ]);
  });

  test('with a ClusterClass: a ProxmoxClusterTemplate and no nodeCidr variable (no single-CIDR field)', () => {
    // GIVEN
    const m = build(props({}, { distribution: Distribution.rke2({ clusterClass: true }) })).manifests;
    // THEN
    expect(byKind(m, 'ProxmoxClusterTemplate')[0].spec.template.spec.controlPlaneEndpoint).toEqual({ host: '192.168.10.10', port: 6443 });
    expect(JSON.stringify(byKind(m, 'ClusterClass')[0].spec)).not.toContain('nodeCidr');
  });
});

describe('Proxmox provider strategy: failing inputs', () => {
  test.each<[string, Partial<ProxmoxProps>, RegExp]>([
    ['fails when the nodes are missing', { nodes: [] }, /Proxmox input "nodes" is missing/],
    ['fails when the template id is missing', { templateId: undefined as unknown as number }, /Proxmox input "templateId" undefined is missing or invalid/],
    ['fails on a template id below 100', { templateId: 99 }, /Proxmox input "templateId" 99 is missing or invalid; give the VM id \(>= 100\)/],
    ['fails when the control-plane endpoint is missing', { controlPlaneEndpoint: '' }, /Proxmox input "controlPlaneEndpoint" is missing/],
    ['fails on a control-plane endpoint that is not an IP address', { controlPlaneEndpoint: 'vip.lab' }, /Proxmox controlPlaneEndpoint "vip.lab" is not an IP address/],
    ['fails on a control-plane endpoint outside the node CIDR', { controlPlaneEndpoint: '192.168.11.10' }, /Proxmox controlPlaneEndpoint "192.168.11.10" is outside the node CIDR 192.168.10.0\/24/],
    ['fails on a gateway outside the node CIDR', { gateway: '10.0.0.1' }, /Proxmox gateway "10.0.0.1" is outside the node CIDR/],
    ['fails when the node addresses are missing', { nodeAddresses: [] }, /Proxmox input "nodeAddresses" is missing/],
    ['fails on a node address range that leaves the node CIDR', { nodeAddresses: ['192.168.10.250-192.168.11.5'] }, /Proxmox nodeAddresses entry "192.168.11.5" is outside the node CIDR/],
    ['fails when the DNS servers are missing', { dnsServers: [] }, /Proxmox input "dnsServers" is missing/],
    ['fails when the credentials are missing', { credentials: undefined as unknown as SecretReference }, /Proxmox input "credentials" is missing/],
  ])('%s', (_name, inputs, message) => {
    // GIVEN bad Proxmox inputs WHEN built THEN INVALID_PROP on the cluster path
    const err = thrownBy(() => build(props(inputs)));
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.constructPath).toBe('mgmt/apps/Workload');
    expect(err.message).toMatch(message);
  });

  test.each<[string, MachineSize, RegExp]>([
    ['fails on an instance type', MachineSize.instanceType('m6i.large'), /is a instance type m6i.large, which Proxmox cannot use/],
    ['fails on 0 cores', vm(0, 4096, 20), /worker pool "w" machine cores 0 is invalid; use 1 or more/],
    ['fails on memory below the Talos minimum', vm(2, 1024, 20), /memoryMiB 1024 is below the Talos minimum; use 2048 or more/],
    ['fails on a disk below the Talos minimum', vm(2, 4096, 5), /diskGiB 5 is below the Talos minimum; use 10 or more/],
  ])('%s', (_name, machine, message) => {
    // WHEN
    const err = thrownBy(() => build(props({}, { workers: [{ name: 'w', machine }] })));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toMatch(message);
  });
});
