import { IConstruct } from 'constructs';
import { addCodedValidation, ErrorCode, InfraFluxError } from './errors';

/**
 * Exclusive capabilities of a cluster: things only one component may provide, such as the IPs of
 * LoadBalancer Services (Cilium LB IPAM/BGP/L2 *or* MetalLB, never both for the same Services).
 * Constructs claim a capability on their cluster scope; a second claimant by another construct is
 * a synth error naming both.
 */
export class Capability {
  /** Allocating and announcing LoadBalancer Service IPs (Cilium LB IPAM/BGP/L2, MetalLB). */
  public static readonly LOAD_BALANCER_IPS = new Capability('load-balancer-ips');
  /** The cluster's CNI. */
  public static readonly CNI = new Capability('cni');
  /** The default Gateway API / Ingress controller. */
  public static readonly INGRESS_CONTROLLER = new Capability('ingress-controller');
  /** The cluster's metrics stack (Prometheus Operator): charts turn their own monitors on when it is there (lib/flux/cluster-monitoring.ts). */
  public static readonly MONITORING = new Capability('monitoring');
  /** A capability not predefined here. */
  public static of(name: string): Capability {
    return new Capability(name);
  }
  private constructor(public readonly name: string) {}
}

const REGISTRY = Symbol.for('infraflux.capabilities');

interface ScopeWithRegistry {
  [REGISTRY]?: Map<string, IConstruct[]>;
}

/**
 * Claims `capability` on `scope` (normally a GitOpsCluster) for `owner`. The check runs at synth,
 * so every conflict of a fleet is reported at once.
 */
export function claimCapability(scope: IConstruct, capability: Capability, owner: IConstruct): void {
  const holder = scope as unknown as ScopeWithRegistry;
  let registry = holder[REGISTRY];
  if (!registry) {
    const created = new Map<string, IConstruct[]>();
    holder[REGISTRY] = created;
    registry = created;
    addCodedValidation(scope, () =>
        [...created.entries()]
          .filter(([, owners]) => owners.length > 1)
          .map(
            ([name, owners]) =>
              new InfraFluxError(
                ErrorCode.DUPLICATE,
                owners[1],
                `claims "${name}", which ${owners[0].node.path} already provides in ${scope.node.path}; switch one of them off`,
              ),
          ),
    );
  }
  const owners = registry.get(capability.name) ?? [];
  if (!owners.includes(owner)) owners.push(owner);
  registry.set(capability.name, owners);
}

/** Who claimed `capability` on `scope`, in claim order. */
export function capabilityOwners(scope: IConstruct, capability: Capability): readonly IConstruct[] {
  return (scope as unknown as ScopeWithRegistry)[REGISTRY]?.get(capability.name) ?? [];
}
