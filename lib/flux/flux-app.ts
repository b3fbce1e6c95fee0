import { ApiObject, Duration, Yaml } from 'cdk8s';
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
import { goDuration } from '../core/duration';
import { ErrorCode, InfraFluxError, invalidProp, validateDnsLabel } from '../core/errors';
import { FluxLayer, GitOpsCluster } from './gitops-cluster';
import { FLUX_NAMESPACE, FluxKustomization, ReconcileTiming } from './kustomization';
import { OutputFolder } from './output-folder';
import { appNamespace } from './_app-namespace';
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
}

/**
 * A Helm chart delivered by Flux in the 5-file pattern: the Namespace, the chart source
 * (HelmRepository shared in flux-system, or an OCIRepository), a Flux Kustomization for the app,
 * the values ConfigMap and the HelmRelease that reads it through `valuesFrom`, with install and
 * upgrade remediation.
 *
 * Files: the layer folder `dist/<cluster>/<layer>/` gets the Namespace, the OCIRepository and the
 * app's Kustomization (the layer applies them); the release folder `dist/<cluster>/releases/<name>/`
 * gets the values ConfigMap and the HelmRelease (the app's Kustomization applies them and waits for
 * the HelmRelease). Shared HelmRepositories go to `dist/<cluster>/flux-system/`.
 */
export class FluxApp<V extends object = Record<string, unknown>> extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  public readonly layer: FluxLayer;
  /** The app's Kustomization (an IFluxUnit's); undefined when the release is installed elsewhere. */
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
  /** The values this app sets (not merged with chart defaults). */
  public readonly values: V;

  public constructor(scope: FluxLayer, id: string, props: FluxAppProps<V>) {
    super(scope, id);
    if (!(scope instanceof FluxLayer)) {
      invalidProp(this, 'a FluxApp must be created directly in a FluxLayer (cluster.crds, .controllers, .configs or .apps)');
    }
    this.layer = scope;
    this.name = validateDnsLabel(this, 'name', props.name ?? id);
    this.namespace = validateDnsLabel(this, 'namespace', props.namespace ?? this.name);
    this.chart = validateChart(this, props.chart);
    this.values = props.values ?? ({} as V);
    const retries = props.remediationRetries ?? 3;
    if (!Number.isInteger(retries) || retries < 0) invalidProp(this, `remediationRetries ${retries} must be a whole number >= 0`);
    const cluster = GitOpsCluster.of(scope);
    this.installedElsewhere = props.installedElsewhere ?? false;
    if (this.installedElsewhere) return;

    if (props.createNamespace ?? true) this.namespaceObject = appNamespace(this, this.namespace, props.podSecurity);

    const oci = this.chart.repository.startsWith('oci://');
    const chartSource = oci
      ? new OciRepository(this, 'OCIRepository', {
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
      : cluster.sharedObject(`HelmRepository-${repositoryName(this.chart.repository)}`, (s, sid) => {
          return new HelmRepository(s, sid, {
            metadata: { name: repositoryName(this.chart.repository), namespace: FLUX_NAMESPACE },
            spec: { interval: goDuration(Duration.hours(12)), url: this.chart.repository },
          });
        });
    this.chartSource = chartSource;
    if (!oci && (chartSource.toJson() as { spec: { url: string } }).spec.url !== this.chart.repository) {
      throw new InfraFluxError(
        ErrorCode.DUPLICATE,
        this,
        `HelmRepository "${repositoryName(this.chart.repository)}" already points at another URL; two repositories with the same host name part are not supported`,
      );
    }

    const releases = new OutputFolder(this, 'Release', `${cluster.name}/releases/${this.name}`);
    this.valuesConfigMap = new kplus.ConfigMap(releases, 'Values', {
      metadata: { name: `${this.name}-values`, namespace: this.namespace },
      data: { 'values.yaml': Yaml.stringify(this.values).trimEnd() + '\n' },
    });
    this.helmRelease = new HelmRelease(releases, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        interval: goDuration(props.releaseInterval ?? Duration.minutes(30)),
        releaseName: this.name,
        ...(oci
          ? { chartRef: { kind: HelmReleaseSpecChartRefKind.OCI_REPOSITORY, name: this.name, namespace: FLUX_NAMESPACE } }
          : {
              chart: {
                spec: {
                  chart: this.chart.name,
                  version: this.chart.version,
                  sourceRef: {
                    kind: HelmReleaseSpecChartSpecSourceRefKind.HELM_REPOSITORY,
                    name: repositoryName(this.chart.repository),
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
      },
    });

    this.kustomization = new FluxKustomization(this, 'Kustomization', {
      ...props,
      name: this.name,
      path: `${cluster.sourcePath}/releases/${this.name}`,
      healthChecks: [{ apiVersion: HelmRelease.GVK.apiVersion, kind: HelmRelease.GVK.kind, name: this.name, namespace: this.namespace }],
    });
  }

  /** Makes this app wait for `target` (an app, layer or anything inside one of this cluster). */
  public addDependency(target: IConstruct): void {
    GitOpsCluster.of(this).addDependency(this, target);
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
