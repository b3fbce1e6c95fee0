/**
 * The platform's own alerting rules, one {@link AlertFamily} per component family (Flux,
 * cert-manager, Velero, Cilium, BGP, Tetragon, nodes, Ceph, Cluster API, External Secrets, Sealed
 * Secrets), rendered by {@link PlatformAlerts} as one PrometheusRule per family. Metric names are
 * the components' own; decision 0082 cites the source of each family. Every alert has a section in
 * docs/runbooks/alerts.md.
 */
import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { ErrorCode, InfraFluxError, invalidProp, validateDnsLabel } from '../../core/errors';
import { PLATFORM_OWNER, type Owner } from '../../core/owner';
import { AlertRule, AlertRuleGroup, AlertSeverity } from './alert-rule';
import type { IClusterMonitoring } from '../../flux/cluster-monitoring';

const { CRITICAL, WARNING } = AlertSeverity;

/**
 * The schedules of a Velero installation, as `VeleroBackup` exposes them (its `scheduleNames` and
 * `plan`, index by index): the Velero alerts are derived from them.
 */
export interface VeleroSchedules {
  /** The Velero Schedule names (`velero-<schedule>`), the `schedule` label of Velero's metrics. */
  readonly scheduleNames: readonly string[];
  /** The plan the schedules come from, in the same order. */
  readonly plan: { readonly schedules: readonly { readonly props: { readonly schedule: { readonly expression: string } } }[] };
}

export interface FluxAlertOptions {
  /**
   * How long a Kustomization, HelmRelease or source may stay not Ready before it alerts.
   * @default Duration.minutes(15)
   */
  readonly notReadyFor?: Duration;
}

export interface CertManagerAlertOptions {
  /**
   * Warn this many days before a certificate expires (cert-manager renews at 2/3 of the lifetime,
   * so a certificate this close to its end failed to renew).
   * @default 14
   */
  readonly expiryWarningDays?: number;
}

export interface CiliumAlertOptions {
  /**
   * Packet drops per second (all reasons but policy denials, summed per reason and direction) above which to alert.
   * @default 10
   */
  readonly dropsPerSecond?: number;
  /**
   * Policy denials per second (per direction) above which to alert.
   * @default 5
   */
  readonly policyDenialsPerSecond?: number;
}

export interface NodeAlertOptions {
  /**
   * Free space (percent) of a node filesystem below which to alert.
   * @default 10
   */
  readonly minFreeDiskPercent?: number;
}

/** Host filesystems that never fill (Talos' read-only squashfs root, memory-backed ones). */
const NOT_DISK = 'fstype!~"tmpfs|ramfs|squashfs|overlay"';

/** A family of platform alerts: a name (the PrometheusRule `infraflux-<name>`) and its rules. */
export class AlertFamily {
  /**
   * Flux: Kustomizations, HelmReleases and sources not Ready for `notReadyFor`. Flux 2.9 controllers
   * export no per-object Ready metric; these read `gotk_resource_info` from kube-state-metrics'
   * custom resource state for the Flux CRDs (the Flux monitoring guide's configuration), and
   * `FluxResourceMetricsMissing` fires when that metric is absent, so a missing configuration shows.
   * `FluxReconcileErrors` reads the controllers' own controller-runtime counters
   * (`controller_runtime_reconcile_total{result="error"}`), which exist without that configuration.
   * @see https://fluxcd.io/flux/monitoring/metrics/
   * @see https://fluxcd.io/flux/monitoring/custom-metrics/
   */
  public static flux(options: FluxAlertOptions = {}): AlertFamily {
    const wait = options.notReadyFor ?? Duration.minutes(15);
    const notReady = (alert: string, kinds: string, what: string): AlertRule => ({
      alert,
      expr: `max by (customresource_kind, exported_namespace, name) (gotk_resource_info{customresource_kind=~"${kinds}", ready!="True", suspended="false"}) == 1`,
      for: wait,
      severity: CRITICAL,
      summary: `Flux ${what} {{ $labels.exported_namespace }}/{{ $labels.name }} is not Ready`,
      description: `It has not been Ready for ${wait.toMinutes()} minutes; everything that depends on it waits ({{ $labels.customresource_kind }}).`,
    });
    return new AlertFamily('flux', [
      notReady('FluxKustomizationNotReady', 'Kustomization', 'Kustomization'),
      notReady('FluxHelmReleaseNotReady', 'HelmRelease', 'HelmRelease'),
      notReady('FluxSourceNotReady', 'GitRepository|OCIRepository|HelmRepository|HelmChart|Bucket', 'source'),
      {
        alert: 'FluxReconcileErrors',
        expr: 'sum by (namespace, controller) (increase(controller_runtime_reconcile_total{namespace="flux-system", result="error"}[15m])) > 0',
        for: wait,
        severity: WARNING,
        summary: 'Flux {{ $labels.controller }} reconciliations keep failing',
        description: `The Flux {{ $labels.controller }} controller has failed reconciliations for ${wait.toMinutes()} minutes (controller-runtime metrics of the controllers themselves): an object of that kind is not Ready.`,
      },
      {
        alert: 'FluxResourceMetricsMissing',
        expr: 'absent(gotk_resource_info)',
        for: Duration.minutes(30),
        severity: WARNING,
        summary: 'No Flux resource metrics (gotk_resource_info)',
        description: 'kube-state-metrics exports no gotk_resource_info series: its custom resource state configuration for the Flux CRDs is missing or broken, so the Flux not-Ready alerts cannot fire.',
      },
    ]);
  }

