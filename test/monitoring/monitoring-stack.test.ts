/**
 * MonitoringStack (kube-prometheus-stack) and PrometheusOperatorCrds: the contract values of
 * issue 14 (names other parts rely on), sizing and HA, storage on the default class, and one
 * failing input per rule.
 */
import { Duration } from 'cdk8s';
import { parse } from 'yaml';
import { addClusterMonitor, CertManager, ErrorCode, MonitorKind } from '../../lib';
import { ALERTMANAGER_URL, MonitoringStack, PROMETHEUS_URL, PrometheusOperatorCrds } from '../../lib/monitoring';
import { ClusterStorage, StoragePlatform } from '../../lib/storage';
import { thrownBy } from '../support/errors';
import { manifest, testCluster } from '../support/fleet';

type Fleet = Parameters<typeof manifest>[0];
/** The synthesized objects by file, synthesized (and validated) once per fleet. */
const synthesized = new WeakMap<Fleet, Map<string, Record<string, any>>>();
function objects(fleet: Fleet): Map<string, Record<string, any>> {
  let m = synthesized.get(fleet);
  if (!m) {
    m = new Map(fleet.manifests().map((x) => [x.file, x.object as Record<string, any>]));
    synthesized.set(fleet, m);
  }
  return m;
}
const object = (fleet: Fleet, file: string): Record<string, any> => objects(fleet).get(file) ?? manifest(fleet, file);
const kpsValues = (fleet: Fleet, cluster = 'test'): Record<string, any> =>
  parse(object(fleet, `${cluster}/releases/kube-prometheus-stack/configmap-kube-prometheus-stack-values.yaml`).data['values.yaml']);

function stack(props: Partial<ConstructorParameters<typeof MonitoringStack>[2]> = {}, layer: 'controllers' | 'apps' = 'controllers') {
  const { fleet, cluster } = testCluster();
  const certManager = new CertManager(cluster.controllers, 'CM');
  const monitoring = new MonitoringStack(cluster[layer], 'Monitoring', { certManager, ...props });
  return { fleet, cluster, certManager, monitoring };
}

