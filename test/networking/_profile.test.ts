import { ErrorCode } from '../../lib/core/errors';
import { CiliumNetworkingProps, DatapathMode, Encryption, RoutingMode, TunnelProtocol, XdpAcceleration } from '../../lib/networking';
import { ProfileInput, resolveProfile } from '../../lib/networking/_profile';
import { thrownBy } from '../support/errors';
import { withCilium } from './_build';

/** Resolves with a `fail` that throws the message as is. */
const resolve = (p: ProfileInput = {}) =>
  resolveProfile(p, (message) => {
    throw new Error(message);
  });
const decision = (p: ReturnType<typeof resolve>, setting: string) => p.decisions.find((d) => d.setting === setting);

describe('resolveProfile: defaults', () => {
  // GIVEN no props WHEN resolved
  const p = resolve();

  test('kube-proxy replacement, native routing, WireGuard, BPF masquerade, eBPF host routing, netkit', () => {
    // THEN
    expect([p.kpr, p.routing.isNative, p.encryption.type, p.bpfMasquerade, p.ebpfHostRouting, p.forwardKubeDnsToHost]).toEqual([true, true, 'wireguard', true, true, false]);
    expect(p.datapathMode).toBe(DatapathMode.NETKIT);
  });

  test('Maglev with DSR (IP-option dispatch), no XDP, no BIG TCP, bandwidth manager and BBR', () => {
    // THEN
    expect([p.l4LoadBalancer, p.lbMode, p.dsrDispatch, p.xdp, p.bigTcp, p.bandwidthManager, p.bbr]).toEqual([true, 'dsr', 'opt', XdpAcceleration.DISABLED, false, true, true]);
  });

  test('features on by default and the L7 proxy they need', () => {
    // THEN
    expect([p.gatewayApi, p.ingress, p.clusterMesh, p.egressGateway, p.hostFirewall, p.bgp, p.lbIpam, p.hubbleUi, p.metrics, p.l7Visibility, p.advancedPolicy, p.l7Proxy, p.tetragon]).toEqual(
      Array(13).fill(true),
    );
    expect([p.ciliumEndpointSlice, p.multicast, p.l2]).toEqual([false, false, false]);
    expect(p.flowLogs?.aggregationSeconds).toBe(30);
  });

  test('every decision carries a reason', () => {
    // THEN
    expect(p.decisions.length).toBeGreaterThan(25);
    for (const d of p.decisions) expect(d.reason.length).toBeGreaterThan(0);
    expect(decision(p, 'bigTcp')).toEqual({ setting: 'bigTcp', enabled: false, reason: 'off by default: needs mlx4/mlx5/ice NICs, and is incompatible with WireGuard/IPsec and tunnelling' });
  });
});