  /**
   * cert-manager: certificates not Ready, and close to expiry (`certmanager_certificate_*`, exported
   * by the cert-manager controller).
   * @see https://cert-manager.io/docs/devops-tips/prometheus-metrics/
   */
  public static certManager(options: CertManagerAlertOptions = {}): AlertFamily {
    const days = options.expiryWarningDays ?? 14;
    if (!Number.isInteger(days) || days < 1 || days > 60) invalidProp('AlertFamily.certManager', `expiryWarningDays ${days} must be a whole number from 1 to 60`);
    return new AlertFamily('cert-manager', [
      {
        alert: 'CertificateNotReady',
        expr: 'max by (namespace, name) (certmanager_certificate_ready_status{condition="False"}) == 1',
        for: Duration.minutes(15),
        severity: WARNING,
        summary: 'Certificate {{ $labels.namespace }}/{{ $labels.name }} is not Ready',
        description: 'cert-manager could not issue or renew Certificate {{ $labels.namespace }}/{{ $labels.name }} for 15 minutes.',
      },
      {
        alert: 'CertificateExpiringSoon',
        expr: `min by (namespace, name) (certmanager_certificate_expiration_timestamp_seconds) - time() < ${days * 86400}`,
        for: Duration.hours(1),
        severity: WARNING,
        summary: 'Certificate {{ $labels.namespace }}/{{ $labels.name }} expires within ' + days + ' days',
        description: 'Certificate {{ $labels.namespace }}/{{ $labels.name }} expires in {{ $value | humanizeDuration }} and was not renewed.',
      },
      {
        alert: 'CertificateExpiryCritical',
        expr: `min by (namespace, name) (certmanager_certificate_expiration_timestamp_seconds) - time() < ${3 * 86400}`,
        for: Duration.minutes(10),
        severity: CRITICAL,
        summary: 'Certificate {{ $labels.namespace }}/{{ $labels.name }} expires within 3 days',
        description: 'Certificate {{ $labels.namespace }}/{{ $labels.name }} expires in {{ $value | humanizeDuration }}; clients will refuse it then.',
      },
    ]);
  }

