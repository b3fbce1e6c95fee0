import { JsonPatch } from 'cdk8s';
import { TalosConfigPatch } from '../talos/cilium-machine-config';
import { MachineSize } from './machine';

/** The infrastructure provider a class is written for. */
export class ClusterProvider {
  /** Cluster API provider AWS (CAPA). */
  public static readonly AWS = new ClusterProvider('aws');
  /** Cluster API provider Azure (CAPZ). */
  public static readonly AZURE = new ClusterProvider('azure');
  /** Cluster API provider GCP (CAPG). */
  public static readonly GCP = new ClusterProvider('gcp');
  /** Cluster API provider Proxmox (CAPMOX). */
  public static readonly PROXMOX = new ClusterProvider('proxmox');
  /** Cluster API provider Metal3 (CAPM3, bare metal). */
  public static readonly METAL3 = new ClusterProvider('metal3');
  private constructor(public readonly name: string) {}
}

/** The nodes a Talos patch applies to. */
export class NodeRole {
  public static readonly CONTROL_PLANE = new NodeRole('control-plane');
  public static readonly WORKER = new NodeRole('worker');
  public static readonly ALL = new NodeRole('all');
  private constructor(public readonly name: string) {}
  /** @internal */
  public _applies(role: NodeRole): boolean {
    return this === NodeRole.ALL || this === role;
  }
}

/**
 * A patch a class applies to every cluster of the class at synth: a Talos machine-config
 * strategic merge patch (JSON patches do not work with Talos ≥ 1.12, CABPT README), or a JSON
 * patch on the emitted objects of one kind.
 */
export class ClassPatch {
  /**
   * A Talos machine-config strategic merge patch (a v1alpha1 document or another Talos config
   * document) for the nodes of `role`. Validated against the pinned Talos config schema.
   * @see https://www.talos.dev/v1.12/talos-guides/configuration/patching/#strategic-merge-patches
   */
  public static talos(patch: TalosConfigPatch, role: NodeRole = NodeRole.ALL): ClassPatch {
    return new ClassPatch(patch, role, undefined, []);
  }

  /**
   * JSON patches applied at synth to every emitted object of `kind` (e.g. `AWSMachineTemplate`),
   * through cdk8s `ApiObject.addJsonPatch`.
   * @see https://cdk8s.io/docs/latest/basics/escape-hatches/#patching-api-objects-behind-higher-level-apis
   */
  public static object(kind: string, ...patches: JsonPatch[]): ClassPatch {
    return new ClassPatch(undefined, NodeRole.ALL, kind, patches);
  }

  private constructor(
    /** @internal */ public readonly _talos: TalosConfigPatch | undefined,
    /** @internal */ public readonly _role: NodeRole,
    /** @internal */ public readonly _kind: string | undefined,
    /** @internal */ public readonly _jsonPatches: readonly JsonPatch[],
  ) {}
}

/** What a class variant sets when the cluster does not. */
export interface ClassVariantProps {
  /** Variant name (`dev`, `prod`, `edge`). */
  readonly name: string;
  /** Control-plane nodes. */
  readonly controlPlaneCount: number;
  /** HA: the control-plane count must be odd and at least 3 (etcd quorum). */
  readonly highAvailability: boolean;
  /** Workers in the default pool. */
  readonly workerCount: number;
  /** Autoscaler bounds of the default pool, if any. */
  readonly workerAutoscaling?: { readonly minReplicas: number; readonly maxReplicas: number };
  /** Let workloads run on control-plane nodes (Talos `cluster.allowSchedulingOnControlPlanes`). */
  readonly allowSchedulingOnControlPlanes: boolean;
  /** MachineHealthCheck: seconds a node may stay NotReady/Unknown before remediation. */
  readonly unhealthySeconds: number;
  /** MachineHealthCheck: seconds a new machine may take to get a Node. */
  readonly nodeStartupSeconds: number;
}

