/**
 * The OpenTelemetry Collector from its pinned chart (opentelemetry-collector 0.170.0, collector
 * 0.158.0, contrib distribution) in two roles (decision 0085, 0086):
 * - {@link NodeLogCollector}: a DaemonSet on every node (control planes included) that ships pod
 *   logs (`/var/log/pods`, the chart's `logsCollection` preset, with `kubernetesAttributes`), the
 *   Talos service logs (json_lines over TCP on the node's loopback, see lib/talos
 *   logging-machine-config.ts), the kube-apiserver audit log of control-plane nodes and Hubble's
 *   flow-log file to Loki over OTLP/HTTP;
 * - {@link TraceGateway}: a Deployment that receives OTLP from apps and sends traces to Tempo and
 *   logs to Loki.
 * @see https://opentelemetry.io/docs/platforms/kubernetes/helm/collector/
 */
import { Construct } from 'constructs';
import { OPENTELEMETRY_COLLECTOR_CHART } from '../../imports/helm/charts';
import { OpentelemetryCollectorValues } from '../../imports/helm/opentelemetry-collector';
import { invalidProp } from '../core/errors';
import { ServiceReference } from '../core/service-reference';
import { ChartBackedConstruct } from '../flux/flux-app';
import { LayerName } from '../flux/gitops-cluster';
import { ReconcileTiming } from '../flux/kustomization';
import { PodSecurityLevel } from '../flux/pod-security';
import { TALOS_AUDIT_LOG_DIR, TALOS_LOG_RECEIVER_PORT } from '../talos/logging-machine-config';
import { restrictedContainer } from './_security';
import { ILoki } from './loki';
import { ITempo } from './tempo';

/** Namespace of both collectors (the obs contract). */
export const OTEL_NAMESPACE = 'otel';
/** Collector image: the contrib distribution (tcplog, filelog, k8sattributes, otlphttp), the chart's appVersion. */
export const OTEL_COLLECTOR_IMAGE = { repository: 'otel/opentelemetry-collector-contrib', tag: '0.158.0' } as const;
/** Where Cilium's Hubble exporter writes flow logs on each node (cilium chart `hubble.export.static.filePath`). */
export const HUBBLE_FLOW_LOG_DIR = '/var/run/cilium/hubble';
/** Release (and Service) name of the gateway. */
export const OTEL_GATEWAY_NAME = 'otel-gateway';
/** OTLP ports of the gateway Service. */
export const OTLP_GRPC_PORT = 4317;
export const OTLP_HTTP_PORT = 4318;

/** Chart ports InfraFlux never opens (legacy trace protocols); `metrics` is opened for the self-monitor. */
const CLOSED_PORTS = { 'jaeger-compact': { enabled: false }, 'jaeger-thrift': { enabled: false }, 'jaeger-grpc': { enabled: false }, zipkin: { enabled: false } };
/** Default receivers of the chart's config that InfraFlux removes (Helm deletes a key set to null). */
const REMOVED_RECEIVERS = { jaeger: null, zipkin: null };

/** Loki's OTLP endpoint (the otlphttp exporter appends `/v1/logs`). */
const lokiOtlp = (loki: ILoki) => ({ endpoint: `${loki.url}/otlp` });

export interface NodeLogCollectorProps extends ReconcileTiming {
  /** Where logs go. */
  readonly loki: ILoki;
  /**
   * Ship the kube-apiserver audit log Talos writes on control-plane nodes ({@link TALOS_AUDIT_LOG_DIR}).
   * @default true
   */
  readonly auditLogs?: boolean;
  /**
   * Ship Talos' service logs (the receiver the Talos patch sends to).
   * @default true
   */
  readonly talosLogs?: boolean;
  /**
   * Ship Hubble's flow-log file when Cilium's static exporter writes one ({@link HUBBLE_FLOW_LOG_DIR}/events.log).
   * @default true
   */
  readonly hubbleFlowLogs?: boolean;
  /**
   * Loopback port of the Talos receiver; must equal the port of the Talos patch.
   * @default TALOS_LOG_RECEIVER_PORT
   */
  readonly talosPort?: number;
  /**
   * Extra chart values, merged over InfraFlux's.
   * @default {}
   */
  readonly values?: OpentelemetryCollectorValues;
}

/**
 * The node log collector: a DaemonSet in `otel` (PSA privileged, stated: it mounts `/var/log`
 * and `/var/run/cilium/hubble` from the host, runs as root to read root-owned log files and uses
 * the host network so Talos reaches it on 127.0.0.1), every capability dropped, read-only root.
 * It tolerates every taint so control-plane nodes ship their audit log. Owns the `otel` Namespace.
 */
export class NodeLogCollector extends ChartBackedConstruct<OpentelemetryCollectorValues> {
  public readonly loki: ILoki;