  /**
   * Velero: failed and partially failed backups, and, per schedule, no successful backup within
   * the schedule's period plus a grace (the period itself, at most 3 hours) — derived from the
   * cron expressions of the cluster's BackupPlan (`velero_backup_*{schedule}` of the Velero server).
   * @see https://velero.io/docs/v1.18/backup-reference/
   */
  public static velero(velero: VeleroSchedules): AlertFamily {
    const schedules = velero.plan.schedules;
    if (velero.scheduleNames.length !== schedules.length || schedules.length === 0) {
      invalidProp('AlertFamily.velero', `needs one schedule name per schedule of the plan (${velero.scheduleNames.length} names, ${schedules.length} schedules)`);
    }
    const rules: AlertRule[] = [
      {
        alert: 'VeleroBackupFailed',
        expr: 'sum by (schedule) (increase(velero_backup_failure_total{schedule!=""}[1h])) > 0',
        for: Duration.minutes(5),
        severity: CRITICAL,
        summary: 'Velero backup of schedule {{ $labels.schedule }} failed',
        description: 'A backup of Velero schedule {{ $labels.schedule }} failed within the last hour; the cluster is not protected as planned.',
      },
      {
        alert: 'VeleroBackupPartiallyFailed',
        expr: 'sum by (schedule) (increase(velero_backup_partial_failure_total{schedule!=""}[1h])) > 0',
        for: Duration.minutes(5),
        severity: WARNING,
        summary: 'Velero backup of schedule {{ $labels.schedule }} partially failed',
        description: 'A backup of Velero schedule {{ $labels.schedule }} finished with errors: some resources or volumes are missing from it.',
      },
    ];
    schedules.forEach((s, i) => {
      const name = velero.scheduleNames[i];
      const period = cronPeriodSeconds(s.props.schedule.expression);
      const limit = period + Math.min(period, 3 * 3600);
      const metric = `velero_backup_last_successful_timestamp{schedule="${name}"}`;
      rules.push({
        alert: 'VeleroBackupMissing',
        expr: `(time() - max(max_over_time(${metric}[${2 * limit}s])) > ${limit}) or absent_over_time(${metric}[${limit}s])`,
        for: Duration.minutes(15),
        severity: CRITICAL,
        summary: `No successful Velero backup of ${name} for ${humanSeconds(limit)}`,
        description: `Velero schedule ${name} (cron "${s.props.schedule.expression}") should succeed every ${humanSeconds(period)}; none did for ${humanSeconds(limit)}.`,
        labels: { schedule: name },
      });
    });
    return new AlertFamily('velero', rules);
  }

  /**
   * Cilium: the agent DaemonSet not fully available (kube-state-metrics), packet drops and policy
   * denials above a threshold (`cilium_drop_count_total{reason,direction}`), unreachable nodes.
   * @see https://docs.cilium.io/en/stable/observability/metrics/
   */
  public static cilium(options: CiliumAlertOptions = {}): AlertFamily {
    const drops = options.dropsPerSecond ?? 10;
    const denials = options.policyDenialsPerSecond ?? 5;
    for (const [what, v] of [['dropsPerSecond', drops], ['policyDenialsPerSecond', denials]] as const) {
      if (!(v > 0) || !Number.isFinite(v)) invalidProp('AlertFamily.cilium', `${what} ${v} must be a positive number`);
    }
    return new AlertFamily('cilium', [
      {
        alert: 'CiliumAgentNotReady',
        expr: 'max by (namespace, daemonset) (kube_daemonset_status_number_unavailable{namespace="kube-system", daemonset="cilium"}) > 0',
        for: Duration.minutes(10),
        severity: CRITICAL,
        summary: '{{ $value }} Cilium agent(s) not ready',
        description: 'Cilium agents are unavailable for 10 minutes: Pods on those nodes have no (or stale) networking and policy.',
      },
      {
        alert: 'CiliumDropsHigh',
        expr: `sum by (reason, direction) (rate(cilium_drop_count_total{reason!="Policy denied"}[5m])) > ${drops}`,
        for: Duration.minutes(10),
        severity: WARNING,
        summary: 'Cilium drops {{ $value | humanize }} packets/s ({{ $labels.reason }}, {{ $labels.direction }})',
        description: `The datapath drops more than ${drops} packets per second for reason {{ $labels.reason }} (not policy).`,
      },
      {
        alert: 'CiliumPolicyDenialsHigh',
        expr: `sum by (direction) (rate(cilium_drop_count_total{reason="Policy denied"}[5m])) > ${denials}`,
        for: Duration.minutes(10),
        severity: WARNING,
        summary: 'Cilium denies {{ $value | humanize }} packets/s by policy ({{ $labels.direction }})',
        description: `More than ${denials} packets per second are denied by network policy: a missing allow rule, or traffic that should not exist.`,
      },
      {
        alert: 'CiliumUnreachableNodes',
        expr: 'max(cilium_unreachable_nodes) > 0',
        for: Duration.minutes(15),
        severity: WARNING,
        summary: 'Cilium reports {{ $value }} unreachable node(s)',
        description: 'Node-to-node health probes fail: pod traffic between some nodes is broken.',
      },
    ]);
  }

