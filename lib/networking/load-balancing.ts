import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  CiliumBgpAdvertisement,
  CiliumBgpClusterConfig,
  CiliumBgpPeerConfig,
  CiliumL2AnnouncementPolicy,
  CiliumLoadBalancerIpPool,
} from '../../imports/cilium-cilium.io';
import { invalidProp, validateDnsLabel, validateDnsSubdomain } from '../core/errors';
import { GitOpsCluster } from '../flux/gitops-cluster';
import { Asn, Cidr, ipFamilyOf } from './addresses';
import type { ICiliumNetworkingInternals } from './_cilium-api';
import { requireConfigsOrLater } from './_layer-rules';
import { SecretReference } from '../secrets/secret-reference';

/** Operator of a label selector requirement. */
export enum SelectorOperator {
  IN = 'In',
  NOT_IN = 'NotIn',
  EXISTS = 'Exists',
  DOES_NOT_EXIST = 'DoesNotExist',
}

/** A Kubernetes label selector requirement. */
export interface LabelRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  /** @default [] */
  readonly values?: readonly string[];
}

/** A Kubernetes label selector. An empty selector matches everything. */
export interface LabelSelector {
  /** @default {} */
  readonly matchLabels?: Readonly<Record<string, string>>;
  /** @default [] */
  readonly matchExpressions?: readonly LabelRequirement[];
}

/** @internal Renders a selector (omitting empty parts). */
export function renderSelector(s: LabelSelector | undefined): Record<string, unknown> {
  if (!s) return {};
  return {
    ...(s.matchLabels && Object.keys(s.matchLabels).length > 0 ? { matchLabels: { ...s.matchLabels } } : {}),
    ...(s.matchExpressions && s.matchExpressions.length > 0
      ? { matchExpressions: s.matchExpressions.map((e) => ({ key: e.key, operator: e.operator, ...(e.values && e.values.length > 0 ? { values: [...e.values] } : {}) })) }
      : {}),
  };
}

/** Label that puts a Service into the `critical` pool of {@link CiliumNetworking.addDefaultPools}. */
export const CRITICAL_POOL_LABEL = 'priority';

export interface LoadBalancerPoolProps {
  /** The cluster's Cilium (LB IPAM must be on). */
  readonly cilium: ICiliumNetworkingInternals;
  /** `metadata.name` of the pool. @default - the construct id */
  readonly name?: string;
  /** Address blocks (CIDRs) of the pool. At least one. */
  readonly blocks: readonly Cidr[];
  /**
   * Services that get IPs from this pool.
   * @default - every LoadBalancer Service
   */
  readonly serviceSelector?: LabelSelector;
  /**
   * Allow the first and last address of each block (network/broadcast for /0-/30 blocks).
   * @default false
   */
  readonly allowFirstLastIps?: boolean;
}

/**
 * A `CiliumLoadBalancerIPPool` (`cilium.io/v2`, `blocks`) in the configs layer. Blocks must not
 * overlap the cluster's node, pod or Service CIDRs or another pool of the cluster.
 * @see https://docs.cilium.io/en/stable/network/lb-ipam/
 */
export class LoadBalancerPool extends Construct {
  public readonly poolName: string;
  public readonly blocks: readonly Cidr[];
  public readonly resource: ApiObject;

