import { join } from 'node:path';
import type { ExternalInput } from '../core/external-input';
import { ErrorCode, InfraFluxError } from '../core/errors';
import { TalosCluster } from '../cluster/talos-cluster';
import { GitOpsCluster } from '../flux/gitops-cluster';
import { ManagementCluster } from '../management/management-cluster';
import { CiliumNetworking } from '../networking/cilium-networking';
import type { Fleet } from '../platform/fleet';
import { VersionSet } from '../versions/version-set';
import { Command } from './command';
import { BootstrapProvider, BootstrapVia } from './provider';

/**
 * How the bootstrap provides one declared external input of the management cluster (a bootstrap
 * root such as the Flux Git credentials or the Sealed Secrets key): the local files and variables
 * it needs (checked by the preflight) and the commands that create it on the cluster. Only file
 * names and variable names are given; values are read by the tools, never by the plan.
 */
export interface ExternalInputSupplier {
  /** `<kind>/<namespace>/<name>` of the declared input (see {@link externalInputKey}). */
  readonly input: string;
  /** Local files that must exist. @default [] */
  readonly files?: readonly string[];
  /** Environment variables that must be set. @default [] */
  readonly env?: readonly string[];
  /**
   * The commands creating it, given the management cluster's kubeconfig (its namespace is
   * applied first). Run after the control plane is up and before the CNI (a mesh CA must exist
   * before Cilium's first install).
   * @default - none: see `afterBootstrap`
   */
  readonly commands?: (kubeconfig: string) => readonly Command[];
  /**
   * For an input only its owner can create once the cluster exists (a Vault role bound to the new
   * API server): what to do, printed at the end of the bootstrap. Not checked by the preflight.
   * @default - none
   */
  readonly afterBootstrap?: string;
}

/** The key of an external input: `<kind>/<namespace>/<name>` (namespace empty when cluster-scoped). */
export function externalInputKey(input: Pick<ExternalInput, 'kind' | 'namespace' | 'name'>): string {
  return `${input.kind}/${input.namespace ?? ''}/${input.name}`;
}

/** A workload cluster the management cluster creates (destroy deletes it through Cluster API first). */
export interface WorkloadClusterRef {
  readonly name: string;
  /** Namespace of its Cluster object on the management cluster. */
  readonly namespace: string;
}

/** The Terraform stack that creates the management cluster for `--via terraform`. */
export interface TerraformManagementStack {
  /** Synthesized stack folder, e.g. `cdktf.out/stacks/proxmox-mgmt`. */
  readonly dir: string;
  /** Output holding the kubeconfig. */
  readonly kubeconfigOutput: string;
  /** Output holding the talosconfig. */
  readonly talosconfigOutput: string;
}

/**
 * Everything the bootstrap planner needs, read from the fleet by {@link BootstrapTarget.fromFleet}
 * (or given directly in tests): versions, the management cluster, its Git source, its declared
 * external inputs, the workload clusters it creates, and the local paths of dist/.
 */
export interface BootstrapTargetProps {
  readonly provider: BootstrapProvider;
  /** @default BootstrapVia.CLUSTER_API */
  readonly via?: BootstrapVia;
  /** @default VersionSet.pinned() */
  readonly versions?: VersionSet;
  /** @default 'mgmt' */
  readonly managementCluster?: string;
  /** Git URL Flux reads (the fleet's source). */
  readonly repositoryUrl: string;
  /** @default 'main' */
  readonly branch?: string;
  /** @default 'dist' */
  readonly distDir?: string;
  /**
   * The management cluster's Cluster API objects for `provider` (a file or folder for `kubectl apply -f`).
   * @default `<distDir>/<managementCluster>/bootstrap-capi/<provider>`
   */
  readonly managementObjects?: string;
  /**
   * The management cluster's Cluster API objects as YAML, rendered by the caller (e.g. from a
   * TalosCluster): the bootstrap writes them to `<workdir>/<managementCluster>-capi.yaml` and
   * applies that file. Takes precedence over `managementObjects`.
   * @default - read `managementObjects` from disk
   */
  readonly managementObjectsYaml?: string;
  /** @default [] */
  readonly workloadClusters?: readonly WorkloadClusterRef[];
  /** The management cluster's declared external inputs. @default [] */
  readonly externalInputs?: readonly ExternalInput[];
  /** How the bootstrap provides each of them. @default [] */
  readonly suppliers?: readonly ExternalInputSupplier[];
  /** Whether any cluster peers over BGP (the preflight then needs the peering acknowledgement). @default false */
  readonly bgp?: boolean;
  /** The Cloudflare zone the fleet's records live in (preflight: delegated to Cloudflare). @default - no DNS check */
  readonly dnsZone?: string;
  /** Local working folder (kubeconfigs, kind config, state file); git-ignored. @default '.infraflux' */
  readonly workdir?: string;
  /** @default 'infraflux-bootstrap' */
  readonly kindClusterName?: string;
  /** Host port of the kind API server (checked free by the preflight). @default 46443 */
  readonly kindApiServerPort?: number;
  /** For `--via terraform`. @default - none: `--via terraform` is refused */
  readonly terraformStack?: TerraformManagementStack;
}

