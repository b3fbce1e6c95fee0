/**
 * The platform's dashboards, as code (decision 0087): Cilium/Hubble, Flux, Cluster API (management
 * cluster only), cert-manager, Velero and the cluster itself (nodes, pods, API server, Talos and
 * audit logs). Metric names are the components' own (Cilium and Hubble metrics, the Flux
 * controllers' `gotk_*` and controller-runtime metrics, cert-manager's `certmanager_*`, Velero's
 * `velero_*`, node-exporter and kube-state-metrics from kube-prometheus-stack); log queries use the
 * labels Loki derives from OTLP resource attributes (`service_name`, `k8s_namespace_name`).
 */
import { Dashboard, Panel, PanelUnit } from './dashboard';

const rate = (metric: string, by: string, filter = '') => `sum by (${by}) (rate(${metric}${filter ? `{${filter}}` : ''}[5m]))`;

export function ciliumDashboard(): Dashboard {
  return new Dashboard({
    uid: 'infraflux-cilium',
    title: 'Cilium and Hubble',
    tags: ['cilium', 'hubble', 'network'],
    rows: [
      {
        title: 'Datapath',
        panels: [
          Panel.timeSeries({ title: 'Drops by reason', unit: PanelUnit.OPS, queries: [{ expr: rate('cilium_drop_count_total', 'reason'), legend: '{{reason}}' }] }),
          Panel.timeSeries({ title: 'Policy verdicts', unit: PanelUnit.OPS, queries: [{ expr: rate('cilium_policy_verdict_total', 'action, direction'), legend: '{{action}} {{direction}}' }] }),
          Panel.timeSeries({ title: 'BPF map pressure', unit: PanelUnit.PERCENT_UNIT, queries: [{ expr: 'max by (map_name) (cilium_bpf_map_pressure)', legend: '{{map_name}}' }] }),
          Panel.timeSeries({ title: 'Endpoints by state', queries: [{ expr: 'sum by (endpoint_state) (cilium_endpoint_state)', legend: '{{endpoint_state}}' }] }),
        ],
      },
      {
        title: 'Hubble',
        panels: [
          Panel.timeSeries({ title: 'Flows by verdict', unit: PanelUnit.OPS, queries: [{ expr: rate('hubble_flows_processed_total', 'verdict'), legend: '{{verdict}}' }] }),
          Panel.timeSeries({ title: 'Hubble drops by reason', unit: PanelUnit.OPS, queries: [{ expr: rate('hubble_drop_total', 'reason'), legend: '{{reason}}' }] }),
          Panel.logs({ title: 'Dropped flows (flow log)', queries: [{ expr: '{service_name="hubble-flows"} |= "DROPPED"' }] }),
        ],
      },
    ],
  });
}

export function fluxDashboard(): Dashboard {
  return new Dashboard({
    uid: 'infraflux-flux',
    title: 'Flux',
    tags: ['flux', 'gitops'],
    rows: [
      {
        title: 'Reconciliation',
        panels: [
          Panel.table({ title: 'Objects not Ready', queries: [{ expr: 'gotk_resource_info{ready="False"}' }] }),
          Panel.timeSeries({ title: 'Reconcile errors by controller', unit: PanelUnit.OPS, queries: [{ expr: rate('controller_runtime_reconcile_errors_total', 'controller', 'namespace="flux-system"'), legend: '{{controller}}' }] }),
          Panel.timeSeries({
            title: 'Reconcile duration p99 by kind',
            unit: PanelUnit.SECONDS,
            queries: [{ expr: 'histogram_quantile(0.99, sum by (le, kind) (rate(gotk_reconcile_duration_seconds_bucket[5m])))', legend: '{{kind}}' }],
          }),
          Panel.logs({ title: 'Controller errors', queries: [{ expr: '{k8s_namespace_name="flux-system"} |= "error"' }] }),
        ],
      },
    ],
  });
}

export function capiDashboard(): Dashboard {
  const capi = 'namespace=~"capi-.*|cap[a-z]-system|.*-system"';
  return new Dashboard({
    uid: 'infraflux-cluster-api',
    title: 'Cluster API',
    tags: ['cluster-api', 'management'],
    rows: [
      {
        title: 'Controllers',
        panels: [
          Panel.timeSeries({ title: 'Reconcile errors by controller', unit: PanelUnit.OPS, queries: [{ expr: rate('controller_runtime_reconcile_errors_total', 'namespace, controller', capi), legend: '{{namespace}} {{controller}}' }] }),
          Panel.timeSeries({ title: 'Work queue depth', queries: [{ expr: `sum by (namespace, name) (workqueue_depth{${capi}})`, legend: '{{namespace}} {{name}}' }] }),
          Panel.timeSeries({
            title: 'Reconcile time p95',
            unit: PanelUnit.SECONDS,
            queries: [{ expr: `histogram_quantile(0.95, sum by (le, controller) (rate(controller_runtime_reconcile_time_seconds_bucket{${capi}}[5m])))`, legend: '{{controller}}' }],
          }),
          Panel.logs({ title: 'Cluster API controller errors', queries: [{ expr: '{k8s_namespace_name=~"capi-.*|cap[a-z]-system"} |= "error"' }] }),
        ],
      },
    ],
  });
}