  public constructor(scope: Construct, id: string, props: NodeLogCollectorProps) {
    super(scope, id);
    const port = props.talosPort ?? TALOS_LOG_RECEIVER_PORT;
    if (!Number.isInteger(port) || port < 1024 || port > 65535) invalidProp(this, `talosPort ${port} must be an unprivileged TCP port, 1024-65535`);
    const audit = props.auditLogs ?? true;
    const talos = props.talosLogs ?? true;
    const hubble = props.hubbleFlowLogs ?? true;
    this.loki = props.loki;

    const receivers: Record<string, unknown> = { ...REMOVED_RECEIVERS };
    const processors: Record<string, unknown> = {};
    const pipelines: Record<string, unknown> = {
      // The preset adds the filelog receiver (pod logs) and the k8sattributes processor to `logs`.
      logs: { receivers: [], processors: ['memory_limiter', 'batch'], exporters: ['otlphttp/loki'] },
      metrics: null,
      traces: null,
    };
    const volumes: Record<string, unknown>[] = [];
    const mounts: Record<string, unknown>[] = [];
    const source = (name: string, serviceName: string, receiver: string, config: Record<string, unknown>) => {
      receivers[receiver] = config;
      processors[`resource/${name}`] = {
        attributes: [
          { key: 'service.name', value: serviceName, action: 'upsert' },
          { key: 'k8s.node.name', value: '${env:OTEL_K8S_NODE_NAME}', action: 'upsert' },
        ],
      };
      pipelines[`logs/${name}`] = { receivers: [receiver], processors: ['memory_limiter', `resource/${name}`, 'batch'], exporters: ['otlphttp/loki'] };
    };
    if (talos) {
      source('talos', 'talos', 'tcplog/talos', {
        listen_address: `127.0.0.1:${port}`,
        operators: [
          { type: 'json_parser', timestamp: { parse_from: 'attributes["talos-time"]', layout_type: 'gotime', layout: '2006-01-02T15:04:05.999999999Z07:00' }, severity: { parse_from: 'attributes["talos-level"]' } },
          { type: 'move', from: 'attributes.msg', to: 'body' },
        ],
      });
    }
    if (audit) {
      source('audit', 'kube-apiserver-audit', 'filelog/audit', {
        include: [`${TALOS_AUDIT_LOG_DIR}/*.log`],
        start_at: 'end',
        storage: 'file_storage',
        operators: [{ type: 'json_parser', timestamp: { parse_from: 'attributes.requestReceivedTimestamp', layout_type: 'gotime', layout: '2006-01-02T15:04:05.999999999Z07:00' } }],
      });
      volumes.push({ name: 'kube-audit', hostPath: { path: TALOS_AUDIT_LOG_DIR, type: 'DirectoryOrCreate' } });
      mounts.push({ name: 'kube-audit', mountPath: TALOS_AUDIT_LOG_DIR, readOnly: true });
    }
    if (hubble) {
      source('hubble', 'hubble-flows', 'filelog/hubble', {
        include: [`${HUBBLE_FLOW_LOG_DIR}/events.log`],
        start_at: 'end',
        storage: 'file_storage',
        operators: [{ type: 'json_parser' }],
      });
      volumes.push({ name: 'hubble-flows', hostPath: { path: HUBBLE_FLOW_LOG_DIR, type: 'DirectoryOrCreate' } });
      mounts.push({ name: 'hubble-flows', mountPath: HUBBLE_FLOW_LOG_DIR, readOnly: true });
    }

    this.createApp({
      ...props,
      chart: OPENTELEMETRY_COLLECTOR_CHART,
      name: 'otel-node',
      namespace: OTEL_NAMESPACE,
      podSecurity: PodSecurityLevel.PRIVILEGED,
      values: {
        mode: 'daemonset',
        fullnameOverride: 'otel-node',
        image: { ...OTEL_COLLECTOR_IMAGE },
        presets: {
          // storeCheckpoints: file offsets survive restarts (hostPath /var/lib/otelcol), no re-shipping.
          logsCollection: { enabled: true, includeCollectorLogs: false, storeCheckpoints: true },
          kubernetesAttributes: { enabled: true },
        },
        hostNetwork: true,
        dnsPolicy: 'ClusterFirstWithHostNet',
        tolerations: [{ operator: 'Exists' }],
        ports: { otlp: { enabled: false }, 'otlp-http': { enabled: false }, ...CLOSED_PORTS, metrics: { enabled: true } },
        config: {
          receivers: { ...receivers, otlp: null },
          processors,
          exporters: { 'otlphttp/loki': lokiOtlp(props.loki) },
          service: { pipelines },
        },
        extraVolumes: volumes,
        extraVolumeMounts: mounts,
        podSecurityContext: { runAsUser: 0, runAsGroup: 0, seccompProfile: { type: 'RuntimeDefault' } },
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsUser: 0, runAsNonRoot: false, seccompProfile: { type: 'RuntimeDefault' } },
        resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '512Mi' } },
      } as unknown as OpentelemetryCollectorValues,
    });
    if (this.app.layer.layerName !== LayerName.APPS) invalidProp(this, `NodeLogCollector must be created in the apps layer (after Loki's layer), not "${this.app.layer.layerName}"`);
    if (props.loki.service.deployedBy) this.addDependency(props.loki.service.deployedBy);
    if (props.values) this.app.addValues(props.values);
  }

  /** Turns the chart's own monitor on when the cluster has a MonitoringStack (decision 0080). */
  protected monitoringValues(): OpentelemetryCollectorValues {
    return { podMonitor: { enabled: true } } as OpentelemetryCollectorValues;
  }
}