  /**
   * BGP sessions of the Cilium BGP control plane down (`cilium_bgp_control_plane_session_state`,
   * 1 established). Only for clusters that run BGP.
   * @see https://docs.cilium.io/en/stable/observability/metrics/#bgp-control-plane
   */
  public static bgp(): AlertFamily {
    return new AlertFamily('bgp', [
      {
        alert: 'CiliumBgpSessionDown',
        expr: 'cilium_bgp_control_plane_session_state == 0',
        for: Duration.minutes(5),
        severity: CRITICAL,
        summary: 'BGP session to {{ $labels.neighbor }} is down ({{ $labels.instance }})',
        description: 'The Cilium BGP session of {{ $labels.instance }} to neighbor {{ $labels.neighbor }} is not established: LoadBalancer and pod routes are no longer announced from that node.',
      },
    ]);
  }

  /**
   * Tetragon: events of the InfraFlux baseline TracingPolicies (`infraflux-*`; with enforcement on
   * they are kills) and policies that failed to load (`tetragon_tracingpolicy_loaded{state}`).
   * @see https://tetragon.io/docs/installation/metrics/
   */
  public static tetragon(): AlertFamily {
    return new AlertFamily('tetragon', [
      {
        alert: 'TetragonPolicyEvent',
        expr: 'sum by (policy, namespace, pod) (increase(tetragon_policy_events_total{policy=~"infraflux-.*"}[5m])) > 0',
        for: Duration.minutes(1),
        severity: WARNING,
        summary: 'Tetragon policy {{ $labels.policy }} matched in {{ $labels.namespace }}/{{ $labels.pod }}',
        description: 'TracingPolicy {{ $labels.policy }} reported (or, enforcing, killed) {{ $value }} operations of {{ $labels.namespace }}/{{ $labels.pod }} in 5 minutes.',
      },
      {
        alert: 'TetragonPolicyLoadFailed',
        expr: 'sum(tetragon_tracingpolicy_loaded{state=~"error|load_error"}) > 0',
        for: Duration.minutes(10),
        severity: WARNING,
        summary: '{{ $value }} Tetragon TracingPolicies failed to load',
        description: 'Some TracingPolicies are not active in the kernel: what they observe or enforce is unprotected.',
      },
    ]);
  }

  /**
   * Nodes: memory, disk or PID pressure (kube-state-metrics `kube_node_status_condition`) and
   * filesystems almost full (node-exporter).
   * @see https://github.com/kubernetes/kube-state-metrics/blob/main/docs/metrics/cluster/node-metrics.md
   */
  public static nodes(options: NodeAlertOptions = {}): AlertFamily {
    const free = options.minFreeDiskPercent ?? 10;
    if (!(free > 0 && free < 100)) invalidProp('AlertFamily.nodes', `minFreeDiskPercent ${free} must be between 0 and 100`);
    return new AlertFamily('nodes', [
      {
        alert: 'NodePressure',
        expr: 'max by (node, condition) (kube_node_status_condition{condition=~"DiskPressure|MemoryPressure|PIDPressure", status="true"}) == 1',
        for: Duration.minutes(5),
        severity: WARNING,
        summary: 'Node {{ $labels.node }} reports {{ $labels.condition }}',
        description: 'The kubelet of {{ $labels.node }} reports {{ $labels.condition }}: it evicts Pods and admits no new ones.',
      },
      {
        alert: 'NodeFilesystemAlmostFull',
        expr: `(node_filesystem_avail_bytes{${NOT_DISK}} / node_filesystem_size_bytes{${NOT_DISK}} * 100 < ${free}) and node_filesystem_readonly{${NOT_DISK}} == 0`,
        for: Duration.minutes(15),
        severity: WARNING,
        summary: 'Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} has less than ' + free + '% free',
        description: 'Filesystem {{ $labels.mountpoint }} ({{ $labels.device }}) on {{ $labels.instance }} has {{ $value | humanize }}% free; the kubelet reports DiskPressure when it fills.',
      },
    ]);
  }

  /**
   * Ceph health where Rook runs (`ceph_health_status` of the Ceph manager's Prometheus module:
   * 0 OK, 1 WARN, 2 ERR).
   * @see https://docs.ceph.com/en/latest/mgr/prometheus/
   */
  public static ceph(): AlertFamily {
    return new AlertFamily('ceph', [
      {
        alert: 'CephHealthWarning',
        expr: 'max(ceph_health_status) == 1',
        for: Duration.minutes(15),
        severity: WARNING,
        summary: 'Ceph reports HEALTH_WARN',
        description: 'The Ceph cluster has been in HEALTH_WARN for 15 minutes (`ceph health detail` in the toolbox says why).',
      },
      {
        alert: 'CephHealthError',
        expr: 'max(ceph_health_status) == 2',
        for: Duration.minutes(5),
        severity: CRITICAL,
        summary: 'Ceph reports HEALTH_ERR',
        description: 'The Ceph cluster is in HEALTH_ERR: volumes may be unavailable or data at risk.',
      },
    ]);
  }