export function certManagerDashboard(): Dashboard {
  return new Dashboard({
    uid: 'infraflux-cert-manager',
    title: 'cert-manager',
    tags: ['cert-manager', 'tls'],
    rows: [
      {
        title: 'Certificates',
        panels: [
          Panel.table({ title: 'Time to expiry', unit: PanelUnit.SECONDS, queries: [{ expr: 'min by (namespace, name) (certmanager_certificate_expiration_timestamp_seconds - time())' }] }),
          Panel.stat({ title: 'Certificates not Ready', queries: [{ expr: 'sum(certmanager_certificate_ready_status{condition="False"})' }] }),
          Panel.timeSeries({ title: 'ACME requests by status', unit: PanelUnit.OPS, queries: [{ expr: rate('certmanager_http_acme_client_request_count', 'status'), legend: '{{status}}' }] }),
          Panel.timeSeries({ title: 'Controller syncs', unit: PanelUnit.OPS, queries: [{ expr: rate('certmanager_controller_sync_call_count', 'controller'), legend: '{{controller}}' }] }),
        ],
      },
    ],
  });
}

export function veleroDashboard(): Dashboard {
  return new Dashboard({
    uid: 'infraflux-velero',
    title: 'Velero backups',
    tags: ['velero', 'backup'],
    rows: [
      {
        title: 'Backups',
        panels: [
          Panel.table({ title: 'Time since the last successful backup', unit: PanelUnit.SECONDS, queries: [{ expr: 'time() - max by (schedule) (velero_backup_last_successful_timestamp{schedule!=""})' }] }),
          Panel.timeSeries({
            title: 'Backups by result',
            queries: [
              { expr: 'sum by (schedule) (increase(velero_backup_success_total[1h]))', legend: 'success {{schedule}}' },
              { expr: 'sum by (schedule) (increase(velero_backup_failure_total[1h]))', legend: 'failure {{schedule}}' },
              { expr: 'sum by (schedule) (increase(velero_backup_partial_failure_total[1h]))', legend: 'partial {{schedule}}' },
            ],
          }),
          Panel.timeSeries({
            title: 'Backup duration p95',
            unit: PanelUnit.SECONDS,
            queries: [{ expr: 'histogram_quantile(0.95, sum by (le, schedule) (rate(velero_backup_duration_seconds_bucket[1h])))', legend: '{{schedule}}' }],
          }),
          Panel.stat({ title: 'Failed restores (24h)', queries: [{ expr: 'sum(increase(velero_restore_failed_total[24h]))' }] }),
        ],
      },
    ],
  });
}

export function clusterDashboard(): Dashboard {
  return new Dashboard({
    uid: 'infraflux-cluster',
    title: 'Cluster',
    tags: ['cluster', 'nodes', 'talos'],
    rows: [
      {
        title: 'Nodes',
        panels: [
          Panel.stat({ title: 'Nodes Ready', queries: [{ expr: 'sum(kube_node_status_condition{condition="Ready",status="true"})' }] }),
          Panel.stat({ title: 'Nodes under pressure', queries: [{ expr: 'sum(kube_node_status_condition{condition=~".*Pressure",status="true"})' }] }),
          Panel.stat({ title: 'Pods not running', queries: [{ expr: 'sum(kube_pod_status_phase{phase=~"Pending|Failed|Unknown"})' }] }),
          Panel.stat({ title: 'API server 5xx rate', unit: PanelUnit.OPS, queries: [{ expr: 'sum(rate(apiserver_request_total{code=~"5.."}[5m]))' }] }),
          Panel.timeSeries({ title: 'CPU busy by node', unit: PanelUnit.PERCENT_UNIT, queries: [{ expr: '1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m]))', legend: '{{instance}}' }] }),
          Panel.timeSeries({ title: 'Memory used by node', unit: PanelUnit.PERCENT_UNIT, queries: [{ expr: '1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes', legend: '{{instance}}' }] }),
          Panel.timeSeries({
            title: 'Filesystem used',
            unit: PanelUnit.PERCENT_UNIT,
            queries: [{ expr: '1 - node_filesystem_avail_bytes{fstype!~"tmpfs|overlay|squashfs"} / node_filesystem_size_bytes{fstype!~"tmpfs|overlay|squashfs"}', legend: '{{instance}} {{mountpoint}}' }],
          }),
          Panel.timeSeries({ title: 'Container restarts by namespace', queries: [{ expr: 'sum by (namespace) (increase(kube_pod_container_status_restarts_total[15m]))', legend: '{{namespace}}' }] }),
        ],
      },
      {
        title: 'Node and audit logs',
        panels: [
          Panel.logs({ title: 'Talos service logs (errors)', queries: [{ expr: '{service_name="talos"} |~ "(?i)error|fail"' }] }),
          Panel.logs({ title: 'API audit: writes by users', queries: [{ expr: '{service_name="kube-apiserver-audit"} | json | verb=~"create|update|patch|delete" | user_username!~"system:.*"' }] }),
        ],
      },
    ],
  });
}

/** The dashboards every cluster gets. */
export function platformDashboards(options: { readonly clusterApi?: boolean } = {}): Dashboard[] {
  return [clusterDashboard(), ciliumDashboard(), fluxDashboard(), certManagerDashboard(), veleroDashboard(), ...(options.clusterApi ? [capiDashboard()] : [])];
}
