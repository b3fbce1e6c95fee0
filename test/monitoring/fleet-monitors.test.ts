/**
 * Issue 14 acceptance: every cluster runs metrics, and every component the reference fleet
 * installs has a monitor — its chart's monitor value on (CHART_RENDERED_KINDS), or a
 * ServiceMonitor/PodMonitor its cluster's kube-prometheus-stack renders for it, or an entry of the
 * reasoned allowlist below. Reads the shared reference-fleet build.
 */
import { parse } from 'yaml';
import { CertManager } from '../../lib';
import { CHART_RENDERED_KINDS } from '../../lib/reconcile/knowledge';
import { testCluster } from '../support/fleet';
import { referenceFleet } from '../support/reference-fleet';

type Obj = Record<string, any>;

/**
 * Components without a monitor, each with its reason. `none`: it serves no metrics (or installs
 * only CRDs or configuration objects). `gap`: it has metrics this fleet does not scrape yet, and why
 * (decision 0080, "Not scraped yet").
 */
const ALLOWLIST: Readonly<Record<string, string>> = {
  'chart prometheus-operator-crds': 'none: the CRDs only',
  'chart headlamp': 'none: the pinned Headlamp chart serves no metrics endpoint (values.yaml has only the UI\'s Prometheus plugin settings)',
  'upstream ./deploy/dev-gcp': 'none: the sample tenant\'s own content (stacks/tenancy.ts); a tenant adds its own monitors',
  'chart kyverno-policies': 'none: ValidatingPolicy objects for Kyverno (the engine\'s own controllers are scraped)',
  'chart ceph-csi-drivers': 'none: Driver/OperatorConfig objects for ceph-csi-operator (the CSI pods are the operator\'s); the chart has no monitor value',
  'chart cluster-api-operator': 'gap: the chart has no metrics/monitor value (values.yaml); the operator\'s manager serves secured metrics the chart exposes no port name for',
  'chart flux-operator': 'gap: the workload\'s Flux controllers it installs are scraped (PodMonitor flux-system); the operator itself is installed by mgmt before the workload has the monitoring CRDs',
  'chart aws-cloud-controller-manager': 'gap: the chart has no monitor value; the CCM serves secured metrics on 10258 without a named container port',
  'chart cloud-provider-azure': 'gap: the chart has no monitor value (values.yaml); secured metrics on 10258',
  'chart proxmox-cloud-controller-manager': 'gap: the chart has no monitor value',
  'chart azuredisk-csi-driver': 'gap: the chart has only metricsPort values (29604/29605), no monitor value',
  'upstream ./config/crd/standard': 'none: the Gateway API CRDs',
  'upstream ./client/config/crd': 'none: the snapshot CRDs',
  'upstream ./deploy/kubernetes/snapshot-controller': 'none: the upstream Deployment starts the controller without --http-endpoint, so it serves no metrics',
  'upstream ./deploy/kubernetes/overlays/stable-master': 'gap: the PD CSI overlay exposes no metrics Service or named port',
  'upstream ./config/base': 'gap: baremetal-operator\'s metrics endpoint is secured and unnamed in config/base',
  'upstream ./deploy/packages/default': 'gap: the GCP CCM DaemonSet serves secured metrics on 10258 without a named port',
};

/** Monitors a cluster's stack renders for a release the management cluster installs remotely (it cannot render its own before the CRDs). */
const STACK_RENDERED: Readonly<Record<string, readonly string[]>> = {
  cilium: ['cilium-agent', 'cilium-operator', 'hubble-metrics', 'hubble-relay-metrics'],
};

type Manifest = { readonly file: string; readonly object: unknown };

/** The components of `manifests` with no monitor and not allowlisted, and the allowlist entries used. */
function unmonitored(manifests: readonly Manifest[]): { missing: string[]; used: Set<string> } {
  const byFile = new Map(manifests.map((m) => [m.file, m.object as Obj]));
  const stackValues = (cluster: string): Obj => {
    const cm = byFile.get(`${cluster}/releases/kube-prometheus-stack/configmap-kube-prometheus-stack-values.yaml`);
    return cm ? parse(cm.data['values.yaml']) : { prometheus: { additionalServiceMonitors: [], additionalPodMonitors: [] } };
  };
  const valuesOf = (file: string, hr: Obj): Obj => {
    const dir = file.slice(0, file.lastIndexOf('/'));
    const cm = byFile.get(`${dir}/configmap-${hr.spec.valuesFrom?.[0]?.name}.yaml`);
    return cm ? parse(cm.data['values.yaml']) : {};
  };
  const at = (v: Obj, path: readonly string[]): unknown => path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Obj)[k] : undefined), v);
  const missing: string[] = [];
  const used = new Set<string>();
  for (const [file, o] of byFile) {
    if (o.kind === 'HelmRelease') {
      const cluster = file.split('/')[0];
      const oci = manifests.find((m) => m.file.startsWith(`${cluster}/`) && (m.object as Obj).kind === 'OCIRepository' && (m.object as Obj).metadata.name === o.spec.chartRef?.name);
      const chart: string = o.spec.chart?.spec?.chart ?? String((oci?.object as Obj | undefined)?.spec.url ?? '').split('/').pop() ?? '';
      const values = valuesOf(file, o);
      const own = CHART_RENDERED_KINDS.some((r) => r.chart === chart && r.group === 'monitoring.coreos.com' && (r.path.length === 0 || at(values, r.path) === true));
      // A remote release (kubeConfig) runs on the cluster its kubeconfig Secret names.
      const target = o.spec.kubeConfig ? String(o.spec.kubeConfig.secretRef.name).replace(/-kubeconfig$/, '') : cluster;
      const rendered = (STACK_RENDERED[chart] ?? []).length > 0 && STACK_RENDERED[chart].every((n) => stackValues(target).prometheus.additionalServiceMonitors.some((m: Obj) => m.name === n));
      // Rook: the operator creates the mgr and ceph-exporter ServiceMonitors of a CephCluster with
      // spec.monitoring.enabled, with the RBAC of the chart's monitoring.enabled.
      const rook = chart === 'rook-ceph' && values.monitoring?.enabled === true && manifests.some((m) => m.file.startsWith(`${cluster}/`) && (m.object as Obj).kind === 'CephCluster' && (m.object as Obj).spec.monitoring?.enabled === true);
      const key = `chart ${chart}`;
      if (own || rendered || rook) continue;
      if (ALLOWLIST[key]) used.add(key);
      else missing.push(`${file} (${key})`);
    } else if (o.kind === 'Kustomization' && String(o.apiVersion).startsWith('kustomize.toolkit.fluxcd.io') && o.spec.sourceRef?.name !== 'flux-system') {
      const key = `upstream ${o.spec.path}`;
      if (ALLOWLIST[key]) used.add(key);
      else missing.push(`${file} (${key})`);
    }
  }
  return { missing, used };
}

