import { Cidr, ClusterProvider, Distribution, HOST_ROLE_LABEL, InfrastructureInputs, MachineSize, NodeRole, SecretReference, TalosClusterClass, TalosClusterProps } from '../../../lib/cluster';
import { ErrorCode } from '../../../lib/core/errors';
import { thrownBy } from '../../support/errors';
import { build, byKind, providerObjects } from './_build';

type Metal3Props = Parameters<typeof InfrastructureInputs.metal3>[0];
type HostProps = Metal3Props['hosts'][number];

const host = (name: string, role: NodeRole, mac: string, over: Partial<HostProps> = {}): HostProps => ({
  name,
  role,
  bmcAddress: `redfish-virtualmedia://10.0.0.${mac.slice(-2)}/redfish/v1/Systems/1`,
  bootMacAddress: mac,
  bmcCredentials: SecretReference.fromSealedSecret(`${name}-bmc`, 'edge'),
  ...over,
});

const twoHosts = [host('cp1', NodeRole.CONTROL_PLANE, '52:54:00:00:00:11'), host('w1', NodeRole.WORKER, '52:54:00:00:00:21', { labels: { rack: 'r1' } })];

function props(inputs: Partial<Metal3Props> = {}, over: Partial<TalosClusterProps> = {}): TalosClusterProps {
  return {
    name: 'edge',
    clusterClass: TalosClusterClass.dev(ClusterProvider.METAL3),
    network: { nodes: Cidr.of('192.168.30.0/24') },
    infrastructure: InfrastructureInputs.metal3({
      hosts: twoHosts,
      image: { url: 'https://example.com/metal.raw', checksum: 'https://example.com/metal.raw.sha256' },
      controlPlaneEndpoint: '192.168.30.10',
      vipLink: 'eno1',
      ...inputs,
    }),
    ...over,
  };
}

describe('Metal3 provider strategy (CAPM3 + Baremetal Operator)', () => {
  // GIVEN a dev bare-metal cluster with one control-plane and one worker host
  const { manifests } = build(props());

  test('matches the snapshot', () => {
    // THEN
    expect(providerObjects(manifests)).toMatchSnapshot();
  });

  test('one BareMetalHost per inventory host, labelled with its role, BMC secret by name, UEFI, metadata cleaning', () => {
    // GIVEN
    const hosts = byKind(manifests, 'BareMetalHost');
    // THEN
    expect(hosts.map((h) => h.metadata.name)).toEqual(['cp1', 'w1']);
    const [cp, w] = hosts;
    expect(cp.metadata.labels[HOST_ROLE_LABEL]).toBe('control-plane');
    expect(w.metadata.labels).toMatchObject({ [HOST_ROLE_LABEL]: 'worker', rack: 'r1' });
    expect(cp.spec).toEqual({
      online: true,
      bootMACAddress: '52:54:00:00:00:11',
      bootMode: 'UEFI',
      automatedCleaningMode: 'metadata',
      bmc: { address: 'redfish-virtualmedia://10.0.0.11/redfish/v1/Systems/1', credentialsName: 'cp1-bmc' },
    });
  });

  test('Metal3Cluster: the VIP endpoint, no cloud provider; VIP announced by Talos on the given link', () => {
    // THEN
    expect(byKind(manifests, 'Metal3Cluster')[0].spec).toEqual({ controlPlaneEndpoint: { host: '192.168.30.10', port: 6443 }, cloudProviderEnabled: false });
    expect(byKind(manifests, 'TalosControlPlane')[0].spec.controlPlaneConfig.controlplane.strategicPatches).toContain('apiVersion: v1alpha1\nkind: Layer2VIPConfig\nname: 192.168.30.10\nlink: eno1\n');
  });

  test('machine templates select hosts by role and share one data template per role', () => {
    // GIVEN
    const templates = byKind(manifests, 'Metal3MachineTemplate');
    // THEN
    expect(templates.map((t) => t.spec.template.spec.hostSelector.matchLabels).sort((a, b) => a[HOST_ROLE_LABEL].localeCompare(b[HOST_ROLE_LABEL]))).toEqual([
      { [HOST_ROLE_LABEL]: 'control-plane' },
      { [HOST_ROLE_LABEL]: 'worker' },
    ]);
    for (const t of templates) {
      expect(t.spec.template.spec.image).toEqual({ url: 'https://example.com/metal.raw', checksum: 'https://example.com/metal.raw.sha256', checksumType: 'sha256', format: 'raw' });
      expect(t.spec.template.spec.automatedCleaningMode).toBe('metadata');
    }
    const data = byKind(manifests, 'Metal3DataTemplate');
    expect(data.map((d) => d.metadata.name).sort()).toEqual(['edge-control-plane', 'edge-worker']);
    expect(data[0].spec.metaData).toEqual({ objectNames: [{ key: 'local-hostname', object: 'machine' }] });
  });

  test('two worker pools share the worker data template', () => {
    // GIVEN
    const hosts = [...twoHosts, host('w2', NodeRole.WORKER, '52:54:00:00:00:22')];
    // WHEN
    const m = build(props({ hosts }, { workers: [{ name: 'a', replicas: 1 }, { name: 'b', replicas: 1 }] })).manifests;
    // THEN
    expect(byKind(m, 'Metal3DataTemplate').map((d) => d.metadata.name).sort()).toEqual(['edge-control-plane', 'edge-worker']);
    expect(byKind(m, 'Metal3MachineTemplate')).toHaveLength(3);
  });

  test('with a ClusterClass: a Metal3ClusterTemplate', () => {
    // GIVEN
    const m = build(props({}, { distribution: Distribution.rke2({ clusterClass: true }) })).manifests;
    // THEN
    expect(byKind(m, 'Metal3ClusterTemplate')[0].spec.template.spec.controlPlaneEndpoint).toEqual({ host: '192.168.30.10', port: 6443 });
  });
});

