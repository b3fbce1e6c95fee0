import { ApiObject, Duration, Lazy, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Construct, IConstruct } from 'constructs';
import {
  HelmRelease,
  HelmReleaseSpecChartRefKind,
  HelmReleaseSpecChartSpecSourceRefKind,
  HelmReleaseSpecInstallCrds,
  HelmReleaseSpecUpgradeCrds,
  HelmReleaseSpecUpgradeRemediationStrategy,
  HelmReleaseSpecValuesFromKind,
} from '../../imports/flux-helm.toolkit.fluxcd.io';
import { HelmRepository, OciRepository, OciRepositorySpecLayerSelectorOperation } from '../../imports/flux-source.toolkit.fluxcd.io';
import { deepMerge } from '../core/_merge';
import { goDuration } from '../core/duration';
import { ErrorCode, InfraFluxError, invalidProp, validateDnsLabel } from '../core/errors';
import { FluxLayer, GitOpsCluster } from './gitops-cluster';
import { FLUX_NAMESPACE, FluxKustomization, HealthCheckExpr, PLATFORM_HELM_SERVICE_ACCOUNT, ReconcileTiming } from './kustomization';
import { OutputFolder } from './output-folder';
import { appNamespace } from './_app-namespace';
import { clusterMonitoring } from './cluster-monitoring';
import { PodSecurityLevel } from './pod-security';

/** A Helm chart pinned by the spec pack (see imports/helm/charts.ts, generated from the lock). */
export interface PinnedChart {
  readonly name: string;
  /** Exact version: ranges are not allowed. */
  readonly version: string;
  /** `https://` (classic Helm repository) or `oci://` (OCI registry, the chart's parent path). */
  readonly repository: string;
}

/** Props of {@link FluxApp}. `V` is the chart's generated values type. */
export interface FluxAppProps<V extends object> extends ReconcileTiming {
  /** The pinned chart to install. */
  readonly chart: PinnedChart;
  /**
   * Release name, also the name of the app's Kustomization, HelmRelease and values ConfigMap.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace the release installs into; created by the app.
   * @default - the release name
   */
  readonly namespace?: string;
  /**
   * Chart values, stored in the ConfigMap `<name>-values` and passed through `valuesFrom`.
   * Never put secrets here: reference a Secret from the chart's own `existingSecret`-style values.
   * @default {}
   */
  readonly values?: V;
  /**
   * Pod Security Admission level enforced on the namespace.
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * Create (and own) the Namespace. Set false for namespaces that exist on every cluster and must
   * never be pruned by Flux, such as `kube-system`.
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * The release is installed and upgraded from outside this cluster's tree — for a workload
   * cluster's CNI, by the management cluster's Flux through the cluster's kubeconfig (see
   * `WorkloadCni.fromApp()`), because no Flux can run in a cluster before its CNI. The app keeps its
   * chart and values (the single source of truth for whoever installs it) but emits no objects,
   * and dependencies on it are satisfied by definition: it runs before this cluster's Flux does.
   * @default false
   */
  readonly installedElsewhere?: boolean;
  /**
   * Retries before Flux remediates a failed install or upgrade (upgrades roll back, never uninstall).
   * @default 3
   * @see https://fluxcd.io/flux/components/helm/helmreleases/#configuring-failure-handling
   */
  readonly remediationRetries?: number;
  /**
   * How often the HelmRelease is reconciled (drift correction).
   * @default Duration.minutes(30)
   */
  readonly releaseInterval?: Duration;
  /**
   * CEL health checks added to the app's Kustomization, for objects of the chart kstatus cannot read.
   * @default []
   * @see https://fluxcd.io/flux/components/kustomize/kustomizations/#health-check-expressions
   */
  readonly healthCheckExprs?: readonly HealthCheckExpr[];
  /**
   * Kustomize patches Flux applies to the chart's rendered objects (HelmRelease
   * `spec.postRenderers[].kustomize.patches`), for fields the chart has no value for (e.g. a
   * securityContext key its template does not expose). Prefer values: a patch depends on the
   * chart's object names.
   * @default - none
   * @see https://fluxcd.io/flux/components/helm/helmreleases/#post-renderers
   */
  readonly postRenderPatches?: readonly PostRenderPatch[];
  /**
   * Chart values that turn the chart's own ServiceMonitor/PodMonitor on. Merged over `values` and
   * beneath every later {@link ChartApp.addValues} (which may still switch a monitor off), only
   * when the cluster has a monitoring stack
   * (the cluster-level capability of lib/flux/cluster-monitoring.ts), read at synth; the app then
   * waits for the stack's CRD app. Never applied to a release installed elsewhere (it may be
   * installed before the cluster has the monitoring CRDs). A chart-backed construct overrides
   * `ChartBackedConstruct.monitoringValues()` instead. Decision 0080.
   * @default - the chart has no monitor of its own
   */
  readonly monitoringValues?: V;
  /**
   * Name of the shared HelmRepository (in flux-system) of a `https://` chart, for a repository whose
   * derived name another repository of the fleet already has (`prometheus-community.github.io/helm-charts`
   * and `vmware-tanzu.github.io/helm-charts` both derive `helm-charts`).
   * @default - {@link repositoryName} of the chart's repository URL
   */
  readonly repositoryName?: string;
}