  public constructor(scope: Construct, id: string, props: LoadBalancerPoolProps) {
    super(scope, id);
    requireConfigsOrLater(this, 'LoadBalancerPool');
    this.poolName = validateDnsSubdomain(this, 'pool name', props.name ?? id);
    const cilium = props.cilium;
    if (!cilium._profile.lbIpam) invalidProp(this, 'LB IPAM is off on this cluster (loadBalancerIpam: false); switch it on or remove the pool');
    if (!props.blocks || props.blocks.length === 0) invalidProp(this, `pool ${this.poolName} has no blocks; give at least one CIDR`);
    const reserved: Array<[string, Cidr]> = [
      ['pod CIDR', cilium.podCidr],
      ['service CIDR', cilium.serviceCidr],
      ...cilium.nodeCidrs.map((c): [string, Cidr] => ['node CIDR', c]),
    ];
    for (const block of props.blocks) {
      for (const [what, cidr] of reserved) {
        if (block.overlaps(cidr)) invalidProp(this, `block ${block} overlaps the cluster's ${what} ${cidr}; LB IPs must come from a range nothing else uses`);
      }
      for (const other of cilium._pools) {
        const clash = other.blocks.find((b) => b.overlaps(block));
        if (clash) invalidProp(this, `block ${block} overlaps block ${clash} of pool ${other.poolName} (${other.node.path}); pools must be disjoint`);
      }
    }
    for (let i = 0; i < props.blocks.length; i++) {
      for (let j = i + 1; j < props.blocks.length; j++) {
        if (props.blocks[i].overlaps(props.blocks[j])) invalidProp(this, `blocks ${props.blocks[i]} and ${props.blocks[j]} of pool ${this.poolName} overlap`);
      }
    }
    this.blocks = [...props.blocks];
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: CiliumLoadBalancerIpPool.GVK.apiVersion,
      kind: CiliumLoadBalancerIpPool.GVK.kind,
      metadata: { name: this.poolName },
      spec: {
        blocks: this.blocks.map((b) => ({ cidr: b.text })),
        ...(props.serviceSelector ? { serviceSelector: renderSelector(props.serviceSelector) } : {}),
        allowFirstLastIPs: props.allowFirstLastIps ? 'Yes' : 'No',
      },
    });
    cilium._pools.push(this);
    GitOpsCluster.of(this).addDependency(this, cilium);
  }
}

export interface L2AnnouncementProps {
  readonly cilium: ICiliumNetworkingInternals;
  /** @default - the construct id */
  readonly name?: string;
  /**
   * Interface name regexes to announce on (must be among Cilium's `devices`).
   * @default - every interface
   */
  readonly interfaces?: readonly string[];
  /** @default - every node */
  readonly nodeSelector?: LabelSelector;
  /** @default - every LoadBalancer Service */
  readonly serviceSelector?: LabelSelector;
}

/**
 * A `CiliumL2AnnouncementPolicy` (`cilium.io/v2alpha1`, the only version): answer ARP/NDP for
 * LoadBalancer IPs. Needs `l2Announcements: true` on CiliumNetworking.
 * @see https://docs.cilium.io/en/stable/network/l2-announcements/
 */
export class L2Announcement extends Construct {
  public readonly resource: ApiObject;
  public constructor(scope: Construct, id: string, props: L2AnnouncementProps) {
    super(scope, id);
    requireConfigsOrLater(this, 'L2Announcement');
    const name = validateDnsSubdomain(this, 'name', props.name ?? id);
    if (!props.cilium._profile.l2) invalidProp(this, 'L2 announcements are off on this cluster; set l2Announcements: true on CiliumNetworking');
    for (const i of props.interfaces ?? []) {
      try {
        new RegExp(i);
      } catch {
        invalidProp(this, `interface pattern "${i}" is not a valid regular expression`);
      }
    }
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: CiliumL2AnnouncementPolicy.GVK.apiVersion,
      kind: CiliumL2AnnouncementPolicy.GVK.kind,
      metadata: { name },
      spec: {
        loadBalancerIPs: true,
        externalIPs: false,
        ...(props.interfaces ? { interfaces: [...props.interfaces] } : {}),
        ...(props.nodeSelector ? { nodeSelector: renderSelector(props.nodeSelector) } : {}),
        ...(props.serviceSelector ? { serviceSelector: renderSelector(props.serviceSelector) } : {}),
      },
    });
    GitOpsCluster.of(this).addDependency(this, props.cilium);
  }
}

/** BGP timers of a peer. */
export interface BgpTimers {
  /** @default 90 */
  readonly holdTimeSeconds?: number;
  /** @default 30 */
  readonly keepAliveTimeSeconds?: number;
  /** @default 120 */
  readonly connectRetryTimeSeconds?: number;
}

