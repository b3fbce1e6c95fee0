/**
 * @internal The resolution of CiliumNetworking's props into one consistent set of features:
 * defaults, automatic conflict resolutions and errors for conflicts that cannot be resolved.
 * Kept free of constructs so the rules read top to bottom (docs/cilium.md mirrors them).
 */
import type { CiliumNetworkingProps } from './cilium-networking-props';
import { DatapathMode, Encryption, FlowLogs, RoutingMode, TunnelProtocol, XdpAcceleration } from './options';

/** One decision of the resolved configuration: a setting, whether it is on, and why. */
export interface ProfileDecision {
  /** Short name, e.g. `netkit`, `bigTcp`. */
  readonly setting: string;
  readonly enabled: boolean;
  /** Why it is on or off (defaults, prerequisites, conflicts). */
  readonly reason: string;
}

/** @internal The subset of CiliumNetworking's props the resolution reads. */
export type ProfileInput = Pick<
  CiliumNetworkingProps,
  'kubeProxyReplacement'
  | 'l4LoadBalancer'
  | 'xdpAcceleration'
  | 'routingMode'
  | 'datapathMode'
  | 'bigTcp'
  | 'bandwidthManager'
  | 'bbr'
  | 'performanceTuning'
  | 'encryption'
  | 'talosForwardKubeDnsToHost'
  | 'gatewayApiController'
  | 'ingressController'
  | 'clusterMesh'
  | 'egressGateway'
  | 'ciliumEndpointSlice'
  | 'multicast'
  | 'hostFirewall'
  | 'bgpControlPlane'
  | 'loadBalancerIpam'
  | 'l2Announcements'
  | 'hubbleUi'
  | 'metricsExport'
  | 'flowLogs'
  | 'l7Visibility'
  | 'advancedPolicy'
  | 'tetragon'
  | 'podCidr'
>;

/** @internal The resolved feature set. */
export interface ResolvedProfile {
  readonly kpr: boolean;
  readonly routing: RoutingMode;
  readonly encryption: Encryption;
  readonly forwardKubeDnsToHost: boolean;
  readonly bpfMasquerade: boolean;
  readonly ebpfHostRouting: boolean;
  readonly datapathMode: DatapathMode;
  readonly bigTcp: boolean;
  readonly bandwidthManager: boolean;
  readonly bbr: boolean;
  readonly performanceTuning: boolean;
  readonly l4LoadBalancer: boolean;
  /** `snat`, `dsr` (opt or geneve dispatch). */
  readonly lbMode: string;
  readonly dsrDispatch: string | undefined;
  readonly xdp: XdpAcceleration;
  readonly gatewayApi: boolean;
  readonly ingress: boolean;
  readonly clusterMesh: boolean;
  readonly egressGateway: boolean;
  readonly ciliumEndpointSlice: boolean;
  readonly multicast: boolean;
  readonly hostFirewall: boolean;
  readonly bgp: boolean;
  readonly lbIpam: boolean;
  readonly l2: boolean;
  readonly hubbleUi: boolean;
  readonly metrics: boolean;
  readonly flowLogs: FlowLogs | undefined;
  readonly l7Visibility: boolean;
  readonly advancedPolicy: boolean;
  readonly l7Proxy: boolean;
  readonly tetragon: boolean;
  readonly decisions: readonly ProfileDecision[];
}

/**
 * @internal Resolves the props. `fail(message)` throws (the construct adds its path); every rule that
 * cannot be resolved automatically calls it with the two settings and what to change.
 */
