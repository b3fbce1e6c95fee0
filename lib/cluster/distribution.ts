/** Options of the RKE2 distribution. */
export interface Rke2DistributionProps {
  /**
   * Build the cluster from a real Cluster API `ClusterClass` (`cluster.x-k8s.io/v1beta2`) instead
   * of explicit objects: the cluster's namespace gets a ClusterClass whose control plane is an
   * `RKE2ControlPlaneTemplate`, whose workers are `RKE2ConfigTemplate`s with the provider's machine
   * templates, whose infrastructure is the provider's `<Kind>ClusterTemplate`, with variables and
   * patches; the `Cluster` then has `spec.topology` (class, version, replicas, machine deployments)
   * and the topology controller creates the control plane, MachineDeployments and health checks.
   * Needs the ClusterTopology feature gate (on in `ManagementCluster`).
   * @default false - explicit RKE2ControlPlane / MachineDeployments, like the Talos path
   * @see https://cluster-api.sigs.k8s.io/tasks/experimental-features/cluster-class/write-clusterclass
   * @see https://github.com/rancher/cluster-api-provider-rke2
   */
  readonly clusterClass?: boolean;
}

/** Which distribution a {@link Distribution} is (enum-like; compare with `===`). */
export class DistributionKind {
  /** Talos Linux (CABPT + CACPPT). */
  public static readonly TALOS = new DistributionKind('talos');
  /** RKE2 (CAPRKE2). */
  public static readonly RKE2 = new DistributionKind('rke2');
  private constructor(
    /** Short name, used in generated names (`<class>-<name>` ClusterClass). */
    public readonly name: string,
  ) {}

  public toString(): string {
    return this.name;
  }
}

/**
 * The Kubernetes distribution of a cluster: which Cluster API control-plane and bootstrap
 * providers build it. Switching it changes only the control-plane and bootstrap objects (and the
 * references to them); infrastructure, machine templates, network and health checks stay the same.
 * The opt-in `Distribution.rke2({ clusterClass: true })` instead emits a ClusterClass and a
 * topology-managed Cluster.
 */
export class Distribution {
  /**
   * Talos Linux: TalosControlPlane (CACPPT) and TalosConfigTemplate (CABPT), machine config by
   * strategic merge patches. No ClusterClass: CACPPT v0.5.12 ships no TalosControlPlaneTemplate.
   * @see https://github.com/siderolabs/cluster-api-control-plane-provider-talos
   */
  public static talos(): Distribution {
    return new Distribution(DistributionKind.TALOS, false);
  }

  /**
   * RKE2: RKE2ControlPlane and RKE2ConfigTemplate (CAPRKE2). The machine images of the provider
   * inputs must then be RKE2-capable (cloud-init) images, not Talos images.
   * @see https://github.com/rancher/cluster-api-provider-rke2
   */
  public static rke2(props: Rke2DistributionProps = {}): Distribution {
    return new Distribution(DistributionKind.RKE2, props.clusterClass ?? false);
  }

  /** Short name (`talos`, `rke2`): `kind.name`. */
  public readonly name: string;

  private constructor(
    /** Which distribution. */
    public readonly kind: DistributionKind,
    /** Whether the cluster is built from a Cluster API ClusterClass (`spec.topology`). */
    public readonly clusterClass: boolean,
  ) {
    this.name = kind.name;
  }
}
