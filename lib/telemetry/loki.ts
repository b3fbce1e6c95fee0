/**
 * Loki from its pinned chart (grafana-community `loki` 18.11.0, Loki 3.7.6) in Monolithic mode,
 * single-tenant, with retention by the compactor, on the cluster's default StorageClass
 * ({@link LokiStorage.filesystem}) or on an S3 bucket ({@link LokiStorage.s3}) whose credentials
 * come by Secret reference (decision 0085).
 * @see https://grafana.com/docs/loki/latest/setup/install/helm/
 */
import { Construct } from 'constructs';
import { LOKI_CHART } from '../../imports/helm/charts';
import { LokiValues } from '../../imports/helm/loki';
import { ErrorCode, InfraFluxError, invalidProp, validateDnsLabel, validateDnsSubdomain } from '../core/errors';
import { ServiceReference } from '../core/service-reference';
import { GRAFANA_COMMUNITY_REPOSITORY } from './_repository';
import { ChartBackedConstruct } from '../flux/flux-app';
import { LayerName } from '../flux/gitops-cluster';
import { ReconcileTiming } from '../flux/kustomization';
import { SecretReference } from '../secrets/secret-reference';
import { restrictedContainer } from './_security';

/** Namespace of Loki unless `namespace` says otherwise. */
export const LOKI_NAMESPACE = 'loki';
/** HTTP port of the Monolithic Service `loki` (chart `loki.server.http_listen_port`). */
export const LOKI_HTTP_PORT = 3100;
/** Keys of the Secret {@link LokiStorage.s3} reads (the AWS SDK's environment variables). */
export const LOKI_S3_CREDENTIAL_KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;
/** The schema period start of every InfraFlux Loki: TSDB index, schema v13 (Loki 3 default). */
export const LOKI_SCHEMA_FROM = '2026-01-01';

/** Props of {@link LokiStorage.filesystem}. */
export interface LokiFilesystemProps {
  /**
   * Size of the volume of each replica (chunks, index, WAL).
   * @default 10
   */
  readonly sizeGiB?: number;
  /**
   * StorageClass of the volume.
   * @default 'default' (the class lib/storage marks as the cluster default)
   */
  readonly storageClass?: string;
}

/** Props of {@link LokiStorage.s3}. */
export interface LokiS3Props {
  /** Bucket of chunks, ruler and admin data (one bucket per cluster; Loki prefixes its keys). */
  readonly bucket: string;
  /** AWS region of the bucket. */
  readonly region: string;
  /**
   * S3 endpoint for an S3-compatible store (Rook RGW, MinIO).
   * @default - AWS S3 of the region
   */
  readonly endpoint?: string;
  /**
   * Secret in Loki's namespace with the keys `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`,
   * mounted as environment (the AWS SDK chain reads them); called with the Loki app so it can be
   * delivered with it (an ExternalSecret in its release folder). Never a value.
   */
  readonly credentials: (loki: Loki) => SecretReference;
  /**
   * Size of the local volume of each replica (WAL, TSDB head, compactor working directory).
   * @default 10
   */
  readonly walSizeGiB?: number;
  /** @default 'default' */
  readonly storageClass?: string;
}

/** Where Loki keeps chunks and index: a volume on the default StorageClass, or an S3 bucket. */
export class LokiStorage {
  /**
   * A PersistentVolume per replica (`singleBinary.persistence`): dev and edge clusters. One
   * replica only: the chart refuses more than one Monolithic replica without object storage.
   */
  public static filesystem(props: LokiFilesystemProps = {}): LokiStorage {
    return new LokiStorage('filesystem', props.sizeGiB ?? 10, props.storageClass ?? 'default', undefined);
  }

  /** An S3 (or S3-compatible) bucket: production clusters; Loki may then run several replicas. */
  public static s3(props: LokiS3Props): LokiStorage {
    return new LokiStorage('s3', props.walSizeGiB ?? 10, props.storageClass ?? 'default', props);
  }

