import { Construct } from 'constructs';
import { METALLB_CHART } from '../../imports/helm/charts';
import { MetallbValues } from '../../imports/helm/metallb';
import { IpAddressPool, L2Advertisement } from '../../imports/metallb-metallb.io';
import { Capability, claimCapability } from '../core/capabilities';
import { invalidProp } from '../core/errors';
import { FluxApp } from '../flux/flux-app';
import { GitOpsCluster } from '../flux/gitops-cluster';
import { PodSecurityLevel } from '../flux/pod-security';

export interface MetalLbProps {
  /**
   * Address ranges LoadBalancer Services get IPs from: CIDRs (`192.168.10.0/28`) or ranges
   * (`192.168.10.10-192.168.10.20`).
   * @see https://metallb.io/configuration/#defining-the-ips-to-assign-to-the-load-balancer-services
   */
  readonly addresses: readonly string[];
  /**
   * Announce the addresses with ARP/NDP (L2 mode).
   * @default true
   */
  readonly l2Advertisement?: boolean;
}

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const IPV4_RANGE = /^(\d{1,3}\.){3}\d{1,3}-(\d{1,3}\.){3}\d{1,3}$/;
const IPV6_CIDR = /^[0-9a-fA-F:]+\/\d{1,3}$/;

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
    for (const a of props.addresses) {
      const m = IPV4_CIDR.exec(a);
      const ok = (m && m.slice(1, 5).every((o) => Number(o) <= 255) && Number(m[5]) <= 32) || IPV4_RANGE.test(a) || IPV6_CIDR.test(a);
      if (!ok) invalidProp(this, `address "${a}" is not a CIDR (10.0.0.0/28) or a range (10.0.0.10-10.0.0.20)`);
    }
    this.app = new FluxApp<MetallbValues>(scope.controllers, `${id}App`, {
      chart: METALLB_CHART,
      name: 'metallb',
      namespace: 'metallb-system',
      // The speaker runs on the host network with NET_RAW: the namespace must be privileged.
      podSecurity: PodSecurityLevel.PRIVILEGED,
      values: { crds: { enabled: true } },
    });
    this.pool = new IpAddressPool(scope.configs, `${id}Pool`, {
      metadata: { name: 'default', namespace: 'metallb-system' },
      spec: { addresses: [...props.addresses], avoidBuggyIPs: true },
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
