import { ApiObject, Duration, Lazy, Yaml } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import {
  ClusterResourceSetV1Beta2,
  ClusterResourceSetV1Beta2SpecResourcesKind,
  ClusterResourceSetV1Beta2SpecStrategy,
} from '../../imports/capi-core-addons.cluster.x-k8s.io';
import {
  HelmRelease,
  HelmReleaseSpecChart,
  HelmReleaseSpecChartRef,
  HelmReleaseSpecChartRefKind,
  HelmReleaseSpecChartSpecSourceRefKind,
  HelmReleaseSpecInstallStrategyName,
  HelmReleaseSpecUpgradeRemediationStrategy,
  HelmReleaseSpecValuesFromKind,
} from '../../imports/flux-helm.toolkit.fluxcd.io';
import { Kustomization, KustomizationSpecSourceRefKind } from '../../imports/flux-kustomize.toolkit.fluxcd.io';
import { FluxInstance, FluxInstanceSpecClusterType, FluxInstanceSpecComponents } from '../../imports/flux-operator-fluxcd.controlplane.io';
import { GitRepository, HelmRepository, OciRepository, OciRepositorySpecLayerSelectorOperation } from '../../imports/flux-source.toolkit.fluxcd.io';
import { CILIUM_CHART, FLUX_OPERATOR_CHART } from '../../imports/helm/charts';
import { CiliumValues } from '../../imports/helm/cilium';
import { CcmHelmDelivery, ICloudControllerManager } from '../cloud/cloud-controller-manager';
import { ClusterProvider } from '../cluster/cluster-class';
import { TalosCluster } from '../cluster/talos-cluster';
import { deepMerge } from '../core/_merge';
import { goDuration } from '../core/duration';
import { ErrorCode, InfraFluxError, invalidProp, validateDnsLabel, validateDnsSubdomain } from '../core/errors';
import { GatewayApiCrds } from '../gateway-api/gateway-api-crds';
import { IFluxApp, PinnedChart, repositoryName } from '../flux/flux-app';
import { FluxLayer, fluxUnitOf, GitOpsCluster, IFluxUnit } from '../flux/gitops-cluster';
import { FLUX_NAMESPACE, FluxKustomization } from '../flux/kustomization';
import { fluxLockdownPatches } from '../flux/lockdown';
import { OutputFolder } from '../flux/output-folder';
import { DEFAULT_TALOS_CNI_SETTINGS, TalosCniSettings } from '../talos/cilium-machine-config';
import { VersionSet } from '../versions/version-set';
import { SecretReference } from '../secrets/secret-reference';

/**
 * Label a workload cluster's CAPI `Cluster` object must carry (value: the cluster name) so the
 * ClusterResourceSet of its bootstrap copies the Flux Git credentials into it. It is Cluster API's
 * own cluster-name label, which TalosCluster puts on every object it emits, the Cluster included.
 */
export const WORKLOAD_CLUSTER_LABEL = 'cluster.x-k8s.io/cluster-name';

