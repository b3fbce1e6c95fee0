/**
 * The cluster-level monitoring capability (lib/flux/cluster-monitoring.ts, decision 0080): a
 * cluster with a MonitoringStack turns on every chart's own monitors, whatever the construction
 * order; the apps wait for the CRD app; the reconcile model proves the CRDs come first.
 */
import { parse } from 'yaml';
import { addClusterMonitor, CertManager, ErrorCode, FluxApp, MonitorKind } from '../../lib';
import { OAUTH2_PROXY_CHART } from '../../imports/helm/charts';
import { MonitoringStack } from '../../lib/monitoring';
import { CHART_RENDERED_KINDS, knowledgeFor, type KnowledgeContext } from '../../lib/reconcile/knowledge';
import { nestAt } from '../../lib/validation/helm-merge';
import { validateChartValues } from '../../lib/validation/helm-values';
import { thrownBy } from '../support/errors';
import { manifest, testCluster } from '../support/fleet';

type Fleet = Parameters<typeof manifest>[0];
const valuesOf = (fleet: Fleet, release: string): Record<string, any> => parse(manifest(fleet, `test/releases/${release}/configmap-${release}-values.yaml`).data['values.yaml']);

describe('the monitoring capability', () => {
  test('a chart turns its monitor on only when its cluster has a stack, created before or after it', () => {
    // GIVEN cert-manager on a cluster without a stack
    const { fleet, cluster } = testCluster();
    const certManager = new CertManager(cluster.controllers, 'CM');
    // THEN no ServiceMonitor value (the values the ConfigMap renders at synth)
    expect(certManager.values.prometheus).toBeUndefined();
    expect(certManager.app.monitorsOn).toBe(false);
    // WHEN the stack is added afterwards THEN cert-manager's chart renders its ServiceMonitor
    new MonitoringStack(cluster.apps, 'Monitoring', { certManager });
    expect(certManager.app.monitorsOn).toBe(true);
    expect(valuesOf(fleet, 'cert-manager').prometheus).toEqual({ enabled: true, servicemonitor: { enabled: true } });
  });

  test('an app with monitors waits for the CRD app (a dependency resolved at synth)', () => {
    // GIVEN an app in the crds layer (the CRD app's own layer) that has monitoring values, created before the stack
    const { cluster } = testCluster();
    const proxy = new FluxApp(cluster.crds, 'proxy', { chart: OAUTH2_PROXY_CHART, monitoringValues: { metrics: { serviceMonitor: { enabled: true } } } });
    const certManager = new CertManager(cluster.controllers, 'CM');
    new MonitoringStack(cluster.apps, 'Monitoring', { certManager });
    // WHEN the dependencies are resolved (as at synth) THEN its Kustomization dependsOn the CRD app's
    expect(cluster.resolveDependencies().errors).toEqual([]);
    expect(proxy.kustomization!.dependsOn.map((k) => k.name)).toEqual(['prometheus-operator-crds']);
    expect(proxy.values.metrics).toEqual({ serviceMonitor: { enabled: true } });
  });

  test('values added later still switch a monitor off; a release installed elsewhere never gets monitor values', () => {
    const { cluster } = testCluster();
    const certManager = new CertManager(cluster.controllers, 'CM');
    new MonitoringStack(cluster.apps, 'Monitoring', { certManager });
    certManager.app.addValues({ prometheus: { servicemonitor: { enabled: false } } });
    expect(certManager.values.prometheus?.servicemonitor?.enabled).toBe(false);
    const remote = new FluxApp(cluster.controllers, 'remote', { chart: OAUTH2_PROXY_CHART, installedElsewhere: true, monitoringValues: { metrics: { serviceMonitor: { enabled: true } } } });
    expect(remote.app.monitorsOn).toBe(false);
    expect(remote.values).toEqual({});
  });

  test('fails when a cluster monitor has no endpoint or a name used twice', () => {
    const { cluster } = testCluster();
    const m = { kind: MonitorKind.SERVICE_MONITOR, name: 'x', namespace: 'x', matchLabels: { app: 'x' }, endpoints: [{ port: 'metrics' }], component: cluster };
    expect(thrownBy(() => addClusterMonitor(cluster.apps, { ...m, endpoints: [] })).code).toBe(ErrorCode.INVALID_PROP);
    addClusterMonitor(cluster.apps, m);
    expect(thrownBy(() => addClusterMonitor(cluster.apps, m)).message).toMatch(/monitor x is already added/);
  });
});