/** One kustomize patch of a HelmRelease post-renderer: a strategic-merge or JSON6902 patch and its target. */
export interface PostRenderPatch {
  /** The objects it applies to. */
  readonly target: { readonly group?: string; readonly version?: string; readonly kind: string; readonly name: string; readonly namespace?: string };
  /** The patch document (YAML or JSON text), as kustomize takes it. */
  readonly patch: string;
}

/** A construct that delivers one Helm chart through Flux: a {@link FluxApp} or a construct owning a {@link ChartApp}. */
export interface IFluxApp<V extends object = object> extends IConstruct {
  /** Release name, also the name of the app's Kustomization, HelmRelease and values ConfigMap. */
  readonly name: string;
  /** Namespace the release installs into. */
  readonly namespace: string;
  /** The Flux layer that applies the app's Kustomization. */
  readonly layer: FluxLayer;
  readonly chart: PinnedChart;
  /** The values this app sets (not merged with chart defaults), resolved now. */
  readonly values: V;
  /** See {@link FluxAppProps.installedElsewhere}. */
  readonly installedElsewhere: boolean;
  /** The app's Kustomization; undefined when the release is installed elsewhere. */
  readonly kustomization?: FluxKustomization;
  /** The HelmRelease (also `node.defaultChild`); undefined when installed elsewhere. */
  readonly helmRelease?: ApiObject;
  /** Makes this app wait for `target` (an app, layer or anything inside one of this cluster). */
  addDependency(target: IConstruct): void;
}

const CHART_APP = Symbol.for('infraflux.chart-app');

/**
 * The Flux app of one Helm chart, built into the construct that owns it (composition): the
 * 5-file pattern — the Namespace, the chart source (HelmRepository shared in flux-system, or an
 * OCIRepository), a Flux Kustomization for the app, the values ConfigMap and the HelmRelease that
 * reads it through `valuesFrom`, with install and upgrade remediation.
 *
 * The objects are children of `owner` itself (ids `Namespace`, `OCIRepository`, `Release`,
 * `Kustomization`), so the owner's construct path is the app's and ids stay stable; the owner's
 * `node.defaultChild` is set to the HelmRelease. The owner may sit anywhere below a
 * {@link FluxLayer} ({@link FluxLayer.of}). Values are rendered at synth: the owner passes what it
 * knows at construction in `values` and adds the rest with {@link ChartApp.addValues}.
 *
 * Files: the layer folder `dist/<cluster>/<layer>/` gets the Namespace, the OCIRepository and the
 * app's Kustomization (the layer applies them); the release folder `dist/<cluster>/releases/<name>/`
 * gets the values ConfigMap and the HelmRelease (the app's Kustomization applies them and waits for
 * the HelmRelease). Shared HelmRepositories go to `dist/<cluster>/flux-system/`.
 *
 * A construct for a chart follows docs/recipes/helm-chart-construct.md.
 */