describe('MonitoringStack', () => {
  test('installs kube-prometheus-stack after its CRD app with the names and selectors of the observability contract', () => {
    // GIVEN a cluster with cert-manager WHEN the stack is added
    const { fleet, monitoring } = stack();
    const v = kpsValues(fleet);
    // THEN the release and Services are the contract's
    expect(monitoring.name).toBe('kube-prometheus-stack');
    expect(monitoring.namespace).toBe('monitoring');
    expect(v.fullnameOverride).toBe('kube-prometheus-stack');
    expect(PROMETHEUS_URL).toBe('http://kube-prometheus-stack-prometheus.monitoring.svc:9090');
    expect(ALERTMANAGER_URL).toBe('http://kube-prometheus-stack-alertmanager.monitoring.svc:9093');
    expect(monitoring.prometheus).toMatchObject({ name: 'kube-prometheus-stack-prometheus', namespace: 'monitoring', port: 9090 });
    // CRDs from their own chart, Grafana not the subchart's, Talos + Cilium targets
    expect(v.crds).toEqual({ enabled: false });
    expect(v.grafana).toEqual({ enabled: false });
    for (const k of ['kubeProxy', 'kubeControllerManager', 'kubeScheduler', 'kubeEtcd']) expect(v[k]).toEqual({ enabled: false });
    expect(v.prometheusOperator.admissionWebhooks).toEqual({ certManager: { enabled: true }, patch: { enabled: false } });
    // every monitor of every namespace
    const spec = v.prometheus.prometheusSpec;
    for (const k of ['serviceMonitor', 'podMonitor', 'rule', 'probe', 'scrapeConfig']) {
      expect(spec[`${k}SelectorNilUsesHelmValues`]).toBe(false);
      expect(spec[`${k}Selector`]).toEqual({});
      expect(spec[`${k}NamespaceSelector`]).toEqual({});
    }
    expect(v.alertmanager.alertmanagerSpec).toMatchObject({
      alertmanagerConfigSelector: { matchLabels: { 'infraflux.io/alerting': 'true' } },
      alertmanagerConfigNamespaceSelector: {},
      alertmanagerConfigMatcherStrategy: { type: 'None' },
    });
    // secure pods, stated
    expect(spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 2000, fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' } });
    // defaults: one replica each, 10 days, 50 GiB with 40 GB size retention, no PDB
    expect(spec).toMatchObject({ replicas: 1, retention: '10d', retentionSize: '40GB' });
    expect(spec.storageSpec.volumeClaimTemplate.spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Gi' } } });
    expect(v.prometheus.podDisruptionBudget.enabled).toBe(false);
    // the Flux controllers are always scraped
    expect(v.prometheus.additionalPodMonitors.map((m: { name: string }) => m.name)).toEqual(['flux-system']);
    expect(v.extraManifests).toBeUndefined();
    // the HelmRelease is the default child; the CRD app is in the crds layer and owns the namespace
    expect(monitoring.node.defaultChild).toBe(monitoring.helmRelease);
    expect(monitoring.crds.layer.layerName).toBe('crds');
    expect(object(fleet, 'test/crds/namespace-monitoring.yaml').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(object(fleet, 'test/flux-system/helmrepository-prometheus-community.yaml').spec.url).toBe('https://prometheus-community.github.io/helm-charts');
    expect(Object.fromEntries(objects(fleet))).toMatchSnapshot();
  });

  test('MonitoringStack.of finds the stack of the cluster a construct is in, and only that one', () => {
    const { fleet, cluster, certManager, monitoring } = stack();
    const other = fleet.addCluster('other', { name: 'other' });
    expect(MonitoringStack.of(certManager)).toBe(monitoring);
    expect(MonitoringStack.of(cluster.apps)).toBe(monitoring);
    expect(MonitoringStack.of(other.apps)).toBeUndefined();
  });

  test('HA: replicas with PodDisruptionBudgets, time and size retention, volumes on the cluster default class', () => {
    // GIVEN the cluster's storage WHEN a production-sized stack is added in the apps layer
    const { cluster } = testCluster();
    const certManager = new CertManager(cluster.controllers, 'CM');
    const storage = new ClusterStorage(cluster, 'Storage', { platform: StoragePlatform.aws('eu-central-1') });
    const monitoring = new MonitoringStack(cluster.apps, 'Monitoring', { certManager, storage, prometheusReplicas: 2, alertmanagerReplicas: 3, retention: Duration.hours(36), storageSizeGiB: 100, retentionSizeGiB: 70 });
    // (the values the ConfigMap renders, read without synthesizing the cluster)
    const v = monitoring.values as Record<string, any>;
    // THEN
    expect(v.prometheus.prometheusSpec).toMatchObject({ replicas: 2, retention: '36h', retentionSize: '70GB' });
    expect(v.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec).toMatchObject({ storageClassName: 'default', resources: { requests: { storage: '100Gi' } } });
    expect(v.alertmanager.alertmanagerSpec.replicas).toBe(3);
    expect(v.alertmanager.alertmanagerSpec.storage.volumeClaimTemplate.spec.storageClassName).toBe('default');
    expect(v.prometheus.podDisruptionBudget).toEqual({ enabled: true, minAvailable: 1 });
    expect(v.alertmanager.podDisruptionBudget).toEqual({ enabled: true, minAvailable: 1 });
    // the apps layer waits for the configs layer that holds the class
    expect(cluster.resolveDependencies().errors).toEqual([]);
    expect(cluster.apps.kustomization.dependsOn.map((k) => k.name)).toContain('configs');
  });

  test('the stack renders the monitors constructs add, and the scrape token Secret for secured endpoints', () => {
    const { cluster, monitoring } = stack();
    // WHEN a component adds a secured PodMonitor after the stack exists
    addClusterMonitor(cluster.apps, { kind: MonitorKind.POD_MONITOR, name: 'capi-system', namespace: 'capi-system', matchLabels: { 'control-plane': 'controller-manager' }, endpoints: [{ port: 'metrics', https: true }], component: monitoring });
    const v = monitoring.values as Record<string, any>;
    // THEN it is rendered with the Prometheus token, which the chart's extraManifests provide
    expect(v.prometheus.additionalPodMonitors[1]).toEqual({
      name: 'capi-system',
      namespaceSelector: { matchNames: ['capi-system'] },
      selector: { matchLabels: { 'control-plane': 'controller-manager' } },
      podMetricsEndpoints: [{ port: 'metrics', path: '/metrics', scheme: 'https', tlsConfig: { insecureSkipVerify: true }, authorization: { type: 'Bearer', credentials: { name: 'prometheus-scrape-token', key: 'token' } } }],
    });
    expect(v.extraManifests).toEqual([
      { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token', metadata: { name: 'prometheus-scrape-token', annotations: { 'kubernetes.io/service-account.name': 'kube-prometheus-stack-prometheus' } } },
    ]);
  });

  test('extra values merge over InfraFluxs', () => {
    const { monitoring } = stack({ values: { prometheus: { prometheusSpec: { scrapeInterval: '60s' } } } });
    expect((monitoring.values as Record<string, any>).prometheus.prometheusSpec).toMatchObject({ scrapeInterval: '60s', replicas: 1 });
  });

  test('fails when the retention is under 2 hours or not whole hours', () => {
    for (const retention of [Duration.minutes(90), Duration.minutes(150)]) {
      const e = thrownBy(() => stack({ retention }));
      expect(e.code).toBe(ErrorCode.MONITORING_RETENTION);
      expect(e.constructPath).toBe('test/controllers/Monitoring');
    }
  });

  test('fails when the size retention leaves no room in the volume', () => {
    const e = thrownBy(() => stack({ storageSizeGiB: 20, retentionSizeGiB: 20 }));
    expect(e.code).toBe(ErrorCode.MONITORING_STORAGE_SIZING);
    expect(e.message).toMatch(/retentionSizeGiB 20 must be below storageSizeGiB 20/);
  });

  test('fails when a volume size is not a whole number of GiB', () => {
    expect(thrownBy(() => stack({ alertmanagerStorageSizeGiB: 0.5 })).code).toBe(ErrorCode.MONITORING_STORAGE_SIZING);
  });

  test('fails when a replica count is below 1', () => {
    const e = thrownBy(() => stack({ alertmanagerReplicas: 0 }));
    expect(e.code).toBe(ErrorCode.INVALID_PROP);
    expect(e.message).toMatch(/alertmanagerReplicas 0/);
  });

  test('fails when the stack is created in the crds or configs layer', () => {
    const { cluster } = testCluster();
    const certManager = new CertManager(cluster.controllers, 'CM');
    const e = thrownBy(() => new MonitoringStack(cluster.configs, 'Monitoring', { certManager }));
    expect(e.code).toBe(ErrorCode.WRONG_LAYER);
  });

  test('fails when the CRDs are not in the crds layer', () => {
    const { cluster } = testCluster();
    const e = thrownBy(() => new PrometheusOperatorCrds(cluster.controllers, 'Crds'));
    expect(e.code).toBe(ErrorCode.WRONG_LAYER);
    expect(e.constructPath).toBe('test/controllers/Crds');
  });

  test('fails at synth when a cluster gets a second stack', () => {
    const { fleet, cluster, certManager } = stack();
    new MonitoringStack(cluster.apps, 'Monitoring2', { certManager });
    const e = thrownBy(() => fleet.manifests());
    const duplicates = e.problems.filter((p) => p.code === ErrorCode.DUPLICATE).map((p) => p.message);
    expect(duplicates.some((m) => /Monitoring2\] claims "monitoring", which test\/controllers\/Monitoring already provides/.test(m))).toBe(true);
  });
});
