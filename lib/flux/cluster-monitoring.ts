import { IConstruct } from 'constructs';
import { Capability, capabilityOwners } from '../core/capabilities';
import { invalidProp, validateDnsLabel } from '../core/errors';
import { GitOpsCluster } from './gitops-cluster';

/**
 * The cluster-level monitoring capability: a metrics stack (the `MonitoringStack` of
 * lib/monitoring) claims {@link Capability.MONITORING} on its GitOpsCluster. When a cluster has
 * one, every chart-backed construct of that cluster turns its own ServiceMonitor/PodMonitor on
 * (`ChartBackedConstruct.monitoringValues()`, read at synth, so construction order does not
 * matter) and its app waits for {@link IClusterMonitoring.crds}. Decision 0080.
 */
export interface IClusterMonitoring extends IConstruct {
  /** The app of the `monitoring.coreos.com` CRDs: every app that emits a monitor depends on it. */
  readonly crds: IConstruct;
}

/** The monitoring stack of the cluster `scope` is in, or undefined (no stack, or not in a cluster). */
export function clusterMonitoring(scope: IConstruct): IClusterMonitoring | undefined {
  const cluster = clusterOf(scope);
  if (!cluster) return undefined;
  return capabilityOwners(cluster, Capability.MONITORING)[0] as IClusterMonitoring | undefined;
}

/** Kind of a monitor the stack renders for a component. */
export enum MonitorKind {
  /** Scrapes the endpoints of Services (selected by label). */
  SERVICE_MONITOR = 'ServiceMonitor',
  /** Scrapes pods directly (selected by label), for components without a metrics Service. */
  POD_MONITOR = 'PodMonitor',
}

/** One scraped port of a {@link ClusterMonitor}. */
export interface MonitorEndpoint {
  /** Name of the Service port (ServiceMonitor) or container port (PodMonitor). */
  readonly port: string;
  /** @default '/metrics' */
  readonly path?: string;
  /**
   * Scrape over HTTPS, authenticating with the Prometheus ServiceAccount's token (controller-runtime
   * and kube-apiserver style secured metrics: TokenReview + SubjectAccessReview on `/metrics`).
   * The serving certificate is self-signed by the component, so it is not verified.
   * @default false
   */
  readonly https?: boolean;
}

/**
 * A scrape target the cluster's monitoring stack renders itself (as a ServiceMonitor/PodMonitor of
 * its own release), for a component that cannot emit its own: Flux (no chart), Cluster API
 * providers (installed by the operator), a release the management cluster installs remotely before
 * the workload has the monitoring CRDs (the workload's Cilium). Register it with
 * {@link addClusterMonitor}; the stack reads the list at synth.
 */
export interface ClusterMonitor {
  readonly kind: MonitorKind;
  /** Name of the monitor object (a DNS-1123 label, unique per cluster). */
  readonly name: string;
  /** Namespace of the scraped Services or pods. */
  readonly namespace: string;
  /** Labels the Services or pods carry (`selector.matchLabels`). */
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly endpoints: readonly MonitorEndpoint[];
  /** Who asked for it: the construct whose component it scrapes. */
  readonly component: IConstruct;
}

const MONITORS = Symbol.for('infraflux.cluster-monitors');

/**
 * Asks the monitoring stack of `scope`'s cluster (if it has one, now or later) to render `monitor`.
 * Nothing is emitted on a cluster without a stack.
 */
export function addClusterMonitor(scope: IConstruct, monitor: ClusterMonitor): void {
  const cluster = clusterOf(scope);
  if (!cluster) invalidProp(scope, 'a cluster monitor must be added inside a GitOpsCluster');
  validateDnsLabel(scope, 'monitor name', monitor.name);
  validateDnsLabel(scope, 'monitor namespace', monitor.namespace);
  if (monitor.endpoints.length === 0) invalidProp(scope, `monitor ${monitor.name} has no endpoints; give at least one port to scrape`);
  const holder = cluster as unknown as { [MONITORS]?: ClusterMonitor[] };
  const list = holder[MONITORS] ?? [];
  if (list.some((m) => m.name === monitor.name)) invalidProp(scope, `monitor ${monitor.name} is already added on this cluster; monitor names are unique per cluster`);
  list.push(monitor);
  holder[MONITORS] = list;
}

/** The monitors added on `scope`'s cluster, in the order they were added. */
export function clusterMonitors(scope: IConstruct): readonly ClusterMonitor[] {
  const cluster = clusterOf(scope);
  return cluster ? [...((cluster as unknown as { [MONITORS]?: ClusterMonitor[] })[MONITORS] ?? [])] : [];
}

function clusterOf(scope: IConstruct): GitOpsCluster | undefined {
  return GitOpsCluster.find(scope);
}