export class ChartApp<V extends object = Record<string, unknown>> {
  /** The ChartApp `owner` owns, or undefined. */
  public static of<T extends object = Record<string, unknown>>(owner: IConstruct): ChartApp<T> | undefined {
    return (owner as { [CHART_APP]?: ChartApp<T> })[CHART_APP];
  }

  /** The construct whose children the app's objects are. */
  public readonly owner: Construct;
  public readonly name: string;
  public readonly namespace: string;
  public readonly layer: FluxLayer;
  /** The app's Kustomization; undefined when the release is installed elsewhere. */
  public readonly kustomization?: FluxKustomization;
  /** The HelmRelease: escape hatch through `addJsonPatch()`; undefined when installed elsewhere. */
  public readonly helmRelease?: ApiObject;
  /** The values ConfigMap; undefined when installed elsewhere. */
  public readonly valuesConfigMap?: kplus.ConfigMap;
  /** See {@link FluxAppProps.installedElsewhere}. */
  public readonly installedElsewhere: boolean;
  /** The app's Namespace; undefined when `createNamespace` is false. */
  public readonly namespaceObject?: kplus.Namespace;
  /** HelmRepository (shared, in flux-system) or OCIRepository (in the layer folder); undefined when installed elsewhere. */
  public readonly chartSource?: ApiObject;
  public readonly chart: PinnedChart;
  private readonly valueLayers: Array<V | (() => V)> = [];
  private readonly monitoringLayer: () => V | undefined;
  /** How many of `valueLayers` are the owner's construction values (props `values`): the monitoring values go over them. */
  private readonly ownLayers: number;

