/**
 * What the infrastructure must let through between nodes for the cluster's Cilium datapath
 * (security groups / firewall rules). A typed mirror of the CiliumNetworking routing and encryption
 * choices; lib/cluster does not depend on lib/networking, so stacks map one to the other.
 *
 * @see https://docs.cilium.io/en/stable/operations/system_requirements/#firewall-rules
 */

/** How Pod traffic crosses nodes: an encapsulation protocol, or native routing (no tunnel port). */
export class CiliumTunnel {
  /** Native routing: no encapsulation, no tunnel port. */
  public static readonly NATIVE = new CiliumTunnel('native', undefined);
  /** VXLAN: UDP 8472. */
  public static readonly VXLAN = new CiliumTunnel('vxlan', 8472);
  /** Geneve: UDP 6081. */
  public static readonly GENEVE = new CiliumTunnel('geneve', 6081);
  private constructor(
    public readonly name: string,
    /** UDP port of the encapsulation; undefined for native routing. */
    public readonly udpPort: number | undefined,
  ) {}
}

/** Transparent encryption between nodes. */
export class CiliumEncryption {
  /** WireGuard: UDP 51871. */
  public static readonly WIREGUARD = new CiliumEncryption('wireguard');
  /** IPsec: ESP (IP protocol 50). */
  public static readonly IPSEC = new CiliumEncryption('ipsec');
  /** None. */
  public static readonly NONE = new CiliumEncryption('none');
  private constructor(public readonly name: string) {}
}

/** Props of {@link CiliumDatapath.of}. */
export interface CiliumDatapathProps {
  /**
   * @default CiliumTunnel.NATIVE (CiliumNetworking's default RoutingMode.native())
   */
  readonly tunnel?: CiliumTunnel;
  /**
   * @default CiliumEncryption.WIREGUARD (CiliumNetworking's default Encryption.wireguard())
   */
  readonly encryption?: CiliumEncryption;
}

/** One node-to-node rule the datapath needs. */
export interface DatapathRule {
  readonly description: string;
  /** `tcp`, `udp`, or an IP protocol number (`50` = ESP). */
  readonly protocol: string;
  /** -1 for protocols without ports (ESP). */
  readonly fromPort: number;
  readonly toPort: number;
}

/** The Cilium datapath of a cluster, as far as the node network must allow it. */
export class CiliumDatapath {
  /** A datapath; the defaults equal CiliumNetworking's (native routing, WireGuard). */
  public static of(props: CiliumDatapathProps = {}): CiliumDatapath {
    return new CiliumDatapath(props.tunnel ?? CiliumTunnel.NATIVE, props.encryption ?? CiliumEncryption.WIREGUARD);
  }

  private constructor(
    public readonly tunnel: CiliumTunnel,
    public readonly encryption: CiliumEncryption,
  ) {}

  /**
   * The node-to-node ingress rules: cilium-health (4240/tcp) and Hubble peers (4244/tcp) always,
   * the tunnel port (VXLAN 8472/udp, Geneve 6081/udp; none for native routing), and WireGuard
   * (51871/udp) or IPsec (ESP).
   * @see https://docs.cilium.io/en/stable/operations/system_requirements/#firewall-rules
   */
  public nodeRules(): DatapathRule[] {
    const rules: DatapathRule[] = [
      { description: 'cilium health', protocol: 'tcp', fromPort: 4240, toPort: 4240 },
      { description: 'hubble peer', protocol: 'tcp', fromPort: 4244, toPort: 4244 },
    ];
    if (this.tunnel.udpPort !== undefined) {
      rules.push({ description: `cilium ${this.tunnel.name}`, protocol: 'udp', fromPort: this.tunnel.udpPort, toPort: this.tunnel.udpPort });
    }
    if (this.encryption === CiliumEncryption.WIREGUARD) rules.push({ description: 'cilium wireguard', protocol: 'udp', fromPort: 51871, toPort: 51871 });
    if (this.encryption === CiliumEncryption.IPSEC) rules.push({ description: 'cilium ipsec (esp)', protocol: '50', fromPort: -1, toPort: -1 });
    return rules;
  }
}
