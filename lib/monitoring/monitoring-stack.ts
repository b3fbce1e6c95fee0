import { Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { KUBE_PROMETHEUS_STACK_CHART } from '../../imports/helm/charts';
import { KubePrometheusStackValues } from '../../imports/helm/kube-prometheus-stack';
import { ICertManager } from '../certs/cert-manager';
import { Capability, claimCapability } from '../core/capabilities';
import { deepMerge } from '../core/_merge';
import { ErrorCode, InfraFluxError, invalidProp } from '../core/errors';
import { ServiceReference } from '../core/service-reference';
import { ClusterMonitor, clusterMonitoring, clusterMonitors, IClusterMonitoring, MonitorKind } from '../flux/cluster-monitoring';
import { ChartBackedConstruct, IFluxApp } from '../flux/flux-app';
import { GitOpsCluster, LayerName } from '../flux/gitops-cluster';
import { ReconcileTiming } from '../flux/kustomization';
import { ClusterStorage, DEFAULT_STORAGE_CLASS } from '../storage/cluster-storage';
import { MONITORING_NAMESPACE, PROMETHEUS_COMMUNITY_REPOSITORY, PrometheusOperatorCrds } from './prometheus-operator-crds';

/** Release (and fullnameOverride) of kube-prometheus-stack: the prefix of its object names. */
export const MONITORING_RELEASE = 'kube-prometheus-stack';
/**
 * Prometheus of every cluster: Service `<fullname>-prometheus` port 9090 (kube-prometheus-stack
 * templates/prometheus/service.yaml, `prometheus.service.port` 9090).
 */
export const PROMETHEUS_URL = `http://${MONITORING_RELEASE}-prometheus.${MONITORING_NAMESPACE}.svc:9090`;
/** Alertmanager of every cluster: Service `<fullname>-alertmanager` port 9093 (templates/alertmanager/service.yaml). */
export const ALERTMANAGER_URL = `http://${MONITORING_RELEASE}-alertmanager.${MONITORING_NAMESPACE}.svc:9093`;
/** The label an AlertmanagerConfig carries to be merged into the cluster's Alertmanager (any namespace). */
export const ALERTING_LABEL = 'infraflux.io/alerting';
/** ServiceAccount of the Prometheus pods (`<fullname>-prometheus`), whose token scrapes secured endpoints. */
export const PROMETHEUS_SERVICE_ACCOUNT = `${MONITORING_RELEASE}-prometheus`;

export interface MonitoringStackProps extends ReconcileTiming {
  /**
   * cert-manager, which issues the operator's admission webhook certificate (the chart's
   * self-signed Issuer, root CA and serving Certificate) instead of the kube-webhook-certgen patch
   * Job, whose Helm hooks fit GitOps badly. The stack waits for it.
   * @see https://github.com/prometheus-community/helm-charts/blob/kube-prometheus-stack-88.5.3/charts/kube-prometheus-stack/values.yaml (prometheusOperator.admissionWebhooks.certManager)
   */
  readonly certManager: ICertManager;
  /**
   * The cluster's storage: the volumes of Prometheus and Alertmanager are claimed on its `default`
   * StorageClass, and the stack waits for that class (so the stack must be in the apps layer).
   * @default - no storageClassName: the claims use whatever class the cluster marks default
   */
  readonly storage?: ClusterStorage;
  /**
   * The monitoring CRDs.
   * @default - a {@link PrometheusOperatorCrds} created in the cluster's crds layer
   */
  readonly crds?: PrometheusOperatorCrds;
  /**
   * How long Prometheus keeps samples (`prometheusSpec.retention`): whole hours, at least 2 (one
   * TSDB block).
   * @default Duration.days(10)
   * @see https://prometheus.io/docs/prometheus/latest/storage/#operational-aspects
   */
  readonly retention?: Duration;
  /**
   * Size of each Prometheus volume, in GiB.
   * @default 50
   */
  readonly storageSizeGiB?: number;
  /**
   * Size-based retention (`prometheusSpec.retentionSize`), in GiB: the oldest blocks go first once
   * the TSDB reaches it. Must leave room in the volume for the WAL and compaction.
   * @default - 80% of storageSizeGiB, rounded down
   */
  readonly retentionSizeGiB?: number;
  /**
   * Prometheus replicas (each scrapes every target: HA, not sharding). With more than one, a
   * PodDisruptionBudget keeps one running through node drains.
   * @default 1
   */
  readonly prometheusReplicas?: number;
  /**
   * Alertmanager replicas (a gossip cluster that deduplicates notifications); a PodDisruptionBudget
   * with more than one.
   * @default 1
   */
  readonly alertmanagerReplicas?: number;
  /**
   * Size of each Alertmanager volume (silences and the notification log), in GiB.
   * @default 2
   */
  readonly alertmanagerStorageSizeGiB?: number;
  /**
   * Extra chart values, merged over InfraFlux's.
   * @default {}
   */
  readonly values?: KubePrometheusStackValues;
}

/**
 * The metrics stack of one cluster: kube-prometheus-stack (Prometheus Operator, Prometheus,
 * Alertmanager, kube-state-metrics, node-exporter; release `kube-prometheus-stack` in namespace
 * `monitoring`), after its CRDs ({@link PrometheusOperatorCrds}, crds layer). Set for Talos +
 * Cilium (decision 0080): no kube-proxy target (Cilium replaces it), no scrape of the control-plane
 * components Talos binds to localhost (kube-controller-manager, kube-scheduler, etcd); Grafana is
 * not the subchart's (lib/telemetry installs its own).
 *
 * Prometheus selects every ServiceMonitor, PodMonitor, PrometheusRule, Probe and ScrapeConfig of
 * every namespace (`*SelectorNilUsesHelmValues: false`, empty selectors); Alertmanager merges every
 * AlertmanagerConfig labelled `infraflux.io/alerting: "true"`, from any namespace, without the
 * operator's namespace matcher (`alertmanagerConfigMatcherStrategy: None`: the configs route by the
 * owner label, lib/core/owner.ts).
 *
 * Creating it gives the cluster the monitoring capability: every chart-backed construct of the
 * cluster turns its own monitors on and waits for {@link crds}
 * (`ChartBackedConstruct.monitoringValues()`), and the monitors added with `addClusterMonitor()`
 * (Flux, Cluster API, remotely installed releases) are rendered by this release. One per cluster.
 */
export class MonitoringStack extends ChartBackedConstruct<KubePrometheusStackValues> implements IClusterMonitoring {
  /** The monitoring stack of the cluster `scope` is in, or undefined. */
  public static of(scope: IConstruct): MonitoringStack | undefined {
    const found = clusterMonitoring(scope);
    return found instanceof MonitoringStack ? found : undefined;
  }

  /** The app of the monitoring CRDs: anything that emits a `monitoring.coreos.com` object depends on it. */
  public readonly crds: IFluxApp;
  /** Provided: Prometheus (`PROMETHEUS_URL`). */
  public readonly prometheus: ServiceReference;
  /** Provided: Alertmanager (`ALERTMANAGER_URL`). */
  public readonly alertmanager: ServiceReference;

  public constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id);
    const cluster = GitOpsCluster.of(this);
    const retention = props.retention ?? Duration.days(10);
    const storageSizeGiB = props.storageSizeGiB ?? 50;
    const retentionSizeGiB = props.retentionSizeGiB ?? Math.floor(storageSizeGiB * 0.8);
    const prometheusReplicas = props.prometheusReplicas ?? 1;
    const alertmanagerReplicas = props.alertmanagerReplicas ?? 1;
    const alertmanagerStorageSizeGiB = props.alertmanagerStorageSizeGiB ?? 2;

    const retentionHours = retention.toMinutes({ integral: false }) / 60;
    if (!Number.isInteger(retentionHours) || retentionHours < 2) {
      throw new InfraFluxError(ErrorCode.MONITORING_RETENTION, this, `retention ${retention.toHumanString()} must be a whole number of hours, at least 2 (one TSDB block)`);
    }
    for (const [name, v] of [['storageSizeGiB', storageSizeGiB], ['alertmanagerStorageSizeGiB', alertmanagerStorageSizeGiB], ['retentionSizeGiB', retentionSizeGiB]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new InfraFluxError(ErrorCode.MONITORING_STORAGE_SIZING, this, `${name} ${v} must be a whole number of GiB >= 1`);
    }
    if (retentionSizeGiB >= storageSizeGiB) {
      throw new InfraFluxError(
        ErrorCode.MONITORING_STORAGE_SIZING,
        this,
        `retentionSizeGiB ${retentionSizeGiB} must be below storageSizeGiB ${storageSizeGiB}: the WAL and compaction need room beyond the retained blocks (about 20%)`,
      );
    }
    for (const [name, v] of [['prometheusReplicas', prometheusReplicas], ['alertmanagerReplicas', alertmanagerReplicas]] as const) {
      if (!Number.isInteger(v) || v < 1) invalidProp(this, `${name} ${v} must be a whole number >= 1`);
    }

    // One CRD app per cluster, found again by id (a second stack is then reported as a duplicate capability).
    this.crds = props.crds ?? (cluster.crds.node.tryFindChild('PrometheusOperatorCrds') as PrometheusOperatorCrds | undefined) ?? new PrometheusOperatorCrds(cluster.crds, 'PrometheusOperatorCrds');
    claimCapability(cluster, Capability.MONITORING, this);

    const className = props.storage ? DEFAULT_STORAGE_CLASS : undefined;
    const claim = (sizeGiB: number): Record<string, unknown> => ({
      volumeClaimTemplate: {
        spec: {
          ...(className ? { storageClassName: className } : {}),
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: `${sizeGiB}Gi` } },
        },
      },
    });
    const podSecurity = (): Record<string, unknown> => ({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 2000, fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' } });
    const values: KubePrometheusStackValues = {
      fullnameOverride: MONITORING_RELEASE,
      crds: { enabled: false },
      // Grafana is lib/telemetry's own release (namespace grafana).
      grafana: { enabled: false },
      // Cilium replaces kube-proxy: no target, and its alerts would fire (kube-prometheus-stack/NOTES.md).
      kubeProxy: { enabled: false },
      // Talos binds these to localhost (decision 0080): scraping them would only raise TargetDown.
      kubeControllerManager: { enabled: false },
      kubeScheduler: { enabled: false },
      kubeEtcd: { enabled: false },
      prometheusOperator: {
        admissionWebhooks: { certManager: { enabled: true }, patch: { enabled: false } },
      },
      prometheus: {
        prometheusSpec: {
          replicas: prometheusReplicas,
          retention: retentionHours % 24 === 0 ? `${retentionHours / 24}d` : `${retentionHours}h`,
          retentionSize: `${retentionSizeGiB}GB`,
          storageSpec: claim(storageSizeGiB),
          securityContext: podSecurity(),
          // Every monitor of every namespace, not only this release's.
          serviceMonitorSelectorNilUsesHelmValues: false,
          podMonitorSelectorNilUsesHelmValues: false,
          ruleSelectorNilUsesHelmValues: false,
          probeSelectorNilUsesHelmValues: false,
          scrapeConfigSelectorNilUsesHelmValues: false,
          serviceMonitorSelector: {},
          serviceMonitorNamespaceSelector: {},
          podMonitorSelector: {},
          podMonitorNamespaceSelector: {},
          ruleSelector: {},
          ruleNamespaceSelector: {},
          probeSelector: {},
          probeNamespaceSelector: {},
          scrapeConfigSelector: {},
          scrapeConfigNamespaceSelector: {},
        },
        podDisruptionBudget: { enabled: prometheusReplicas > 1, minAvailable: 1 },
      },
      alertmanager: {
        alertmanagerSpec: {
          replicas: alertmanagerReplicas,
          storage: claim(alertmanagerStorageSizeGiB),
          securityContext: podSecurity(),
          alertmanagerConfigSelector: { matchLabels: { [ALERTING_LABEL]: 'true' } },
          alertmanagerConfigNamespaceSelector: {},
          alertmanagerConfigMatcherStrategy: { type: 'None' },
        },
        podDisruptionBudget: { enabled: alertmanagerReplicas > 1, minAvailable: 1 },
      },
    };
    this.createApp({ ...props, chart: KUBE_PROMETHEUS_STACK_CHART,
      repositoryName: PROMETHEUS_COMMUNITY_REPOSITORY, name: MONITORING_RELEASE, namespace: MONITORING_NAMESPACE, createNamespace: false, values: deepMerge(values, props.values) });
    // Read at synth: the monitors every construct of the cluster has added by then.
    this.app.addLazyValues(() => monitorValues(this));
    const layer = this.app.layer.layerName;
    if (layer !== LayerName.CONTROLLERS && layer !== LayerName.APPS) {
      throw new InfraFluxError(ErrorCode.WRONG_LAYER, this, `MonitoringStack belongs in the controllers or apps layer, not "${layer}"`);
    }
    this.addDependency(this.crds);
    this.addDependency(props.certManager);
    if (props.storage) this.addDependency(props.storage.storageClasses[DEFAULT_STORAGE_CLASS]);

    this.prometheus = { namespace: MONITORING_NAMESPACE, name: `${MONITORING_RELEASE}-prometheus`, port: 9090, deployedBy: this };
    this.alertmanager = { namespace: MONITORING_NAMESPACE, name: `${MONITORING_RELEASE}-alertmanager`, port: 9093, deployedBy: this };
  }
}

