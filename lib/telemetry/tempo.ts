/**
 * Tempo from its pinned single-binary chart (grafana-community `tempo` 2.2.4, Tempo 2.10.8): one
 * StatefulSet, local blocks on a volume of the default StorageClass, OTLP in, retention by the
 * compactor (decision 0086). The distributed chart (Tempo 3) needs a Kafka-compatible broker and is
 * not used (tempo/NOTES.md).
 * @see https://grafana.com/docs/tempo/latest/setup/helm-chart/
 */
import { Construct } from 'constructs';
import { TEMPO_CHART } from '../../imports/helm/charts';
import { TempoValues } from '../../imports/helm/tempo';
import { invalidProp, validateDnsLabel } from '../core/errors';
import { ServiceReference } from '../core/service-reference';
import { GRAFANA_COMMUNITY_REPOSITORY } from './_repository';
import { ChartBackedConstruct } from '../flux/flux-app';
import { LayerName } from '../flux/gitops-cluster';
import { ReconcileTiming } from '../flux/kustomization';
import { restrictedContainer } from './_security';

/** Namespace of Tempo unless `namespace` says otherwise. */
export const TEMPO_NAMESPACE = 'tempo';
/** Tempo's HTTP API (queries, Grafana's data source). */
export const TEMPO_HTTP_PORT = 3200;
/** OTLP gRPC receiver of the single binary. */
export const TEMPO_OTLP_GRPC_PORT = 4317;

export interface TempoProps extends ReconcileTiming {
  /**
   * How long traces are kept (`compactor.compaction.block_retention`).
   * @default 72
   */
  readonly retentionHours?: number;
  /**
   * Size of the volume for blocks and WAL (the cluster's default StorageClass).
   * @default 10
   */
  readonly sizeGiB?: number;
  /** @default 'tempo' */
  readonly namespace?: string;
  /**
   * Extra chart values, merged over InfraFlux's.
   * @default {}
   */
  readonly values?: TempoValues;
}

/** A Tempo other constructs send traces to and query. */
export interface ITempo {
  /** The query API (Grafana). */
  readonly service: ServiceReference;
  /** `http://tempo.<ns>.svc:3200` */
  readonly url: string;
  /** `tempo.<ns>.svc:4317`, OTLP gRPC. */
  readonly otlpGrpcEndpoint: string;
}

/** Tempo in its own namespace (PSA restricted), apps layer. Provides `tempo:3200` and OTLP on `tempo:4317`. */
export class Tempo extends ChartBackedConstruct<TempoValues> implements ITempo {
  public readonly service: ServiceReference;
  public readonly url: string;
  public readonly otlpGrpcEndpoint: string;
  public readonly retentionHours: number;

  public constructor(scope: Construct, id: string, props: TempoProps = {}) {
    super(scope, id);
    const retention = props.retentionHours ?? 72;
    const size = props.sizeGiB ?? 10;
    const namespace = validateDnsLabel(this, 'namespace', props.namespace ?? TEMPO_NAMESPACE);
    if (!Number.isInteger(retention) || retention < 1 || retention > 24 * 365) invalidProp(this, `retentionHours ${retention} must be a whole number of hours, 1-8760`);
    if (!Number.isInteger(size) || size < 1) invalidProp(this, `sizeGiB ${size} must be a whole number >= 1`);
    this.createApp({
      ...props,
      chart: TEMPO_CHART,
      repositoryName: GRAFANA_COMMUNITY_REPOSITORY,
      name: 'tempo',
      namespace,
      values: {
        replicas: 1,
        tempo: {
          retention: `${retention}h`,
          reportingEnabled: false,
          multitenancyEnabled: false,
          // OTLP only: apps and Hubble-less sources go through the OTel gateway, which speaks OTLP.
          receivers: { otlp: { protocols: { grpc: { endpoint: `0.0.0.0:${TEMPO_OTLP_GRPC_PORT}` }, http: { endpoint: '0.0.0.0:4318' } } } },
          storage: { trace: { backend: 'local', local: { path: '/var/tempo/traces' }, wal: { path: '/var/tempo/wal' } } },
          securityContext: restrictedContainer(),
        },
        // The cluster's default StorageClass (the chart's storageClassName is only a comment).
        persistence: { enabled: true, size: `${size}Gi` },
        securityContext: { runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, runAsNonRoot: true },
      } as TempoValues,
    });
    if (this.app.layer.layerName !== LayerName.APPS) invalidProp(this, `Tempo must be created in the apps layer (its StorageClass comes from configs), not "${this.app.layer.layerName}"`);
    if (props.values) this.app.addValues(props.values);
    this.retentionHours = retention;
    this.service = { namespace: this.namespace, name: 'tempo', port: TEMPO_HTTP_PORT, deployedBy: this };
    this.url = `http://tempo.${this.namespace}.svc:${TEMPO_HTTP_PORT}`;
    this.otlpGrpcEndpoint = `tempo.${this.namespace}.svc:${TEMPO_OTLP_GRPC_PORT}`;
  }

  /** Turns the chart's own monitor on when the cluster has a MonitoringStack (decision 0080). */
  protected monitoringValues(): TempoValues {
    return { serviceMonitor: { enabled: true } } as TempoValues;
  }
}