describe('Metal3 provider strategy: failing inputs', () => {
  test.each<[string, Partial<Metal3Props>, RegExp]>([
    ['fails when the host inventory is empty', { hosts: [] }, /Metal3 input "hosts" is missing/],
    ['fails when the inventory lacks control-plane hosts', { hosts: [twoHosts[1]] }, /Metal3 inventory has 0 control-plane host\(s\) but the cluster needs 1/],
    ['fails when the inventory lacks worker hosts', { hosts: [twoHosts[0]] }, /Metal3 inventory has 0 worker host\(s\) but the worker pools need 1/],
    ['fails on a host name used twice', { hosts: [...twoHosts, host('w1', NodeRole.WORKER, '52:54:00:00:00:23')] }, /Metal3 host name "w1" is used twice/],
    ['fails on a boot MAC that is not a MAC address', { hosts: [twoHosts[0], host('w1', NodeRole.WORKER, '52:54:00:00:00')] }, /Metal3 host "w1" bootMacAddress "52:54:00:00:00" is not a MAC address/],
    ['fails when a host has no BMC address', { hosts: [twoHosts[0], host('w1', NodeRole.WORKER, '52:54:00:00:00:21', { bmcAddress: '' })] }, /Metal3 input "hosts\[w1\].bmcAddress" is missing/],
    [
      'fails on a BMC secret outside the cluster namespace',
      { hosts: [twoHosts[0], host('w1', NodeRole.WORKER, '52:54:00:00:00:21', { bmcCredentials: SecretReference.fromSealedSecret('b', 'other') })] },
      /Metal3 host "w1" BMC secret namespace "other" must be the cluster namespace "edge"/,
    ],
    ['fails when the image URL is missing', { image: { url: '', checksum: 'c' } }, /Metal3 input "image.url" is missing/],
    ['fails when the image checksum is missing', { image: { url: 'u', checksum: ' ' } }, /Metal3 input "image.checksum" is missing/],
    ['fails when the VIP link is missing', { vipLink: '' }, /Metal3 input "vipLink" is missing/],
    ['fails when the control-plane endpoint is missing', { controlPlaneEndpoint: '' }, /Metal3 input "controlPlaneEndpoint" is missing/],
    ['fails on a control-plane endpoint outside the node CIDR', { controlPlaneEndpoint: '192.168.31.10' }, /Metal3 controlPlaneEndpoint "192.168.31.10" is outside the node CIDR 192.168.30.0\/24/],
  ])('%s', (_name, inputs, message) => {
    // GIVEN a bad inventory or image WHEN built THEN INVALID_PROP on the cluster path
    const err = thrownBy(() => build(props(inputs)));
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.constructPath).toBe('mgmt/apps/Workload');
    expect(err.message).toMatch(message);
  });

  test('fails on a cloud instance type as machine size', () => {
    // WHEN
    const err = thrownBy(() => build(props({}, { workers: [{ name: 'w', machine: MachineSize.instanceType('m6i.large') }] })));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toContain('which Metal3 cannot use; use MachineSize.bareMetal(');
  });
});
