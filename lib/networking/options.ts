/**
 * Enum-like option classes of {@link CiliumNetworking} (no TypeScript unions in public props).
 */
import { Cidr } from './addresses';
import { SecretReference } from '../secrets/secret-reference';

/** Encapsulation protocol in tunnel routing mode. */
export enum TunnelProtocol {
  /** VXLAN (UDP 8472). Needed by multicast. */
  VXLAN = 'vxlan',
  /** Geneve (UDP 6081). Allows DSR with Geneve dispatch in tunnel mode. */
  GENEVE = 'geneve',
}

/**
 * How Pod traffic crosses between nodes.
 * @see https://docs.cilium.io/en/stable/network/concepts/routing/
 */
export class RoutingMode {
  /**
   * Native routing: no encapsulation; the underlay routes Pod CIDRs (flat L2 with
   * `autoDirectNodeRoutes`, BGP, or a cloud router). Required by BIG TCP and netkit, and by
   * DSR with IP-option dispatch.
   */
  public static native(options: NativeRoutingOptions = {}): RoutingMode {
    return new RoutingMode('native', undefined, options.autoDirectNodeRoutes ?? true, options.nativeRoutingCidr);
  }
  /** Tunnel (overlay) routing: works on any underlay that connects the nodes. */
  public static tunnel(protocol: TunnelProtocol = TunnelProtocol.VXLAN): RoutingMode {
    return new RoutingMode('tunnel', protocol, false, undefined);
  }
  private constructor(
    /** `routingMode` value. */
    public readonly mode: string,
    public readonly tunnelProtocol: TunnelProtocol | undefined,
    public readonly autoDirectNodeRoutes: boolean,
    public readonly nativeRoutingCidr: Cidr | undefined,
  ) {}
  public get isNative(): boolean {
    return this.mode === 'native';
  }
}

export interface NativeRoutingOptions {
  /**
   * Install direct routes to other nodes' Pod CIDRs (only works when all nodes share one L2 segment).
   * @default true
   */
  readonly autoDirectNodeRoutes?: boolean;
  /**
   * CIDR that is routed natively (not masqueraded).
   * @default - the cluster's pod CIDR
   */
  readonly nativeRoutingCidr?: Cidr;
}

/**
 * Transparent encryption of Pod-to-Pod traffic between nodes.
 * @see https://docs.cilium.io/en/stable/security/network/encryption/
 */
export class Encryption {
  /** WireGuard (the default): keys are generated and rotated by the agents. */
  public static wireguard(options: WireGuardOptions = {}): Encryption {
    return new Encryption('wireguard', options.nodeEncryption ?? false, undefined);
  }
  /**
   * IPsec with pre-shared keys from a Secret in kube-system (created by Sealed Secrets / External
   * Secrets, never by InfraFlux from a plain value).
   */
  public static ipsec(options: IpsecOptions): Encryption {
    return new Encryption('ipsec', false, options.keys);
  }
  /** No transparent encryption. */
  public static none(): Encryption {
    return new Encryption('none', false, undefined);
  }
  private constructor(
    public readonly type: string,
    public readonly nodeEncryption: boolean,
    /** The IPsec keys Secret (kube-system, key `keys`), for IPsec. */
    public readonly ipsecKeys: SecretReference | undefined,
  ) {}
  public get enabled(): boolean {
    return this.type !== 'none';
  }
}

export interface WireGuardOptions {
  /**
   * Also encrypt pure node-to-node traffic (`encryption.nodeEncryption`).
   * @default false
   */
  readonly nodeEncryption?: boolean;
}

export interface IpsecOptions {
  /**
   * The Secret in kube-system holding the IPsec keys (key `keys`), delivered sealed or external.
   * @see https://docs.cilium.io/en/stable/security/network/encryption-ipsec/
   */
  readonly keys: SecretReference;
}

/**
 * XDP acceleration of north-south load balancing (NIC-dependent).
 * @see https://docs.cilium.io/en/stable/network/kubernetes/kubeproxy-free/#loadbalancer-nodeport-xdp-acceleration
 */
export class XdpAcceleration {
  /** No XDP (the default: only NICs with native-XDP drivers support it). */
  public static readonly DISABLED = new XdpAcceleration('disabled');
  /** XDP in the driver on every device; fails on devices without native XDP. */
  public static readonly NATIVE = new XdpAcceleration('native');
  /** Native XDP on the devices that support it. */
  public static readonly BEST_EFFORT = new XdpAcceleration('best-effort');
  private constructor(public readonly value: string) {}
}

/**
 * Pod network device type (`bpf.datapathMode`).
 * @see https://docs.cilium.io/en/stable/operations/performance/tuning/#netkit-device-mode
 */
export class DatapathMode {
  /** veth pairs (Cilium's default; works everywhere). */
  public static readonly VETH = new DatapathMode('veth');
  /** netkit L3 devices: kernel >= 6.8, eBPF host routing, native routing. */
  public static readonly NETKIT = new DatapathMode('netkit');
  /** netkit in L2 mode (same needs as NETKIT). */
  public static readonly NETKIT_L2 = new DatapathMode('netkit-l2');
  private constructor(public readonly value: string) {}
  public get isNetkit(): boolean {
    return this.value !== 'veth';
  }
}

/**
 * How the clustermesh-apiserver is reachable from the other clusters of the mesh.
 * @see https://docs.cilium.io/en/stable/network/clustermesh/clustermesh/
 */
export class ClusterMeshExposure {
  /** A LoadBalancer Service (an LB IPAM pool or the cloud LB gives its IP). */
  public static loadBalancer(): ClusterMeshExposure {
    return new ClusterMeshExposure('LoadBalancer', undefined);
  }
  /** A NodePort Service on every node (default port 32379). */
  public static nodePort(port = 32379): ClusterMeshExposure {
    return new ClusterMeshExposure('NodePort', port);
  }
  private constructor(
    public readonly serviceType: string,
    public readonly nodePort: number | undefined,
  ) {}
}

/**
 * Which flows the Hubble flow log (`hubble.export.static`) writes, and how it is thinned.
 * @see https://docs.cilium.io/en/stable/observability/hubble/configuration/export/
 */
export class FlowLogs {
  /**
   * Every flow, aggregated per source/destination/verdict every `aggregationSeconds`
   * (the design's "cluster-wide flow logs with sampling").
   */
  public static aggregated(aggregationSeconds = 30): FlowLogs {
    return new FlowLogs([], aggregationSeconds);
  }
  /** Only dropped and errored flows (policy denials), unaggregated. */
  public static dropsOnly(): FlowLogs {
    return new FlowLogs(['{"verdict":["DROPPED","ERROR"]}'], 0);
  }
  /** Every flow, one line each (chatty; size the node disk accordingly). */
  public static all(): FlowLogs {
    return new FlowLogs([], 0);
  }
  /** No flow log file. */
  public static disabled(): FlowLogs {
    return new FlowLogs([], 0, false);
  }
  private constructor(
    public readonly allowList: readonly string[],
    public readonly aggregationSeconds: number,
    public readonly enabled: boolean = true,
  ) {}
}

// ServiceReference (namespace, name, port) is shared with the edge: lib/core/service-reference.ts.
export type { ServiceReference } from '../core/service-reference';
