import { Construct, IConstruct } from 'constructs';
import { METALLB_CHART } from '../../imports/helm/charts';
import { MetallbValues } from '../../imports/helm/metallb';
import { IpAddressPool, L2Advertisement } from '../../imports/metallb-metallb.io';
import { Capability, claimCapability } from '../core/capabilities';
import { Cidr } from '../core/cidr';
import { ErrorCode, InfraFluxError, invalidProp } from '../core/errors';
import { FluxApp } from '../flux/flux-app';
import { GitOpsCluster } from '../flux/gitops-cluster';
import { PodSecurityLevel } from '../flux/pod-security';

/**
 * An inclusive range of IP addresses (`192.168.10.10-192.168.10.20`): both ends addresses of the
 * same family, the first not after the last. `IpRange.of()` only records the ends; the construct
 * using it checks them, so the error names its path.
 */
export class IpRange {
  /** The range `first`-`last` (inclusive). */
  public static of(first: string, last: string): IpRange {
    return new IpRange(first, last);
  }

  private constructor(
    public readonly first: string,
    public readonly last: string,
  ) {}

  /**
   * Checks both ends (addresses, same family, first <= last); returns the MetalLB text form.
   * @internal
   */
  public _parse(scope?: IConstruct, what: string = 'range'): string {
    const fail = (message: string): never => {
      if (scope) invalidProp(scope, message);
      throw new InfraFluxError(ErrorCode.INVALID_PROP, 'IpRange.of', message);
    };
    const a = Cidr._address(this.first);
    const b = Cidr._address(this.last);
    if (!a || !b) {
      return fail(`${what} "${this.toString()}": "${!a ? this.first : this.last}" is not an IP address; use two addresses such as 192.168.10.10-192.168.10.20`);
    }
    if (a.family !== b.family) return fail(`${what} "${this.toString()}" mixes IPv${a.family} and IPv${b.family}; both ends must be of one family`);
    if (a.value > b.value) return fail(`${what} "${this.toString()}" starts after it ends; give the lower address first`);
    return this.toString();
  }

  public toString(): string {
    return `${this.first}-${this.last}`;
  }
}

/** One block of a MetalLB address pool: a CIDR or an address range. */
export class MetalLbAddresses {
  /** A network, e.g. `MetalLbAddresses.cidr(Cidr.of('192.168.10.0/28'))`. */
  public static cidr(cidr: Cidr): MetalLbAddresses {
    return new MetalLbAddresses((scope) => Cidr._canonical(cidr._parse(scope, 'addresses')));
  }

  /** A range, e.g. `MetalLbAddresses.range(IpRange.of('192.168.10.10', '192.168.10.20'))`. */
  public static range(range: IpRange): MetalLbAddresses {
    return new MetalLbAddresses((scope) => range._parse(scope, 'addresses'));
  }

  private constructor(private readonly render: (scope: IConstruct) => string) {}

  /** Checks the block and returns MetalLB's text form. @internal */
  public _render(scope: IConstruct): string {
    return this.render(scope);
  }
}

export interface MetalLbProps {
  /**
   * Address blocks LoadBalancer Services get IPs from: CIDRs or ranges.
   * @see https://metallb.io/configuration/#defining-the-ips-to-assign-to-the-load-balancer-services
   */
  readonly addresses: readonly MetalLbAddresses[];
  /**
   * Announce the addresses with ARP/NDP (L2 mode).
   * @default true
   */
  readonly l2Advertisement?: boolean;
}

/**
 * MetalLB 0.16.1 (pinned chart, CRDs included) as the L4 load balancer: an IPAddressPool and an
 * L2Advertisement in `metallb-system`. Off by default; it claims
 * {@link Capability.LOAD_BALANCER_IPS}, so a cluster that also runs Cilium LB IPAM/BGP/L2 fails at
 * synth instead of having two controllers fight over the same Services.
 */
export class MetalLb extends Construct {
  public readonly app: FluxApp<MetallbValues>;
  public readonly pool: IpAddressPool;

  public constructor(scope: GitOpsCluster, id: string, props: MetalLbProps) {
    super(scope, id);
    if (props.addresses.length === 0) invalidProp(this, 'addresses is empty; give at least one CIDR or range');
    const addresses = props.addresses.map((a) => a._render(this));
    this.app = new FluxApp<MetallbValues>(scope.controllers, `${id}App`, {
      chart: METALLB_CHART,
      name: 'metallb',
      namespace: 'metallb-system',
      // The speaker runs on the host network with NET_RAW: the namespace must be privileged.
      podSecurity: PodSecurityLevel.PRIVILEGED,
      values: { crds: { enabled: true } },
    });
    // The app sits in the controllers layer (its pool and advertisement in configs): this construct
    // spans two layers, so it owns a FluxApp there rather than being the app.
    this.node.defaultChild = this.app.helmRelease;
    this.pool = new IpAddressPool(scope.configs, `${id}Pool`, {
      metadata: { name: 'default', namespace: 'metallb-system' },
      spec: { addresses, avoidBuggyIPs: true },
    });
    scope.addDependency(this.pool, this.app);
    if (props.l2Advertisement ?? true) {
      const l2 = new L2Advertisement(scope.configs, `${id}L2`, {
        metadata: { name: 'default', namespace: 'metallb-system' },
        spec: { ipAddressPools: ['default'] },
      });
      scope.addDependency(l2, this.app);
    }
    claimCapability(scope, Capability.LOAD_BALANCER_IPS, this);
  }
}
