import { parse } from 'yaml';
import { ErrorCode } from '../../lib/core/errors';
import { thrownBy } from '../support/errors';
import { Fleet, GatewayApiCrds } from '../../lib';
import { Cidr, CiliumClusterMesh, CiliumNetworking, CiliumNetworkingProps, ClusterMeshCa, ClusterMeshExposure } from '../../lib/networking';
import { validateFleetManifests } from '../../lib/validation';
import { manifest } from '../support/fleet';

function fleetOf(members: Array<{ name: string; props: CiliumNetworkingProps }>): { fleet: Fleet; ciliums: CiliumNetworking[]; mesh: CiliumClusterMesh } {
  const fleet = new Fleet({ source: { url: 'https://example.com/org/repo.git' } });
  const mesh = new CiliumClusterMesh(fleet, 'Mesh', { ca: ClusterMeshCa.fromSecret() });
  const ciliums = members.map(({ name, props }, i) => {
    const cluster = fleet.addCluster(`c${i}`, { name });
    const gatewayApi = new GatewayApiCrds(cluster.crds, 'GatewayApi');
    return new CiliumNetworking(cluster.controllers, 'Cilium', { gatewayApi, ...props });
  });
  return { fleet, ciliums, mesh };
}

const values = (fleet: Fleet, cluster: string) => parse(manifest(fleet, `${cluster}/releases/cilium/configmap-cilium-values.yaml`).data['values.yaml']);