/** The design's class variants. */
export class ClassVariant {
  /** One control-plane node, one worker: cheap and disposable. */
  public static readonly DEV = new ClassVariant({
    name: 'dev',
    controlPlaneCount: 1,
    highAvailability: false,
    workerCount: 1,
    allowSchedulingOnControlPlanes: false,
    unhealthySeconds: 600,
    nodeStartupSeconds: 1200,
  });
  /** Three control-plane nodes (HA, odd count enforced), an autoscaled worker pool of 3-10. */
  public static readonly PROD = new ClassVariant({
    name: 'prod',
    controlPlaneCount: 3,
    highAvailability: true,
    workerCount: 3,
    workerAutoscaling: { minReplicas: 3, maxReplicas: 10 },
    allowSchedulingOnControlPlanes: false,
    unhealthySeconds: 300,
    nodeStartupSeconds: 900,
  });
  /** Small footprint: one control-plane node that also runs workloads, no separate workers. */
  public static readonly EDGE = new ClassVariant({
    name: 'edge',
    controlPlaneCount: 1,
    highAvailability: false,
    workerCount: 0,
    allowSchedulingOnControlPlanes: true,
    unhealthySeconds: 900,
    nodeStartupSeconds: 1800,
  });
  /** A variant of your own. */
  public static custom(props: ClassVariantProps): ClassVariant {
    return new ClassVariant(props);
  }
  private constructor(public readonly props: ClassVariantProps) {}
  public get name(): string {
    return this.props.name;
  }
}

export interface TalosClusterClassProps {
  /** The provider this class is for; clusters of the class must give that provider's inputs. */
  readonly provider: ClusterProvider;
  /** dev, prod, edge or a custom variant. */
  readonly variant: ClassVariant;
  /**
   * Class name (documentation and the `infraflux.io/cluster-class` label).
   * @default `<provider>-<variant>`
   */
  readonly name?: string;
  /**
   * Control-plane node size.
   * @default - a provider default for the variant (see docs/clusters.md)
   */
  readonly controlPlaneMachine?: MachineSize;
  /**
   * Default worker node size.
   * @default - a provider default for the variant
   */
  readonly workerMachine?: MachineSize;
  /**
   * Patches applied at synth to every cluster of the class.
   * @default - none
   */
  readonly patches?: readonly ClassPatch[];
}

/**
 * A cluster class in TypeScript: the provider, the variant's defaults (control-plane count, HA,
 * worker pool, health checks) and patches that every cluster of the class gets at synth.
 *
 * Why not a Cluster API ClusterClass: the Talos control-plane provider (CACPPT v0.5.12) ships no
 * TalosControlPlaneTemplate, which a ClusterClass needs (CAPI control-plane contract). So the class
 * lives here and {@link TalosCluster} emits the concrete objects; see docs/clusters.md and
 * docs/decisions/0020-talos-cluster-class-in-typescript.md.
 */
export class TalosClusterClass {
  /** The dev variant for `provider`. */
  public static dev(provider: ClusterProvider, props: Omit<TalosClusterClassProps, 'provider' | 'variant'> = {}): TalosClusterClass {
    return new TalosClusterClass({ ...props, provider, variant: ClassVariant.DEV });
  }
  /** The prod variant (HA) for `provider`. */
  public static prod(provider: ClusterProvider, props: Omit<TalosClusterClassProps, 'provider' | 'variant'> = {}): TalosClusterClass {
    return new TalosClusterClass({ ...props, provider, variant: ClassVariant.PROD });
  }
  /** The edge variant (small footprint) for `provider`. */
  public static edge(provider: ClusterProvider, props: Omit<TalosClusterClassProps, 'provider' | 'variant'> = {}): TalosClusterClass {
    return new TalosClusterClass({ ...props, provider, variant: ClassVariant.EDGE });
  }

  public readonly name: string;
  public readonly provider: ClusterProvider;
  public readonly variant: ClassVariant;
  public readonly controlPlaneMachine: MachineSize | undefined;
  public readonly workerMachine: MachineSize | undefined;
  private readonly patchList: ClassPatch[];

  public constructor(props: TalosClusterClassProps) {
    this.provider = props.provider;
    this.variant = props.variant;
    this.name = props.name ?? `${props.provider.name}-${props.variant.name}`;
    this.controlPlaneMachine = props.controlPlaneMachine;
    this.workerMachine = props.workerMachine;
    this.patchList = [...(props.patches ?? [])];
  }

  /** Adds a patch for the clusters of this class created after this call. */
  public addPatch(patch: ClassPatch): this {
    this.patchList.push(patch);
    return this;
  }

  public get patches(): readonly ClassPatch[] {
    return this.patchList;
  }
}
