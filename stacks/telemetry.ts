/**
 * Logs, traces and dashboards of the reference fleet (issue 14 points 3-5, decisions 0085-0087):
 * on every cluster, in the apps layer, Loki (sized and kept by environment), the OpenTelemetry
 * node log collector (pod logs, Talos service logs, the API server audit log, Hubble flow logs) and
 * trace gateway, Tempo, and Grafana with the Prometheus/Alertmanager/Loki/Tempo data sources and
 * the platform dashboards, exposed on `grafana.<cluster>.<zone>` behind oauth2-proxy SSO
 * (platform admins). The Grafana admin account comes from the cluster's secret store.
 * The lead calls {@link addTelemetry} for every baseline from buildReferenceFleet.
 */
import { Cidr } from '../lib/core/cidr';
import { ALERTMANAGER_URL, MONITORING_NAMESPACE, PROMETHEUS_URL } from '../lib/monitoring';
import { invalidProp } from '../lib/core/errors';
import { GatewayStack } from '../lib/edge/gateway-stack';
import { OAuth2ProxySso } from '../lib/edge/platform-ui';
import { IFluxApp } from '../lib/flux/flux-app';
import { SecretReference } from '../lib/secrets/secret-reference';
import { ClusterStorage, DEFAULT_STORAGE_CLASS } from '../lib/storage';
import { exposeGrafana, Grafana, GrafanaRole, Loki, LOKI_S3_CREDENTIAL_KEYS, LokiStorage, NodeLogCollector, platformDashboards, Tempo, TraceGateway } from '../lib/telemetry';
import { VELERO_AWS_REGION } from './backup-storage';
import { FLEET_DOMAIN, MANAGEMENT_CLUSTER, type Baseline } from './config';

/** The Secret (keys admin-user, admin-password) Grafana's admin account comes from. */
export const GRAFANA_ADMIN_SECRET = 'grafana-admin';

/** Retention and size per environment: the budgets docs/observability.md states. */
export interface TelemetryBudget {
  readonly logRetentionDays: number;
  readonly logVolumeGiB: number;
  readonly traceRetentionHours: number;
  readonly traceVolumeGiB: number;
  readonly ingestionRateMb: number;
}

/** Production (mgmt, prod-*): a month of logs, a week of traces. */
export const PRODUCTION_BUDGET: TelemetryBudget = { logRetentionDays: 30, logVolumeGiB: 100, traceRetentionHours: 168, traceVolumeGiB: 30, ingestionRateMb: 16 };
/** Development and edge: a week of logs, three days of traces. */
export const DEVELOPMENT_BUDGET: TelemetryBudget = { logRetentionDays: 7, logVolumeGiB: 20, traceRetentionHours: 72, traceVolumeGiB: 10, ingestionRateMb: 8 };

/** A cluster's Loki bucket: name, region and where its ExternalSecret reads the credentials. */
export interface LokiBucket {
  readonly bucket: string;
  readonly region: string;
  /**
   * The Secrets Manager secret Terraform writes (a store that reads AWS Secrets Manager); otherwise
   * the operator copies the sensitive output `loki_<cluster>_credentials` into the cluster's backend
   * as `loki-s3-credentials`.
   */
  readonly credentialsSecretName?: string;
}

/** The Secret (keys AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) Loki reads in `loki`. */
export const LOKI_S3_SECRET = 'loki-s3-credentials';

/** Loki buckets by cluster. */
export const LOKI_BUCKETS: Readonly<Record<string, LokiBucket>> = {
  mgmt: { bucket: 'infraflux-loki-mgmt', region: VELERO_AWS_REGION },
  // prod-aws reads its secrets from AWS Secrets Manager (decision 0062): Terraform writes them there.
  'prod-aws': { bucket: 'infraflux-loki-prod-aws', region: VELERO_AWS_REGION, credentialsSecretName: 'infraflux/prod-aws/loki-s3-credentials' },
};

const PRODUCTION = new Set([MANAGEMENT_CLUSTER, 'prod-aws', 'prod-azure']);

/** The budget of a reference cluster. */
export function telemetryBudget(clusterName: string): TelemetryBudget {
  return PRODUCTION.has(clusterName) ? PRODUCTION_BUDGET : DEVELOPMENT_BUDGET;
}