describe('CiliumClusterMesh', () => {
  test('connects every member to every other one with the shared CA, by names the server certificates cover', () => {
    // GIVEN
    const { fleet, ciliums, mesh } = fleetOf([
      { name: 'east', props: { clusterId: 1, podCidr: Cidr.of('10.240.0.0/16') } },
      { name: 'west', props: { clusterId: 2, podCidr: Cidr.of('10.241.0.0/16'), clusterMeshExposure: ClusterMeshExposure.nodePort() } },
    ]);
    // WHEN
    mesh.addCluster(ciliums[0], { address: '10.10.80.10' });
    mesh.addCluster(ciliums[1], { address: 'mesh.west.example.com' });
    // THEN: east (a DNS-name peer) dials mesh.west.example.com, which west's certificate carries and ExternalDNS publishes
    const east = values(fleet, 'east');
    const west = values(fleet, 'west');
    expect(east.cluster).toEqual({ name: 'east', id: 1 });
    expect(east.clustermesh.config).toEqual({ enabled: true, clusters: [{ name: 'west', address: 'mesh.west.example.com', port: 32379 }] });
    expect(west.clustermesh.apiserver.tls.auto).toEqual({ enabled: true, method: 'cronJob', server: { extraDnsNames: ['mesh.west.example.com'] } });
    expect(west.clustermesh.apiserver.service).toEqual({ type: 'NodePort', nodePort: 32379, annotations: { 'external-dns.alpha.kubernetes.io/hostname': 'mesh.west.example.com' } });
    // THEN: west dials east (an IP peer) as east.mesh.cilium.io (host alias to the IP; covered by *.mesh.cilium.io)
    expect(west.clustermesh.config.clusters).toEqual([{ name: 'east', ips: ['10.10.80.10'], port: 2379 }]);
    expect(east.clustermesh.apiserver.tls.auto).toEqual({ enabled: true, method: 'cronJob' });
    expect(east.clustermesh.apiserver.service).toEqual({ type: 'LoadBalancer', annotations: { 'lbipam.cilium.io/ips': '10.10.80.10' } });
    expect(east.hubble.tls.auto.method).toBe('cronJob');
    expect(ciliums[0].values.clustermesh?.config).toMatchObject({ enabled: true });
    expect(ciliums[1].clusterMeshPeers).toEqual([{ name: 'east', ips: ['10.10.80.10'], port: 2379 }]);
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
  });

  test('no peer item has both or neither of address and ips (the chart template needs one)', () => {
    const { fleet, ciliums, mesh } = fleetOf([
      { name: 'a', props: { clusterId: 1, podCidr: Cidr.of('10.240.0.0/16') } },
      { name: 'b', props: { clusterId: 2, podCidr: Cidr.of('10.241.0.0/16') } },
      { name: 'c', props: { clusterId: 3, podCidr: Cidr.of('10.242.0.0/16') } },
    ]);
    mesh.addCluster(ciliums[0], { address: '10.10.80.10' });
    mesh.addCluster(ciliums[1], { address: 'mesh.b.example.com' });
    mesh.addCluster(ciliums[2], { address: 'fd00::10' });
    for (const name of ['a', 'b', 'c']) {
      const clusters = values(fleet, name).clustermesh.config.clusters as Array<Record<string, unknown>>;
      expect(clusters).toHaveLength(2);
      for (const peer of clusters) expect(('address' in peer) !== ('ips' in peer)).toBe(true);
    }
    expect(values(fleet, 'a').clustermesh.config.clusters).toEqual([
      { name: 'b', address: 'mesh.b.example.com', port: 2379 },
      { name: 'c', ips: ['fd00::10'], port: 2379 },
    ]);
  });

  test('fails on a duplicate cluster id', () => {
    const { fleet, ciliums, mesh } = fleetOf([
      { name: 'east', props: { clusterId: 1, podCidr: Cidr.of('10.240.0.0/16') } },
      { name: 'west', props: { clusterId: 1, podCidr: Cidr.of('10.241.0.0/16') } },
    ]);
    mesh.addCluster(ciliums[0], { address: '10.10.80.10' });
    mesh.addCluster(ciliums[1], { address: '10.20.80.10' });
    expect(() => fleet.manifests()).toThrow(/\[Mesh\] cluster id 1 is used by east and west/);
  });

  test('fails on a duplicate cluster name', () => {
    const fleet = new Fleet({ source: { url: 'https://example.com/org/repo.git' } });
    const mesh = new CiliumClusterMesh(fleet, 'Mesh', { ca: ClusterMeshCa.fromSecret() });
    // Two Cilium in the same cluster cannot exist (CNI capability), so use two fleets' worth of names:
    const a = fleet.addCluster('a', { name: 'east' });
    const other = new Fleet({ source: { url: 'https://example.com/org/repo.git' } });
    const b = other.addCluster('b', { name: 'east' });
    const ca = new CiliumNetworking(a.controllers, 'Cilium', { gatewayApi: new GatewayApiCrds(a.crds, 'G'), clusterId: 1 });
    const cb = new CiliumNetworking(b.controllers, 'Cilium', { gatewayApi: new GatewayApiCrds(b.crds, 'G'), clusterId: 2, podCidr: Cidr.of('10.241.0.0/16') });
    mesh.addCluster(ca, { address: '10.10.80.10' });
    mesh.addCluster(cb, { address: '10.20.80.10' });
    expect(() => fleet.manifests()).toThrow(/cluster name "east" is used by a\/controllers\/Cilium and b\/controllers\/Cilium/);
  });

  test('fails on overlapping pod CIDRs', () => {
    const { fleet, ciliums, mesh } = fleetOf([
      { name: 'east', props: { clusterId: 1, podCidr: Cidr.of('10.240.0.0/15') } },
      { name: 'west', props: { clusterId: 2, podCidr: Cidr.of('10.241.0.0/16') } },
    ]);
    mesh.addCluster(ciliums[0], { address: '10.10.80.10' });
    mesh.addCluster(ciliums[1], { address: '10.20.80.10' });
    expect(() => fleet.manifests()).toThrow(/pod CIDR 10.240.0.0\/15 of east overlaps pod CIDR 10.241.0.0\/16 of west/);
  });

  test('reports every fleet-wide problem at once', () => {
    const { fleet, ciliums, mesh } = fleetOf([
      { name: 'east', props: { clusterId: 1 } },
      { name: 'west', props: { clusterId: 1 } },
    ]);
    mesh.addCluster(ciliums[0], { address: '10.10.80.10' });
    mesh.addCluster(ciliums[1], { address: '10.20.80.10' });
    expect(() => fleet.manifests()).toThrow(/synth found 2 error\(s\)[\s\S]*cluster id 1[\s\S]*pod CIDR 10.244.0.0\/16 of east overlaps/);
  });

  test('fails on a mesh of one cluster', () => {
    const { fleet, ciliums, mesh } = fleetOf([{ name: 'east', props: { clusterId: 1 } }]);
    mesh.addCluster(ciliums[0], { address: '10.10.80.10' });
    expect(() => fleet.manifests()).toThrow(/a mesh needs at least two clusters/);
  });

  test('fails on a member with ClusterMesh off', () => {
    const { ciliums, mesh } = fleetOf([{ name: 'east', props: { clusterMesh: false } }]);
    expect(() => mesh.addCluster(ciliums[0], { address: '10.10.80.10' })).toThrow(/has clusterMesh off/);
  });

  test('fails on an unusable apiserver address', () => {
    const { ciliums, mesh } = fleetOf([{ name: 'east', props: { clusterId: 1 } }]);
    expect(() => mesh.addCluster(ciliums[0], { address: 'not an address' })).toThrow(/is neither an IP address nor a DNS name/);
  });

  test('fails when a cluster is added twice', () => {
    const { ciliums, mesh } = fleetOf([{ name: 'east', props: { clusterId: 1 } }]);
    mesh.addCluster(ciliums[0], { address: '10.10.80.10' });
    expect(() => mesh.addCluster(ciliums[0], { address: '10.10.80.11' })).toThrow(/\[Mesh\] c0\/controllers\/Cilium is already a member/);
  });

  test('fails on a port that is not a TCP port', () => {
    const { ciliums, mesh } = fleetOf([{ name: 'east', props: { clusterId: 1 } }]);
    expect(() => mesh.addCluster(ciliums[0], { address: '10.10.80.10', port: 70000 })).toThrow(/port 70000 of east is not a TCP port/);
  });

  test('the shared CA is always kube-system/cilium-ca (the only Secret certgen reads)', () => {
    expect(ClusterMeshCa.fromSecret().secretName).toBe('cilium-ca');
  });
});