export interface TraceGatewayProps extends ReconcileTiming {
  /** Where traces go. */
  readonly tempo: ITempo;
  /**
   * Where OTLP logs from apps go.
   * @default - OTLP logs are not accepted
   */
  readonly loki?: ILoki;
  /**
   * Replicas of the gateway.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Create the `otel` Namespace (false when a {@link NodeLogCollector} of the same cluster owns it).
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * Extra chart values, merged over InfraFlux's.
   * @default {}
   */
  readonly values?: OpentelemetryCollectorValues;
}

/**
 * The trace gateway: a Deployment in `otel` (restricted containers) behind the Service
 * `otel-gateway:4317` (OTLP gRPC) / `:4318` (OTLP HTTP), which apps send to
 * (`OTEL_EXPORTER_OTLP_ENDPOINT=http://otel-gateway.otel.svc:4318`). Traces are enriched with
 * Kubernetes attributes and batched to Tempo; logs go to Loki when given.
 */
export class TraceGateway extends ChartBackedConstruct<OpentelemetryCollectorValues> {
  /** OTLP gRPC. */
  public readonly otlpGrpc: ServiceReference;
  /** OTLP HTTP. */
  public readonly otlpHttp: ServiceReference;
  /** `http://otel-gateway.otel.svc:4318`, the value of `OTEL_EXPORTER_OTLP_ENDPOINT` for apps. */
  public readonly otlpHttpUrl: string;

  public constructor(scope: Construct, id: string, props: TraceGatewayProps) {
    super(scope, id);
    const replicas = props.replicas ?? 2;
    if (!Number.isInteger(replicas) || replicas < 1) invalidProp(this, `replicas ${replicas} must be a whole number >= 1`);
    const pipelines: Record<string, unknown> = {
      traces: { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['otlp/tempo'] },
      metrics: null,
      logs: props.loki ? { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['otlphttp/loki'] } : null,
    };
    this.createApp({
      ...props,
      chart: OPENTELEMETRY_COLLECTOR_CHART,
      name: OTEL_GATEWAY_NAME,
      namespace: OTEL_NAMESPACE,
      createNamespace: props.createNamespace ?? true,
      values: {
        mode: 'deployment',
        fullnameOverride: OTEL_GATEWAY_NAME,
        replicaCount: replicas,
        image: { ...OTEL_COLLECTOR_IMAGE },
        presets: { kubernetesAttributes: { enabled: true } },
        ports: { ...CLOSED_PORTS, metrics: { enabled: true } },
        config: {
          receivers: { ...REMOVED_RECEIVERS, prometheus: null },
          exporters: {
            'otlp/tempo': { endpoint: props.tempo.otlpGrpcEndpoint, tls: { insecure: true } },
            ...(props.loki ? { 'otlphttp/loki': lokiOtlp(props.loki) } : {}),
          },
          service: { pipelines },
        },
        podSecurityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
        securityContext: restrictedContainer(),
        resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '1Gi' } },
        podDisruptionBudget: { enabled: replicas > 1, minAvailable: 1 },
      } as unknown as OpentelemetryCollectorValues,
    });
    if (this.app.layer.layerName !== LayerName.APPS) invalidProp(this, `TraceGateway must be created in the apps layer, not "${this.app.layer.layerName}"`);
    for (const dep of [props.tempo.service.deployedBy, props.loki?.service.deployedBy]) if (dep) this.addDependency(dep);
    if (props.values) this.app.addValues(props.values);
    this.otlpGrpc = { namespace: this.namespace, name: OTEL_GATEWAY_NAME, port: OTLP_GRPC_PORT, deployedBy: this };
    this.otlpHttp = { namespace: this.namespace, name: OTEL_GATEWAY_NAME, port: OTLP_HTTP_PORT, deployedBy: this };
    this.otlpHttpUrl = `http://${OTEL_GATEWAY_NAME}.${this.namespace}.svc:${OTLP_HTTP_PORT}`;
  }

  /** Turns the chart's own monitor on when the cluster has a MonitoringStack (decision 0080). */
  protected monitoringValues(): OpentelemetryCollectorValues {
    return { serviceMonitor: { enabled: true } } as OpentelemetryCollectorValues;
  }
}
