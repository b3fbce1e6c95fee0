/**
 * Falco, the optional runtime threat detector (issue 14 point 6, decision 0084): the pinned chart
 * with the modern eBPF driver (the only driver Talos can run), rules tuned with the allowlists the
 * platform's own privileged agents need, and its detections alerted through Prometheus like every
 * other alert (a PrometheusRule on Falco's per-rule match counters, with the owner label the
 * owner's Alertmanager route follows). Off in the reference fleet; when to run it next to
 * Tetragon: docs/alerts.md.
 * @see https://falco.org/docs/setup/kubernetes/
 * @see https://github.com/falcosecurity/charts/tree/falco-9.1.0/charts/falco
 */
import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { FALCO_CHART } from '../../imports/helm/charts';
import { FalcoValues } from '../../imports/helm/falco';
import { deepMerge } from '../core/_merge';
import { ErrorCode, InfraFluxError, invalidProp } from '../core/errors';
import { declareOwner, PLATFORM_OWNER, type Owner } from '../core/owner';
import type { IClusterMonitoring } from '../flux/cluster-monitoring';
import { ChartBackedConstruct } from '../flux/flux-app';
import { LayerName } from '../flux/gitops-cluster';
import { ReconcileTiming } from '../flux/kustomization';
import { PodSecurityLevel } from '../flux/pod-security';
import { AlertRuleGroup, AlertSeverity } from './alerts/alert-rule';
import { requireMonitoring } from './alerts/_monitoring-api';

/** Namespace Falco and falcosidekick run in. */
export const FALCO_NAMESPACE = 'falco';

/**
 * Falco's rule priorities, with the number its metrics carry in the `priority` label of
 * `falcosecurity_falco_rules_matches_total` (syslog order: 0 emergency … 7 debug).
 * @see https://falco.org/docs/concepts/rules/basic-elements/#priority
 */
export class FalcoPriority {
  public static readonly EMERGENCY = new FalcoPriority('emergency', 0);
  public static readonly ALERT = new FalcoPriority('alert', 1);
  public static readonly CRITICAL = new FalcoPriority('critical', 2);
  public static readonly ERROR = new FalcoPriority('error', 3);
  public static readonly WARNING = new FalcoPriority('warning', 4);
  public static readonly NOTICE = new FalcoPriority('notice', 5);
  public static readonly INFORMATIONAL = new FalcoPriority('informational', 6);
  public static readonly DEBUG = new FalcoPriority('debug', 7);
  private constructor(
    public readonly value: string,
    /** The `priority` label value of Falco's rule counters. */
    public readonly level: number,
  ) {}
}

/**
 * One allowlist entry: events of containers whose image repository starts with `imagePrefix` (in
 * namespace `namespace`, when given) are exceptions to the tuned rules.
 */
export interface FalcoAllowlistEntry {
  /** Namespace of the workload; undefined for Talos' own system containers (no namespace). */
  readonly namespace?: string;
  /** Start of `container.image.repository`, e.g. `quay.io/cilium/`. */
  readonly imagePrefix: string;
  /** Why it is allowed (written into the rules file as a comment). */
  readonly reason: string;
}

/**
 * The platform's own privileged agents on Talos, which legitimately read host credential files and
 * run binaries written at runtime: Talos system containers (kubelet and extensions, no namespace),
 * Cilium and Tetragon (kube-system), the Ceph CSI plugins (rook-ceph), Velero's node agent.
 */
export const TALOS_PLATFORM_ALLOWLIST: readonly FalcoAllowlistEntry[] = [
  { imagePrefix: 'ghcr.io/siderolabs/', reason: 'Talos system containers (kubelet, extensions): part of the OS image' },
  { namespace: 'kube-system', imagePrefix: 'quay.io/cilium/', reason: 'Cilium agent and Tetragon: install the CNI binary on the host and read node credentials' },
  { namespace: 'rook-ceph', imagePrefix: 'quay.io/cephcsi/', reason: 'Ceph CSI node plugins: mount volumes with host keyrings' },
  { namespace: 'rook-ceph', imagePrefix: 'quay.io/ceph/', reason: 'Ceph daemons: keyrings under /var/lib/rook' },
  { namespace: 'velero', imagePrefix: 'docker.io/velero/', reason: "Velero node agent: reads every pod volume through the host's kubelet directory" },
];

/**
 * Stable Falco rules (falco-rules 5, `falco_rules.yaml`) the allowlist is appended to as
 * exceptions. Rules not listed here keep firing for platform agents too.
 * @see https://github.com/falcosecurity/rules/blob/main/rules/falco_rules.yaml
 */
export const FALCO_TUNED_RULES: readonly string[] = ['Read sensitive file untrusted', 'Drop and execute new binary in container'];

