/**
 * One test per capability of the design's table (docs/cilium.md): the synthesized values with the
 * capability on (the default) and switched off by its prop.
 */
import { parse } from 'yaml';
import { Fleet, GatewayApiCrds } from '../../lib';
import { CiliumNetworking, CiliumNetworkingProps, Encryption, FlowLogs, RoutingMode, TunnelProtocol, _resolve } from '../../lib/networking';
import { manifest, testCluster } from '../support/fleet';

function synth(props: CiliumNetworkingProps = {}): { fleet: Fleet; cilium: CiliumNetworking; v: Record<string, any>; files: string[] } {
  const { fleet, cluster } = testCluster();
  const gatewayApi = new GatewayApiCrds(cluster.crds, 'GatewayApi');
  const cilium = new CiliumNetworking(cluster.controllers, 'Cilium', { gatewayApi, clusterId: 7, ...props });
  const v = parse(manifest(fleet, 'test/releases/cilium/configmap-cilium-values.yaml').data['values.yaml']);
  return { fleet, cilium, v, files: fleet.manifests().map((m) => m.file) };
}

const noKpr: CiliumNetworkingProps = { kubeProxyReplacement: false, gatewayApiController: false, ingressController: false };

describe('capabilities of the design table, on by default and switchable', () => {
  test('cni: Cilium is the CNI with kubernetes IPAM (cannot be switched off: use no CiliumNetworking)', () => {
    const { v, cilium } = synth();
    expect(v.ipam).toEqual({ mode: 'kubernetes' });
    expect(cilium.isEnabled('cni')).toBe(true);
  });

  test('kubeProxyReplacement', () => {
    expect(synth().v.kubeProxyReplacement).toBe(true);
    const off = synth(noKpr);
    expect(off.v.kubeProxyReplacement).toBe(false);
    expect(off.v.bpf.masquerade).toBe(false);
    expect(off.cilium.isEnabled('kubeProxyReplacement')).toBe(false);
  });

  test('l4LoadBalancer: Maglev, DSR with native routing, XDP opt-in', () => {
    expect(synth().v.loadBalancer).toEqual({ algorithm: 'maglev', mode: 'dsr', dsrDispatch: 'opt', acceleration: 'disabled' });
    expect(synth({ routingMode: RoutingMode.tunnel(TunnelProtocol.GENEVE) }).v.loadBalancer).toMatchObject({ mode: 'dsr', dsrDispatch: 'geneve' });
    expect(synth({ routingMode: RoutingMode.tunnel() }).v.loadBalancer).toMatchObject({ algorithm: 'maglev', mode: 'snat' });
    expect(synth({ l4LoadBalancer: false }).v.loadBalancer).toEqual({ acceleration: 'disabled' });
  });

  test('gatewayApi', () => {
    expect(synth().v.gatewayAPI).toEqual({ enabled: true });
    expect(synth({ gatewayApiController: false }).v.gatewayAPI).toEqual({ enabled: false });
  });

  test('ingress', () => {
    expect(synth().v.ingressController).toEqual({ enabled: true, loadbalancerMode: 'shared', default: true });
    expect(synth({ ingressController: false }).v.ingressController).toEqual({ enabled: false });
  });

  test('clusterMesh', () => {
    const on = synth().v;
    expect(on.cluster).toEqual({ name: 'test', id: 7 });
    expect(on.clustermesh).toMatchObject({ useAPIServer: true, apiserver: { service: { type: 'LoadBalancer' } } });
    const off = synth({ clusterMesh: false, clusterId: undefined }).v;
    expect(off.clustermesh).toEqual({ useAPIServer: false });
    expect(off.cluster).toEqual({ name: 'test', id: 0 });
  });

  test('bandwidthManager (with BBR when eBPF host routing is on)', () => {
    expect(synth().v.bandwidthManager).toEqual({ enabled: true, bbr: true });
    expect(synth({ bandwidthManager: false }).v.bandwidthManager).toEqual({ enabled: false, bbr: false });
  });

  test('bgp', () => {
    expect(synth().v.bgpControlPlane).toEqual({ enabled: true });
    expect(synth({ bgpControlPlane: false }).v.bgpControlPlane).toEqual({ enabled: false });
  });

  test('egressGateway', () => {
    expect(synth().v.egressGateway).toEqual({ enabled: true });
    expect(synth({ egressGateway: false }).v.egressGateway).toEqual({ enabled: false });
  });

  test('multicast: on with VXLAN tunnelling, off (automatically) with native routing', () => {
    expect(synth({ routingMode: RoutingMode.tunnel(TunnelProtocol.VXLAN) }).v.extraConfig).toEqual({ 'multicast-enabled': 'true' });
    expect(synth({ routingMode: RoutingMode.tunnel(TunnelProtocol.VXLAN), multicast: false }).v.extraConfig).toBeUndefined();
    expect(synth().v.extraConfig).toBeUndefined();
  });

  test('hostFirewall', () => {
    expect(synth().v.hostFirewall).toEqual({ enabled: true });
    expect(synth({ hostFirewall: false }).v.hostFirewall).toEqual({ enabled: false });
  });

  test('serviceMap (Hubble relay + UI)', () => {
    expect(synth().v.hubble.ui).toEqual({ enabled: true });
    expect(synth().v.hubble.relay.enabled).toBe(true);
    expect(synth({ hubbleUi: false }).v.hubble.ui).toEqual({ enabled: false });
  });

  test('metricsTracing (Prometheus/OpenMetrics for agent, operator, Envoy, Hubble, relay)', () => {
    const on = synth().v;
    expect(on.prometheus.enabled).toBe(true);
    expect(on.operator.prometheus.enabled).toBe(true);
    expect(on.envoy.prometheus.enabled).toBe(true);
    expect(on.hubble.metrics.enableOpenMetrics).toBe(true);
    expect(on.hubble.metrics.enabled).toEqual(expect.arrayContaining(['drop', 'tcp', 'flow', 'icmp']));
    const off = synth({ metricsExport: false }).v;
    expect(off.prometheus.enabled).toBe(false);
    expect(off.hubble.metrics).toEqual({ enabled: null });
  });

  test('flowLogs', () => {
    expect(synth().v.hubble.export.static.enabled).toBe(true);
    expect(synth({ flowLogs: FlowLogs.disabled() }).v.hubble.export).toBeUndefined();
  });

  test('l7Visibility (HTTP/gRPC and DNS)', () => {
    const on = synth().v;
    expect(on.l7Proxy).toBe(true);
    expect(on.hubble.metrics.enabled).toEqual(expect.arrayContaining(['dns:query;ignoreAAAA', expect.stringMatching(/^httpV2:/)]));
    const off = synth({ l7Visibility: false, advancedPolicy: false, gatewayApiController: false, ingressController: false }).v;
    expect(off.l7Proxy).toBe(false);
    expect(off.hubble.metrics.enabled.some((m: string) => m.startsWith('httpV2') || m.startsWith('dns'))).toBe(false);
  });

  test('encryption: WireGuard by default, IPsec as an option, or off', () => {
    expect(synth().v.encryption).toEqual({ enabled: true, type: 'wireguard', nodeEncryption: false });
    expect(synth({ encryption: Encryption.wireguard({ nodeEncryption: true }) }).v.encryption.nodeEncryption).toBe(true);
    expect(synth({ encryption: Encryption.none() }).v.encryption).toEqual({ enabled: false });
  });

  test('tetragon', () => {
    const on = synth();
    expect(on.files).toContain('test/releases/tetragon/helmrelease-tetragon.yaml');
    expect(on.cilium.tetragon).toBeDefined();
    const off = synth({ tetragon: false });
    expect(off.files).not.toContain('test/releases/tetragon/helmrelease-tetragon.yaml');
    expect(() => off.cilium.addTetragonBaseline()).toThrow(/Tetragon is off on this cluster/);
  });

  test('advancedPolicy: gates the zero-trust and L7/FQDN policy constructs, never the chart\'s non-default-deny policies', () => {
    const on = synth();
    expect(on.v.enableNonDefaultDenyPolicies).toBeUndefined(); // chart default (true) stays
    expect(on.cilium.isEnabled('advancedPolicy')).toBe(true);
    expect(() => on.cilium.addZeroTrust()).not.toThrow();
    const off = synth({ advancedPolicy: false });
    expect(off.v.enableNonDefaultDenyPolicies).toBeUndefined();
    expect(off.cilium.isEnabled('advancedPolicy')).toBe(false);
    expect(() => off.cilium.addZeroTrust()).toThrow(/CiliumZeroTrust needs advanced policy; advancedPolicy is off/);
    expect(() => off.cilium.addL7Policy('p', { namespace: 'shop', podLabels: { app: 'a' }, fqdnEgress: [{ name: 'api.example.com' }] })).toThrow(/CiliumL7Policy needs advanced policy; advancedPolicy is off/);
  });

  test('the capability list covers the 18 rows of the design table', () => {
    expect(synth().cilium.capabilities.map((c) => c.capability)).toEqual([
      'cni', 'kubeProxyReplacement', 'l4LoadBalancer', 'gatewayApi', 'ingress', 'clusterMesh', 'bandwidthManager', 'bgp', 'egressGateway',
      'multicast', 'hostFirewall', 'serviceMap', 'metricsTracing', 'flowLogs', 'l7Visibility', 'encryption', 'tetragon', 'advancedPolicy',
    ]);
  });
});

