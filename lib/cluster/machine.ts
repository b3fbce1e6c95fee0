/** Properties of a virtual machine sized by cores, memory and disk (Proxmox). */
export interface VirtualMachineSizeProps {
  /** vCPU cores. */
  readonly cores: number;
  /** Memory in MiB. */
  readonly memoryMiB: number;
  /** Boot disk in GiB. */
  readonly diskGiB: number;
}

/**
 * The size of a node: a cloud instance type (AWS `instanceType`, Azure `vmSize`, GCP
 * `instanceType`), a virtual machine shape (Proxmox) or a bare-metal host selector (Metal3).
 * Each provider accepts only its own kind; a wrong kind is a synth error naming the pool.
 */
export class MachineSize {
  /**
   * A cloud instance type: `m6i.large` (AWS), `Standard_D4s_v5` (Azure), `n2-standard-4` (GCP).
   * @see https://aws.amazon.com/ec2/instance-types/
   */
  public static instanceType(name: string): MachineSize {
    return new MachineSize('instanceType', name, undefined, undefined);
  }

  /**
   * A virtual machine shape (Proxmox): cores, memory and boot disk.
   * @see https://github.com/ionos-cloud/cluster-api-provider-proxmox/blob/main/docs/advanced-setups.md
   */
  public static virtual(props: VirtualMachineSizeProps): MachineSize {
    return new MachineSize('virtual', undefined, props, undefined);
  }

  /**
   * Bare-metal hosts (Metal3) whose BareMetalHost labels match all of `hostLabels`.
   * @see https://book.metal3.io/capm3/host_selector
   */
  public static bareMetal(hostLabels: Readonly<Record<string, string>>): MachineSize {
    return new MachineSize('bareMetal', undefined, undefined, hostLabels);
  }

  private constructor(
    /** @internal */ public readonly _kind: 'instanceType' | 'virtual' | 'bareMetal',
    /** Instance type name, for `instanceType()`. */
    public readonly instanceTypeName: string | undefined,
    /** VM shape, for `virtual()`. */
    public readonly vm: VirtualMachineSizeProps | undefined,
    /** Host labels, for `bareMetal()`. */
    public readonly hostLabels: Readonly<Record<string, string>> | undefined,
  ) {}

  /** Human-readable form for errors and docs. */
  public toString(): string {
    if (this.instanceTypeName) return `instance type ${this.instanceTypeName}`;
    if (this.vm) return `VM ${this.vm.cores} cores/${this.vm.memoryMiB} MiB/${this.vm.diskGiB} GiB`;
    return `bare-metal hosts ${JSON.stringify(this.hostLabels)}`;
  }
}

/** Cluster-autoscaler bounds of a worker pool. */
export interface AutoscalingProps {
  /** Fewest nodes (cluster-autoscaler `node-group-min-size`). */
  readonly minReplicas: number;
  /** Most nodes (cluster-autoscaler `node-group-max-size`). */
  readonly maxReplicas: number;
}

/** One pool of worker nodes: a MachineDeployment with its templates and health check. */
export interface WorkerPoolProps {
  /** Pool name; part of the MachineDeployment name `<cluster>-<pool>`. A DNS-1123 label. */
  readonly name: string;
  /**
   * Node size.
   * @default - the class's worker size for the provider
   */
  readonly machine?: MachineSize;
  /**
   * Number of nodes. Ignored when `autoscaling` is set (the autoscaler owns the count).
   * @default - the class's worker count
   */
  readonly replicas?: number;
  /**
   * Let the Cluster API cluster-autoscaler scale this pool between these bounds.
   * @default - no autoscaling
   * @see https://cluster-api.sigs.k8s.io/tasks/automated-machine-management/autoscaling
   */
  readonly autoscaling?: AutoscalingProps;
  /**
   * Failure domain (availability zone) of the pool.
   * @default - the provider spreads machines
   */
  readonly failureDomain?: string;
  /**
   * Kubernetes node labels (Talos `machine.nodeLabels`).
   * @default - none
   */
  readonly nodeLabels?: Readonly<Record<string, string>>;
}