  /**
   * @param owner the construct that owns the app; it must not have children with the ids
   *   `Namespace`, `OCIRepository`, `Release` or `Kustomization`, and it owns at most one app.
   */
  public constructor(owner: Construct, props: FluxAppProps<V>) {
    if (ChartApp.of(owner)) invalidProp(owner, 'owns a ChartApp already; a construct owns at most one chart app (create another construct for a second chart)');
    Object.defineProperty(owner, CHART_APP, { value: this });
    this.owner = owner;
    const layer = FluxLayer.tryOf(owner);
    if (!layer) invalidProp(owner, 'a FluxApp must be created in a FluxLayer or below one (cluster.crds, .controllers, .configs or .apps)');
    this.layer = layer;
    this.name = validateDnsLabel(owner, 'name', props.name ?? owner.node.id);
    this.namespace = validateDnsLabel(owner, 'namespace', props.namespace ?? this.name);
    this.chart = validateChart(owner, props.chart);
    if (props.values) this.valueLayers.push(props.values);
    this.ownLayers = this.valueLayers.length;
    this.monitoringLayer = monitoringOf(props) ?? ((): V | undefined => props.monitoringValues);
    const retries = props.remediationRetries ?? 3;
    if (!Number.isInteger(retries) || retries < 0) invalidProp(owner, `remediationRetries ${retries} must be a whole number >= 0`);
    const cluster = GitOpsCluster.of(owner);
    this.installedElsewhere = props.installedElsewhere ?? false;
    if (this.installedElsewhere) return;
    // The monitors need the monitoring CRDs first; known only at synth (the stack may come later).
    cluster.addLateDependency(owner, () => (this.monitorsOn ? clusterMonitoring(owner)?.crds : undefined));

    if (props.createNamespace ?? true) this.namespaceObject = appNamespace(owner, this.namespace, props.podSecurity);

    const oci = this.chart.repository.startsWith('oci://');
    const repoName = props.repositoryName === undefined ? repositoryName(this.chart.repository) : validateDnsLabel(owner, 'repositoryName', props.repositoryName);
    const chartSource = oci
      ? new OciRepository(owner, 'OCIRepository', {
          metadata: { name: this.name, namespace: FLUX_NAMESPACE },
          spec: {
            interval: goDuration(Duration.hours(12)),
            url: `${this.chart.repository.replace(/\/$/, '')}/${this.chart.name}`,
            ref: { tag: this.chart.version },
            layerSelector: {
              mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
              operation: OciRepositorySpecLayerSelectorOperation.COPY,
            },
          },
        })
      : cluster.sharedObject(`HelmRepository-${repoName}`, (s, sid) => {
          return new HelmRepository(s, sid, {
            metadata: { name: repoName, namespace: FLUX_NAMESPACE },
            spec: { interval: goDuration(Duration.hours(12)), url: this.chart.repository },
          });
        });
    this.chartSource = chartSource;
    if (!oci && (chartSource.toJson() as { spec: { url: string } }).spec.url !== this.chart.repository) {
      throw new InfraFluxError(
        ErrorCode.DUPLICATE,
        owner,
        `HelmRepository "${repoName}" already points at another URL; give this app its own repositoryName`,
      );
    }

    const releases = new OutputFolder(owner, 'Release', `${cluster.name}/releases/${this.name}`);
    // Platform releases live in flux-system and reconcile as helm-controller (decision 0094): under
    // the multi-tenancy lockdown (`--no-cross-namespace-refs`, `--default-service-account`) a
    // HelmRelease may only name sources, values and service accounts of its own namespace, and the
    // platform's identity must not exist outside flux-system. The chart installs into
    // `targetNamespace`, with Helm's release storage there too (`storageNamespace`).
    this.valuesConfigMap = new kplus.ConfigMap(releases, 'Values', {
      metadata: { name: `${this.name}-values`, namespace: FLUX_NAMESPACE },
      // Rendered at synth, after the owner has added every value it knows only after construction.
      data: { 'values.yaml': lazyString(() => Yaml.stringify(this.values).trimEnd() + '\n') },
    });
    this.helmRelease = new HelmRelease(releases, 'Resource', {
      metadata: { name: this.name, namespace: FLUX_NAMESPACE },
      spec: {
        interval: goDuration(props.releaseInterval ?? Duration.minutes(30)),
        releaseName: this.name,
        targetNamespace: this.namespace,
        storageNamespace: this.namespace,
        serviceAccountName: PLATFORM_HELM_SERVICE_ACCOUNT,
        ...(oci
          ? { chartRef: { kind: HelmReleaseSpecChartRefKind.OCI_REPOSITORY, name: this.name, namespace: FLUX_NAMESPACE } }
          : {
              chart: {
                spec: {
                  chart: this.chart.name,
                  version: this.chart.version,
                  sourceRef: {
                    kind: HelmReleaseSpecChartSpecSourceRefKind.HELM_REPOSITORY,
                    name: repoName,
                    namespace: FLUX_NAMESPACE,
                  },
                  interval: goDuration(Duration.hours(12)),
                },
              },
            }),
        install: { crds: HelmReleaseSpecInstallCrds.CREATE_REPLACE, remediation: { retries } },
        upgrade: {
          crds: HelmReleaseSpecUpgradeCrds.CREATE_REPLACE,
          cleanupOnFail: true,
          remediation: { retries, strategy: HelmReleaseSpecUpgradeRemediationStrategy.ROLLBACK },
        },
        valuesFrom: [{ kind: HelmReleaseSpecValuesFromKind.CONFIG_MAP, name: `${this.name}-values`, valuesKey: 'values.yaml' }],
        ...(props.postRenderPatches?.length ? { postRenderers: [{ kustomize: { patches: props.postRenderPatches.map((p) => ({ target: { ...p.target }, patch: p.patch })) } }] } : {}),
      },
    });
    owner.node.defaultChild = this.helmRelease;

    this.kustomization = new FluxKustomization(owner, 'Kustomization', {
      ...props,
      name: this.name,
      path: `${cluster.sourcePath}/releases/${this.name}`,
      healthChecks: [{ apiVersion: HelmRelease.GVK.apiVersion, kind: HelmRelease.GVK.kind, name: this.name, namespace: FLUX_NAMESPACE }],
    });
  }

