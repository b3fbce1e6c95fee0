import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { VolumeSnapshotClass, VolumeSnapshotClassDeletionPolicy } from '../../imports/external-snapshotter-snapshot.storage.k8s.io';
import { addCodedValidation, ErrorCode, InfraFluxError, validateDnsSubdomain } from '../core/errors';
import { GitOpsCluster } from '../flux/gitops-cluster';
import { VELERO_SNAPSHOT_CLASS_LABEL } from '../core/storage-names';

/**
 * The annotation that makes a StorageClass the cluster default (PVCs without `storageClassName`).
 * @see https://kubernetes.io/docs/tasks/administer-cluster/change-default-storage-class/
 */
export const DEFAULT_STORAGE_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';

/** The label Velero's CSI snapshot support looks for (defined once, in lib/core/storage-names.ts). */
export { VELERO_SNAPSHOT_CLASS_LABEL } from '../core/storage-names';

/**
 * When a volume is bound and provisioned.
 * @see https://kubernetes.io/docs/concepts/storage/storage-classes/#volume-binding-mode
 */
export class VolumeBindingMode {
  /** Provision at claim time (shared storage reachable from every node: Ceph). */
  public static readonly IMMEDIATE = new VolumeBindingMode('Immediate');
  /** Provision where the first pod is scheduled (zonal disks: EBS, Azure Disk, PD, local volumes). */
  public static readonly WAIT_FOR_FIRST_CONSUMER = new VolumeBindingMode('WaitForFirstConsumer');
  private constructor(public readonly value: string) {}
}

/**
 * What happens to a dynamically provisioned volume when its claim is deleted.
 * @see https://kubernetes.io/docs/concepts/storage/storage-classes/#reclaim-policy
 */
export class ReclaimPolicy {
  public static readonly DELETE = new ReclaimPolicy('Delete');
  /** Keep the disk: for data whose loss costs more than the disk. */
  public static readonly RETAIN = new ReclaimPolicy('Retain');
  private constructor(public readonly value: string) {}
}

/** One StorageClass of a driver. */
export interface StorageClassOptions {
  /** `metadata.name`. */
  readonly name: string;
  /** The CSI driver name (`provisioner`). */
  readonly provisioner: string;
  /**
   * Driver parameters.
   * @default {}
   */
  readonly parameters?: Readonly<Record<string, string>>;
  /**
   * Make it the cluster default. A cluster has exactly one default class (checked at synth).
   * @default false
   */
  readonly isDefault?: boolean;
  /** @default ReclaimPolicy.DELETE */
  readonly reclaimPolicy?: ReclaimPolicy;
  /** @default VolumeBindingMode.WAIT_FOR_FIRST_CONSUMER */
  readonly volumeBindingMode?: VolumeBindingMode;
  /**
   * @default true
   */
  readonly allowVolumeExpansion?: boolean;
}

/** A StorageClass (storage.k8s.io/v1) in `scope`'s folder; a default class joins the one-default rule of its cluster. */
export function addStorageClass(scope: Construct, id: string, options: StorageClassOptions): ApiObject {
  validateDnsSubdomain(scope, 'StorageClass name', options.name);
  const cls = new ApiObject(scope, id, {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: {
      name: options.name,
      annotations: { [DEFAULT_STORAGE_CLASS_ANNOTATION]: options.isDefault ? 'true' : 'false' },
    },
    provisioner: options.provisioner,
    ...(options.parameters && Object.keys(options.parameters).length ? { parameters: { ...options.parameters } } : {}),
    reclaimPolicy: (options.reclaimPolicy ?? ReclaimPolicy.DELETE).value,
    volumeBindingMode: (options.volumeBindingMode ?? VolumeBindingMode.WAIT_FOR_FIRST_CONSUMER).value,
    allowVolumeExpansion: options.allowVolumeExpansion ?? true,
  });
  requireOneDefaultStorageClass(GitOpsCluster.of(scope));
  return cls;
}

/** One VolumeSnapshotClass of a driver. */
export interface SnapshotClassOptions {
  readonly name: string;
  /** The CSI driver name. */
  readonly driver: string;
  /**
   * Driver parameters (e.g. Ceph's cluster id and snapshotter secrets).
   * @default {}
   */
  readonly parameters?: Readonly<Record<string, string>>;
  /**
   * Whether the snapshot content (and the backend snapshot) is deleted with the VolumeSnapshot.
   * Velero deletes its VolumeSnapshots after moving the data, so `Retain` would leak snapshots.
   * @default VolumeSnapshotClassDeletionPolicy.DELETE
   */
  readonly deletionPolicy?: VolumeSnapshotClassDeletionPolicy;
}

/**
 * A VolumeSnapshotClass (snapshot.storage.k8s.io/v1) labelled for Velero
 * (`velero.io/csi-volumesnapshot-class: "true"`), so Velero's CSI snapshots of this driver's
 * volumes use it. One per driver (Velero picks the labelled class per driver).
 */
export function addSnapshotClass(scope: Construct, id: string, options: SnapshotClassOptions): VolumeSnapshotClass {
  validateDnsSubdomain(scope, 'VolumeSnapshotClass name', options.name);
  return new VolumeSnapshotClass(scope, id, {
    metadata: { name: options.name, labels: { [VELERO_SNAPSHOT_CLASS_LABEL]: 'true' } },
    driver: options.driver,
    deletionPolicy: options.deletionPolicy ?? VolumeSnapshotClassDeletionPolicy.DELETE,
    ...(options.parameters && Object.keys(options.parameters).length ? { parameters: { ...options.parameters } } : {}),
  });
}

const RULE = Symbol.for('infraflux.storage.one-default-class');

/** The default StorageClasses in `cluster`'s tree, with the object that declares each. */
export function defaultStorageClasses(cluster: IConstruct): Array<{ name: string; object: ApiObject }> {
  return cluster.node
    .findAll()
    .filter((c): c is ApiObject => c instanceof ApiObject && c.kind === 'StorageClass')
    .filter((o) => (o.toJson() as { metadata?: { annotations?: Record<string, string> } }).metadata?.annotations?.[DEFAULT_STORAGE_CLASS_ANNOTATION] === 'true')
    .map((object) => ({ name: object.name, object }));
}

/**
 * Attaches (once) the synth rule "exactly one default StorageClass" to `cluster`: with none, PVCs
 * without a class stay Pending; with two, the API server picks the newest, so which one a PVC gets
 * depends on apply order (Kubernetes ≥ 1.26 accepts several defaults and uses the most recent).
 * Code {@link ErrorCode.DEFAULT_STORAGE_CLASS}.
 */
export function requireOneDefaultStorageClass(cluster: GitOpsCluster): void {
  const holder = cluster as unknown as { [RULE]?: true };
  if (holder[RULE]) return;
  Object.defineProperty(cluster, RULE, { value: true });
  addCodedValidation(cluster, () => {
    const defaults = defaultStorageClasses(cluster);
    if (defaults.length === 1) return [];
    const what =
      defaults.length === 0
        ? 'has no default StorageClass; PVCs without storageClassName would stay Pending. Make exactly one class the default (ClusterStorage does)'
        : `has ${defaults.length} default StorageClasses (${defaults.map((d) => `"${d.name}" at ${d.object.node.path}`).join(', ')}); exactly one may carry ${DEFAULT_STORAGE_CLASS_ANNOTATION}: "true". Keep one and make the others non-default`;
    return [new InfraFluxError(ErrorCode.DEFAULT_STORAGE_CLASS, cluster, `cluster "${cluster.name}" ${what}`)];
  });
}