/**
 * The Flux controllers' PodMonitor: every cluster runs Flux in flux-system (`flux bootstrap`, or the
 * FluxInstance the management cluster installs); each controller serves metrics on its container
 * port `http-prom` (fluxcd/flux2-monitoring-example monitoring/configs/podmonitor.yaml).
 */
const fluxMonitor = (): Record<string, unknown> => ({
  name: 'flux-system',
  namespaceSelector: { matchNames: ['flux-system'] },
  selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['helm-controller', 'source-controller', 'kustomize-controller', 'notification-controller', 'image-automation-controller', 'image-reflector-controller'] }] },
  podMetricsEndpoints: [{ port: 'http-prom' }],
});

/** The `additionalServiceMonitors`/`additionalPodMonitors` values of the cluster's added monitors (read at synth). */
function monitorValues(stack: MonitoringStack): KubePrometheusStackValues {
  const monitors = clusterMonitors(stack);
  const endpoint = (e: ClusterMonitor['endpoints'][number]): Record<string, unknown> => ({
    port: e.port,
    path: e.path ?? '/metrics',
    ...(e.https
      ? {
          scheme: 'https',
          tlsConfig: { insecureSkipVerify: true },
          authorization: { type: 'Bearer', credentials: { name: SCRAPE_TOKEN_SECRET, key: 'token' } },
        }
      : {}),
  });
  const secured = monitors.some((m) => m.endpoints.some((e) => e.https));
  return {
    prometheus: {
      additionalServiceMonitors: monitors
        .filter((m) => m.kind === MonitorKind.SERVICE_MONITOR)
        .map((m) => ({ name: m.name, namespaceSelector: { matchNames: [m.namespace] }, selector: { matchLabels: { ...m.matchLabels } }, endpoints: m.endpoints.map(endpoint) })),
      additionalPodMonitors: [
        fluxMonitor(),
        ...monitors
          .filter((m) => m.kind === MonitorKind.POD_MONITOR)
          .map((m) => ({ name: m.name, namespaceSelector: { matchNames: [m.namespace] }, selector: { matchLabels: { ...m.matchLabels } }, podMetricsEndpoints: m.endpoints.map(endpoint) })),
      ],
    },
    // A token Secret of the Prometheus ServiceAccount for the monitors of secured endpoints: Helm
    // installs ServiceAccounts before Secrets (helm pkg/release/util/kind_sorter.go InstallOrder)
    // and the token controller fills it in. No secret value is in dist/.
    ...(secured
      ? {
          extraManifests: [
            {
              apiVersion: 'v1',
              kind: 'Secret',
              type: 'kubernetes.io/service-account-token',
              metadata: { name: SCRAPE_TOKEN_SECRET, annotations: { 'kubernetes.io/service-account.name': PROMETHEUS_SERVICE_ACCOUNT } },
            },
          ],
        }
      : {}),
  };
}

/** Secret (in `monitoring`) with the Prometheus ServiceAccount's token, for monitors of secured endpoints. */
export const SCRAPE_TOKEN_SECRET = 'prometheus-scrape-token';
