/**
 * Grafana from its pinned standalone chart (grafana-community `grafana` 12.11.1, Grafana 13.2.0;
 * kube-prometheus-stack's subchart stays off, obs contract): data sources Prometheus, Alertmanager,
 * Loki and Tempo with fixed uids, dashboards as code delivered as ConfigMaps to the chart's
 * dashboard sidecar, the admin account from a Secret reference, and Grafana's auth proxy mode
 * trusting only the SSO proxy in front of it (decision 0087).
 * @see https://grafana.com/docs/grafana/latest/setup-grafana/configure-security/configure-authentication/auth-proxy/
 */
import { ApiObject, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { GRAFANA_CHART } from '../../imports/helm/charts';
import { GrafanaValues } from '../../imports/helm/grafana';
import { Cidr } from '../core/cidr';
import { ErrorCode, InfraFluxError, invalidProp, validateDnsLabel, validateDnsSubdomain } from '../core/errors';
import { ServiceReference } from '../core/service-reference';
import { GatewayStack } from '../edge/gateway-stack';
import { OAuth2ProxySso, PlatformUiRouteOptions, requireSso } from '../edge/platform-ui';
import { GRAFANA_COMMUNITY_REPOSITORY } from './_repository';
import { ChartBackedConstruct } from '../flux/flux-app';
import { LayerName } from '../flux/gitops-cluster';
import { ReconcileTiming } from '../flux/kustomization';
import { OutputFolder } from '../flux/output-folder';
import { SecretReference } from '../secrets/secret-reference';
import { Dashboard, DatasourceUid } from './dashboard';
import { ILoki } from './loki';
import { ITempo } from './tempo';

/** Namespace of Grafana unless `namespace` says otherwise. */
export const GRAFANA_NAMESPACE = 'grafana';
/** Keys of the admin Secret (the chart's `admin.userKey` / `admin.passwordKey`). */
export const GRAFANA_ADMIN_KEYS = ['admin-user', 'admin-password'] as const;
/** Label (value "1") the dashboard sidecar watches. */
export const GRAFANA_DASHBOARD_LABEL = 'grafana_dashboard';
/** Annotation naming a dashboard's folder (the sidecar's `folderAnnotation`). */
export const GRAFANA_FOLDER_ANNOTATION = 'grafana_folder';

/** The organisation role Grafana gives a user the auth proxy signs up. */
export class GrafanaRole {
  public static readonly VIEWER = new GrafanaRole('Viewer');
  public static readonly EDITOR = new GrafanaRole('Editor');
  public static readonly ADMIN = new GrafanaRole('Admin');
  private constructor(public readonly value: string) {}
}

/** Where Grafana's data sources are. */
export interface GrafanaDatasources {
  /** Prometheus base URL (h-metrics' `PROMETHEUS_URL`). */
  readonly prometheusUrl: string;
  /** Alertmanager base URL (h-metrics' `ALERTMANAGER_URL`). */
  readonly alertmanagerUrl: string;
  readonly loki: ILoki;
  readonly tempo: ITempo;
}

export interface GrafanaProps extends ReconcileTiming {
  /** The four data sources. */
  readonly datasources: GrafanaDatasources;
  /** Public host name (`grafana.<cluster-domain>`): `server.root_url`. */
  readonly hostname: string;
  /**
   * Delivers the admin Secret (keys `admin-user`, `admin-password`) in Grafana's namespace, called
   * with the Grafana app (e.g. an ExternalSecret in its release folder). Never a value.
   */
  readonly adminCredentials: (grafana: Grafana) => SecretReference;
  /**
   * Source ranges allowed to assert a user through the auth-proxy headers (Grafana
   * `auth.proxy.whitelist`): the SSO proxy's pods, i.e. the cluster's pod CIDR. Required, never empty:
   * without it any client reaching Grafana could claim to be any user.
   */
  readonly trustedProxyCidrs: readonly Cidr[];
  /**
   * Role of users the proxy signs up.
   * @default GrafanaRole.VIEWER
   */
  readonly autoAssignRole?: GrafanaRole;
  /**
   * Dashboards provisioned at construction; more with {@link Grafana.addDashboard}.
   * @default []
   */
  readonly dashboards?: readonly Dashboard[];
  /**
   * Volume for Grafana's database (users, preferences; dashboards are code), on the cluster's
   * default StorageClass.
   * @default 5
   */
  readonly sizeGiB?: number;
  /** @default 'grafana' */
  readonly namespace?: string;
  /**
   * Extra chart values, merged over InfraFlux's. `datasources`, `admin` and `grafana.ini`
   * `auth.proxy` are derived from the props and refused here.
   * @default {}
   */
  readonly values?: GrafanaValues;
}

/**
 * Grafana in its own namespace (PSA restricted), apps layer. Provides `grafana:80`, to be exposed
 * behind SSO with {@link exposeGrafana}. Dashboards are ConfigMaps in the release folder, so they
 * are applied with Grafana and pruned with it.
 */
export class Grafana extends ChartBackedConstruct<GrafanaValues> {
  public readonly service: ServiceReference;
  /** The admin Secret. */
  public readonly adminSecret: SecretReference;
  /** The data source uids provisioned. */
  public readonly datasourceUids: readonly DatasourceUid[];
  private readonly dashboards = new Map<string, Dashboard>();
  private readonly ingressNamespaces = new Set<string>();
  private ingressPolicy?: ApiObject;

  public constructor(scope: Construct, id: string, props: GrafanaProps) {
    super(scope, id);
    const namespace = validateDnsLabel(this, 'namespace', props.namespace ?? GRAFANA_NAMESPACE);
    const hostname = validateDnsSubdomain(this, 'hostname', props.hostname);
    const size = props.sizeGiB ?? 5;
    if (!Number.isInteger(size) || size < 1) invalidProp(this, `sizeGiB ${size} must be a whole number >= 1`);
    const ds = props.datasources;
    for (const [what, url] of [['prometheusUrl', ds.prometheusUrl], ['alertmanagerUrl', ds.alertmanagerUrl], ['loki url', ds.loki.url], ['tempo url', ds.tempo.url]] as const) {
      if (!/^https?:\/\/[a-z0-9.-]+(:\d+)?(\/.*)?$/.test(url)) invalidProp(this, `datasources ${what} "${url}" must be an http(s) URL`);
    }
    const trusted = props.trustedProxyCidrs ?? [];
    if (trusted.length === 0) invalidProp(this, 'trustedProxyCidrs is empty; give the SSO proxy\'s source ranges (the pod CIDR), or any client could assert a user through X-Forwarded-Email');
    const whitelist = trusted.map((c) => Cidr._canonical(c._parse(this, 'trustedProxyCidrs'))).join(', ');
    const user = (props.values ?? {}) as Record<string, unknown>;
    const ini = (user['grafana.ini'] ?? {}) as Record<string, unknown>;
    const owned = [...['datasources', 'admin', 'adminPassword'].filter((k) => k in user), ...['auth.proxy'].filter((k) => k in ini).map((k) => `grafana.ini.${k}`)];
    if (owned.length) throw new InfraFluxError(ErrorCode.INVALID_CHART_VALUES, this, `values key(s) ${owned.join(', ')} are derived by Grafana from datasources, adminCredentials and trustedProxyCidrs; use those props instead`);

    this.datasourceUids = [DatasourceUid.PROMETHEUS, DatasourceUid.ALERTMANAGER, DatasourceUid.LOKI, DatasourceUid.TEMPO];
    this.createApp({
      ...props,
      chart: GRAFANA_CHART,
      repositoryName: GRAFANA_COMMUNITY_REPOSITORY,
      name: 'grafana',
      namespace,
      values: {
        replicas: 1,
        // The cluster's default StorageClass (the chart's storageClassName is only a comment).
        persistence: { enabled: true, type: 'pvc', size: `${size}Gi` },
        datasources: {
          'datasources.yaml': {
            apiVersion: 1,
            datasources: [
              { name: 'Prometheus', type: 'prometheus', uid: DatasourceUid.PROMETHEUS.uid, access: 'proxy', url: ds.prometheusUrl, isDefault: true, jsonData: { timeInterval: '30s' } },
              { name: 'Alertmanager', type: 'alertmanager', uid: DatasourceUid.ALERTMANAGER.uid, access: 'proxy', url: ds.alertmanagerUrl, jsonData: { implementation: 'prometheus', handleGrafanaManagedAlerts: false } },
              {
                name: 'Loki',
                type: 'loki',
                uid: DatasourceUid.LOKI.uid,
                access: 'proxy',
                url: ds.loki.url,
                jsonData: { maxLines: 1000, derivedFields: [{ name: 'trace_id', matcherType: 'label', matcherRegex: 'trace_id', datasourceUid: DatasourceUid.TEMPO.uid, url: '$${__value.raw}' }] },
              },
              {
                name: 'Tempo',
                type: 'tempo',
                uid: DatasourceUid.TEMPO.uid,
                access: 'proxy',
                url: ds.tempo.url,
                jsonData: { tracesToLogsV2: { datasourceUid: DatasourceUid.LOKI.uid, filterByTraceID: true }, serviceMap: { datasourceUid: DatasourceUid.PROMETHEUS.uid }, nodeGraph: { enabled: true } },
              },
            ],
          },
        },
        sidecar: {
          dashboards: {
            enabled: true,
            label: GRAFANA_DASHBOARD_LABEL,
            labelValue: '1',
            folderAnnotation: GRAFANA_FOLDER_ANNOTATION,
            provider: { foldersFromFilesStructure: true, allowUiUpdates: false },
          },
        },
        'grafana.ini': {
          server: { domain: hostname, root_url: `https://${hostname}/` },
          analytics: { check_for_updates: false, reporting_enabled: false },
          users: { allow_sign_up: false, auto_assign_org_role: (props.autoAssignRole ?? GrafanaRole.VIEWER).value },
          auth: { disable_signout_menu: true },
          'auth.basic': { enabled: false },
          // oauth2-proxy sets X-Forwarded-Email/-Preferred-Username/-Groups on every proxied request.
          'auth.proxy': {
            enabled: true,
            header_name: 'X-Forwarded-Email',
            header_property: 'email',
            auto_sign_up: true,
            headers: 'Name:X-Forwarded-Preferred-Username Groups:X-Forwarded-Groups',
            whitelist,
            enable_login_token: false,
          },
        },
        containerSecurityContext: {
          allowPrivilegeEscalation: false,
          privileged: false,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        },
        securityContext: { runAsNonRoot: true, runAsUser: 472, runAsGroup: 472, fsGroup: 472 },
      } as unknown as GrafanaValues,
    });
    if (this.app.layer.layerName !== LayerName.APPS) invalidProp(this, `Grafana must be created in the apps layer, not "${this.app.layer.layerName}"`);
    const admin = props.adminCredentials(this);
    for (const key of GRAFANA_ADMIN_KEYS) admin.key(key).use(this, 'Grafana admin credentials', this.namespace);
    if (admin.producer) this.addDependency(admin.producer);
    this.adminSecret = admin;
    this.app.addValues({ admin: { existingSecret: admin.name, userKey: GRAFANA_ADMIN_KEYS[0], passwordKey: GRAFANA_ADMIN_KEYS[1] } } as GrafanaValues);
    if (props.values) this.app.addValues(props.values);
    for (const dep of [ds.loki.service.deployedBy, ds.tempo.service.deployedBy]) if (dep) this.addDependency(dep);
    this.service = { namespace: this.namespace, name: 'grafana', port: 80, deployedBy: this };
    for (const d of props.dashboards ?? []) this.addDashboard(d);
  }

  /**
   * Admits ingress to Grafana's pods (port 3000) from `namespace` only: the first call creates a
   * NetworkPolicy `grafana-ingress` that denies every other source (Cilium enforces it; traffic from
   * the node, such as kubelet probes, stays allowed). {@link exposeGrafana} admits the SSO proxy;
   * admit the monitoring namespace for Prometheus' scrapes. Closes the header-spoofing path of the
   * auth proxy: only the SSO proxy reaches Grafana to assert a user.
   */
  public allowIngressFrom(namespace: string): void {
    validateDnsLabel(this, 'ingress namespace', namespace);
    this.ingressNamespaces.add(namespace);
    if (this.ingressPolicy || !this.helmRelease) return;
    this.ingressPolicy = new ApiObject(OutputFolder.of(this.helmRelease), 'IngressPolicy', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'grafana-ingress', namespace: this.namespace },
      spec: {
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'grafana', 'app.kubernetes.io/instance': 'grafana' } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: Lazy.any({ produce: () => [...this.ingressNamespaces].sort().map((ns) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } })) }),
            ports: [{ protocol: 'TCP', port: 3000 }],
          },
        ],
      },
    });
  }

  /** The uids of the dashboards provisioned, sorted. */
  public get dashboardUids(): string[] {
    return [...this.dashboards.keys()].sort();
  }

  /**
   * Provisions `dashboard`: a ConfigMap `grafana-dashboard-<uid>` labelled for the sidecar, in
   * Grafana's release folder. Fails ({@link ErrorCode.TELEMETRY_DASHBOARD}) on a malformed
   * dashboard or a uid already provisioned. Every {@link DatasourceUid} a panel can name is provisioned.
   */
  public addDashboard(dashboard: Dashboard): kplus.ConfigMap {
    dashboard.validate(this);
    if (this.dashboards.has(dashboard.uid)) throw new InfraFluxError(ErrorCode.TELEMETRY_DASHBOARD, this, `dashboard uid "${dashboard.uid}" is provisioned twice; uids must be unique`);
    this.dashboards.set(dashboard.uid, dashboard);
    if (!this.helmRelease) invalidProp(this, 'is installed elsewhere; its dashboards must be created in the tree that installs it');
    return new kplus.ConfigMap(OutputFolder.of(this.helmRelease), `Dashboard-${dashboard.uid}`, {
      metadata: {
        name: `grafana-dashboard-${dashboard.uid}`,
        namespace: this.namespace,
        labels: { [GRAFANA_DASHBOARD_LABEL]: '1' },
        annotations: { [GRAFANA_FOLDER_ANNOTATION]: dashboard.folder },
      },
      data: { [`${dashboard.uid}.json`]: JSON.stringify(dashboard.toJson(), undefined, 2) + '\n' },
    });
  }

  /** Turns the chart's own monitor on when the cluster has a MonitoringStack (decision 0080). */
  protected monitoringValues(): GrafanaValues {
    return { serviceMonitor: { enabled: true } } as GrafanaValues;
  }
}

/**
 * Exposes Grafana behind SSO on `options.hostname` (like the other platform UIs): refused without
 * an SSO guard restricted to identity-provider groups.
 */
export function exposeGrafana(stack: GatewayStack, grafana: Grafana, options: PlatformUiRouteOptions): ApiObject {
  const sso = requireSso(stack, 'Grafana', options.sso);
  // The proxy's namespace follows the route id (OAuth2ProxySso.namespaceFor).
  grafana.allowIngressFrom(OAuth2ProxySso.namespaceFor('Grafana'));
  return stack.exposeService('Grafana', grafana.service, { ...options, sso });
}