describe('performance profile (cilium/TUNING.md)', () => {
  test('the default profile: which settings are on, and why the others stay off', () => {
    const decisions = _resolve({ clusterId: 1 });
    const on = decisions.filter((d) => d.enabled).map((d) => d.setting);
    const off = Object.fromEntries(decisions.filter((d) => !d.enabled).map((d) => [d.setting, d.reason]));
    expect(on).toEqual(expect.arrayContaining(['kubeProxyReplacement', 'nativeRouting', 'bpfMasquerade', 'ebpfHostRouting', 'netkit', 'bandwidthManager', 'bbr', 'mapTuning', 'l4LoadBalancer', 'dsr']));
    expect(off).toEqual({
      bigTcp: expect.stringMatching(/mlx4\/mlx5\/ice NICs.*incompatible with WireGuard\/IPsec and tunnelling/),
      xdp: expect.stringMatching(/native-XDP NIC drivers/),
      multicast: expect.stringMatching(/needs VXLAN tunnel routing/),
      ciliumEndpointSlice: expect.stringMatching(/incompatible with the egress gateway/),
      l2Announcements: expect.stringMatching(/option/),
    });
    expect(decisions.find((d) => d.setting === 'ebpfHostRouting')?.reason).toMatch(/forwardKubeDNSToHost is switched off/);
  });

  test('writes the profile into the values', () => {
    const { v } = synth();
    expect(v).toMatchObject({
      routingMode: 'native',
      ipv4NativeRoutingCIDR: '10.244.0.0/16',
      autoDirectNodeRoutes: true,
      bpf: { masquerade: true, hostLegacyRouting: false, datapathMode: 'netkit', distributedLRU: { enabled: true }, mapDynamicSizeRatio: 0.08 },
      bpfClockProbe: true,
      enableIPv4BIGTCP: false,
    });
    const tuned = synth({ performanceTuning: false }).v;
    expect(tuned.bpf.distributedLRU).toBeUndefined();
    expect(tuned.bpfClockProbe).toBe(false);
  });

  test('tunnel routing keeps netkit, DSR (VXLAN) and BIG TCP off, with reasons', () => {
    const d = _resolve({ clusterId: 1, routingMode: RoutingMode.tunnel() });
    const reason = (s: string) => d.find((x) => x.setting === s);
    expect(reason('netkit')).toMatchObject({ enabled: false, reason: expect.stringMatching(/native routing/) });
    expect(reason('dsr')).toMatchObject({ enabled: false, reason: expect.stringMatching(/VXLAN/) });
    expect(reason('multicast')).toMatchObject({ enabled: true });
  });
});