export interface TelemetryOptions {
  /** The cluster's edge (stacks/edge.ts), for Grafana's route. */
  readonly edge: GatewayStack;
  /** Source ranges of the gateway proxy and of the SSO proxy's pods (the cluster's pod and node CIDRs). */
  readonly trustedProxyCidrs: readonly Cidr[];
  /** Delivers the SSO proxy's credentials (stacks/external-secrets.ts). */
  readonly ssoCredentials: (proxy: IFluxApp) => SecretReference;
  /** Delivers a Secret for an app from the cluster's store (stacks/external-secrets.ts `deliver`). */
  readonly deliver: (app: IFluxApp, id: string, targetName: string, keys: readonly string[], remoteKey?: string) => SecretReference;
  /** @default ['platform-admins'] */
  readonly allowedGroups?: readonly string[];
}

/** What {@link addTelemetry} builds on one cluster. */
export interface ClusterTelemetry {
  readonly loki: Loki;
  readonly tempo: Tempo;
  readonly nodeLogs: NodeLogCollector;
  readonly gateway: TraceGateway;
  readonly grafana: Grafana;
}

/** Adds logs, traces and Grafana to one reference cluster. */
export function addTelemetry(baseline: Baseline, opts: TelemetryOptions): ClusterTelemetry {
  const { cluster } = baseline;
  const storage = cluster.node.tryFindChild('Storage');
  if (!(storage instanceof ClusterStorage)) invalidProp(cluster, 'has no ClusterStorage "Storage" (stacks/storage.ts) before its telemetry; Loki, Tempo and Grafana need the default StorageClass');
  const defaultClass = storage.storageClasses[DEFAULT_STORAGE_CLASS];
  const budget = telemetryBudget(cluster.name);
  const domain = `${cluster.name}.${FLEET_DOMAIN}`;

  // Production clusters with a Loki bucket (stacks/telemetry-storage.ts creates it) keep chunks in
  // S3, three replicas; the volume then holds the WAL and index cache only.
  const bucket = LOKI_BUCKETS[cluster.name];
  const loki = new Loki(cluster.apps, 'Loki', {
    storage: bucket
      ? LokiStorage.s3({
          bucket: bucket.bucket,
          region: bucket.region,
          credentials: (l) => opts.deliver(l, 'S3Credentials', LOKI_S3_SECRET, LOKI_S3_CREDENTIAL_KEYS, bucket.credentialsSecretName),
        })
      : LokiStorage.filesystem({ sizeGiB: budget.logVolumeGiB }),
    replicas: bucket ? 3 : 1,
    retentionDays: budget.logRetentionDays,
    ingestionRateMb: budget.ingestionRateMb,
  });
  const tempo = new Tempo(cluster.apps, 'Tempo', { retentionHours: budget.traceRetentionHours, sizeGiB: budget.traceVolumeGiB });
  const nodeLogs = new NodeLogCollector(cluster.apps, 'NodeLogs', { loki });
  const gateway = new TraceGateway(cluster.apps, 'TraceGateway', { tempo, loki, createNamespace: false });
  gateway.addDependency(nodeLogs); // the otel Namespace (privileged) is the node collector's
  const grafana = new Grafana(cluster.apps, 'Grafana', {
    hostname: `grafana.${domain}`,
    datasources: { prometheusUrl: PROMETHEUS_URL, alertmanagerUrl: ALERTMANAGER_URL, loki, tempo },
    adminCredentials: (g) => opts.deliver(g, 'AdminCredentials', GRAFANA_ADMIN_SECRET, ['admin-user', 'admin-password']),
    // Grafana trusts the auth-proxy headers only from the SSO proxy's pods.
    trustedProxyCidrs: opts.trustedProxyCidrs,
    // Only platform admins pass the SSO guard.
    autoAssignRole: GrafanaRole.ADMIN,
    dashboards: platformDashboards({ clusterApi: cluster.name === MANAGEMENT_CLUSTER }),
  });
  if (defaultClass) for (const app of [loki, tempo, grafana]) app.addDependency(defaultClass);
  grafana.allowIngressFrom(MONITORING_NAMESPACE); // Prometheus scrapes Grafana's metrics
  exposeGrafana(opts.edge, grafana, {
    hostname: `grafana.${domain}`,
    sso: new OAuth2ProxySso({
      issuerUrl: `https://auth.${FLEET_DOMAIN}/application/o/grafana-${cluster.name}/`,
      credentials: opts.ssoCredentials,
      trustedProxyCidrs: opts.trustedProxyCidrs,
      allowedGroups: opts.allowedGroups ?? ['platform-admins'],
    }),
  });
  return { loki, tempo, nodeLogs, gateway, grafana };
}
