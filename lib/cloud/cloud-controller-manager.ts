/**
 * Cloud controller managers (issue 13 point 1, docs/decisions/0070-cloud-controller-managers.md).
 *
 * A CCM initialises the nodes of a cluster that runs with an external cloud provider (provider
 * ID, addresses, zone labels, removal of the `node.cloudprovider.kubernetes.io/uninitialized`
 * taint) and, on the clouds, serves `type: LoadBalancer` Services. Until it runs no pod without
 * that toleration schedules — Flux's controllers included — so a CCM is always installed by the
 * management cluster into the workload, next to Cilium, before Flux (lib/management
 * WorkloadClusterBootstrap). The construct lives in the workload cluster's tree (the single source
 * of its chart and values, like `CiliumNetworking` with `installedByManagementCluster`) and emits
 * nothing there; the bootstrap reads {@link ICloudControllerManager.delivery} at synth.
 */
import { ApiObjectProps } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ClusterProvider } from '../cluster/cluster-class';
import { invalidProp, validateDnsLabel } from '../core/errors';
import { ChartBackedConstruct, PinnedChart } from '../flux/flux-app';
import { HealthCheck, KustomizationImage } from '../flux/kustomization';
import { SecretReference } from '../secrets/secret-reference';

/** Namespace every CCM of InfraFlux runs in (the charts' and manifests' own default). */
export const CCM_NAMESPACE = 'kube-system';

/** The taint kubelet sets with `--cloud-provider=external` until a CCM initialises the node. */
export const UNINITIALIZED_TAINT = 'node.cloudprovider.kubernetes.io/uninitialized';

/**
 * Tolerations a CCM needs to run on a new cluster's control-plane nodes: not initialised yet
 * (it is the one that initialises them), not Ready yet (the CNI may still be starting), and the
 * control-plane taint.
 * @see https://kubernetes.io/docs/tasks/administer-cluster/running-cloud-controller/#running-cloud-controller-manager
 */