describe('resolveProfile: automatic resolutions', () => {
  test('Talos DNS forwarding switches eBPF host routing off, and with it netkit and BBR', () => {
    // GIVEN forwardKubeDNSToHost on
    const p = resolve({ talosForwardKubeDnsToHost: true });
    // THEN
    expect([p.ebpfHostRouting, p.datapathMode, p.bbr, p.bandwidthManager]).toEqual([false, DatapathMode.VETH, false, true]);
    expect(decision(p, 'ebpfHostRouting')?.reason).toContain('siderolabs/talos#10002');
    expect(decision(p, 'bbr')?.reason).toBe('off automatically: BBR needs the bandwidth manager and eBPF host routing');
  });

  test('without kube-proxy replacement the features that need it are off, with reasons', () => {
    // GIVEN
    const p = resolve({ kubeProxyReplacement: false });
    // THEN
    expect([p.bpfMasquerade, p.ebpfHostRouting, p.bandwidthManager, p.l4LoadBalancer, p.lbMode, p.gatewayApi, p.ingress, p.egressGateway]).toEqual([false, false, false, false, 'snat', false, false, false]);
    expect(decision(p, 'gatewayApi')?.reason).toBe('off automatically: the Gateway API controller needs kube-proxy replacement');
    expect(decision(p, 'kubeProxyReplacement')).toMatchObject({ enabled: false, reason: 'switched off by prop' });
  });

  test('VXLAN tunnelling: SNAT instead of DSR, multicast available, veth', () => {
    // GIVEN
    const p = resolve({ routingMode: RoutingMode.tunnel() });
    // THEN
    expect([p.lbMode, p.dsrDispatch, p.multicast, p.datapathMode]).toEqual(['snat', undefined, true, DatapathMode.VETH]);
  });

  test('Geneve tunnelling: DSR with Geneve dispatch, no multicast', () => {
    // GIVEN
    const p = resolve({ routingMode: RoutingMode.tunnel(TunnelProtocol.GENEVE) });
    // THEN
    expect([p.lbMode, p.dsrDispatch, p.multicast]).toEqual(['dsr', 'geneve', false]);
  });

  test('BIG TCP when encryption is off and routing native; veth kept when asked', () => {
    // GIVEN
    const p = resolve({ bigTcp: true, encryption: Encryption.none(), datapathMode: DatapathMode.VETH });
    // THEN
    expect([p.bigTcp, p.datapathMode]).toEqual([true, DatapathMode.VETH]);
  });

  test('explicit false wins; no L7 proxy when nothing needs it; flow logs disabled', () => {
    // GIVEN
    const p = resolve({ bandwidthManager: false, l7Visibility: false, advancedPolicy: false, gatewayApiController: false, ingressController: false, flowLogs: undefined, tetragon: false });
    // THEN
    expect([p.bandwidthManager, p.bbr, p.l7Proxy, p.tetragon]).toEqual([false, false, false, false]);
  });
});

describe('resolveProfile: failing inputs (through CiliumNetworking, code INVALID_PROP)', () => {
  test.each<[string, CiliumNetworkingProps, string]>([
    ['fails on a prerequisite-gated feature switched on without its prerequisite', { kubeProxyReplacement: false, gatewayApiController: true }, 'gatewayApi is on but the Gateway API controller needs kube-proxy replacement; switch gatewayApi off or meet the requirement'],
    ['fails on multicast without VXLAN tunnelling', { multicast: true }, 'multicast is on but multicast needs VXLAN tunnel routing'],
    ['fails on BBR without eBPF host routing', { bbr: true, talosForwardKubeDnsToHost: true }, 'bbr is on but BBR needs the bandwidth manager and eBPF host routing'],
    ['fails on netkit without eBPF host routing and native routing', { datapathMode: DatapathMode.NETKIT, routingMode: RoutingMode.tunnel() }, 'datapathMode netkit needs eBPF host routing'],
    ['fails on BIG TCP with encryption', { bigTcp: true }, 'bigTcp cannot be combined with wireguard encryption'],
    ['fails on BIG TCP with tunnel routing', { bigTcp: true, encryption: Encryption.none(), routingMode: RoutingMode.tunnel() }, 'bigTcp cannot be combined with tunnel routing'],
    ['fails on BIG TCP without eBPF host routing', { bigTcp: true, encryption: Encryption.none(), talosForwardKubeDnsToHost: true }, 'bigTcp needs eBPF host routing'],
    ['fails on XDP without the L4 load balancer', { xdpAcceleration: XdpAcceleration.NATIVE, l4LoadBalancer: false }, 'xdpAcceleration native needs the L4 load balancer and kube-proxy replacement'],
    ['fails on CiliumEndpointSlice with the egress gateway', { ciliumEndpointSlice: true }, 'ciliumEndpointSlice cannot be combined with the egress gateway'],
    ['fails on L2 announcements without kube-proxy replacement', { l2Announcements: true, kubeProxyReplacement: false, gatewayApiController: false, ingressController: false, egressGateway: false, bandwidthManager: false, l4LoadBalancer: false }, 'l2Announcements need kube-proxy replacement'],
  ])('%s', (_name, props, message) => {
    // GIVEN conflicting props WHEN CiliumNetworking resolves them
    const err = thrownBy(() => withCilium(props));
    // THEN one INVALID_PROP error naming the construct and both settings
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.constructPath).toBe('test/controllers/Cilium');
    expect(err.message).toContain(message);
  });
});