  /**
   * Cluster API on the management cluster: Machines and Clusters not Ready
   * (`capi_machine_status_condition`, `capi_cluster_status_condition` from kube-state-metrics with
   * Cluster API's custom resource state configuration) and reconcile errors of the core controllers
   * (their controller-runtime counters, scraped by the stack's provider monitors).
   * @see https://cluster-api.sigs.k8s.io/reference/api/metrics
   */
  public static clusterApi(): AlertFamily {
    return new AlertFamily('cluster-api', [
      {
        alert: 'ClusterApiMachineNotReady',
        expr: 'capi_machine_status_condition{condition="Ready", status="false"} == 1',
        for: Duration.minutes(15),
        severity: WARNING,
        summary: 'Machine {{ $labels.namespace }}/{{ $labels.name }} is not Ready',
        description: 'Cluster API Machine {{ $labels.namespace }}/{{ $labels.name }} has not been Ready for 15 minutes (provisioning, bootstrap or node health).',
      },
      {
        alert: 'ClusterApiReconcileErrors',
        expr: 'sum by (namespace, controller) (increase(controller_runtime_reconcile_total{namespace="capi-system", result="error"}[15m])) > 0',
        for: Duration.minutes(30),
        severity: WARNING,
        summary: 'Cluster API {{ $labels.controller }} reconciliations keep failing',
        description: 'The core Cluster API {{ $labels.controller }} controller has failed reconciliations for 30 minutes (its controller-runtime metrics): a Machine or Cluster is stuck.',
      },
      {
        alert: 'ClusterApiClusterNotReady',
        expr: 'capi_cluster_status_condition{condition="Ready", status="false"} == 1',
        for: Duration.minutes(15),
        severity: CRITICAL,
        summary: 'Cluster {{ $labels.namespace }}/{{ $labels.name }} is not Ready',
        description: 'Cluster API reports workload cluster {{ $labels.namespace }}/{{ $labels.name }} not Ready for 15 minutes.',
      },
    ]);
  }

  /**
   * External Secrets Operator: ExternalSecrets not Ready and sync errors
   * (`externalsecret_status_condition`, `externalsecret_sync_calls_error`).
   * @see https://external-secrets.io/latest/api/metrics/
   */
  public static externalSecrets(): AlertFamily {
    return new AlertFamily('external-secrets', [
      {
        alert: 'ExternalSecretNotReady',
        expr: 'max by (namespace, name) (externalsecret_status_condition{condition="Ready", status="False"}) == 1',
        for: Duration.minutes(15),
        severity: WARNING,
        summary: 'ExternalSecret {{ $labels.namespace }}/{{ $labels.name }} is not Ready',
        description: 'The operator cannot sync ExternalSecret {{ $labels.namespace }}/{{ $labels.name }} from its store: its Secret is missing or stale.',
      },
      {
        alert: 'ExternalSecretSyncErrors',
        expr: 'sum by (namespace, name) (increase(externalsecret_sync_calls_error[15m])) > 0',
        for: Duration.minutes(15),
        severity: WARNING,
        summary: 'ExternalSecret {{ $labels.namespace }}/{{ $labels.name }} fails to sync',
        description: 'Sync calls of ExternalSecret {{ $labels.namespace }}/{{ $labels.name }} keep failing (store credentials, permissions or a missing backend key).',
      },
    ]);
  }

  /**
   * Sealed Secrets: unseal errors of the controller (`sealed_secrets_controller_unseal_errors_total`).
   * @see https://github.com/bitnami-labs/sealed-secrets#prometheus-metrics
   */
  public static sealedSecrets(): AlertFamily {
    return new AlertFamily('sealed-secrets', [
      {
        alert: 'SealedSecretUnsealErrors',
        expr: 'sum by (reason, namespace) (rate(sealed_secrets_controller_unseal_errors_total[5m])) > 0',
        for: Duration.minutes(5),
        severity: WARNING,
        summary: 'Sealed Secrets cannot unseal in {{ $labels.namespace }} ({{ $labels.reason }})',
        description: 'The controller fails to decrypt SealedSecrets in {{ $labels.namespace }}: sealed for another key, name or namespace.',
      },
    ]);
  }

