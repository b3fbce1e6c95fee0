/**
 * Alerts of the reference fleet (issue 14 points 2 and 6, decisions 0082-0084): on every cluster
 * with a MonitoringStack (stacks/monitoring.ts), the platform's PrometheusRules for the component
 * families the cluster runs (found in its construct tree), one Alertmanager route per declared
 * owner plus the platform team, with receivers whose URLs and keys come from the cluster's secret
 * store (ExternalSecret `alertmanager-receivers` in `monitoring`). Falco is off; `falco: true`
 * adds it, its rules and the route of its owner (the security team).
 */
import { VeleroBackup } from '../lib/backup/velero-backup';
import { GitOpsCluster } from '../lib/flux/gitops-cluster';
import { ManagementCluster } from '../lib/management/management-cluster';
import { AlertFamily, AlertReceiver, AlertRouting, PlatformAlerts } from '../lib/monitoring/alerts';
import { Falco } from '../lib/monitoring/falco';
import { MonitoringStack } from '../lib/monitoring/monitoring-stack';
import { MONITORING_NAMESPACE } from '../lib/monitoring/prometheus-operator-crds';
import { CiliumBgp } from '../lib/networking/load-balancing';
import { Tetragon } from '../lib/networking/tetragon';
import { ExternalSecret } from '../lib/secrets/external-secret';
import { ExternalSecretsOperator } from '../lib/secrets/external-secrets-operator';
import { SealedSecretsController } from '../lib/secrets/sealed-secrets-controller';
import { ClusterSecretStore } from '../lib/secrets/secret-store';
import { RookCeph } from '../lib/storage/drivers/rook-ceph';
import { MANAGEMENT_CLUSTER } from './config';
import { fleetRemoteKey } from './external-secrets';

/** The Secret (in `monitoring`) the Alertmanager receivers read: Slack webhook URL and PagerDuty routing key. */
export const ALERT_RECEIVERS_SECRET = 'alertmanager-receivers';
export const SLACK_URL_KEY = 'slack-webhook-url';
export const PAGERDUTY_KEY = 'pagerduty-routing-key';

/** The team Falco's detections go to. */
export const SECURITY_OWNER = { team: 'security', contact: 'security@infraflux.example.com' } as const;

/** Clusters whose platform alerts also page (PagerDuty). */
const PAGING = new Set([MANAGEMENT_CLUSTER, 'prod-aws', 'prod-azure']);

export interface AlertsOptions {
  /**
   * Falco (with falcosidekick → Alertmanager) on every cluster.
   * @default false
   */
  readonly falco?: boolean;
}

/** What {@link addAlerts} added to one cluster. */
export interface ClusterAlerts {
  readonly rules: PlatformAlerts;
  readonly routing: AlertRouting;
  readonly falco?: Falco;
}

/** The component families `cluster` runs, from its construct tree. */
export function alertFamiliesOf(cluster: GitOpsCluster): AlertFamily[] {
  const all = cluster.node.findAll();
  const has = (type: abstract new (...args: never[]) => unknown): boolean => all.some((c) => c instanceof type);
  const families = [AlertFamily.flux(), AlertFamily.certManager(), AlertFamily.cilium(), AlertFamily.nodes()];
  if (has(CiliumBgp)) families.push(AlertFamily.bgp());
  if (has(Tetragon)) families.push(AlertFamily.tetragon());
  const velero = all.find((c): c is VeleroBackup => c instanceof VeleroBackup);
  if (velero) families.push(AlertFamily.velero(velero));
  if (has(RookCeph)) families.push(AlertFamily.ceph());
  if (has(ManagementCluster)) families.push(AlertFamily.clusterApi());
  if (has(ExternalSecretsOperator)) families.push(AlertFamily.externalSecrets());
  if (has(SealedSecretsController)) families.push(AlertFamily.sealedSecrets());
  return families;
}

/**
 * Rules and routes on one cluster (configs layer); nothing on a cluster without a monitoring
 * stack. Call it after everything that declares owners on the cluster.
 */
export function addClusterAlerts(cluster: GitOpsCluster, options: AlertsOptions = {}): ClusterAlerts | undefined {
  const monitoring = MonitoringStack.of(cluster);
  if (!monitoring) return undefined;
  const rules = new PlatformAlerts(cluster.configs, 'PlatformAlerts', { monitoring, families: alertFamiliesOf(cluster) });
  // Runtime detections go to the security team: declaring it gives it a route below.
  const falco = options.falco ? new Falco(cluster.apps, 'Falco', { monitoring, owner: SECURITY_OWNER }) : undefined;
  const store = cluster.node.findAll().find((c): c is ClusterSecretStore => c instanceof ClusterSecretStore);
  if (!store) throw new Error(`[${cluster.node.path}] has no ClusterSecretStore for the Alertmanager receivers (stacks/external-secrets.ts)`);
  const paging = PAGING.has(cluster.name);
  const keys = paging ? [SLACK_URL_KEY, PAGERDUTY_KEY] : [SLACK_URL_KEY];
  const remoteKey = fleetRemoteKey(cluster, ALERT_RECEIVERS_SECRET);
  // The platform team's Slack incoming webhook and, where it pages, its PagerDuty Events v2 integration key.
  const receivers = new ExternalSecret(cluster.configs, 'AlertReceivers', {
    store,
    namespace: MONITORING_NAMESPACE,
    targetName: ALERT_RECEIVERS_SECRET,
    data: keys.map((k) => ({ secretKey: k, remoteKey, property: k })),
  }).secretRef;
  const routing = new AlertRouting(cluster.configs, 'AlertRouting', {
    monitoring,
    platformReceivers: [
      AlertReceiver.slack({ apiUrl: receivers.key(SLACK_URL_KEY), channel: `#alerts-${cluster.name}` }),
      ...(paging ? [AlertReceiver.pagerDuty({ routingKey: receivers.key(PAGERDUTY_KEY) })] : []),
    ],
  });
  return { rules, routing, ...(falco ? { falco } : {}) };
}

/** {@link addClusterAlerts} on every cluster of the fleet. */
export function addAlerts(clusters: readonly GitOpsCluster[], options: AlertsOptions = {}): Map<string, ClusterAlerts> {
  const out = new Map<string, ClusterAlerts>();
  for (const cluster of clusters) {
    const added = addClusterAlerts(cluster, options);
    if (added) out.set(cluster.name, added);
  }
  return out;
}
