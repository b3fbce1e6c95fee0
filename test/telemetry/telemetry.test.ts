/**
 * Logs, traces and Grafana (lib/telemetry, issue 14 points 3-5): the constructs' values, their
 * failing inputs (one test per rule, names start with "fails"), the dashboards' PromQL parsed
 * offline with the Prometheus project's own grammar (@prometheus-io/lezer-promql), the Talos
 * logging patch, and the reference fleet's wiring (shared build).
 */
import { parser as promqlParser } from '@prometheus-io/lezer-promql';
import { parse } from 'yaml';
import {
  Cidr,
  Dashboard,
  DatasourceUid,
  ErrorCode,
  Grafana,
  GrafanaRole,
  Loki,
  LokiStorage,
  NodeLogCollector,
  Panel,
  SecretReference,
  TALOS_LOG_RECEIVER_PORT,
  Tempo,
  TraceGateway,
  platformDashboards,
  talosLoggingPatch,
} from '../../lib';
import { validateTalosDocument } from '../../lib/cluster/talos-schema';
import { thrownBy } from '../support/errors';
import { manifest, testCluster } from '../support/fleet';
import { referenceFleet } from '../support/reference-fleet';
import { LOKI_BUCKETS } from '../../stacks/telemetry';

type Fleet = Parameters<typeof manifest>[0];
const valuesOf = (fleet: Fleet, release: string, ns: string): Record<string, any> => {
  const cm = manifest(fleet, `test/releases/${release}/configmap-${release}-values.yaml`);
  // the release installs into its namespace (its HelmRelease and values live in flux-system under the Flux lockdown)
  expect(manifest(fleet, `test/releases/${release}/helmrelease-${release}.yaml`).spec.targetNamespace).toBe(ns);
  return parse(cm.data['values.yaml']);
};
const LOKI_S3_SECRET = SecretReference.fromSealedSecret('loki-s3', 'loki', undefined, ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']);
const GRAFANA_ADMIN = SecretReference.fromSealedSecret('grafana-admin', 'grafana', undefined, ['admin-user', 'admin-password']);

/** A cluster with Loki, Tempo, both collectors and Grafana, as stacks/telemetry.ts builds them. */
function telemetryCluster(options: { lokiStorage?: LokiStorage } = {}) {
  const { fleet, cluster } = testCluster();
  const loki = new Loki(cluster.apps, 'Loki', { storage: options.lokiStorage, retentionDays: 7 });
  const tempo = new Tempo(cluster.apps, 'Tempo', { retentionHours: 48 });
  const nodeLogs = new NodeLogCollector(cluster.apps, 'NodeLogs', { loki });
  const gateway = new TraceGateway(cluster.apps, 'TraceGateway', { tempo, loki, createNamespace: false });
  const grafana = new Grafana(cluster.apps, 'Grafana', {
    hostname: 'grafana.test.example.com',
    datasources: { prometheusUrl: 'http://prometheus.monitoring.svc:9090', alertmanagerUrl: 'http://alertmanager.monitoring.svc:9093', loki, tempo },
    adminCredentials: () => GRAFANA_ADMIN,
    trustedProxyCidrs: [Cidr.of('10.244.0.0/16')],
    autoAssignRole: GrafanaRole.EDITOR,
    dashboards: platformDashboards(),
  });
  return { fleet, cluster, loki, tempo, nodeLogs, gateway, grafana };
}

describe('Loki', () => {
  test('Monolithic, single-tenant, retention by the compactor, on the default StorageClass', () => {
    // GIVEN / WHEN a cluster's telemetry
    const { fleet, loki } = telemetryCluster();
    const v = valuesOf(fleet, 'loki', 'loki');
    // THEN Loki runs one binary on a filesystem volume of the default class, 7 days kept
    expect(v.deploymentMode).toBe('Monolithic');
    expect(v.loki.auth_enabled).toBe(false);
    expect(v.loki.storage).toEqual({ type: 'filesystem' });
    expect(v.loki.schemaConfig.configs).toEqual([{ from: '2026-01-01', store: 'tsdb', object_store: 'filesystem', schema: 'v13', index: { prefix: 'loki_index_', period: '24h' } }]);
    expect(v.loki.limits_config).toMatchObject({ retention_period: '168h', allow_structured_metadata: true });
    expect(v.loki.compactor).toMatchObject({ retention_enabled: true, delete_request_store: 'filesystem' });
    expect(v.singleBinary).toMatchObject({ replicas: 1, persistence: { enabled: true, size: '10Gi', storageClass: 'default' } });
    // AND the nginx gateway, caches and canary are off; the API is the Service
    expect([v.gateway.enabled, v.chunksCache.enabled, v.resultsCache.enabled, v.lokiCanary.enabled]).toEqual([false, false, false, false]);
    expect(loki.url).toBe('http://loki.loki.svc:3100');
    expect(loki.node.defaultChild).toBe(loki.helmRelease);
    expect(manifest(fleet, 'test/apps/namespace-loki.yaml').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('on S3 the credentials come from a Secret reference as environment, several replicas allowed', () => {
    // GIVEN an S3 bucket and a sealed credentials Secret
    const { fleet, cluster } = testCluster();
    // WHEN Loki runs three replicas on it
    const loki = new Loki(cluster.apps, 'Loki', { replicas: 3, storage: LokiStorage.s3({ bucket: 'infraflux-loki-test', region: 'eu-central-1', credentials: () => LOKI_S3_SECRET }) });
    const v = valuesOf(fleet, 'loki', 'loki');
    // THEN the schema and store are S3, the keys reach Loki only through extraEnvFrom
    expect(v.loki.storage).toEqual({ type: 's3', bucketNames: { chunks: 'infraflux-loki-test', ruler: 'infraflux-loki-test', admin: 'infraflux-loki-test' }, s3: { region: 'eu-central-1' } });
    expect(v.loki.schemaConfig.configs[0].object_store).toBe('s3');
    expect(v.loki.commonConfig.replication_factor).toBe(3);
    expect(v.singleBinary.extraEnvFrom).toEqual([{ secretRef: { name: 'loki-s3' } }]);
    expect(loki.credentialsSecret).toBe(LOKI_S3_SECRET);
  });

  test('fails with several replicas on a filesystem volume', () => {
    const { cluster } = testCluster();
    const err = thrownBy(() => new Loki(cluster.apps, 'Loki', { replicas: 2 }));
    expect(err.code).toBe(ErrorCode.TELEMETRY_STORAGE);
    expect(err.constructPath).toBe('test/apps/Loki');
  });

  test('fails with a retention of 0 days', () => {
    const { cluster } = testCluster();
    expect(thrownBy(() => new Loki(cluster.apps, 'Loki', { retentionDays: 0 })).code).toBe(ErrorCode.INVALID_PROP);
  });

  test('fails with a bucket that is not an S3 name or a Terraform reference', () => {
    const { cluster } = testCluster();
    const s3 = (bucket: string) => LokiStorage.s3({ bucket, region: 'eu-central-1', credentials: () => LOKI_S3_SECRET });
    expect(thrownBy(() => new Loki(cluster.apps, 'A', { storage: s3('Bad_Bucket') })).message).toMatch(/is not an S3 bucket name/);
    expect(thrownBy(() => new Loki(cluster.apps, 'B', { storage: s3('${aws_s3_bucket.x.id}') })).code).toBe(ErrorCode.INVALID_PROP);
  });

  test('fails when values set what the props derive', () => {
    const { cluster } = testCluster();
    expect(thrownBy(() => new Loki(cluster.apps, 'Loki', { values: { deploymentMode: 'Distributed' } })).code).toBe(ErrorCode.INVALID_CHART_VALUES);
  });

  test('fails outside the apps layer', () => {
    const { cluster } = testCluster();
    expect(thrownBy(() => new Loki(cluster.controllers, 'Loki')).message).toMatch(/must be created in the apps layer/);
  });
});

describe('OpenTelemetry collectors', () => {
  test('the node collector ships pod, Talos, audit and Hubble logs to Loki over OTLP, from a privileged namespace', () => {
    // GIVEN / WHEN a cluster's telemetry
    const { fleet } = telemetryCluster();
    const v = valuesOf(fleet, 'otel-node', 'otel');
    // THEN a DaemonSet on every node, host network (Talos sends to 127.0.0.1), pinned contrib image
    expect(v).toMatchObject({ mode: 'daemonset', hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet', tolerations: [{ operator: 'Exists' }], image: { repository: 'otel/opentelemetry-collector-contrib', tag: '0.158.0' } });
    expect(v.presets).toMatchObject({ logsCollection: { enabled: true, storeCheckpoints: true }, kubernetesAttributes: { enabled: true } });
    // AND the Talos receiver listens where the Talos patch sends
    expect(v.config.receivers['tcplog/talos'].listen_address).toBe(`127.0.0.1:${TALOS_LOG_RECEIVER_PORT}`);
    const patch = talosLoggingPatch() as { machine: { logging: { destinations: { endpoint: string }[] } } };
    expect(patch.machine.logging.destinations[0].endpoint).toBe(`tcp://127.0.0.1:${TALOS_LOG_RECEIVER_PORT}/`);
    expect(v.config.receivers['filelog/audit'].include).toEqual(['/var/log/audit/kube/*.log']);
    expect(v.config.receivers['filelog/hubble'].include).toEqual(['/var/run/cilium/hubble/events.log']);
    // AND every pipeline exports to Loki's OTLP endpoint; traces and metrics are not collected here
    expect(v.config.exporters).toEqual({ 'otlphttp/loki': { endpoint: 'http://loki.loki.svc:3100/otlp' } });
    expect(Object.keys(v.config.service.pipelines).sort()).toEqual(['logs', 'logs/audit', 'logs/hubble', 'logs/talos', 'metrics', 'traces']);
    expect([v.config.service.pipelines.metrics, v.config.service.pipelines.traces]).toEqual([null, null]);
    expect(v.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(manifest(fleet, 'test/apps/namespace-otel.yaml').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    // AND it waits for Loki
    expect(manifest(fleet, 'test/apps/kustomization-otel-node.yaml').spec.dependsOn).toEqual([{ name: 'loki', namespace: 'flux-system' }]);
  });

  test('the gateway takes OTLP from apps and sends traces to Tempo and logs to Loki', () => {
    const { fleet, gateway } = telemetryCluster();
    const v = valuesOf(fleet, 'otel-gateway', 'otel');
    expect(v).toMatchObject({ mode: 'deployment', replicaCount: 2, fullnameOverride: 'otel-gateway' });
    expect(v.config.exporters['otlp/tempo']).toEqual({ endpoint: 'tempo.tempo.svc:4317', tls: { insecure: true } });
    expect(v.config.service.pipelines.traces).toEqual({ receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['otlp/tempo'] });
    expect(v.config.service.pipelines.logs.exporters).toEqual(['otlphttp/loki']);
    expect(v.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true });
    expect(gateway.otlpHttpUrl).toBe('http://otel-gateway.otel.svc:4318');
  });

  test('fails with a privileged Talos receiver port', () => {
    const { cluster } = testCluster();
    const loki = new Loki(cluster.apps, 'Loki');
    expect(thrownBy(() => new NodeLogCollector(cluster.apps, 'NodeLogs', { loki, talosPort: 514 })).message).toMatch(/talosPort 514 must be an unprivileged TCP port/);
  });

  test('fails with 0 gateway replicas', () => {
    const { cluster } = testCluster();
    const tempo = new Tempo(cluster.apps, 'Tempo');
    expect(thrownBy(() => new TraceGateway(cluster.apps, 'Gw', { tempo, replicas: 0 })).code).toBe(ErrorCode.INVALID_PROP);
  });
});

describe('Tempo', () => {
  test('single binary, OTLP in, local blocks, retention in hours', () => {
    const { fleet, tempo } = telemetryCluster();
    const v = valuesOf(fleet, 'tempo', 'tempo');
    expect(v.tempo.retention).toBe('48h');
    expect(Object.keys(v.tempo.receivers)).toEqual(['otlp']);
    expect(v.tempo.storage.trace.backend).toBe('local');
    expect(v.persistence).toEqual({ enabled: true, size: '10Gi' });
    expect(tempo.url).toBe('http://tempo.tempo.svc:3200');
  });

  test('fails with a retention of 0 hours', () => {
    const { cluster } = testCluster();
    expect(thrownBy(() => new Tempo(cluster.apps, 'Tempo', { retentionHours: 0 })).code).toBe(ErrorCode.INVALID_PROP);
  });
});

describe('Grafana', () => {
  test('four data sources with fixed uids, the admin from a Secret, the auth proxy trusting only the SSO proxy', () => {
    const { fleet, grafana } = telemetryCluster();
    const v = valuesOf(fleet, 'grafana', 'grafana');
    const ds = v.datasources['datasources.yaml'].datasources as { uid: string; url: string }[];
    expect(ds.map((d) => [d.uid, d.url])).toEqual([
      ['prometheus', 'http://prometheus.monitoring.svc:9090'],
      ['alertmanager', 'http://alertmanager.monitoring.svc:9093'],
      ['loki', 'http://loki.loki.svc:3100'],
      ['tempo', 'http://tempo.tempo.svc:3200'],
    ]);
    expect(v.admin).toEqual({ existingSecret: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' });
    expect(JSON.stringify(v)).not.toMatch(/adminPassword/);
    expect(v['grafana.ini']['auth.proxy']).toMatchObject({ enabled: true, header_name: 'X-Forwarded-Email', whitelist: '10.244.0.0/16', auto_sign_up: true });
    expect(v['grafana.ini'].users.auto_assign_org_role).toBe('Editor');
    expect(v['grafana.ini'].server.root_url).toBe('https://grafana.test.example.com/');
    expect(v.sidecar.dashboards).toMatchObject({ enabled: true, label: 'grafana_dashboard', labelValue: '1' });
    // AND one labelled ConfigMap per dashboard, in Grafana's release folder
    expect(grafana.dashboardUids).toEqual(['infraflux-cert-manager', 'infraflux-cilium', 'infraflux-cluster', 'infraflux-flux', 'infraflux-velero']);
    const cm = manifest(fleet, 'test/releases/grafana/configmap-grafana-dashboard-infraflux-cilium.yaml');
    expect(cm.metadata).toMatchObject({ namespace: 'grafana', labels: { grafana_dashboard: '1' }, annotations: { grafana_folder: 'InfraFlux' } });
    expect(JSON.parse(cm.data['infraflux-cilium.json'])).toMatchObject({ uid: 'infraflux-cilium', title: 'Cilium and Hubble', schemaVersion: 39 });
    // AND Grafana waits for Loki and Tempo
    expect(manifest(fleet, 'test/apps/kustomization-grafana.yaml').spec.dependsOn).toEqual([{ name: 'loki', namespace: 'flux-system' }, { name: 'tempo', namespace: 'flux-system' }]);
  });

  test('fails without trusted proxy ranges', () => {
    const { cluster } = testCluster();
    const loki = new Loki(cluster.apps, 'Loki');
    const tempo = new Tempo(cluster.apps, 'Tempo');
    const err = thrownBy(() => new Grafana(cluster.apps, 'Grafana', { hostname: 'g.example.com', datasources: { prometheusUrl: 'http://p:9090', alertmanagerUrl: 'http://a:9093', loki, tempo }, adminCredentials: () => GRAFANA_ADMIN, trustedProxyCidrs: [] }));
    expect(err.message).toMatch(/trustedProxyCidrs is empty/);
    expect(err.constructPath).toBe('test/apps/Grafana');
  });

  test('fails with a data source URL that is not http(s)', () => {
    const { cluster } = testCluster();
    const loki = new Loki(cluster.apps, 'Loki');
    const tempo = new Tempo(cluster.apps, 'Tempo');
    expect(() => new Grafana(cluster.apps, 'Grafana', { hostname: 'g.example.com', datasources: { prometheusUrl: 'prometheus:9090', alertmanagerUrl: 'http://a:9093', loki, tempo }, adminCredentials: () => GRAFANA_ADMIN, trustedProxyCidrs: [Cidr.of('10.0.0.0/8')] })).toThrow(/prometheusUrl "prometheus:9090" must be an http/);
  });

  test('fails to admit ingress from a namespace that is not a DNS label', () => {
    const { grafana } = telemetryCluster();
    expect(thrownBy(() => grafana.allowIngressFrom('Not_A_Namespace')).message).toMatch(/ingress namespace "Not_A_Namespace" is not a DNS-1123 label/);
  });

  test('fails with a dashboard uid provisioned twice', () => {
    const { grafana } = telemetryCluster();
    expect(thrownBy(() => grafana.addDashboard(platformDashboards()[0])).code).toBe(ErrorCode.TELEMETRY_DASHBOARD);
  });

  test('fails with an admin Secret in another namespace', () => {
    const { cluster } = testCluster();
    const loki = new Loki(cluster.apps, 'Loki');
    const tempo = new Tempo(cluster.apps, 'Tempo');
    const elsewhere = SecretReference.fromSealedSecret('grafana-admin', 'default', undefined, ['admin-user', 'admin-password']);
    expect(thrownBy(() => new Grafana(cluster.apps, 'Grafana', { hostname: 'g.example.com', datasources: { prometheusUrl: 'http://p:9090', alertmanagerUrl: 'http://a:9093', loki, tempo }, adminCredentials: () => elsewhere, trustedProxyCidrs: [Cidr.of('10.0.0.0/8')] })).code).toBe(ErrorCode.SECRET_NAMESPACE_MISMATCH);
  });
});

describe('Dashboard', () => {
  const panel = Panel.timeSeries({ title: 'x', queries: [{ expr: 'up' }] });

  test('lays panels out on the 24-column grid, a new line when a row is full', () => {
    const d = new Dashboard({ uid: 'a', title: 'A', rows: [{ title: 'r', panels: [panel, panel, Panel.logs({ title: 'l', queries: [{ expr: '{service_name="talos"}' }] })] }] });
    const panels = d.toJson().panels as { type: string; gridPos: object; datasource?: { uid: string } }[];
    expect(panels.map((p) => [p.type, p.gridPos])).toEqual([
      ['row', { h: 1, w: 24, x: 0, y: 0 }],
      ['timeseries', { h: 8, w: 12, x: 0, y: 1 }],
      ['timeseries', { h: 8, w: 12, x: 12, y: 1 }],
      ['logs', { h: 10, w: 24, x: 0, y: 9 }],
    ]);
    expect(panels[3].datasource?.uid).toBe(DatasourceUid.LOKI.uid);
  });

  test('fails with a panel without queries, a panel wider than the grid, or a bad uid', () => {
    const { cluster } = testCluster();
    const bad = (props: ConstructorParameters<typeof Dashboard>[0]) => thrownBy(() => new Dashboard(props).validate(cluster)).code;
    expect(bad({ uid: 'a', title: 'A', rows: [{ title: 'r', panels: [Panel.stat({ title: 's', queries: [] })] }] })).toBe(ErrorCode.TELEMETRY_DASHBOARD);
    expect(bad({ uid: 'a', title: 'A', rows: [{ title: 'r', panels: [Panel.stat({ title: 's', queries: [{ expr: 'up' }], width: 30 })] }] })).toBe(ErrorCode.TELEMETRY_DASHBOARD);
    expect(bad({ uid: 'Not_A_Label', title: 'A', rows: [{ title: 'r', panels: [panel] }] })).toBe(ErrorCode.TELEMETRY_DASHBOARD);
  });

  test('every PromQL query of the platform dashboards parses with the Prometheus grammar', () => {
    // GIVEN every dashboard, Cluster API's included
    const queries = platformDashboards({ clusterApi: true }).flatMap((d) => d.queries().filter((q) => q.datasource === DatasourceUid.PROMETHEUS).map((q) => ({ ...q, uid: d.uid })));
    expect(queries.length).toBeGreaterThanOrEqual(30);
    // WHEN each is parsed THEN the tree has no error node
    const broken = queries.filter((q) => {
      let error = false;
      promqlParser.parse(q.expr).iterate({ enter: (n) => { if (n.type.isError) error = true; } });
      return error;
    });
    expect(broken).toEqual([]);
    // AND the check does catch a broken expression
    let caught = false;
    promqlParser.parse('sum by (x (rate(up[5m])').iterate({ enter: (n) => { if (n.type.isError) caught = true; } });
    expect(caught).toBe(true);
  });
});

describe('Talos logging patch', () => {
  test('sends json_lines over TCP to the loopback collector', () => {
    // (schema validity of the patch in every TalosControlPlane/TalosConfigTemplate: test/cluster/talos-cluster.test.ts)
    const patch = talosLoggingPatch({ extraTags: { cluster: 'dev-gcp' } });
    expect(patch).toEqual({ machine: { logging: { destinations: [{ endpoint: 'tcp://127.0.0.1:6051/', format: 'json_lines', extraTags: { cluster: 'dev-gcp' } }] } } });
  });

  test('fails with an endpoint that is not tcp:// or udp://', () => {
    expect(validateTalosDocument({ machine: { logging: { destinations: [{ endpoint: 'http://127.0.0.1:6051/', format: 'json_lines' }] } } })).toEqual([
      '/machine/logging/destinations/0/endpoint "http://127.0.0.1:6051/" must be tcp://<host>:<port>/ or udp://<host>:<port>/',
    ]);
  });

  test('fails with a port outside 1-65535', () => {
    expect(thrownBy(() => talosLoggingPatch({ port: 0 })).code).toBe(ErrorCode.INVALID_PORT);
  });
});

describe('the reference fleet', () => {
  const { manifests } = referenceFleet();
  const clusters = [...new Set(manifests.map((m) => m.file.split('/')[0]))].sort();
  const files = new Set(manifests.map((m) => m.file));

  test('every cluster runs logs and traces, and Grafana behind SSO with the platform dashboards', () => {
    expect(clusters).toHaveLength(6);
    for (const c of clusters) {
      for (const release of ['loki', 'otel-node', 'otel-gateway', 'tempo', 'grafana']) expect([c, files.has(`${c}/releases/${release}/helmrelease-${release}.yaml`)]).toEqual([c, true]);
      const dashboards = [...files].filter((f) => f.startsWith(`${c}/releases/grafana/configmap-grafana-dashboard-`)).map((f) => f.replace(/.*dashboard-infraflux-|\.yaml$/g, '')).sort();
      expect([c, dashboards]).toEqual([c, ['cert-manager', 'cilium', 'cluster', 'flux', 'velero', ...(c === 'mgmt' ? ['cluster-api'] : [])].sort()]);
      // the route goes to oauth2-proxy, never to Grafana itself
      const route = manifests.find((m) => m.file === `${c}/releases/gateway-routes/httproute-grafana.yaml`)!.object as any;
      expect([c, route.spec.hostnames, route.spec.rules[0].backendRefs.map((b: any) => `${b.namespace}/${b.name}`)]).toEqual([c, [`grafana.${c}.infraflux.example.com`], ['oauth2-proxy-grafana/oauth2-proxy-grafana']]);
      // and only the SSO proxy (and Prometheus) reach Grafana's pods, so nobody else can assert a user
      const policy = manifests.find((m) => m.file === `${c}/releases/grafana/networkpolicy-grafana-ingress.yaml`)!.object as any;
      expect([c, policy.spec.ingress[0].from.map((f: any) => f.namespaceSelector.matchLabels['kubernetes.io/metadata.name'])]).toEqual([c, ['monitoring', 'oauth2-proxy-grafana']]);
    }
  });

  test('production keeps a month of logs and a week of traces, the others a week and three days', () => {
    const retention = (c: string) => {
      const loki = parse((manifests.find((m) => m.file === `${c}/releases/loki/configmap-loki-values.yaml`)!.object as any).data['values.yaml']);
      const tempo = parse((manifests.find((m) => m.file === `${c}/releases/tempo/configmap-tempo-values.yaml`)!.object as any).data['values.yaml']);
      return [loki.loki.limits_config.retention_period, tempo.tempo.retention];
    };
    for (const c of ['mgmt', 'prod-aws', 'prod-azure']) expect([c, retention(c)]).toEqual([c, ['720h', '168h']]);
    for (const c of ['dev-gcp', 'dev-proxmox', 'edge-metal3']) expect([c, retention(c)]).toEqual([c, ['168h', '72h']]);
  });

  test('production Loki keeps chunks in the S3 bucket Terraform creates (stacks/telemetry-storage.ts), the others on a volume', () => {
    const lokiValues = (c: string) => parse((manifests.find((m) => m.file === `${c}/releases/loki/configmap-loki-values.yaml`)!.object as any).data['values.yaml']);
    for (const c of clusters) {
      const v = lokiValues(c);
      const bucket = LOKI_BUCKETS[c];
      if (bucket) {
        expect([c, v.loki.storage.type, v.loki.storage.bucketNames.chunks, v.singleBinary.replicas]).toEqual([c, 's3', bucket.bucket, 3]);
        expect(files.has(`${c}/releases/loki/externalsecret-loki-s3-credentials.yaml`)).toBe(true);
      } else {
        expect([c, v.loki.storage.type]).toEqual([c, 'filesystem']);
      }
    }
    expect(Object.keys(LOKI_BUCKETS).sort()).toEqual(['mgmt', 'prod-aws']);
  });

  test('the clusters run a monitoring stack, so every telemetry chart has its monitor on', () => {
    const values = (c: string, r: string) => parse((manifests.find((m) => m.file === `${c}/releases/${r}/configmap-${r}-values.yaml`)!.object as any).data['values.yaml']);
    for (const c of clusters) {
      expect([c, values(c, 'loki').monitoring.serviceMonitor.enabled, values(c, 'tempo').serviceMonitor.enabled, values(c, 'grafana').serviceMonitor.enabled, values(c, 'otel-gateway').serviceMonitor.enabled, values(c, 'otel-node').podMonitor.enabled]).toEqual([c, true, true, true, true, true]);
    }
  });

  test('every workload cluster node sends its Talos logs to the collector', () => {
    const talosDocs = manifests.filter((m) => m.object.kind === 'TalosControlPlane' || m.object.kind === 'TalosConfigTemplate');
    expect(talosDocs.length).toBeGreaterThan(5);
    for (const m of talosDocs) expect([m.file, JSON.stringify(m.object).includes('tcp://127.0.0.1:6051/')]).toEqual([m.file, true]);
  });
});