/** Annotation that stops Flux from deleting (and so uninstalling) an object removed from Git. */
const PRUNE_DISABLED = { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' };

/** Props of {@link WorkloadCni.cilium}. */
export interface CiliumCniProps {
  /**
   * What the Talos nodes do for Cilium (the same object the Talos machine-config patch is built from).
   * @default DEFAULT_TALOS_CNI_SETTINGS
   */
  readonly talos?: TalosCniSettings;
  /**
   * Extra Cilium values, merged over the Talos baseline (e.g. the values of a CiliumNetworking construct).
   * @default {}
   * @see https://docs.cilium.io/en/v1.20/installation/k8s-install-helm/
   */
  readonly values?: CiliumValues;
}

/** The CNI the management cluster installs into a new workload cluster before anything else. */
export class WorkloadCni {
  /**
   * Cilium from its pinned chart with the settings Talos needs (KubePrism API access, kube-proxy
   * replacement, no cgroup auto-mount, agent capabilities without SYS_MODULE, legacy host routing
   * while Talos forwards kube DNS to the host).
   * @see ../shared/upstream/README.md "Cilium on Talos"
   */
  public static cilium(props: CiliumCniProps = {}): WorkloadCni {
    const talos = props.talos ?? DEFAULT_TALOS_CNI_SETTINGS;
    const base: CiliumValues = {
      ipam: { mode: 'kubernetes' },
      kubeProxyReplacement: talos.kubeProxyDisabled,
      k8sServiceHost: 'localhost',
      k8sServicePort: talos.kubePrismPort,
      cgroup: { autoMount: { enabled: false }, hostRoot: '/sys/fs/cgroup' },
      securityContext: {
        capabilities: {
          ciliumAgent: ['CHOWN', 'KILL', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'SYS_ADMIN', 'SYS_RESOURCE', 'DAC_OVERRIDE', 'FOWNER', 'SETGID', 'SETUID'],
          cleanCiliumState: ['NET_ADMIN', 'SYS_ADMIN', 'SYS_RESOURCE'],
        },
      },
      ...(talos.forwardKubeDNSToHost ? { bpf: { hostLegacyRouting: true } } : {}),
    };
    return new WorkloadCni('cilium', deepMerge(base, props.values));
  }

  /**
   * The CNI of a workload cluster's own `CiliumNetworking` (created with
   * `installedByManagementCluster: true`): same chart, same values, read at synth, so the values
   * have one source and the release one owner, the management cluster.
   */
  public static fromApp(app: IFluxApp<CiliumValues>): WorkloadCni {
    if (!app.installedElsewhere) {
      throw new InfraFluxError(
        ErrorCode.INVALID_PROP,
        app,
        `is installed by its own cluster's Flux; a release must have one owner: create it with installedByManagementCluster: true (CiliumNetworking) so the management cluster installs it`,
      );
    }
    return new WorkloadCni(app.name, () => app.values, app.chart);
  }

  private constructor(
    /** Release name on the workload cluster (namespace kube-system). */
    public readonly releaseName: string,
    private readonly produceValues: CiliumValues | (() => CiliumValues),
    /** The chart; the pinned Cilium chart when undefined. */
    public readonly chart?: PinnedChart,
  ) {}

  /** The chart values (read when synthesized). */
  public get values(): CiliumValues {
    return typeof this.produceValues === 'function' ? this.produceValues() : this.produceValues;
  }
}

/** Props of {@link WorkloadClusterBootstrap}. */
export interface WorkloadClusterBootstrapProps {
  /** The workload cluster's own GitOps tree (`dist/<name>/`): what its Flux reconciles once it runs. */
  readonly workload: GitOpsCluster;
  /**
   * Name of the Cluster API `Cluster` on the management cluster; its kubeconfig Secret is
   * `<clusterName>-kubeconfig` (key `value`), written by Cluster API.
   * @default - the workload GitOpsCluster's name
   * @see https://cluster-api.sigs.k8s.io/developer/architecture/controllers/cluster.html#kubeconfig-secrets
   */
  readonly clusterName?: string;
  /**
   * Namespace of the `Cluster` on the management cluster. Every bootstrap object lives there,
   * because Flux reads `spec.kubeConfig.secretRef` from the object's own namespace.
   * @default - the cluster name
   */
  readonly namespace?: string;
  /**
   * The CNI installed first.
   * @default WorkloadCni.cilium()
   */
  readonly cni?: WorkloadCni;
  /**
   * Versions (Flux distribution, charts).
   * @default VersionSet.pinned()
   */
  readonly versions?: VersionSet;
  /**
   * Name of a Secret in `namespace` on the management cluster, of type
   * `addons.cluster.x-k8s.io/resource-set`, whose data holds the manifests of the Namespace
   * `flux-system` and the Git credentials Secret the workload's GitRepository references. A
   * ClusterResourceSet copies it into the workload cluster. Create it with a SealedSecret or an
   * ExternalSecret; only its name is written here.
   * @default - `<clusterName>-flux-git` when the workload's GitRepository has a `secretRef`; none otherwise
   * @see https://cluster-api.sigs.k8s.io/tasks/experimental-features/cluster-resource-set
   */
  readonly gitCredentialsResourceSet?: string;
  /**
   * The ClusterMesh CA all mesh members share, as a Secret in `namespace` on the management cluster
   * with the keys `ca.crt` and `ca.key` holding the base64-encoded PEMs (the cilium chart's
   * `tls.ca.cert`/`tls.ca.key`). The remote Cilium release reads them with `valuesFrom`, so the
   * chart renders `kube-system/cilium-ca` in the workload cluster with the install
   * (templates/cilium-ca-secret.yaml) and certgen never makes a CA of its own. Deliver it sealed on
   * the management cluster (the workload has no Sealed Secrets controller before its CNI).
   * @default - none: the workload's Cilium uses whatever `kube-system/cilium-ca` holds (the reconcile
   *   model requires it for a mesh member)
   */
  readonly meshCa?: SecretReference;
  /**
   * The construct that emits the workload's Cluster API objects on this management cluster, when
   * it is in the same layer (apps) of this cluster: the bootstrap is applied after it.
   * @default - no ordering
   */
  readonly capiCluster?: IConstruct;
  /**
   * The workload's cloud controller manager (lib/cloud), installed from here before Flux: with
   * an external cloud provider every node carries the `node.cloudprovider.kubernetes.io/uninitialized`
   * taint until a CCM initialises it, and Flux's controllers do not tolerate it, so the workload's
   * own Flux could never install it (decision 0070). Its Secrets are copied into the workload
   * by ClusterResourceSets first.
   * @default - none; refused for an AWS, Azure or GCP cluster whose Cilium LB IPAM is off (CLOUD_CCM_MISSING) and for a TalosCluster with an external cloud provider
   */
  readonly cloudControllerManager?: ICloudControllerManager;
}

/**
 * Everything the management cluster does so that a workload cluster created by Cluster API runs
 * its CNI and reconciles its own `dist/<cluster>/` with no manual step
 * (docs/decisions/0030-workload-cluster-bootstrap.md). In `dist/<mgmt>/`:
 *
 * - `apps/kustomization-<cluster>-bootstrap.yaml`: applies the folder below and health-checks the two HelmReleases;
 * - `releases/<cluster>-bootstrap/` (namespace `<namespace>`):
 *   - HelmRelease `cilium` into the workload cluster (`spec.kubeConfig.secretRef: <cluster>-kubeconfig`),
 *     upgrade remediation by rollback, install retried in place, never pruned: the CNI is never uninstalled;
 *   - OCIRepository + HelmRelease `flux-operator` into the workload cluster, after Cilium;
 *   - ClusterResourceSet `<cluster>-flux-git`: the Git credentials into the workload cluster;
 *   - Kustomization `flux-instance` (remote): applies `dist/<workload>/bootstrap/` (FluxInstance `flux`);
 *   - Kustomization `flux-sync` (remote, never prunes): applies the workload's `dist/<cluster>/flux-system/`,
 *     after which the workload's own Flux reconciles it;
 *   - with `cloudControllerManager`: its remote HelmRelease (or, for a manifest CCM, a remote
 *     Kustomization of the pinned upstream release, after its ConfigMaps in `dist/<cluster>/cloud-controller-manager/`)
 *     next to Cilium, the ClusterResourceSets of the Secrets it reads, and flux-operator after it
 *     (decision 0070).
 */
export class WorkloadClusterBootstrap extends Construct implements IFluxUnit {
  public readonly layer: FluxLayer;
  /** The management-side Kustomization `<cluster>-bootstrap`. */
  public readonly kustomization: FluxKustomization;
  public readonly clusterName: string;
  public readonly namespace: string;
  /** `<clusterName>-kubeconfig`. */
  public readonly kubeconfigSecretName: string;
  /** The ClusterMesh CA the remote Cilium release reads (see {@link WorkloadClusterBootstrapProps.meshCa}). */
  public readonly meshCa: SecretReference | undefined;
  /** The Cilium HelmRelease (primary child `Resource`; escape hatch). */
  public readonly cniRelease: ApiObject;
  public readonly fluxOperatorRelease: ApiObject;
  public readonly fluxInstance: ApiObject;
  public readonly fluxInstanceKustomization: ApiObject;
  public readonly syncKustomization: ApiObject;
  public readonly gitCredentials?: ApiObject;
  /** The CCM's remote HelmRelease (chart CCMs) or remote Kustomization (manifest CCMs), when a CCM is given. */
  public readonly ccmRelease?: ApiObject;
  /**
   * The management-side Kustomization `<cluster>-gateway-api`, when the CNI enables Gateway API: it
   * applies the remote Kustomization that installs the workload's Gateway API CRDs before Cilium.
   */
  public readonly gatewayApiKustomization?: FluxKustomization;

  public constructor(scope: FluxLayer, id: string, props: WorkloadClusterBootstrapProps) {
    super(scope, id);
    if (!(scope instanceof FluxLayer)) invalidProp(this, 'a WorkloadClusterBootstrap must be created directly in a FluxLayer of the management cluster (e.g. mgmt.apps)');
    this.layer = scope;
    const mgmt = GitOpsCluster.of(scope);
    const workload = props.workload;
    if (workload === mgmt) invalidProp(this, `workload "${workload.name}" is the management cluster itself; bootstrap a workload cluster`);
    this.clusterName = validateDnsLabel(this, 'clusterName', props.clusterName ?? workload.name);
    this.namespace = validateDnsLabel(this, 'namespace', props.namespace ?? this.clusterName);
    this.kubeconfigSecretName = `${this.clusterName}-kubeconfig`;
    const versions = props.versions ?? VersionSet.pinned();
    versions.validate(this);
    const cni = props.cni ?? WorkloadCni.cilium();
    const meshCa = props.meshCa;
    this.meshCa = meshCa;
    if (meshCa) {
      // Flux reads valuesFrom Secrets from the HelmRelease's own namespace.
      for (const key of ['ca.crt', 'ca.key']) meshCa.key(key).use(this, 'ClusterMesh CA', props.namespace ?? props.clusterName ?? workload.name);
    }
    const unitName = `${this.clusterName}-bootstrap`;
    const ns = this.namespace;
    const kubeConfig = { secretRef: { name: this.kubeconfigSecretName, key: 'value' } };

    const content = new OutputFolder(this, 'Content', `${mgmt.name}/releases/${unitName}`);

    // 1. The CNI, first: nothing (Flux included) runs on the workload cluster without it.
    const cilium = { ...CILIUM_CHART, version: versions.ciliumChart };
    if (cni.chart && (cni.chart.name !== cilium.name || cni.chart.version !== cilium.version)) {
      invalidProp(this, `CNI chart ${cni.chart.name} ${cni.chart.version} differs from the VersionSet's ${cilium.name} ${cilium.version}; bump both together`);
    }
    const repoName = repositoryName(cilium.repository);
    mgmt.sharedObject(`HelmRepository-${repoName}`, (s, sid) => new HelmRepository(s, sid, {
      metadata: { name: repoName, namespace: FLUX_NAMESPACE },
      spec: { interval: goDuration(Duration.hours(12)), url: cilium.repository },
    }));
    new ApiObject(content, 'CniValues', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${cni.releaseName}-values`, namespace: ns },
      // Read at synth: the workload's CiliumNetworking may still change its values (mesh peers).
      data: {
        'values.yaml': Lazy.any({
          produce: () => Yaml.stringify(deepMerge({ cluster: { name: this.clusterName } } as CiliumValues, cni.values)).trimEnd() + '\n',
        }),
      },
    });
    this.cniRelease = new HelmRelease(content, 'Resource', {
      metadata: { name: cni.releaseName, namespace: ns, annotations: PRUNE_DISABLED },
      spec: {
        interval: goDuration(Duration.minutes(30)),
        kubeConfig,
        releaseName: cni.releaseName,
        targetNamespace: 'kube-system',
        storageNamespace: 'kube-system',
        chart: {
          spec: {
            chart: cilium.name,
            version: cilium.version,
            sourceRef: { kind: HelmReleaseSpecChartSpecSourceRefKind.HELM_REPOSITORY, name: repoName, namespace: FLUX_NAMESPACE },
            interval: goDuration(Duration.hours(12)),
          },
        },
        // A failed first install is retried in place (no uninstall); a failed upgrade rolls back
        // to the last good release, never uninstalls.
        install: { strategy: { name: HelmReleaseSpecInstallStrategyName.RETRY_ON_FAILURE, retryInterval: '2m' } },
        upgrade: {
          remediation: { retries: 3, strategy: HelmReleaseSpecUpgradeRemediationStrategy.ROLLBACK, remediateLastFailure: true },
        },
        uninstall: { keepHistory: true },
        valuesFrom: [
          { kind: HelmReleaseSpecValuesFromKind.CONFIG_MAP, name: `${cni.releaseName}-values`, valuesKey: 'values.yaml' },
          ...(meshCa
            ? (['cert', 'key'] as const).map((k) => ({ kind: HelmReleaseSpecValuesFromKind.SECRET, name: meshCa.name, valuesKey: `ca.${k === 'cert' ? 'crt' : 'key'}`, targetPath: `tls.ca.${k}` }))
            : []),
        ],
      },
    });

    // 1b. The cloud controller manager, next to the CNI (host network: it needs no CNI) and
    // before Flux, whose pods stay Pending until the CCM has initialised the nodes.
    const ccm = props.cloudControllerManager;
    this.checkCloudControllerManager(props, cni, ccm);
    const ccmHealthChecks: { apiVersion: string; kind: string; name: string; namespace: string }[] = [];
    let ccmReleaseName: string | undefined;
    if (ccm) {
      const d = ccm.delivery;
      if (d.kind === 'helm') {
        this.ccmRelease = this.remoteChartRelease(content, 'Ccm', mgmt, d, kubeConfig);
        ccmReleaseName = d.releaseName;
        ccmHealthChecks.push({ apiVersion: HelmRelease.GVK.apiVersion, kind: HelmRelease.GVK.kind, name: d.releaseName, namespace: ns });
      } else {
        const ignorePath = d.path.replace(/^\.\//, '').replace(/\/$/, '');
        const source = mgmt.sharedObject(`GitRepository-${d.sourceName}`, (sc, sid) => new GitRepository(sc, sid, {
          metadata: { name: d.sourceName, namespace: FLUX_NAMESPACE },
          spec: { interval: goDuration(Duration.hours(12)), url: d.url, ref: { tag: d.tag }, ignore: `/*\n!/${ignorePath}/\n` },
        }));
        const shared = (source.toJson() as { spec: { url: string; ref: { tag: string } } }).spec;
        if (shared.url !== d.url || shared.ref.tag !== d.tag) {
          throw new InfraFluxError(ErrorCode.DUPLICATE, this, `GitRepository "${d.sourceName}" already points at ${shared.url} ${shared.ref.tag}, not ${d.url} ${d.tag}; every cluster's CCM of a provider uses the same pinned release`);
        }
        const remoteTiming = { interval: goDuration(Duration.minutes(10)), retryInterval: goDuration(Duration.minutes(1)), timeout: goDuration(Duration.minutes(10)), kubeConfig };
        let prerequisites: string | undefined;
        if (d.prerequisites.length > 0) {
          // Plain objects the CCM mounts (no secrets): dist/<workload>/cloud-controller-manager/,
          // applied from here like dist/<workload>/bootstrap/.
          const folder = new OutputFolder(this, 'CcmPrerequisites', `${workload.name}/cloud-controller-manager`);
          d.prerequisites.forEach((o, i) => new ApiObject(folder, `Object${i}`, o));
          prerequisites = `${d.kustomizationName}-config`;
          new Kustomization(content, 'CcmConfig', {
            metadata: { name: prerequisites, namespace: ns, annotations: PRUNE_DISABLED },
            spec: {
              ...remoteTiming,
              sourceRef: { kind: KustomizationSpecSourceRefKind.GIT_REPOSITORY, name: FLUX_NAMESPACE, namespace: FLUX_NAMESPACE },
              path: `${mgmtDistOf(mgmt)}/${folder.folder}`,
              prune: false,
              wait: true,
              // Ordered by `<cluster>-bootstrap` (after the Cluster exists).
              dependsOn: [],
            },
          });
        }
        this.ccmRelease = new Kustomization(content, 'Ccm', {
          metadata: { name: d.kustomizationName, namespace: ns, annotations: PRUNE_DISABLED },
          spec: {
            ...remoteTiming,
            sourceRef: { kind: KustomizationSpecSourceRefKind.GIT_REPOSITORY, name: d.sourceName, namespace: FLUX_NAMESPACE },
            path: d.path,
            // The CCM is never uninstalled by Flux: nodes would stop being initialised.
            prune: false,
            wait: false,
            healthChecks: d.healthChecks.map((h) => ({ ...h })),
            images: d.images.map((i) => ({ ...i })),
            patches: d.patches.map((p) => ({ patch: p.patch, target: { ...p.target } })),
            dependsOn: prerequisites ? [{ name: prerequisites, namespace: ns }] : [],
          },
        });
        ccmHealthChecks.push({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', name: d.kustomizationName, namespace: ns });
      }
      // Secrets the CCM reads on the workload: copied by Cluster API once the API answers.
      ccm.workloadSecrets.forEach((w, i) => {
        w.resourceSet.use(this, `${w.secret.name} resource set (copied to ${this.clusterName} ${w.secret.namespace}/${w.secret.name})`, ns);
        new ClusterResourceSetV1Beta2(content, `CcmSecret${i}`, {
          metadata: { name: `${this.clusterName}-${w.secret.name}`, namespace: ns },
          spec: {
            clusterSelector: { matchLabels: { [WORKLOAD_CLUSTER_LABEL]: this.clusterName } },
            resources: [{ kind: ClusterResourceSetV1Beta2SpecResourcesKind.SECRET, name: w.resourceSet.name }],
            strategy: ClusterResourceSetV1Beta2SpecStrategy.RECONCILE,
          },
        });
      });
    }

    // 2. Flux on the workload cluster: flux-operator, then a FluxInstance without sync.
    const fluxOperator = { ...FLUX_OPERATOR_CHART, version: versions.chartVersion('flux-operator') };
    new OciRepository(content, 'FluxOperatorChart', {
      metadata: { name: fluxOperator.name, namespace: ns },
      spec: {
        interval: goDuration(Duration.hours(12)),
        url: `${fluxOperator.repository.replace(/\/$/, '')}/${fluxOperator.name}`,
        ref: { tag: fluxOperator.version },
        layerSelector: { mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', operation: OciRepositorySpecLayerSelectorOperation.COPY },
      },
    });
    this.fluxOperatorRelease = new HelmRelease(content, 'FluxOperator', {
      metadata: { name: fluxOperator.name, namespace: ns, annotations: PRUNE_DISABLED },
      spec: {
        interval: goDuration(Duration.minutes(30)),
        kubeConfig,
        releaseName: fluxOperator.name,
        targetNamespace: FLUX_NAMESPACE,
        storageNamespace: FLUX_NAMESPACE,
        chartRef: { kind: HelmReleaseSpecChartRefKind.OCI_REPOSITORY, name: fluxOperator.name, namespace: ns },
        dependsOn: [{ name: cni.releaseName, namespace: ns }, ...(ccmReleaseName ? [{ name: ccmReleaseName, namespace: ns }] : [])],
        install: { createNamespace: true, remediation: { retries: 3 } },
        upgrade: { remediation: { retries: 3, strategy: HelmReleaseSpecUpgradeRemediationStrategy.ROLLBACK } },
      },
    });

    // 3. The Git credentials the workload's GitRepository needs, copied by Cluster API.
    const gitSecretRef = (workload.gitRepository.toJson() as { spec: { secretRef?: { name: string } } }).spec.secretRef;
    const resourceSet = props.gitCredentialsResourceSet ?? (gitSecretRef ? `${this.clusterName}-flux-git` : undefined);
    if (resourceSet !== undefined) {
      validateDnsSubdomain(this, 'gitCredentialsResourceSet', resourceSet);
      this.gitCredentials = new ClusterResourceSetV1Beta2(content, 'GitCredentials', {
        metadata: { name: `${this.clusterName}-flux-git`, namespace: ns },
        spec: {
          clusterSelector: { matchLabels: { [WORKLOAD_CLUSTER_LABEL]: this.clusterName } },
          resources: [{ kind: ClusterResourceSetV1Beta2SpecResourcesKind.SECRET, name: resourceSet }],
          strategy: ClusterResourceSetV1Beta2SpecStrategy.RECONCILE,
        },
      });
    }

    // 4. The FluxInstance, applied to the workload cluster once flux-operator is Ready.
    // It belongs to the workload cluster: `dist/<workload>/bootstrap/`, a folder no layer of the
    // workload applies (only the management cluster's remote Kustomization does).
    const remote = new OutputFolder(this, 'Remote', `${workload.name}/bootstrap`);
    this.fluxInstance = new FluxInstance(remote, 'FluxInstance', {
      metadata: { name: 'flux', namespace: FLUX_NAMESPACE },
      spec: {
        distribution: { version: versions.flux.replace(/^v/, ''), registry: 'ghcr.io/fluxcd' },
        components: [
          FluxInstanceSpecComponents.SOURCE_HYPHEN_CONTROLLER,
          FluxInstanceSpecComponents.KUSTOMIZE_HYPHEN_CONTROLLER,
          FluxInstanceSpecComponents.HELM_HYPHEN_CONTROLLER,
          FluxInstanceSpecComponents.NOTIFICATION_HYPHEN_CONTROLLER,
        ],
        cluster: { type: FluxInstanceSpecClusterType.KUBERNETES, networkPolicy: true },
        // The multi-tenancy lockdown (decision 0094): the flags Flux documents, as install patches.
        ...(workload.fluxLockdown ? { kustomize: { patches: fluxLockdownPatches().map((p) => ({ patch: p.patch, target: { ...p.target } })) } } : {}),
        wait: true,
        // Sharding and controller concurrency of the workload (decision 0114); {} when unsharded.
        ...workload.sharding.instanceSpec(),
      },
    });
    const common = {
      interval: goDuration(Duration.minutes(10)),
      retryInterval: goDuration(Duration.minutes(1)),
      timeout: goDuration(Duration.minutes(10)),
      kubeConfig,
      sourceRef: { kind: KustomizationSpecSourceRefKind.GIT_REPOSITORY, name: FLUX_NAMESPACE, namespace: FLUX_NAMESPACE },
    };
    const mgmtDist = mgmtDistOf(mgmt);
    this.fluxInstanceKustomization = new Kustomization(content, 'FluxInstanceSync', {
      metadata: { name: 'flux-instance', namespace: ns, annotations: PRUNE_DISABLED },
      spec: {
        ...common,
        path: `${mgmtDist}/${remote.folder}`,
        prune: false,
        wait: true,
        // After this bootstrap's own Kustomization is Ready: Cilium and flux-operator are installed.
        dependsOn: [{ name: unitName, namespace: FLUX_NAMESPACE }],
      },
    });

    // 5. The workload's own flux-system folder: from then on its Flux reconciles itself.
    this.syncKustomization = new Kustomization(content, 'FluxSystemSync', {
      metadata: { name: 'flux-sync', namespace: ns, annotations: PRUNE_DISABLED },
      spec: {
        ...common,
        path: `${workload.sourcePath}/${FLUX_NAMESPACE}`,
        prune: false,
        wait: false,
        healthChecks: [{ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', name: FLUX_NAMESPACE, namespace: FLUX_NAMESPACE }],
        dependsOn: [{ name: 'flux-instance', namespace: ns }],
      },
    });

    // 0. Cilium with Gateway API needs the Gateway API CRDs on the workload before it is installed:
    // the chart renders GatewayClass `cilium` only when the CRD exists at install
    // (`gatewayAPI.gatewayClass.create: auto`, cilium chart templates/cilium-gateway-api-class.yaml)
    // and cilium-operator enables its Gateway controller only when the CRDs exist at start
    // (https://docs.cilium.io/en/v1.20/network/servicemesh/gateway-api/gateway-api/#prerequisites).
    // The workload's own crds layer comes too late (it runs after the CNI), so the management
    // cluster applies the same pinned release first, from its own `gateway-api` source, through a
    // remote Kustomization in the Cluster's namespace (Flux reads kubeConfig from there), wrapped in
    // `<cluster>-gateway-api` (wait) that `<cluster>-bootstrap` depends on. Both never prune.
    const gatewayApiOn = (cni.values as { gatewayAPI?: { enabled?: boolean } }).gatewayAPI?.enabled === true;
    let gatewayApi: FluxKustomization | undefined;
    if (gatewayApiOn) {
      const workloadCrds = workload.node.findAll().find((c): c is GatewayApiCrds => c instanceof GatewayApiCrds);
      const mgmtCrds = mgmt.node.findAll().find((c): c is GatewayApiCrds => c instanceof GatewayApiCrds);
      if (!workloadCrds || !mgmtCrds) {
        invalidProp(
          this,
          `the CNI of "${this.clusterName}" enables Gateway API, so the management cluster must install the Gateway API CRDs on it before Cilium: add GatewayApiCrds to the crds layer of ${!mgmtCrds ? `"${mgmt.name}" (its source is reused)` : ''}${!mgmtCrds && !workloadCrds ? ' and ' : ''}${!workloadCrds ? `"${workload.name}"` : ''}`,
        );
      }
      const gwUnit = `${this.clusterName}-gateway-api`;
      const gwContent = new OutputFolder(this, 'GatewayApiContent', `${mgmt.name}/releases/${gwUnit}`);
      const upstream = workloadCrds.kustomization.resource.toJson() as { spec: { path: string; healthChecks: unknown[] } };
      new Kustomization(gwContent, 'GatewayApiCrds', {
        metadata: { name: 'gateway-api', namespace: ns, annotations: PRUNE_DISABLED },
        spec: {
          interval: goDuration(Duration.minutes(10)),
          retryInterval: goDuration(Duration.minutes(1)),
          timeout: goDuration(Duration.minutes(10)),
          kubeConfig,
          sourceRef: { kind: KustomizationSpecSourceRefKind.GIT_REPOSITORY, name: (mgmtCrds.source.toJson() as { metadata: { name: string } }).metadata.name, namespace: FLUX_NAMESPACE },
          path: upstream.spec.path,
          // CRDs are never pruned: deleting one deletes every object of its kind.
          prune: false,
          wait: false,
          // Ordered by its wrapper `<cluster>-gateway-api` (after the Cluster exists).
          dependsOn: [],
          healthChecks: workloadCrds.channel.crdNames.map((name) => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name })),
        },
      });
      gatewayApi = new FluxKustomization(this, 'GatewayApiKustomization', {
        name: gwUnit,
        path: `${mgmt.sourcePath}/releases/${gwUnit}`,
        wait: true,
        timeout: Duration.minutes(30),
      });
      const capi = props.capiCluster ? fluxUnitOf(props.capiCluster) : undefined;
      if (capi) gatewayApi.addDependency(capi.kustomization);
      this.gatewayApiKustomization = gatewayApi;
    }

    this.kustomization = new FluxKustomization(this, 'Kustomization', {
      name: unitName,
      path: `${mgmt.sourcePath}/releases/${unitName}`,
      // Not `wait`: the two remote Kustomizations depend on this one, so it must not wait for them.
      healthChecks: [
        { apiVersion: HelmRelease.GVK.apiVersion, kind: HelmRelease.GVK.kind, name: cni.releaseName, namespace: ns },
        { apiVersion: HelmRelease.GVK.apiVersion, kind: HelmRelease.GVK.kind, name: fluxOperator.name, namespace: ns },
        ...ccmHealthChecks,
      ],
      timeout: Duration.minutes(30),
    });
    if (props.capiCluster) mgmt.addDependency(this, props.capiCluster);
    if (gatewayApi) this.kustomization.addDependency(gatewayApi);
  }

  /** The CLOUD_CCM_* rules: a cloud cluster without a load-balancer source, a CCM of another provider or without the external cloud provider. */
  private checkCloudControllerManager(props: WorkloadClusterBootstrapProps, cni: WorkloadCni, ccm: ICloudControllerManager | undefined): void {
    const cluster = props.capiCluster instanceof TalosCluster ? props.capiCluster : undefined;
    const provider = cluster?.clusterClass.provider;
    const values = cni.values as { enableLBIPAM?: boolean; defaultLBServiceIPAM?: string };
    const lbIpamOff = values.enableLBIPAM === false || values.defaultLBServiceIPAM === 'none';
    const cloud = provider === ClusterProvider.AWS || provider === ClusterProvider.AZURE || provider === ClusterProvider.GCP;
    if (!ccm) {
      if (cloud && lbIpamOff) {
        throw new InfraFluxError(
          ErrorCode.CLOUD_CCM_MISSING,
          this,
          `cluster "${this.clusterName}" runs on ${provider!.name} with Cilium LB IPAM off (enableLBIPAM false / defaultLBServiceIPAM none) and no cloud controller manager: its LoadBalancer Services would never get an address; pass cloudControllerManager (lib/cloud, e.g. ${provider === ClusterProvider.AWS ? 'AwsCloudControllerManager' : provider === ClusterProvider.AZURE ? 'AzureCloudControllerManager' : 'GcpCloudControllerManager'}) or switch LB IPAM on`,
        );
      }
      if (cluster?.externalCloudProvider) {
        throw new InfraFluxError(
          ErrorCode.CLOUD_CCM_MISSING,
          this,
          `cluster "${this.clusterName}" runs Talos with an external cloud provider, so its nodes stay tainted node.cloudprovider.kubernetes.io/uninitialized (and Flux never schedules) until a CCM initialises them; pass cloudControllerManager, or create the TalosCluster with externalCloudProvider: false`,
        );
      }
      return;
    }
    if (provider !== undefined && ccm.provider !== provider) {
      throw new InfraFluxError(ErrorCode.CLOUD_CCM_MISMATCH, this, `cloud controller manager ${ccm.node.path} is for ${ccm.provider.name}, but cluster "${this.clusterName}" runs on ${provider.name}; use the CCM of ${provider.name}`);
    }
    if (cluster && !cluster.externalCloudProvider) {
      throw new InfraFluxError(ErrorCode.CLOUD_CCM_MISMATCH, this, `cluster "${this.clusterName}" runs without an external cloud provider (externalCloudProvider: false): kubelet would not register for ${ccm.node.path} and it would initialise no node; drop the CCM or set externalCloudProvider: true`);
    }
    if (GitOpsCluster.find(ccm) !== props.workload) {
      throw new InfraFluxError(ErrorCode.CLOUD_CCM_MISMATCH, this, `cloud controller manager ${ccm.node.path} is not in the tree of workload "${props.workload.name}"; create it in that cluster (e.g. workload.controllers)`);
    }
  }

  /** A chart CCM as a remote HelmRelease in the Cluster's namespace (values from a ConfigMap next to it). */
  private remoteChartRelease(content: Construct, id: string, mgmt: GitOpsCluster, d: CcmHelmDelivery, kubeConfig: { secretRef: { name: string; key: string } }): ApiObject {
    const ns = this.namespace;
    const oci = d.chart.repository.startsWith('oci://');
    let chartSpec: { chart: HelmReleaseSpecChart } | { chartRef: HelmReleaseSpecChartRef };
    if (oci) {
      new OciRepository(content, `${id}Chart`, {
        metadata: { name: d.releaseName, namespace: ns },
        spec: {
          interval: goDuration(Duration.hours(12)),
          url: `${d.chart.repository.replace(/\/$/, '')}/${d.chart.name}`,
          ref: { tag: d.chart.version },
          layerSelector: { mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', operation: OciRepositorySpecLayerSelectorOperation.COPY },
        },
      });
      chartSpec = { chartRef: { kind: HelmReleaseSpecChartRefKind.OCI_REPOSITORY, name: d.releaseName, namespace: ns } };
    } else {
      const repoName = repositoryName(d.chart.repository);
      const repo = mgmt.sharedObject(`HelmRepository-${repoName}`, (s, sid) => new HelmRepository(s, sid, {
        metadata: { name: repoName, namespace: FLUX_NAMESPACE },
        spec: { interval: goDuration(Duration.hours(12)), url: d.chart.repository },
      }));
      if ((repo.toJson() as { spec: { url: string } }).spec.url !== d.chart.repository) {
        throw new InfraFluxError(ErrorCode.DUPLICATE, this, `HelmRepository "${repoName}" already points at another URL than ${d.chart.repository}`);
      }
      chartSpec = {
        chart: {
          spec: {
            chart: d.chart.name,
            version: d.chart.version,
            sourceRef: { kind: HelmReleaseSpecChartSpecSourceRefKind.HELM_REPOSITORY, name: repoName, namespace: FLUX_NAMESPACE },
            interval: goDuration(Duration.hours(12)),
          },
        },
      };
    }
    new ApiObject(content, `${id}Values`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${d.releaseName}-values`, namespace: ns },
      data: { 'values.yaml': Lazy.any({ produce: () => Yaml.stringify(d.values()).trimEnd() + '\n' }) },
    });
    return new HelmRelease(content, id, {
      metadata: { name: d.releaseName, namespace: ns, annotations: PRUNE_DISABLED },
      spec: {
        interval: goDuration(Duration.minutes(30)),
        kubeConfig,
        releaseName: d.releaseName,
        targetNamespace: d.namespace,
        storageNamespace: d.namespace,
        ...chartSpec,
        // Like the CNI: retried in place, rolled back on a failed upgrade, never uninstalled.
        install: { strategy: { name: HelmReleaseSpecInstallStrategyName.RETRY_ON_FAILURE, retryInterval: '2m' } },
        upgrade: { remediation: { retries: 3, strategy: HelmReleaseSpecUpgradeRemediationStrategy.ROLLBACK, remediateLastFailure: true } },
        uninstall: { keepHistory: true },
        valuesFrom: [{ kind: HelmReleaseSpecValuesFromKind.CONFIG_MAP, name: `${d.releaseName}-values`, valuesKey: 'values.yaml' }],
      },
    });
  }
}

/** The fleet's dist folder as seen from the Git root (`./dist`), from the management cluster's source path. */
function mgmtDistOf(mgmt: GitOpsCluster): string {
  return mgmt.sourcePath.slice(0, mgmt.sourcePath.length - mgmt.name.length - 1);
}