export interface FalcoProps extends ReconcileTiming {
  /**
   * The cluster's monitoring stack: it scrapes Falco, and Falco's PrometheusRule needs its CRDs.
   * @default - the MonitoringStack of the cluster
   */
  readonly monitoring?: IClusterMonitoring;
  /**
   * The team Falco's alerts go to (declared on the cluster, so its Alertmanager route exists).
   * @default PLATFORM_OWNER
   */
  readonly owner?: Owner;
  /**
   * Lowest rule priority that alerts (error and above page as critical when they are critical,
   * alert or emergency).
   * @default FalcoPriority.WARNING
   */
  readonly minimumPriority?: FalcoPriority;
  /**
   * Exceptions to {@link FALCO_TUNED_RULES}.
   * @default TALOS_PLATFORM_ALLOWLIST
   */
  readonly allowlist?: readonly FalcoAllowlistEntry[];
  /**
   * Rules files of your own (`name.yaml` → content), loaded after the default rules.
   * @default {}
   */
  readonly customRules?: Readonly<Record<string, string>>;
  /**
   * Extra chart values, merged over InfraFlux's.
   * @default {}
   */
  readonly values?: FalcoValues;
}

/** Quotes a YAML scalar (double-quoted, JSON escaping is valid YAML). */
const q = (s: string): string => JSON.stringify(s);

/** The allowlist as Falco rule exceptions appended to each tuned rule. */
function tuningRules(allowlist: readonly FalcoAllowlistEntry[]): string {
  const lines = ['# InfraFlux: allowlist of the platform agents on Talos (lib/monitoring/falco.ts, decision 0084).'];
  for (const e of allowlist) lines.push(`# - ${e.namespace ?? '(host)'} ${e.imagePrefix}: ${e.reason}`);
  const withNs = allowlist.filter((e) => e.namespace !== undefined);
  const host = allowlist.filter((e) => e.namespace === undefined);
  for (const rule of FALCO_TUNED_RULES) {
    lines.push(`- rule: ${q(rule)}`, '  exceptions:');
    if (withNs.length > 0) {
      lines.push('    - name: infraflux_platform_agents', '      fields: [k8s.ns.name, container.image.repository]', '      comps: [=, startswith]', '      values:');
      for (const e of withNs) lines.push(`        - [${q(e.namespace!)}, ${q(e.imagePrefix)}]`);
    }
    if (host.length > 0) {
      lines.push('    - name: infraflux_host_system', '      fields: [container.image.repository]', '      comps: [startswith]', '      values:');
      for (const e of host) lines.push(`        - [${q(e.imagePrefix)}]`);
    }
    lines.push('  override:', '    exceptions: append');
  }
  return lines.join('\n') + '\n';
}

/**
 * Falco 0.44 (chart 9.1.0) as a DaemonSet in namespace `falco` (Pod Security `privileged`: eBPF
 * programs, host /proc and the containerd socket), in the apps layer (or controllers), with:
 * - `driver.kind: modern_ebpf` with `leastPrivileged` (capabilities BPF, PERFMON, SYS_RESOURCE,
 *   SYS_PTRACE instead of a privileged container): Talos loads no out-of-tree kernel module, so
 *   `kmod` (and `auto`, which may pick it) cannot work;
 * - only the CRI engine of the container plugin (Talos runs containerd at
 *   `/run/containerd/containerd.sock`; docker, podman, lxc engines off);
 * - the allowlist as exceptions of the tuned default rules (`customRules`);
 * - JSON events on stdout (for the log pipeline) and the metrics endpoint with per-rule match
 *   counters, scraped by its ServiceMonitor when the cluster has a monitoring stack;
 * - a PrometheusRule `infraflux-falco`: rule matches at `minimumPriority` and above (one alert per
 *   Falco rule and priority), agent down, kernel events dropped — owned by `owner`, so the owner's
 *   AlertmanagerConfig routes them.
 * falcosidekick stays off: its chart's values are not in the pinned pack (decision 0084).
 */
export class Falco extends ChartBackedConstruct<FalcoValues> {
  /** The team Falco's alerts go to. */
  public readonly alertOwner: Owner;
  /** Falco's own alerts. */
  public readonly rules: AlertRuleGroup;