/** The resolved {@link BootstrapTargetProps}: every default applied. */
export class BootstrapTarget {
  /**
   * Reads the target from a built fleet: the management cluster's {@link ManagementCluster}
   * (versions), its {@link TalosCluster}s (the workload clusters), declared external inputs, whether
   * any {@link CiliumNetworking} runs BGP, and the fleet's Git source.
   * @throws InfraFluxError REFERENCE_FLEET_INCOMPLETE when the cluster has no ManagementCluster
   */
  public static fromFleet(
    fleet: Fleet,
    props: Omit<BootstrapTargetProps, 'versions' | 'repositoryUrl' | 'branch' | 'workloadClusters' | 'externalInputs' | 'bgp'> & { readonly managementCluster: string },
  ): BootstrapTarget {
    const mgmt = fleet.clusters.find((c: GitOpsCluster) => c.name === props.managementCluster);
    const management = mgmt?.node.findAll().find((c): c is ManagementCluster => c instanceof ManagementCluster);
    if (!mgmt || !management) {
      throw new InfraFluxError(
        ErrorCode.REFERENCE_FLEET_INCOMPLETE,
        'BootstrapTarget.fromFleet',
        `cluster "${props.managementCluster}" ${mgmt ? 'has no ManagementCluster' : 'is not in the fleet'}; clusters: ${fleet.clusters.map((c) => c.name).join(', ')}`,
      );
    }
    const all = fleet.node.findAll();
    const workloads = mgmt.node
      .findAll()
      .filter((c): c is TalosCluster => c instanceof TalosCluster)
      .map((c) => ({ name: c.clusterName, namespace: c.clusterName }));
    const bgp = all.some((c) => c instanceof CiliumNetworking && c.capabilities.some((s) => s.capability === 'bgp' && s.enabled));
    return new BootstrapTarget({
      ...props,
      versions: management.versions,
      repositoryUrl: fleet.source.url,
      branch: fleet.source.branch ?? 'main',
      workloadClusters: workloads,
      externalInputs: mgmt.externalInputs,
      bgp,
    });
  }

  public readonly provider: BootstrapProvider;
  public readonly via: BootstrapVia;
  public readonly versions: VersionSet;
  public readonly managementCluster: string;
  public readonly repositoryUrl: string;
  public readonly branch: string;
  public readonly distDir: string;
  public readonly managementObjects: string;
  public readonly managementObjectsYaml: string | undefined;
  public readonly workloadClusters: readonly WorkloadClusterRef[];
  public readonly externalInputs: readonly ExternalInput[];
  public readonly suppliers: readonly ExternalInputSupplier[];
  public readonly bgp: boolean;
  public readonly dnsZone: string | undefined;
  public readonly workdir: string;
  public readonly kindClusterName: string;
  public readonly kindApiServerPort: number;
  public readonly terraformStack: TerraformManagementStack | undefined;

  public constructor(props: BootstrapTargetProps) {
    this.provider = props.provider;
    this.via = props.via ?? BootstrapVia.CLUSTER_API;
    this.versions = props.versions ?? VersionSet.pinned();
    this.managementCluster = props.managementCluster ?? 'mgmt';
    this.repositoryUrl = props.repositoryUrl;
    this.branch = props.branch ?? 'main';
    this.distDir = props.distDir ?? 'dist';
    this.workdir = props.workdir ?? '.infraflux';
    this.managementObjectsYaml = props.managementObjectsYaml;
    this.managementObjects = props.managementObjectsYaml !== undefined
      ? join(this.workdir, `${props.managementCluster ?? 'mgmt'}-capi.yaml`)
      : (props.managementObjects ?? join(this.distDir, this.managementCluster, 'bootstrap-capi', this.provider.name));
    this.workloadClusters = props.workloadClusters ?? [];
    this.externalInputs = props.externalInputs ?? [];
    this.suppliers = props.suppliers ?? [];
    this.bgp = props.bgp ?? false;
    this.dnsZone = props.dnsZone;
    this.kindClusterName = props.kindClusterName ?? 'infraflux-bootstrap';
    this.kindApiServerPort = props.kindApiServerPort ?? 46443;
    this.terraformStack = props.terraformStack;
    if (this.via === BootstrapVia.TERRAFORM && (!this.provider.supportsTerraform || !this.terraformStack)) {
      throw new InfraFluxError(
        ErrorCode.BOOTSTRAP_USAGE,
        'BootstrapTarget',
        `--via terraform is not available for provider "${this.provider.name}"${this.provider.supportsTerraform ? ' (no Terraform stack given)' : ''}; use --via clusterctl${BootstrapProvider.all().filter((p) => p.supportsTerraform).length ? ` (terraform: ${BootstrapProvider.all().filter((p) => p.supportsTerraform).join(', ')})` : ''}`,
      );
    }
  }

  /** Kubeconfig of the ephemeral kind cluster. */
  public get kindKubeconfig(): string {
    return join(this.workdir, 'kind.kubeconfig');
  }
  /** Kubeconfig of the management cluster (written by the bootstrap). */
  public get managementKubeconfig(): string {
    return join(this.workdir, `${this.managementCluster}.kubeconfig`);
  }
  /** Talosconfig of the management cluster. */
  public get managementTalosconfig(): string {
    return join(this.workdir, `${this.managementCluster}.talosconfig`);
  }
  /** Namespace of the management cluster's own Cluster object (TalosCluster: the cluster name). */
  public get managementNamespace(): string {
    return this.managementCluster;
  }
  /** The local state file (a cache: the tools are the truth). */
  public get stateFile(): string {
    return join(this.workdir, 'bootstrap-state.json');
  }
  /** The management cluster's dist/ folder. */
  public get managementDist(): string {
    return join(this.distDir, this.managementCluster);
  }
}