  /** Rules of your own as a family (`name`: a DNS label, the PrometheusRule `infraflux-<name>`). */
  public static of(name: string, rules: readonly AlertRule[]): AlertFamily {
    return new AlertFamily(name, rules);
  }

  private constructor(
    /** The family's name (DNS label). */
    public readonly name: string,
    /** Its rules. */
    public readonly rules: readonly AlertRule[],
  ) {}
}

export interface PlatformAlertsProps {
  /**
   * The cluster's monitoring stack.
   * @default - the MonitoringStack of the cluster
   */
  readonly monitoring?: IClusterMonitoring;
  /** The families the cluster runs (each at most once). */
  readonly families: readonly AlertFamily[];
  /**
   * The team the alerts go to.
   * @default PLATFORM_OWNER
   */
  readonly owner?: Owner;
  /**
   * Where the runbook sections are (`<base>#<alert>`), e.g. your fork's copy of docs/runbooks/alerts.md.
   * @default ALERT_RUNBOOK_URL
   */
  readonly runbookBaseUrl?: string;
}

/**
 * The platform's alerts on one cluster: one {@link AlertRuleGroup} (PrometheusRule
 * `infraflux-<family>` in `monitoring`) per family. Create it in the configs layer (or later).
 */
export class PlatformAlerts extends Construct {
  /** One rule group per family, by family name. */
  public readonly groups: ReadonlyMap<string, AlertRuleGroup>;

  public constructor(scope: Construct, id: string, props: PlatformAlertsProps) {
    super(scope, id);
    const groups = new Map<string, AlertRuleGroup>();
    for (const family of props.families) {
      validateDnsLabel(this, 'alert family name', family.name);
      if (groups.has(family.name)) throw new InfraFluxError(ErrorCode.DUPLICATE, this, `alert family "${family.name}" is given twice`);
      groups.set(
        family.name,
        new AlertRuleGroup(this, family.name, { monitoring: props.monitoring, name: `infraflux-${family.name}`, owner: props.owner ?? PLATFORM_OWNER, rules: family.rules, runbookBaseUrl: props.runbookBaseUrl }),
      );
    }
    this.groups = groups;
  }
}

/** Seconds as `3h`, `1d 2h`, `90m` for alert texts. */
function humanSeconds(s: number): string {
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return [d ? `${d}d` : '', h ? `${h}h` : '', m ? `${m}m` : ''].filter(Boolean).join(' ') || `${s}s`;
}

const DESCRIPTOR_SECONDS: Readonly<Record<string, number>> = {
  '@hourly': 3600,
  '@daily': 86400,
  '@midnight': 86400,
  '@weekly': 7 * 86400,
  '@monthly': 31 * 86400,
  '@yearly': 366 * 86400,
  '@annually': 366 * 86400,
};

/** The values a cron field allows (`*`, `a`, `a-b`, `*\/n`, `a-b/n`, lists), within `min..max`. */
function cronValues(field: string, min: number, max: number): number[] {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    let [lo, hi] = range === '*' ? [min, max] : range.split('-').map(Number);
    if (hi === undefined) hi = stepText === undefined ? lo : max;
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * The longest time between two runs of a cron schedule, in seconds (an upper bound where the
 * day-of-month, month or weekday is restricted: 31 days, 366 days, 7 days). Velero validates the
 * expressions themselves (`CronSchedule`).
 */
export function cronPeriodSeconds(expression: string): number {
  const descriptor = DESCRIPTOR_SECONDS[expression.trim()];
  if (descriptor !== undefined) return descriptor;
  const [minute, hour, dom, month, dow] = expression.trim().split(/\s+/);
  if (month !== '*') return 366 * 86400;
  if (dom !== '*') return 31 * 86400;
  if (dow !== '*') return 7 * 86400;
  const times: number[] = [];
  for (const h of cronValues(hour, 0, 23)) for (const m of cronValues(minute, 0, 59)) times.push(h * 60 + m);
  times.sort((a, b) => a - b);
  let gap = times[0] + 1440 - times[times.length - 1];
  for (let i = 1; i < times.length; i++) gap = Math.max(gap, times[i] - times[i - 1]);
  return gap * 60;
}