describe('every component of the reference fleet has a monitor', () => {
  // GIVEN the complete reference fleet (shared, read-only build)
  const { manifests } = referenceFleet();
  const byFile = new Map(manifests.map((m) => [m.file, m.object as Obj]));
  const clusters = [...new Set(manifests.map((m) => m.file.split('/')[0]))].sort();
  const stackValues = (cluster: string): Obj => parse(byFile.get(`${cluster}/releases/kube-prometheus-stack/configmap-kube-prometheus-stack-values.yaml`)!.data['values.yaml']);

  test('every cluster runs kube-prometheus-stack after the prometheus-operator CRDs, and scrapes Flux', () => {
    expect(clusters).toEqual(['dev-gcp', 'dev-proxmox', 'edge-metal3', 'mgmt', 'prod-aws', 'prod-azure']);
    for (const c of clusters) {
      expect({ c, crds: byFile.has(`${c}/crds/kustomization-prometheus-operator-crds.yaml`), stack: byFile.has(`${c}/releases/kube-prometheus-stack/helmrelease-kube-prometheus-stack.yaml`) }).toEqual({ c, crds: true, stack: true });
      expect(stackValues(c).prometheus.additionalPodMonitors.map((m: Obj) => m.name)).toContain('flux-system');
    }
    // production runs HA, dev and edge do not
    const replicas = (c: string): [number, number] => [stackValues(c).prometheus.prometheusSpec.replicas, stackValues(c).alertmanager.alertmanagerSpec.replicas];
    for (const c of ['mgmt', 'prod-aws', 'prod-azure']) expect({ c, r: replicas(c) }).toEqual({ c, r: [2, 3] });
    for (const c of ['dev-gcp', 'dev-proxmox', 'edge-metal3']) expect({ c, r: replicas(c) }).toEqual({ c, r: [1, 1] });
  });

  test('each HelmRelease and upstream release has its chart monitor on, a monitor of its stack, or a reasoned allowlist entry', () => {
    const { missing, used } = unmonitored(manifests);
    // THEN nothing is left without a monitor, and every allowlist entry is still needed
    expect(missing).toEqual([]);
    expect(Object.keys(ALLOWLIST).filter((k) => !used.has(k))).toEqual([]);
  });

  test('each manifest app with a workload has a monitor its stack renders', () => {
    // A fleet folder holding a Deployment/DaemonSet/StatefulSet (not a chart) is a component of its own.
    const workloads = manifests.filter((m) => ['Deployment', 'DaemonSet', 'StatefulSet'].includes(String((m.object as Obj).kind)));
    expect(workloads.length).toBeGreaterThan(0);
    for (const w of workloads) {
      const c = w.file.split('/')[0];
      const ns = (w.object as Obj).metadata.namespace;
      const monitors = [...stackValues(c).prometheus.additionalServiceMonitors, ...stackValues(c).prometheus.additionalPodMonitors];
      expect({ file: w.file, scraped: monitors.some((m: Obj) => m.namespaceSelector.matchNames.includes(ns)) }).toEqual({ file: w.file, scraped: true });
    }
  });

  test('the management cluster scrapes every Cluster API provider namespace over HTTPS with the Prometheus token', () => {
    const pods = stackValues('mgmt').prometheus.additionalPodMonitors as Obj[];
    const providerNamespaces = manifests.filter((m) => m.file.startsWith('mgmt/releases/capi-providers/') && /provider$/i.test(String((m.object as Obj).kind))).map((m) => (m.object as Obj).metadata.namespace);
    expect(providerNamespaces.length).toBeGreaterThan(5);
    for (const ns of new Set(providerNamespaces)) {
      const m = pods.find((p) => p.namespaceSelector.matchNames.includes(ns));
      expect({ ns, scheme: m?.podMetricsEndpoints[0].scheme, token: m?.podMetricsEndpoints[0].authorization?.credentials?.name }).toEqual({ ns, scheme: 'https', token: 'prometheus-scrape-token' });
    }
    expect(stackValues('mgmt').extraManifests[0].metadata.name).toBe('prometheus-scrape-token');
  });

  test('fails for a component without a monitor: cert-manager on a cluster without the stack', () => {
    // GIVEN a small cluster whose cert-manager has no monitor (no stack) WHEN checked THEN it is reported
    const { fleet, cluster } = testCluster();
    new CertManager(cluster.controllers, 'CM');
    expect(unmonitored(fleet.manifests()).missing).toEqual(['test/releases/cert-manager/helmrelease-cert-manager.yaml (chart cert-manager)']);
  });
});