describe('the reconcile model and monitors', () => {
  const hr = (chart: string, values: Record<string, unknown>) => ({ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: chart, namespace: chart }, spec: { chart: { spec: { chart } } }, values });
  const ctx = (values: Record<string, unknown>): KnowledgeContext => ({ chartOf: (o: any) => o.spec.chart.spec.chart, valuesOf: () => values, remoteClusterOf: () => undefined }) as unknown as KnowledgeContext;
  const served = (o: ReturnType<typeof hr>, values: Record<string, unknown>): string[] =>
    knowledgeFor(o).flatMap((k) => k.references?.(o, ctx(values)) ?? []).filter((r) => r.served).map((r) => `${r.group}/${r.kind}`);

  test('a HelmRelease whose values turn a monitor on needs the monitoring kind served; off, it needs nothing', () => {
    expect(served(hr('cert-manager', {}), { prometheus: { servicemonitor: { enabled: true } } })).toEqual(['monitoring.coreos.com/ServiceMonitor']);
    expect(served(hr('cert-manager', {}), { prometheus: { servicemonitor: { enabled: false } } })).toEqual([]);
    expect(served(hr('velero', {}), { metrics: { serviceMonitor: { enabled: true }, nodeAgentPodMonitor: { enabled: true } } })).toEqual(['monitoring.coreos.com/ServiceMonitor', 'monitoring.coreos.com/PodMonitor']);
    expect(served(hr('kube-prometheus-stack', {}), {})).toEqual(expect.arrayContaining(['monitoring.coreos.com/Prometheus', 'monitoring.coreos.com/PrometheusRule']));
    // every entry cites its source
    expect(CHART_RENDERED_KINDS.every((r) => r.source.length > 20)).toBe(true);
  });

  test('every monitor switch of CHART_RENDERED_KINDS passes the values check of its pinned chart', () => {
    // GIVEN each switch set to true WHEN checked as the fleet checks HelmRelease values THEN no unknown key or schema error (a typo would never render a monitor)
    const issues = CHART_RENDERED_KINDS.filter((r) => r.path.length > 0).flatMap((r) =>
      validateChartValues(r.chart, { object: r.chart, layers: [{ label: 'switch', values: nestAt(r.path, true) }] }).map((i) => i.message),
    );
    expect(issues).toEqual([]);
  });

  test('fails the reconcile check when a chart renders a ServiceMonitor on a cluster without the monitoring CRDs', () => {
    // GIVEN cert-manager with its ServiceMonitor forced on and no MonitoringStack
    const { fleet, cluster } = testCluster();
    new CertManager(cluster.controllers, 'CM', { values: { prometheus: { servicemonitor: { enabled: true } } } });
    // WHEN the fleet is checked THEN the HelmRelease names a kind nothing serves
    const e = thrownBy(() => fleet.checkReconcile());
    const problem = e.problems.find((p) => p.code === 'RECONCILE_UNRESOLVED_REFERENCE');
    expect(problem?.message).toMatch(/helmrelease-cert-manager\.yaml.*values prometheus\.servicemonitor\.enabled \(the chart renders a ServiceMonitor\) names kind monitoring\.coreos\.com\/ServiceMonitor/);
  });

  test('with the stack, the same cluster reconciles: the CRD app is Ready before every monitor', () => {
    const { fleet, cluster } = testCluster();
    const certManager = new CertManager(cluster.controllers, 'CM');
    new MonitoringStack(cluster.apps, 'Monitoring', { certManager });
    expect(() => fleet.checkReconcile()).not.toThrow();
  });
});