  /**
   * The values this app sets (not merged with chart defaults): `values` of the props, then every
   * {@link addValues} call, merged Helm-style (maps key by key, lists and scalars replaced).
   * A fresh object on each read; the values ConfigMap renders it at synth.
   */
  public get values(): V {
    const monitoring = this.monitorsOn ? [this.monitoringLayer()!] : [];
    const layers = [...this.valueLayers.slice(0, this.ownLayers), ...monitoring, ...this.valueLayers.slice(this.ownLayers)];
    return layers.reduce<V>((acc, layer) => deepMerge(acc, typeof layer === 'function' ? layer() : layer), {} as V);
  }

  /**
   * Whether the chart's own monitors are on: it has monitoring values, it is installed by this
   * cluster's Flux, and the cluster has a monitoring stack (decision 0080). Read at synth.
   */
  public get monitorsOn(): boolean {
    if (this.installedElsewhere || this.monitoringLayer() === undefined) return false;
    const stack = clusterMonitoring(this.owner);
    return stack !== undefined && stack !== this.owner;
  }

  /** Merges `values` over the current ones (Helm-style); read at synth, so the owner may call it any time before. */
  public addValues(values: V): void {
    this.valueLayers.push(values);
  }

  /**
   * Merges the values `produce()` returns over the current ones, calling it whenever the values are
   * read (at synth, for the ConfigMap): for values that depend on constructs created later.
   */
  public addLazyValues(produce: () => V): void {
    this.valueLayers.push(produce);
  }

  /** Makes this app wait for `target` (an app, layer or anything inside one of this cluster). */
  public addDependency(target: IConstruct): void {
    GitOpsCluster.of(this.owner).addDependency(this.owner, target);
  }
}

const MONITORING_HOOK = Symbol.for('infraflux.chart-app.monitoring');

/** The owner's monitoring hook passed by {@link ChartBackedConstruct.createApp}. */
function monitoringOf<V extends object>(props: FluxAppProps<V>): (() => V | undefined) | undefined {
  return (props as { [MONITORING_HOOK]?: () => V | undefined })[MONITORING_HOOK];
}

/** A string cdk8s resolves at synth (a `Lazy` where the binding's type is `string`). */
function lazyString(produce: () => string): string {
  return Lazy.any({ produce }) as unknown as string;
}

/**
 * Base of a construct that delivers one Helm chart by owning a {@link ChartApp} (composition): it
 * implements {@link IFluxApp} over its app, so a chart-backed construct writes only its props,
 * validation and values. The subclass validates with a real `this` after `super(scope, id)`,
 * then creates its app with {@link createApp} (once); the app's objects are the construct's own
 * children, so construct ids and paths are those of a ChartApp owned directly.
 * See docs/recipes/helm-chart-construct.md.
 */
export abstract class ChartBackedConstruct<V extends object = Record<string, unknown>> extends Construct implements IFluxApp<V> {
  private chartApp: ChartApp<V> | undefined;

  /** The chart app this construct owns (its objects are this construct's children). */
  public get app(): ChartApp<V> {
    if (!this.chartApp) {
      throw new InfraFluxError(ErrorCode.APP_NOT_CREATED, this, 'has no ChartApp yet; a chart-backed construct calls this.createApp(props) in its constructor before reading its app');
    }
    return this.chartApp;
  }

  /** Creates the chart app this construct owns; call it once, in the constructor, after validating the props. */
  protected createApp(props: FluxAppProps<V>): ChartApp<V> {
    const withMonitoring: FluxAppProps<V> & { [MONITORING_HOOK]?: () => V | undefined } = {
      ...props,
      [MONITORING_HOOK]: () => this.monitoringValues() ?? props.monitoringValues,
    };
    this.chartApp = new ChartApp<V>(this, withMonitoring);
    return this.chartApp;
  }

  /**
   * The chart values that turn this chart's own ServiceMonitor/PodMonitor on, or undefined when the
   * chart has none. Called at synth, and applied only when the cluster has a monitoring stack: a
   * cluster-level capability, never a flag per construct (decision 0080). Override it in the
   * construct of a chart with metrics.
   */
  protected monitoringValues(): V | undefined {
    return undefined;
  }