export function resolveProfile(p: ProfileInput, fail: (message: string) => never): ResolvedProfile {
  const decisions: ProfileDecision[] = [];
  const decide = (setting: string, enabled: boolean, reason: string): boolean => {
    decisions.push({ setting, enabled, reason });
    return enabled;
  };
  /** explicit true + unmet prerequisite = error; unset + unmet = off (documented). */
  const gated = (setting: string, explicit: boolean | undefined, met: boolean, need: string, onReason: string): boolean => {
    if (explicit === false) return decide(setting, false, 'switched off by prop');
    if (!met) {
      if (explicit === true) fail(`${setting} is on but ${need}; switch ${setting} off or meet the requirement`);
      return decide(setting, false, `off automatically: ${need}`);
    }
    return decide(setting, true, explicit === true ? 'switched on by prop' : onReason);
  };

  const kpr = decide('kubeProxyReplacement', p.kubeProxyReplacement ?? true, p.kubeProxyReplacement === false ? 'switched off by prop' : 'default: eBPF service handling, Talos runs no kube-proxy');
  const routing = p.routingMode ?? RoutingMode.native();
  decide('nativeRouting', routing.isNative, routing.isNative ? 'default: no encapsulation overhead; the underlay must route pod CIDRs' : `tunnel mode (${routing.tunnelProtocol}) chosen by prop`);
  const encryption = p.encryption ?? Encryption.wireguard();
  decide('encryption', encryption.enabled, encryption.enabled ? `${encryption.type} (default: WireGuard)` : 'switched off by prop');
  const bpfMasquerade = decide('bpfMasquerade', kpr, kpr ? 'default with kube-proxy replacement' : 'needs kube-proxy replacement');

  const forwardKubeDnsToHost = p.talosForwardKubeDnsToHost ?? false;
  let ebpfHostRouting: boolean;
  if (!kpr || !bpfMasquerade) ebpfHostRouting = decide('ebpfHostRouting', false, 'needs kube-proxy replacement and BPF masquerade');
  else if (forwardKubeDnsToHost) {
    ebpfHostRouting = decide('ebpfHostRouting', false, "Talos forwardKubeDNSToHost is on: DNS breaks under eBPF host routing (siderolabs/talos#10002), so bpf.hostLegacyRouting=true");
  } else ebpfHostRouting = decide('ebpfHostRouting', true, "default: Talos forwardKubeDNSToHost is switched off in the Talos patch so eBPF host routing can stay on");

  // netkit
  const netkitMet = ebpfHostRouting && routing.isNative;
  let datapathMode: DatapathMode;
  if (p.datapathMode?.isNetkit) {
    if (!netkitMet) fail(`datapathMode ${p.datapathMode.value} needs eBPF host routing (kube-proxy replacement, BPF masquerade, Talos forwardKubeDNSToHost off) and native routing; use DatapathMode.VETH or meet them`);
    datapathMode = p.datapathMode;
    decide('netkit', true, 'switched on by prop (kernel >= 6.8 with CONFIG_NETKIT)');
  } else if (p.datapathMode) {
    datapathMode = p.datapathMode;
    decide('netkit', false, 'veth chosen by prop');
  } else if (netkitMet) {
    datapathMode = DatapathMode.NETKIT;
    decide('netkit', true, 'default: eBPF host routing and native routing are on; Talos kernels are >= 6.8 (v1.13.9 ships 6.18)');
  } else {
    datapathMode = DatapathMode.VETH;
    decide('netkit', false, 'off automatically: netkit needs eBPF host routing and native routing');
  }

  // BIG TCP: opt-in (NIC-dependent), never with encryption or tunnelling.
  let bigTcp = false;
  if (p.bigTcp === true) {
    if (encryption.enabled) fail(`bigTcp cannot be combined with ${encryption.type} encryption (BIG TCP needs encryption off); use Encryption.none() or bigTcp: false`);
    if (!routing.isNative) fail('bigTcp cannot be combined with tunnel routing; use RoutingMode.native() or bigTcp: false');
    if (!ebpfHostRouting) fail('bigTcp needs eBPF host routing (kube-proxy replacement, BPF masquerade, Talos forwardKubeDNSToHost off)');
    bigTcp = decide('bigTcp', true, 'switched on by prop (NIC must be mlx4/mlx5/ice)');
  } else {
    decide('bigTcp', false, p.bigTcp === false ? 'switched off by prop' : 'off by default: needs mlx4/mlx5/ice NICs, and is incompatible with WireGuard/IPsec and tunnelling');
  }

  const bandwidthManager = gated('bandwidthManager', p.bandwidthManager, kpr, 'the bandwidth manager needs kube-proxy replacement', 'default: EDT rate limiting and FQ qdiscs');
  const bbr = gated('bbr', p.bbr, bandwidthManager && ebpfHostRouting, 'BBR needs the bandwidth manager and eBPF host routing', 'default: bandwidth manager and eBPF host routing are on (kernel >= 5.18)');
  const performanceTuning = decide(
    'mapTuning',
    p.performanceTuning ?? true,
    p.performanceTuning === false ? 'switched off by prop' : 'default: distributed LRU, bpf.mapDynamicSizeRatio 0.08 and bpfClockProbe, set at cluster creation',
  );

  const l4LoadBalancer = gated('l4LoadBalancer', p.l4LoadBalancer, kpr, 'Maglev/DSR load balancing needs kube-proxy replacement', 'default: Maglev consistent hashing');
  let lbMode = 'snat';
  let dsrDispatch: string | undefined;
  if (l4LoadBalancer) {
    if (routing.isNative) {
      lbMode = 'dsr';
      dsrDispatch = 'opt';
      decide('dsr', true, 'native routing allows DSR with IP-option dispatch');
    } else if (routing.tunnelProtocol === TunnelProtocol.GENEVE) {
      lbMode = 'dsr';
      dsrDispatch = 'geneve';
      decide('dsr', true, 'Geneve tunnelling allows DSR with Geneve dispatch');
    } else {
      decide('dsr', false, 'off automatically: DSR does not work with VXLAN tunnelling (SNAT instead)');
    }
  } else decide('dsr', false, 'needs the L4 load balancer');
  const xdp = p.xdpAcceleration ?? XdpAcceleration.DISABLED;
  if (xdp !== XdpAcceleration.DISABLED && !l4LoadBalancer) fail(`xdpAcceleration ${xdp.value} needs the L4 load balancer and kube-proxy replacement`);
  decide('xdp', xdp !== XdpAcceleration.DISABLED, xdp === XdpAcceleration.DISABLED ? 'off by default: needs native-XDP NIC drivers (opt in with XdpAcceleration.NATIVE/BEST_EFFORT)' : `${xdp.value} chosen by prop`);

  const gatewayApi = gated('gatewayApi', p.gatewayApiController, kpr, 'the Gateway API controller needs kube-proxy replacement', 'default');
  const ingress = gated('ingress', p.ingressController, kpr, 'the Ingress controller needs kube-proxy replacement', 'default');
  const clusterMesh = decide('clusterMesh', p.clusterMesh ?? true, p.clusterMesh === false ? 'switched off by prop' : 'default: clustermesh-apiserver deployed, cluster name and id set');
  const egressGateway = gated('egressGateway', p.egressGateway, kpr && bpfMasquerade, 'the egress gateway needs kube-proxy replacement and BPF masquerade', clusterMesh ? 'default; with ClusterMesh its policies select only this cluster\'s pods' : 'default');
  const ciliumEndpointSlice = p.ciliumEndpointSlice ?? false;
  if (ciliumEndpointSlice && egressGateway) fail('ciliumEndpointSlice cannot be combined with the egress gateway (Cilium does not support it); switch one of them off');
  decide('ciliumEndpointSlice', ciliumEndpointSlice, ciliumEndpointSlice ? 'switched on by prop' : 'off by default (beta; incompatible with the egress gateway)');
  const multicastMet = !routing.isNative && routing.tunnelProtocol === TunnelProtocol.VXLAN;
  const multicast = gated('multicast', p.multicast, multicastMet, 'multicast needs VXLAN tunnel routing', 'default: VXLAN tunnel routing');
  const hostFirewall = decide('hostFirewall', p.hostFirewall ?? true, p.hostFirewall === false ? 'switched off by prop' : 'default: enforces host policies once one selects a node');
  const bgp = decide('bgp', p.bgpControlPlane ?? true, p.bgpControlPlane === false ? 'switched off by prop' : 'default');
  const lbIpam = decide('lbIpam', p.loadBalancerIpam ?? true, p.loadBalancerIpam === false ? 'switched off by prop (cloud load balancer)' : 'default');
  const l2 = p.l2Announcements === true;
  if (l2 && !kpr) fail('l2Announcements need kube-proxy replacement');
  decide('l2Announcements', l2, l2 ? 'switched on by prop' : 'off by default (option)');
  const hubbleUi = decide('hubbleUi', p.hubbleUi ?? true, p.hubbleUi === false ? 'switched off by prop' : 'default: relay + UI (exposed only through the authenticated route helper)');
  const metrics = decide('metricsExport', p.metricsExport ?? true, p.metricsExport === false ? 'switched off by prop' : 'default');
  const flowLogs = p.flowLogs ?? FlowLogs.aggregated();
  decide('flowLogs', flowLogs.enabled, flowLogs.enabled ? 'default: aggregated flow log' : 'switched off by prop');
  const l7Visibility = decide('l7Visibility', p.l7Visibility ?? true, p.l7Visibility === false ? 'switched off by prop' : 'default: HTTP/gRPC and DNS parsing for flows matched by L7 rules');
  const advancedPolicy = decide('advancedPolicy', p.advancedPolicy ?? true, p.advancedPolicy === false ? 'switched off by prop: zero-trust and L7/FQDN policy constructs refuse' : 'default: zero-trust, L7 and FQDN policy constructs');
  const l7Proxy = decide('l7Proxy', l7Visibility || advancedPolicy || gatewayApi || ingress, 'needed by L7 visibility, FQDN/L7 policies, Gateway API and Ingress');
  const tetragon = decide('tetragon', p.tetragon ?? true, p.tetragon === false ? 'switched off by prop' : 'default');

  return {
    kpr,
    routing,
    encryption,
    forwardKubeDnsToHost,
    bpfMasquerade,
    ebpfHostRouting,
    datapathMode,
    bigTcp,
    bandwidthManager,
    bbr,
    performanceTuning,
    l4LoadBalancer,
    lbMode,
    dsrDispatch,
    xdp,
    gatewayApi,
    ingress,
    clusterMesh,
    egressGateway,
    ciliumEndpointSlice,
    multicast,
    hostFirewall,
    bgp,
    lbIpam,
    l2,
    hubbleUi,
    metrics,
    flowLogs: flowLogs.enabled ? flowLogs : undefined,
    l7Visibility,
    advancedPolicy,
    l7Proxy,
    tetragon,
    decisions,
  };
}
