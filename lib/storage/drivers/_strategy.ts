import { IConstruct } from 'constructs';
import { ServiceReference } from '../../core/service-reference';
import { ReclaimPolicy, VolumeBindingMode } from '../storage-class';

/** @internal One StorageClass a backend contributes (name given by ClusterStorage for default/gold). */
export interface ClassSpec {
  readonly provisioner: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly reclaimPolicy?: ReclaimPolicy;
  readonly volumeBindingMode?: VolumeBindingMode;
}

/** @internal A CSI driver of a backend and the parameters of its VolumeSnapshotClass. */
export interface DriverSpec {
  /** The CSI driver name (`provisioner`, VolumeSnapshotClass `driver`). */
  readonly name: string;
  /** Name of its VolumeSnapshotClass. */
  readonly snapshotClassName: string;
  readonly snapshotParameters: Readonly<Record<string, string>>;
}

/**
 * @internal What a storage backend (one file each in this folder) installed on a cluster: its
 * drivers, the parameters of the `default` and `gold` classes, further classes, the storage UI
 * and the constructs whose readiness the classes wait for.
 */
export interface InstalledBackend {
  readonly name: string;
  readonly drivers: readonly DriverSpec[];
  readonly defaultClass: ClassSpec;
  readonly goldClass: ClassSpec;
  /** More classes by name (e.g. CephFS for ReadWriteMany). */
  readonly extraClasses: Readonly<Record<string, ClassSpec>>;
  /** The storage UI's Service, when the backend has one. */
  readonly ui?: ServiceReference;
  /** What installs the drivers (dependencies of the classes and of anything using them). */
  readonly deployedBy: readonly IConstruct[];
}
