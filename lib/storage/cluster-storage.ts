import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ErrorCode, InfraFluxError } from '../core/errors';
import { ServiceReference } from '../core/service-reference';
import { GitOpsCluster } from '../flux/gitops-cluster';
import { ClassSpec, InstalledBackend } from './drivers/_strategy';
import { ISnapshotCrds, SnapshotController, SnapshotCrds } from './snapshot-controller';
import { StorageBackend } from './storage-backend';
import { addSnapshotClass, addStorageClass, requireOneDefaultStorageClass } from './storage-class';
import { StoragePlatform } from './storage-platform';

/** Name of the default StorageClass of every cluster. */
export const DEFAULT_STORAGE_CLASS = 'default';
/** Name of the premium class of every cluster (faster media, kept when the claim goes). */
export const GOLD_STORAGE_CLASS = 'gold';

export interface ClusterStorageProps {
  /** Where the cluster runs: picks the default backend. */
  readonly platform: StoragePlatform;
  /**
   * The one override of the platform's choice (e.g. `StorageBackend.longhorn()` on Proxmox).
   * @default - platform.defaultBackend(): the cloud's CSI driver, Rook-Ceph on Proxmox and Metal3
   */
  readonly backend?: StorageBackend;
  /**
   * Allow Rook-Ceph on a cloud platform. Off: the cloud's disks are replicated already, and Ceph on
   * top triples the capacity bill and the cross-zone traffic.
   * @default false
   */
  readonly allowRookCephOnCloud?: boolean;
  /**
   * Snapshot CRDs installed by something else (e.g. a distribution).
   * @default - this construct installs them in the crds layer
   */
  readonly snapshotCrds?: ISnapshotCrds;
}

/**
 * A cluster's storage, chosen by its platform: the external-snapshotter CRDs (crds layer) and the
 * common snapshot-controller (controllers layer) first, then the backend's CSI driver(s) (their
 * Kustomizations `dependsOn` the controller), then, in the configs layer, the `default` StorageClass
 * (the only default of the cluster: a synth rule, {@link ErrorCode.DEFAULT_STORAGE_CLASS}), the
 * `gold` class, the backend's further classes and one VolumeSnapshotClass per CSI driver, labelled
 * for Velero's CSI snapshots. Create one per cluster, directly in the GitOpsCluster.
 */
export class ClusterStorage extends Construct {
  public readonly platform: StoragePlatform;
  public readonly backend: StorageBackend;
  public readonly snapshotCrds: ISnapshotCrds;
  public readonly snapshotController: SnapshotController;
  /** Every StorageClass by name. */
  public readonly storageClasses: Readonly<Record<string, ApiObject>>;
  /** Every VolumeSnapshotClass by CSI driver name. */
  public readonly snapshotClasses: Readonly<Record<string, ApiObject>>;
  /** The CSI driver names. */
  public readonly drivers: readonly string[];
  /** The storage UI's Service (Ceph dashboard, Longhorn UI); undefined for the cloud drivers. */
  public readonly ui?: ServiceReference;
  private readonly installed: InstalledBackend;

  public constructor(scope: GitOpsCluster, id: string, props: ClusterStorageProps) {
    super(scope, id);
    if (!(scope instanceof GitOpsCluster)) throw new InfraFluxError(ErrorCode.INVALID_PROP, this, 'ClusterStorage must be created directly in a GitOpsCluster (it spans the crds, controllers and configs layers)');
    this.platform = props.platform;
    this.backend = props.backend ?? props.platform.defaultBackend();
    const fits = this.backend.platforms.includes(this.platform.name);
    if (!fits) {
      const optedIn = this.backend.cloudOptIn && this.platform.isCloud && props.allowRookCephOnCloud === true;
      if (!optedIn) {
        const hint = this.backend.cloudOptIn && this.platform.isCloud
          ? 'set allowRookCephOnCloud: true to run it anyway (the cloud disks are replicated already: Ceph triples capacity and cross-zone traffic)'
          : `use it on ${this.backend.platforms.join(' or ')}, or pick the platform's default backend`;
        throw new InfraFluxError(ErrorCode.STORAGE_BACKEND_PLATFORM, this, `backend ${this.backend.name} does not fit platform ${this.platform.name}; ${hint}`);
      }
    }
    this.snapshotCrds = props.snapshotCrds ?? new SnapshotCrds(scope.crds, `${id}SnapshotCrds`);
    this.snapshotController = new SnapshotController(scope.controllers, `${id}SnapshotController`, { crds: this.snapshotCrds });
    this.installed = this.backend._install(this, { cluster: scope, id, snapshotController: this.snapshotController });
    this.drivers = this.installed.drivers.map((d) => d.name);
    this.ui = this.installed.ui;

    const classes: Record<string, ApiObject> = {};
    const addClass = (name: string, spec: ClassSpec, isDefault: boolean): void => {
      const cls = addStorageClass(scope.configs, `${id}Class-${name}`, { name, isDefault, ...spec });
      for (const d of this.installed.deployedBy) scope.addDependency(cls, d);
      classes[name] = cls;
    };
    addClass(DEFAULT_STORAGE_CLASS, this.installed.defaultClass, true);
    addClass(GOLD_STORAGE_CLASS, this.installed.goldClass, false);
    for (const [name, spec] of Object.entries(this.installed.extraClasses)) addClass(name, spec, false);
    this.storageClasses = classes;

    const snapshots: Record<string, ApiObject> = {};
    for (const driver of this.installed.drivers) {
      const vsc = addSnapshotClass(scope.configs, `${id}SnapshotClass-${driver.snapshotClassName}`, { name: driver.snapshotClassName, driver: driver.name, parameters: driver.snapshotParameters });
      scope.addDependency(vsc, this.snapshotCrds);
      for (const d of this.installed.deployedBy) scope.addDependency(vsc, d);
      snapshots[driver.name] = vsc;
    }
    this.snapshotClasses = snapshots;
    requireOneDefaultStorageClass(scope);
  }

  /** The constructs that install the CSI drivers (for apps whose volumes need them first). */
  public get deployedBy(): readonly Construct[] {
    return this.installed.deployedBy as Construct[];
  }
}