  public constructor(scope: Construct, id: string, props: FalcoProps = {}) {
    super(scope, id);
    const owner = props.owner ?? PLATFORM_OWNER;
    this.alertOwner = { ...owner, team: declareOwner(this, owner) };
    const monitoring = requireMonitoring(this, props.monitoring);
    const minimum = props.minimumPriority ?? FalcoPriority.WARNING;
    const allowlist = props.allowlist ?? TALOS_PLATFORM_ALLOWLIST;
    for (const e of allowlist) {
      if (!/^[a-z0-9.-]+(:\d+)?\/([a-z0-9._-]+\/)*[a-z0-9._-]*$/.test(e.imagePrefix)) invalidProp(this, `allowlist image prefix "${e.imagePrefix}" is not a registry/repository prefix (e.g. quay.io/cilium/)`);
      if (e.reason.trim() === '') invalidProp(this, `allowlist entry ${e.imagePrefix} has no reason; say why the platform needs it`);
    }
    const customRules: Record<string, string> = { 'infraflux-talos-allowlist.yaml': tuningRules(allowlist) };
    for (const [file, content] of Object.entries(props.customRules ?? {})) {
      if (!/^[a-z0-9][a-z0-9._-]*\.yaml$/.test(file)) invalidProp(this, `custom rules file "${file}" must be a lower-case name ending in .yaml`);
      if (file in customRules) throw new InfraFluxError(ErrorCode.DUPLICATE, this, `custom rules file "${file}" is InfraFlux's own allowlist file; use another name`);
      customRules[file] = content;
    }
    const values: FalcoValues = {
      driver: { kind: 'modern_ebpf', modernEbpf: { leastPrivileged: true } },
      collectors: {
        containerEngine: {
          engines: {
            docker: { enabled: false },
            podman: { enabled: false },
            containerd: { enabled: false },
            lxc: { enabled: false },
            libvirt_lxc: { enabled: false },
            bpm: { enabled: false },
            cri: { enabled: true, sockets: ['/run/containerd/containerd.sock'] },
          },
        },
      },
      customRules,
      metrics: { enabled: true, rulesCountersEnabled: true },
      falco: { json_output: true },
    };
    this.createApp({
      ...props,
      chart: FALCO_CHART,
      name: 'falco',
      namespace: FALCO_NAMESPACE,
      podSecurity: PodSecurityLevel.PRIVILEGED,
      values: deepMerge(values, props.values),
    });
    const layer = this.app.layer.layerName;
    if (layer !== LayerName.APPS && layer !== LayerName.CONTROLLERS) {
      throw new InfraFluxError(ErrorCode.WRONG_LAYER, this, `Falco belongs in the controllers or apps layer, not "${layer}"`);
    }
    const levels = (from: number, to: number): string => Array.from({ length: to - from + 1 }, (_, i) => String(from + i)).join('|');
    const matches = (range: string): string => `sum by (rule_name, priority) (increase(falcosecurity_falco_rules_matches_total{priority=~"${range}"}[5m])) > 0`;
    const detections = [
      {
        alert: 'FalcoCriticalEvent',
        expr: matches(levels(0, Math.min(2, minimum.level))),
        for: Duration.seconds(30),
        severity: AlertSeverity.CRITICAL,
        summary: 'Falco rule "{{ $labels.rule_name }}" matched (priority {{ $labels.priority }})',
        description: 'Falco detected "{{ $labels.rule_name }}" {{ $value }} times in 5 minutes; the events (process, container, pod) are in the Falco pods\' JSON logs.',
      },
      ...(minimum.level >= 3
        ? [
            {
              alert: 'FalcoWarningEvent',
              expr: matches(levels(3, minimum.level)),
              for: Duration.seconds(30),
              severity: AlertSeverity.WARNING,
              summary: 'Falco rule "{{ $labels.rule_name }}" matched (priority {{ $labels.priority }})',
              description: 'Falco detected "{{ $labels.rule_name }}" {{ $value }} times in 5 minutes; the events are in the Falco pods\' JSON logs.',
            },
          ]
        : []),
    ];
    this.rules = new AlertRuleGroup(this, 'Rules', {
      monitoring,
      name: 'infraflux-falco',
      owner: this.alertOwner,
      rules: [
        ...detections,
        {
          alert: 'FalcoNotRunning',
          expr: `max by (namespace, daemonset) (kube_daemonset_status_number_unavailable{namespace="${FALCO_NAMESPACE}", daemonset="falco"}) > 0`,
          for: Duration.minutes(10),
          severity: AlertSeverity.WARNING,
          summary: '{{ $value }} Falco agent(s) not running',
          description: 'Falco is unavailable on some nodes: their syscalls are not watched (driver load failure, missing BTF, OOM).',
        },
        {
          alert: 'FalcoEventsDropped',
          expr: 'sum by (instance) (rate(falcosecurity_scap_n_drops_total[5m])) > 0',
          for: Duration.minutes(15),
          severity: AlertSeverity.WARNING,
          summary: 'Falco drops kernel events on {{ $labels.instance }}',
          description: 'The eBPF ring buffer overflows: Falco misses events on {{ $labels.instance }} (raise driver.modernEbpf.bufSizePreset or tune noisy rules).',
        },
      ],
    });
  }

  /** Falco's ServiceMonitor, on when the cluster has a monitoring stack. */
  protected override monitoringValues(): FalcoValues {
    return { serviceMonitor: { create: true } };
  }
}