/** A BGP neighbour (router) of the cluster's nodes. */
export interface BgpPeer {
  /** Peer name (DNS label), unique in the BGP config. */
  readonly name: string;
  /** Peer address (IPv4 or IPv6). */
  readonly address: string;
  /** Peer ASN. */
  readonly asn: Asn;
  /** @default - 90/30/120 seconds */
  readonly timers?: BgpTimers;
  /**
   * eBGP multihop TTL.
   * @default 1
   */
  readonly ebgpMultihop?: number;
  /**
   * Secret (in kube-system, Cilium's BGP secrets namespace) with the TCP MD5 `password` key,
   * delivered sealed or external.
   * @default - no authentication
   * @see https://docs.cilium.io/en/stable/network/bgp-control-plane/bgp-control-plane-v2/
   */
  readonly auth?: SecretReference;
}

export interface CiliumBgpProps {
  readonly cilium: ICiliumNetworkingInternals;
  /** Name of the cluster config, peer configs (`<name>-<peer>`) and advertisement. @default 'infraflux' */
  readonly name?: string;
  /** The nodes' ASN. */
  readonly localAsn: Asn;
  /** At least one peer. */
  readonly peers: readonly BgpPeer[];
  /** @default - every node */
  readonly nodeSelector?: LabelSelector;
  /**
   * Advertise LoadBalancer IPs of every Service that has one.
   * @default true
   */
  readonly advertiseLoadBalancerIps?: boolean;
  /**
   * Advertise each node's pod CIDR (native routing across L3 boundaries).
   * @default true
   */
  readonly advertisePodCidrs?: boolean;
}

/** Label that ties the peer configs to the advertisement. */
const ADVERTISE_LABEL = 'bgp.infraflux.dev/advertise';

/**
 * The BGP control plane (v2 API, `cilium.io/v2`): a `CiliumBGPClusterConfig` with one BGP
 * instance, one `CiliumBGPPeerConfig` per peer (timers, graceful restart, IPv4/IPv6 unicast
 * families selecting the advertisement) and a `CiliumBGPAdvertisement` for LoadBalancer IPs and
 * pod CIDRs. Replaces MetalLB's BGP mode.
 * @see https://docs.cilium.io/en/stable/network/bgp-control-plane/bgp-control-plane-v2/
 */
export class CiliumBgp extends Construct {
  public readonly clusterConfig: ApiObject;
  public readonly peerConfigs: readonly ApiObject[];
  public readonly advertisement: ApiObject;