export const CCM_TOLERATIONS: ReadonlyArray<{ readonly key: string; readonly operator: string; readonly effect: string }> = [
  { key: UNINITIALIZED_TAINT, operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
];

/** Node selector of the control-plane nodes (Talos labels them so). */
export const CONTROL_PLANE_SELECTOR: Readonly<Record<string, string>> = { 'node-role.kubernetes.io/control-plane': '' };

/**
 * Talos KubePrism: every node serves the API on `127.0.0.1:7445`. A host-network CCM uses it, so it
 * reaches the API before Cilium's kube-proxy replacement serves the `kubernetes` Service.
 * @see https://www.talos.dev/v1.12/kubernetes-guides/configuration/kubeprism/
 */
export const KUBEPRISM_ENV: ReadonlyArray<{ readonly name: string; readonly value: string }> = [
  { name: 'KUBERNETES_SERVICE_HOST', value: '127.0.0.1' },
  { name: 'KUBERNETES_SERVICE_PORT', value: '7445' },
];

/** A CCM delivered from a pinned Helm chart: the management cluster installs it with a remote HelmRelease. */
export interface CcmHelmDelivery {
  readonly kind: 'helm';
  readonly chart: PinnedChart;
  /** Release name (and HelmRelease name on the management cluster). */
  readonly releaseName: string;
  /** Target and storage namespace on the workload cluster. */
  readonly namespace: string;
  /** The chart values, read at synth. */
  readonly values: () => object;
}

/** A Flux Kustomization patch (`spec.patches[]`). */
export interface KustomizationPatch {
  /** A strategic merge patch or JSON 6902 patch, as YAML. */
  readonly patch: string;
  readonly target: { readonly kind: string; readonly name: string; readonly namespace?: string };
}

/**
 * A CCM delivered as upstream manifests at a pinned Git tag (no chart upstream): the management
 * cluster applies them with a remote Kustomization from a GitRepository of its own, patched.
 */
export interface CcmGitDelivery {
  readonly kind: 'git';
  /** GitRepository name on the management cluster (flux-system). */
  readonly sourceName: string;
  readonly url: string;
  readonly tag: string;
  /** Kustomize path in the repository. */
  readonly path: string;
  /** Name of the remote Kustomization on the management cluster. */
  readonly kustomizationName: string;
  readonly patches: readonly KustomizationPatch[];
  readonly images: readonly KustomizationImage[];
  /** Objects the manifests create, health-checked on the workload. */
  readonly healthChecks: readonly HealthCheck[];
  /**
   * Plain (non-secret) objects the CCM needs on the workload before it starts (e.g. GCP's
   * gce.conf ConfigMap): written to `dist/<workload>/cloud-controller-manager/` and applied by
   * the management cluster before the manifests.
   */
  readonly prerequisites: readonly ApiObjectProps[];
}

export type CcmDelivery = CcmHelmDelivery | CcmGitDelivery;

/**
 * A Secret the CCM reads on the workload cluster, which must exist there before it starts. The
 * management cluster copies it with a Cluster API ClusterResourceSet as soon as the cluster's API
 * answers (like the Flux Git credentials, decision 0030).
 */
export interface CcmWorkloadSecret {
  /** The Secret on the workload (namespace kube-system). */
  readonly secret: SecretReference;
  /**
   * The Secret on the management cluster, in the Cluster's namespace, of type
   * `addons.cluster.x-k8s.io/resource-set`, whose data holds the manifest of {@link secret}.
   * @see https://cluster-api.sigs.k8s.io/tasks/cluster-resource-set
   */
  readonly resourceSet: SecretReference;
}

/** A cloud controller manager of a workload cluster, installed by the management cluster. */
export interface ICloudControllerManager extends IConstruct {
  /** The infrastructure provider it serves. */
  readonly provider: ClusterProvider;
  /** Whether it runs a `service` controller (cloud load balancers for `type: LoadBalancer` Services). */
  readonly providesLoadBalancers: boolean;
  /** How the management cluster installs it. */
  readonly delivery: CcmDelivery;
  /** Secrets it reads on the workload, copied from the management cluster. */
  readonly workloadSecrets: readonly CcmWorkloadSecret[];
}

/** Common props of the CCM constructs. */
export interface CloudControllerManagerProps {
  /** The Cluster API cluster name (`--cluster-name`: load-balancer names and cloud tags derive from it). */
  readonly clusterName: string;
}

const CCM = Symbol.for('infraflux.cloud.CloudControllerManager');

/** Whether `x` is a cloud controller manager construct of lib/cloud. */
export function isCloudControllerManager(x: unknown): x is ICloudControllerManager {
  return typeof x === 'object' && x !== null && CCM in x;
}

/**
 * Base of the chart-backed CCMs: a {@link ChartBackedConstruct} whose chart app is installed
 * elsewhere (by the management cluster), so its IFluxApp getters come from the base
 * (docs/recipes/helm-chart-construct.md).
 */
export abstract class ChartCloudControllerManager<V extends object> extends ChartBackedConstruct<V> implements ICloudControllerManager {
  public abstract readonly provider: ClusterProvider;
  public abstract readonly providesLoadBalancers: boolean;
  public readonly clusterName: string;
  private readonly secrets: CcmWorkloadSecret[] = [];

  protected constructor(scope: Construct, id: string, props: CloudControllerManagerProps, chart: PinnedChart, releaseName: string) {
    super(scope, id);
    Object.defineProperty(this, CCM, { value: true });
    this.clusterName = validateDnsLabel(this, 'clusterName', props.clusterName);
    // installedElsewhere: the CCM must run before any Flux of this cluster can schedule (the
    // uninitialized taint), so the management cluster owns the release (decision 0070).
    this.createApp({ chart, name: releaseName, namespace: CCM_NAMESPACE, createNamespace: false, installedElsewhere: true });
  }

  /** Records a Secret the CCM reads on the workload (checked: namespace kube-system). */
  protected addWorkloadSecret(what: string, s: CcmWorkloadSecret): void {
    s.secret.use(this, what, CCM_NAMESPACE);
    if (s.resourceSet.name === s.secret.name && s.resourceSet.namespace === s.secret.namespace) {
      invalidProp(this, `${what}: the resource-set Secret ${s.resourceSet} must be the management cluster's copy source, not the workload Secret itself`);
    }
    this.secrets.push(s);
  }

  public get delivery(): CcmDelivery {
    return { kind: 'helm', chart: this.app.chart, releaseName: this.app.name, namespace: CCM_NAMESPACE, values: () => this.app.values };
  }
  public get workloadSecrets(): readonly CcmWorkloadSecret[] {
    return [...this.secrets];
  }
}

/** Marks a non-chart CCM construct (GCP) as a CCM. */
export function markCloudControllerManager(c: Construct): void {
  Object.defineProperty(c, CCM, { value: true });
}

/** `--flag=value` list helpers: refuses a user arg that overrides one InfraFlux sets for a reason. */
export function mergeArgs(scope: IConstruct, base: readonly string[], extra: readonly string[] | undefined, locked: readonly string[]): string[] {
  const flag = (a: string): string => a.split('=')[0];
  for (const a of extra ?? []) {
    if (!a.startsWith('--')) invalidProp(scope, `extra argument "${a}" is not a --flag`);
    if (locked.includes(flag(a))) invalidProp(scope, `extra argument "${a}" overrides ${flag(a)}, which InfraFlux sets for Talos + Cilium (decision 0070); allowed: flags other than ${locked.join(', ')}`);
  }
  const extraFlags = new Set((extra ?? []).map(flag));
  return [...base.filter((a) => !extraFlags.has(flag(a))), ...(extra ?? [])];
}