  public get name(): string {
    return this.app.name;
  }
  public get namespace(): string {
    return this.app.namespace;
  }
  public get layer(): FluxLayer {
    return this.app.layer;
  }
  public get chart(): PinnedChart {
    return this.app.chart;
  }
  /** The values this app sets (not merged with chart defaults), resolved now. */
  public get values(): V {
    return this.app.values;
  }
  /** See {@link FluxAppProps.installedElsewhere}. */
  public get installedElsewhere(): boolean {
    return this.app.installedElsewhere;
  }
  /** The app's Kustomization; undefined when the release is installed elsewhere. */
  public get kustomization(): FluxKustomization | undefined {
    return this.app.kustomization;
  }
  /** The HelmRelease (also `node.defaultChild`): escape hatch through `addJsonPatch()`; undefined when installed elsewhere. */
  public get helmRelease(): ApiObject | undefined {
    return this.app.helmRelease;
  }

  /** Makes this app wait for `target` (an app, layer or anything inside one of this cluster). */
  public addDependency(target: IConstruct): void {
    this.app.addDependency(target);
  }
}

/**
 * A Helm chart delivered by Flux in the 5-file pattern (see {@link ChartApp}), as a construct of
 * its own: `new FluxApp(cluster.controllers, 'podinfo', { chart, values })`. Create it in a layer
 * or anywhere below one. A construct with logic of its own for a chart extends
 * {@link ChartBackedConstruct} instead (docs/recipes/helm-chart-construct.md).
 */
export class FluxApp<V extends object = Record<string, unknown>> extends ChartBackedConstruct<V> {
  /** Whether `x` delivers a chart: a FluxApp or a construct owning a {@link ChartApp}. */
  public static isFluxApp(x: unknown): x is IFluxApp {
    return typeof x === 'object' && x !== null && CHART_APP in x;
  }

  public constructor(scope: Construct, id: string, props: FluxAppProps<V>) {
    super(scope, id);
    this.createApp(props);
  }

  /** The values ConfigMap; undefined when installed elsewhere. */
  public get valuesConfigMap(): kplus.ConfigMap | undefined {
    return this.app.valuesConfigMap;
  }
  /** The app's Namespace; undefined when `createNamespace` is false. */
  public get namespaceObject(): kplus.Namespace | undefined {
    return this.app.namespaceObject;
  }
  /** HelmRepository (shared, in flux-system) or OCIRepository (in the layer folder); undefined when installed elsewhere. */
  public get chartSource(): ApiObject | undefined {
    return this.app.chartSource;
  }

  /** Merges `values` over the current ones; see {@link ChartApp.addValues}. */
  public addValues(values: V): void {
    this.app.addValues(values);
  }
}

/**
 * Name of the HelmRepository object for a repository URL: `https://charts.jetstack.io` → `jetstack`,
 * `https://helm.cilium.io/` → `cilium`, `https://kubernetes-sigs.github.io/external-dns/` → `external-dns`.
 */
export function repositoryName(url: string): string {
  const parsed = new URL(url);
  const host = parsed.hostname.split('.');
  const path = parsed.pathname.split('/').filter((s) => s.length > 0);
  let label: string;
  if (parsed.hostname.endsWith('.github.io') && path.length > 0) label = path[0];
  else if (parsed.hostname === 'raw.githubusercontent.com' && path.length > 1) label = path[1];
  else label = ['charts', 'helm', 'www'].includes(host[0]) ? host[1] : host[0];
  return label.toLowerCase().replace(/[^a-z0-9-]/g, '-');
}

const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

function validateChart(scope: IConstruct, chart: PinnedChart): PinnedChart {
  if (!EXACT_VERSION.test(chart.version)) {
    invalidProp(scope, `chart ${chart.name} version "${chart.version}" is not an exact version; ranges like ">=1.14.0" or "6.*" are not allowed, pin e.g. "1.21.1"`);
  }
  if (!/^(https|oci):\/\//.test(chart.repository)) {
    invalidProp(scope, `chart ${chart.name} repository "${chart.repository}" must start with https:// or oci://`);
  }
  return chart;
}