  public constructor(scope: Construct, id: string, props: CiliumBgpProps) {
    super(scope, id);
    requireConfigsOrLater(this, 'CiliumBgp');
    const name = validateDnsLabel(this, 'name', props.name ?? 'infraflux');
    if (!props.cilium._profile.bgp) invalidProp(this, 'the BGP control plane is off on this cluster; set bgpControlPlane: true (the default) on CiliumNetworking');
    if (!(props.localAsn instanceof Asn)) invalidProp(this, `localAsn ${String(props.localAsn)} is not an Asn; use Asn.of(65001)`);
    if (!props.peers || props.peers.length === 0) invalidProp(this, 'no BGP peers given; give at least one { name, address, asn }');
    const names = new Set<string>();
    for (const peer of props.peers) {
      const label = `peer "${peer.name ?? '?'}"`;
      if (!peer.name) invalidProp(this, 'a BGP peer has no name; give each peer a DNS-label name');
      validateDnsLabel(this, 'peer name', peer.name);
      if (names.has(peer.name)) invalidProp(this, `${label} is given twice; peer names must be unique`);
      names.add(peer.name);
      if (peer.asn === undefined || peer.asn === null) invalidProp(this, `${label} has no ASN; set asn: Asn.of(...)`);
      if (!(peer.asn instanceof Asn)) invalidProp(this, `${label} asn ${String(peer.asn)} is not an Asn; use Asn.of(65000)`);
      if (!peer.address) invalidProp(this, `${label} has no address; set the router's IPv4 or IPv6 address`);
      if (!ipFamilyOf(peer.address)) invalidProp(this, `${label} address "${peer.address}" is not an IPv4 or IPv6 address`);
      const t = peer.timers ?? {};
      const hold = t.holdTimeSeconds ?? 90;
      const keepAlive = t.keepAliveTimeSeconds ?? 30;
      const retry = t.connectRetryTimeSeconds ?? 120;
      if (!Number.isInteger(hold) || hold < 3 || hold > 65535) invalidProp(this, `${label} holdTimeSeconds ${hold} is invalid; use 3-65535 (RFC 4271)`);
      if (!Number.isInteger(keepAlive) || keepAlive < 1 || keepAlive >= hold) invalidProp(this, `${label} keepAliveTimeSeconds ${keepAlive} must be 1 to less than holdTimeSeconds ${hold}`);
      if (!Number.isInteger(retry) || retry < 1 || retry > 65535) invalidProp(this, `${label} connectRetryTimeSeconds ${retry} is invalid; use 1-65535`);
      if (peer.ebgpMultihop !== undefined && (!Number.isInteger(peer.ebgpMultihop) || peer.ebgpMultihop < 1 || peer.ebgpMultihop > 255)) {
        invalidProp(this, `${label} ebgpMultihop ${peer.ebgpMultihop} is invalid; use 1-255`);
      }
      peer.auth?.key('password').use(this, `${label} auth`, 'kube-system');
    }
    const advertiseLb = props.advertiseLoadBalancerIps ?? true;
    const advertisePods = props.advertisePodCidrs ?? true;
    if (!advertiseLb && !advertisePods) invalidProp(this, 'advertises nothing; keep advertiseLoadBalancerIps or advertisePodCidrs on');

    this.clusterConfig = new ApiObject(this, 'Resource', {
      apiVersion: CiliumBgpClusterConfig.GVK.apiVersion,
      kind: CiliumBgpClusterConfig.GVK.kind,
      metadata: { name },
      spec: {
        ...(props.nodeSelector ? { nodeSelector: renderSelector(props.nodeSelector) } : {}),
        bgpInstances: [
          {
            name: `${name}-${props.localAsn.value}`,
            localASN: props.localAsn.value,
            peers: props.peers.map((p) => ({
              name: p.name,
              peerASN: p.asn.value,
              peerAddress: p.address,
              peerConfigRef: { name: `${name}-${p.name}` },
            })),
          },
        ],
      },
    });
    this.peerConfigs = props.peers.map(
      (p) =>
        new ApiObject(this, `Peer-${p.name}`, {
          apiVersion: CiliumBgpPeerConfig.GVK.apiVersion,
          kind: CiliumBgpPeerConfig.GVK.kind,
          metadata: { name: `${name}-${p.name}` },
          spec: {
            timers: {
              holdTimeSeconds: p.timers?.holdTimeSeconds ?? 90,
              keepAliveTimeSeconds: p.timers?.keepAliveTimeSeconds ?? 30,
              connectRetryTimeSeconds: p.timers?.connectRetryTimeSeconds ?? 120,
            },
            gracefulRestart: { enabled: true, restartTimeSeconds: 120 },
            ...(p.ebgpMultihop ? { ebgpMultihop: p.ebgpMultihop } : {}),
            ...(p.auth ? { authSecretRef: p.auth.name } : {}),
            families: [
              {
                afi: ipFamilyOf(p.address) === 'ipv6' ? 'ipv6' : 'ipv4',
                safi: 'unicast',
                advertisements: { matchLabels: { [ADVERTISE_LABEL]: name } },
              },
            ],
          },
        }),
    );
    this.advertisement = new ApiObject(this, 'Advertisement', {
      apiVersion: CiliumBgpAdvertisement.GVK.apiVersion,
      kind: CiliumBgpAdvertisement.GVK.kind,
      metadata: { name, labels: { [ADVERTISE_LABEL]: name } },
      spec: {
        advertisements: [
          ...(advertisePods ? [{ advertisementType: 'PodCIDR' }] : []),
          ...(advertiseLb
            ? [
                {
                  advertisementType: 'Service',
                  service: { addresses: ['LoadBalancerIP'] },
                  // Every Service: Cilium's documented "match all" selector.
                  selector: { matchExpressions: [{ key: 'bgp.infraflux.dev/no-advertise', operator: 'DoesNotExist' }] },
                },
              ]
            : []),
        ],
      },
    });
    GitOpsCluster.of(this).addDependency(this, props.cilium);
  }
}