  private constructor(
    /** `loki.storage.type` and the schema's `object_store`. */
    public readonly type: 'filesystem' | 's3',
    public readonly sizeGiB: number,
    public readonly storageClass: string,
    /** @internal */ public readonly _s3: LokiS3Props | undefined,
  ) {}
}

export interface LokiProps extends ReconcileTiming {
  /**
   * Chunks and index.
   * @default LokiStorage.filesystem()
   */
  readonly storage?: LokiStorage;
  /**
   * How long logs are kept (compactor retention, `limits_config.retention_period`).
   * @default 14
   * @see https://grafana.com/docs/loki/latest/operations/storage/retention/
   */
  readonly retentionDays?: number;
  /**
   * Monolithic replicas; more than one needs {@link LokiStorage.s3} (and gets replication factor 3
   * from 3 replicas up).
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Ingestion limit per tenant (the platform is one tenant), MB/s (`ingestion_rate_mb`): the cost
   * guard of docs/observability.md.
   * @default 8
   */
  readonly ingestionRateMb?: number;
  /** @default 'loki' */
  readonly namespace?: string;
  /**
   * Extra chart values, merged over InfraFlux's. `deploymentMode`, `loki.storage` and
   * `loki.schemaConfig` are derived from the props and refused here.
   * @default {}
   */
  readonly values?: LokiValues;
}

/** A Loki other constructs ship to and read from. */
export interface ILoki {
  /** The HTTP API (push, query, OTLP at `/otlp`). */
  readonly service: ServiceReference;
  /** `http://loki.<ns>.svc:3100` */
  readonly url: string;
}

/**
 * Loki in its own namespace (PSA restricted), in the apps layer (its StorageClass comes from the
 * configs layer). Provides the `loki:3100` Service: push, LogQL and OTLP (`/otlp/v1/logs`).
 * The chart's nginx gateway, memcached caches, canary and Helm test are off: one tenant, one
 * binary, the Service is the API.
 */
export class Loki extends ChartBackedConstruct<LokiValues> implements ILoki {
  public readonly service: ServiceReference;
  public readonly url: string;
  public readonly storage: LokiStorage;
  public readonly retentionDays: number;
  /** The S3 credentials Secret ({@link LokiStorage.s3}). */
  public readonly credentialsSecret?: SecretReference;