describe('CiliumClusterMesh fleet-wide checks keep their code in the aggregated error', () => {
  test('fails with MESH_MEMBERSHIP on a mesh of one cluster', () => {
    // GIVEN a mesh with one member
    const { fleet, ciliums, mesh } = fleetOf([{ name: 'east', props: { clusterId: 1 } }]);
    mesh.addCluster(ciliums[0], { address: '10.10.80.10' });
    // WHEN synthesized
    const error = thrownBy(() => fleet.manifests());
    // THEN the problem keeps its code and names the mesh
    expect(error.code).toBe(ErrorCode.SYNTH_FAILED);
    expect(error.problems).toEqual([expect.objectContaining({ code: ErrorCode.MESH_MEMBERSHIP, constructPath: 'Mesh', message: expect.stringContaining('a mesh needs at least two clusters') })]);
  });

  test('fails with DUPLICATE and CIDR_OVERLAP for a shared cluster id and pod CIDR, each its own problem', () => {
    // GIVEN two members with the same clusterId and the default (same) pod CIDR
    const { fleet, ciliums, mesh } = fleetOf([
      { name: 'east', props: { clusterId: 1 } },
      { name: 'west', props: { clusterId: 1 } },
    ]);
    mesh.addCluster(ciliums[0], { address: '10.10.80.10' });
    mesh.addCluster(ciliums[1], { address: '10.20.80.10' });
    // WHEN synthesized THEN one problem per rule, in the order the mesh checks them
    expect(thrownBy(() => fleet.manifests()).problems.map((p) => [p.code, p.constructPath])).toEqual([
      [ErrorCode.DUPLICATE, 'Mesh'],
      [ErrorCode.CIDR_OVERLAP, 'Mesh'],
    ]);
  });
});
