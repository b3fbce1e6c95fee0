/**
 * Metrics of the reference fleet (issue 14 point 1, decision 0080): every cluster gets a
 * {@link MonitoringStack} (kube-prometheus-stack after the prometheus-operator CRDs) in the apps
 * layer, on the cluster's `default` StorageClass, sized by environment. Production (the management
 * cluster and the prod-* clusters) runs Prometheus twice and Alertmanager three times with
 * PodDisruptionBudgets and keeps 15 days; dev and edge one of each and 7 days. Creating the stack
 * turns on the monitors of every chart-backed construct of the cluster (the monitoring capability).
 */
import { Duration } from 'cdk8s';
import { MonitoringStack } from '../lib/monitoring';
import { ClusterStorage } from '../lib/storage';
import { MANAGEMENT_CLUSTER, type Baseline } from './config';

/** Metrics sizing of one environment. */
interface MetricsSizing {
  readonly prometheusReplicas: number;
  readonly alertmanagerReplicas: number;
  readonly retention: Duration;
  readonly storageSizeGiB: number;
}

const PRODUCTION: MetricsSizing = { prometheusReplicas: 2, alertmanagerReplicas: 3, retention: Duration.days(15), storageSizeGiB: 100 };
const DEVELOPMENT: MetricsSizing = { prometheusReplicas: 1, alertmanagerReplicas: 1, retention: Duration.days(7), storageSizeGiB: 30 };

/** Whether a reference cluster is production: the management cluster and the prod-* clusters. */
export function isProductionCluster(name: string): boolean {
  return name === MANAGEMENT_CLUSTER || name.startsWith('prod-');
}

/** Adds the metrics stack of one reference cluster. */
export function addMonitoring(baseline: Baseline, storage: ClusterStorage): MonitoringStack {
  const { cluster, certManager } = baseline;
  const sizing = isProductionCluster(cluster.name) ? PRODUCTION : DEVELOPMENT;
  return new MonitoringStack(cluster.apps, 'Monitoring', { certManager, storage, ...sizing });
}