  public constructor(scope: Construct, id: string, props: LokiProps = {}) {
    super(scope, id);
    const storage = props.storage ?? LokiStorage.filesystem();
    const retentionDays = props.retentionDays ?? 14;
    const replicas = props.replicas ?? 1;
    const rate = props.ingestionRateMb ?? 8;
    const namespace = validateDnsLabel(this, 'namespace', props.namespace ?? LOKI_NAMESPACE);
    if (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > 3650) invalidProp(this, `retentionDays ${retentionDays} must be a whole number of days, 1-3650`);
    if (!Number.isInteger(replicas) || replicas < 1) invalidProp(this, `replicas ${replicas} must be a whole number >= 1`);
    if (!(rate > 0)) invalidProp(this, `ingestionRateMb ${rate} must be > 0`);
    if (!Number.isInteger(storage.sizeGiB) || storage.sizeGiB < 1) invalidProp(this, `storage sizeGiB ${storage.sizeGiB} must be a whole number >= 1`);
    validateDnsSubdomain(this, 'storage storageClass', storage.storageClass);
    if (replicas > 1 && storage.type === 'filesystem') {
      throw new InfraFluxError(ErrorCode.TELEMETRY_STORAGE, this, `replicas ${replicas} need object storage (the chart's validate.yaml refuses more than one Monolithic replica on a filesystem); use LokiStorage.s3(...) or replicas 1`);
    }
    const s3 = storage._s3;
    if (s3) {
      if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(s3.bucket)) invalidProp(this, `storage bucket "${s3.bucket}" is not an S3 bucket name (3-63 of a-z 0-9 . -)`);
      if (/\$\{/.test(s3.bucket) || /\$\{/.test(s3.region)) invalidProp(this, `storage bucket/region "${s3.bucket}"/"${s3.region}" holds a Terraform reference; give literal names`);
      if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(s3.region)) invalidProp(this, `storage region "${s3.region}" is not an AWS region like eu-central-1`);
      if (s3.endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(s3.endpoint)) invalidProp(this, `storage endpoint "${s3.endpoint}" must be an http(s) URL`);
    }
    const user = (props.values ?? {}) as Record<string, unknown>;
    const userLoki = (user.loki ?? {}) as Record<string, unknown>;
    const owned = [...(['deploymentMode'].filter((k) => k in user)), ...['storage', 'schemaConfig', 'useTestSchema'].filter((k) => k in userLoki).map((k) => `loki.${k}`)];
    if (owned.length) throw new InfraFluxError(ErrorCode.INVALID_CHART_VALUES, this, `values key(s) ${owned.join(', ')} are derived by Loki from storage and replicas; use those props instead`);

    this.storage = storage;
    this.retentionDays = retentionDays;
    const store = storage.type;
    this.createApp({
      ...props,
      chart: LOKI_CHART,
      repositoryName: GRAFANA_COMMUNITY_REPOSITORY,
      name: 'loki',
      namespace,
      values: {
        deploymentMode: 'Monolithic',
        loki: {
          auth_enabled: false,
          commonConfig: { replication_factor: replicas >= 3 ? 3 : 1 },
          schemaConfig: { configs: [{ from: LOKI_SCHEMA_FROM, store: 'tsdb', object_store: store, schema: 'v13', index: { prefix: 'loki_index_', period: '24h' } }] },
          storage: s3
            ? {
                type: 's3',
                bucketNames: { chunks: s3.bucket, ruler: s3.bucket, admin: s3.bucket },
                s3: { region: s3.region, ...(s3.endpoint ? { endpoint: s3.endpoint, s3ForcePathStyle: true } : {}) },
              }
            : { type: 'filesystem' },
          limits_config: {
            retention_period: `${retentionDays * 24}h`,
            allow_structured_metadata: true,
            ingestion_rate_mb: rate,
            ingestion_burst_size_mb: rate * 2,
          },
          compactor: { retention_enabled: true, delete_request_store: store, working_directory: '/var/loki/compactor' },
          containerSecurityContext: restrictedContainer(),
        },
        singleBinary: {
          replicas,
          persistence: { enabled: true, size: `${storage.sizeGiB}Gi`, storageClass: storage.storageClass },
        },
        backend: { replicas: 0 },
        read: { replicas: 0 },
        write: { replicas: 0 },
        gateway: { enabled: false },
        chunksCache: { enabled: false },
        resultsCache: { enabled: false },
        lokiCanary: { enabled: false },
        test: { enabled: false },
      } as LokiValues,
    });
    if (this.app.layer.layerName !== LayerName.APPS) invalidProp(this, `Loki must be created in the apps layer (its StorageClass and credentials come from configs), not "${this.app.layer.layerName}"`);
    if (s3) {
      const secret = s3.credentials(this);
      for (const key of LOKI_S3_CREDENTIAL_KEYS) secret.key(key).use(this, 'Loki S3 credentials', this.namespace);
      if (secret.producer) this.addDependency(secret.producer);
      this.credentialsSecret = secret;
      this.app.addValues({ singleBinary: { extraEnvFrom: [{ secretRef: { name: secret.name } }] } } as LokiValues);
    }
    if (props.values) this.app.addValues(props.values);
    this.service = { namespace: this.namespace, name: 'loki', port: LOKI_HTTP_PORT, deployedBy: this };
    this.url = `http://loki.${this.namespace}.svc:${LOKI_HTTP_PORT}`;
  }

  /** Turns the chart's own monitor on when the cluster has a MonitoringStack (decision 0080). */
  protected monitoringValues(): LokiValues {
    return { monitoring: { serviceMonitor: { enabled: true } } } as LokiValues;
  }
}
