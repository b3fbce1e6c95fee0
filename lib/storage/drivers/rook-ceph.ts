import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { CEPH_CSI_DRIVERS_CHART, ROOK_CEPH_CHART } from '../../../imports/helm/charts';
import { CephCsiDriversValues } from '../../../imports/helm/ceph-csi-drivers';
import { RookCephValues } from '../../../imports/helm/rook-ceph';
import { ErrorCode, InfraFluxError } from '../../core/errors';
import { ServiceReference } from '../../core/service-reference';
import { FluxApp } from '../../flux/flux-app';
import { GitOpsCluster } from '../../flux/gitops-cluster';
import { PodSecurityLevel } from '../../flux/pod-security';
import { ISnapshotController } from '../snapshot-controller';
import { ReclaimPolicy, VolumeBindingMode } from '../storage-class';
import { InstalledBackend } from './_strategy';
import { CEPH_DASHBOARD_SERVICE, ROOK_NAMESPACE } from '../../core/storage-names';

/** The namespace of the operator, the CephCluster and the CSI drivers (the driver names are derived from it). */
export { ROOK_NAMESPACE } from '../../core/storage-names';
/** Ceph RBD (block) CSI driver name: `<operator namespace>.rbd.csi.ceph.com` (Rook's recommended ceph-csi-drivers values). */
export const CEPH_RBD_CSI_DRIVER = `${ROOK_NAMESPACE}.rbd.csi.ceph.com`;
/** CephFS CSI driver name. */
export const CEPH_FS_CSI_DRIVER = `${ROOK_NAMESPACE}.cephfs.csi.ceph.com`;
/** The Ceph release Rook v1.20.6 defaults to (Tentacle). */
export const CEPH_IMAGE = 'quay.io/ceph/ceph:v20.2.4';
/** The CephFilesystem InfraFlux creates (ReadWriteMany volumes). */
export const CEPH_FILESYSTEM = 'ceph-filesystem';
/** The mgr dashboard Service the operator creates with `dashboard.enabled` (plain HTTP, port 7000); defined once, in lib/core/storage-names.ts. */
export { CEPH_DASHBOARD_SERVICE };

export interface RookCephProps {
  /**
   * Ceph monitors: odd (a quorum), 1-9; 3 survives the loss of one node.
   * @default 3
   * @see https://rook.io/docs/rook/v1.20/CRDs/Cluster/ceph-cluster-crd/#mon-settings
   */
  readonly mons?: number;
  /**
   * Regular expression of the raw disks OSDs take on every node (`storage.deviceFilter`). The
   * default takes the second and later SCSI/virtio disks and never the first, where Talos lives.
   * Disks must be raw, without partitions or a filesystem.
   * @default '^(sd[b-z]|vd[b-z])$'
   * @see https://rook.io/docs/rook/v1.20/CRDs/Cluster/ceph-cluster-crd/#storage-selection-settings
   */
  readonly osdDeviceFilter?: string;
  /**
   * Copies of each object in the block pools and the filesystem (1-7; at most the OSD hosts,
   * failure domain `host`). 1 loses data with any disk: development only.
   * @default 3
   */
  readonly replicas?: number;
  /**
   * Device class of the `gold` pool's OSDs (e.g. `ssd`, `nvme`).
   * @default - the same OSDs as the default pool
   */
  readonly goldDeviceClass?: string;
  /**
   * The mgr dashboard (plain HTTP inside the cluster; expose it only behind SSO).
   * @default true
   */
  readonly dashboard?: boolean;
  /**
   * Let several monitors share a node (single-node labs).
   * @default false
   */
  readonly allowMultipleMonsPerNode?: boolean;
  /** Needed: the CSI snapshotter sidecars watch VolumeSnapshots. */
  readonly snapshotController: ISnapshotController;
  /**
   * Extra values of the operator chart.
   * @default {}
   */
  readonly operatorValues?: RookCephValues;
}

/**
 * Rook-Ceph v1.20.6 on a cluster, the three steps Rook 1.20 requires (rook-ceph/NOTES.md): the
 * operator chart `rook-ceph` (CRDs, ceph-csi-operator) and then the `ceph-csi-drivers` chart with
 * Rook's recommended values, both in the controllers layer in a privileged `rook-ceph` namespace
 * (Talos enforces `baseline`; OSDs and CSI node plugins need host access); then, in the configs
 * layer, a `CephCluster` sized by the props, the RBD pools `replicapool` and `replicapool-gold`
 * and the CephFilesystem `ceph-filesystem`, as typed objects validated against the pinned CRDs
 * (the `rook-ceph-cluster` chart is not used: the objects are the API, and the schema checks them).
 * It spans two layers, so it owns the operator app and sets `node.defaultChild` to its HelmRelease.
 */
export class RookCeph extends Construct {
  /** The operator chart app (controllers layer). */
  public readonly app: FluxApp<RookCephValues>;
  /** The ceph-csi-drivers chart app (controllers layer, after the operator). */
  public readonly csiDrivers: FluxApp<CephCsiDriversValues>;
  public readonly cephCluster: ApiObject;
  public readonly blockPool: ApiObject;
  public readonly goldPool: ApiObject;
  public readonly filesystem: ApiObject;
  /** The dashboard Service, when on. */
  public readonly dashboard?: ServiceReference;
  public readonly replicas: number;

  public constructor(scope: GitOpsCluster, id: string, props: RookCephProps) {
    super(scope, id);
    const mons = props.mons ?? 3;
    const replicas = props.replicas ?? 3;
    const filter = props.osdDeviceFilter ?? '^(sd[b-z]|vd[b-z])$';
    const sizing = (message: string): never => {
      throw new InfraFluxError(ErrorCode.INVALID_STORAGE_SIZING, this, message);
    };
    if (!Number.isInteger(mons) || mons < 1 || mons > 9 || mons % 2 === 0) sizing(`mons ${mons} must be odd and in 1-9 (a quorum needs a majority; 3 survives one node)`);
    if (!Number.isInteger(replicas) || replicas < 1 || replicas > 7) sizing(`replicas ${replicas} must be a whole number in 1-7`);
    try {
      new RegExp(filter);
    } catch {
      sizing(`osdDeviceFilter "${filter}" is not a regular expression`);
    }
    if (filter.trim() === '' || filter === '.*' || filter === '.') sizing(`osdDeviceFilter "${filter}" would take every disk, the Talos system disk included; name the data disks, e.g. ^(sd[b-z]|vd[b-z])$`);
    if (props.goldDeviceClass !== undefined && !/^[a-z0-9][a-z0-9_-]*$/.test(props.goldDeviceClass)) sizing(`goldDeviceClass "${props.goldDeviceClass}" must be a Ceph device class such as ssd, hdd or nvme`);
    this.replicas = replicas;

    this.app = new FluxApp<RookCephValues>(scope.controllers, `${id}Operator`, {
      chart: ROOK_CEPH_CHART,
      name: 'rook-ceph',
      namespace: ROOK_NAMESPACE,
      podSecurity: PodSecurityLevel.PRIVILEGED,
      // CRDs with the chart from day one: switching it off later deletes every CephCluster (rook-ceph/NOTES.md).
      values: { crds: { enabled: true }, monitoring: { enabled: false }, csi: { installCsiOperator: true } },
    });
    if (props.operatorValues) this.app.addValues(props.operatorValues);
    this.node.defaultChild = this.app.helmRelease;
    this.csiDrivers = new FluxApp<CephCsiDriversValues>(scope.controllers, `${id}CsiDrivers`, {
      chart: CEPH_CSI_DRIVERS_CHART,
      name: 'ceph-csi-drivers',
      namespace: ROOK_NAMESPACE,
      createNamespace: false,
      // chart-ceph-csi-drivers/values.rook-recommended.yaml: the drivers fail with chart defaults.
      values: {
        operatorConfig: {
          namespace: ROOK_NAMESPACE,
          driverSpecDefaults: {
            imageSet: { name: 'rook-csi-operator-image-set-configmap' },
            nodePlugin: { priorityClassName: 'system-node-critical' },
            controllerPlugin: { priorityClassName: 'system-cluster-critical' },
          },
        },
        drivers: {
          rbd: { enabled: true, name: CEPH_RBD_CSI_DRIVER },
          cephfs: { enabled: true, name: CEPH_FS_CSI_DRIVER },
          nfs: { enabled: false, name: `${ROOK_NAMESPACE}.nfs.csi.ceph.com` },
          nvmeof: { enabled: false, name: `${ROOK_NAMESPACE}.nvmeof.csi.ceph.com` },
        },
      } as CephCsiDriversValues,
    });
    this.csiDrivers.addDependency(this.app);
    this.csiDrivers.addDependency(props.snapshotController);

    const dashboard = props.dashboard ?? true;
    this.cephCluster = new ApiObject(scope.configs, `${id}Cluster`, {
      apiVersion: 'ceph.rook.io/v1',
      kind: 'CephCluster',
      metadata: { name: ROOK_NAMESPACE, namespace: ROOK_NAMESPACE },
      spec: {
        cephVersion: { image: CEPH_IMAGE },
        // On Talos' writable /var partition; wipe it when a node is rebuilt.
        dataDirHostPath: '/var/lib/rook',
        mon: { count: mons, allowMultiplePerNode: props.allowMultipleMonsPerNode ?? false },
        mgr: { count: mons >= 3 ? 2 : 1, modules: [{ name: 'rook', enabled: true }] },
        dashboard: { enabled: dashboard, ssl: false },
        crashCollector: { disable: false },
        storage: { useAllNodes: true, useAllDevices: false, deviceFilter: filter },
        // PDBs so node drains (Talos upgrades) keep quorum and data available.
        disruptionManagement: { managePodBudgets: true },
      },
    });
    const pool = (pid: string, name: string, deviceClass?: string): ApiObject =>
      new ApiObject(scope.configs, `${id}${pid}`, {
        apiVersion: 'ceph.rook.io/v1',
        kind: 'CephBlockPool',
        metadata: { name, namespace: ROOK_NAMESPACE },
        spec: {
          failureDomain: 'host',
          replicated: { size: replicas, requireSafeReplicaSize: replicas > 1 },
          ...(deviceClass ? { deviceClass } : {}),
        },
      });
    this.blockPool = pool('BlockPool', 'replicapool');
    this.goldPool = pool('GoldPool', 'replicapool-gold', props.goldDeviceClass);
    this.filesystem = new ApiObject(scope.configs, `${id}Filesystem`, {
      apiVersion: 'ceph.rook.io/v1',
      kind: 'CephFilesystem',
      metadata: { name: CEPH_FILESYSTEM, namespace: ROOK_NAMESPACE },
      spec: {
        metadataPool: { replicated: { size: replicas, requireSafeReplicaSize: replicas > 1 } },
        dataPools: [{ name: 'data0', failureDomain: 'host', replicated: { size: replicas, requireSafeReplicaSize: replicas > 1 } }],
        preserveFilesystemOnDelete: true,
        metadataServer: { activeCount: 1, activeStandby: replicas > 1 },
      },
    });
    for (const o of [this.cephCluster, this.blockPool, this.goldPool, this.filesystem]) scope.addDependency(o, this.app);
    if (dashboard) this.dashboard = { ...CEPH_DASHBOARD_SERVICE, deployedBy: scope.configs };
  }

  /** @internal */
  public _installed(): InstalledBackend {
    const rbd = (pool: string): Record<string, string> => ({
      clusterID: ROOK_NAMESPACE,
      pool,
      imageFormat: '2',
      imageFeatures: 'layering',
      'csi.storage.k8s.io/provisioner-secret-name': 'rook-csi-rbd-provisioner',
      'csi.storage.k8s.io/provisioner-secret-namespace': ROOK_NAMESPACE,
      'csi.storage.k8s.io/controller-expand-secret-name': 'rook-csi-rbd-provisioner',
      'csi.storage.k8s.io/controller-expand-secret-namespace': ROOK_NAMESPACE,
      'csi.storage.k8s.io/node-stage-secret-name': 'rook-csi-rbd-node',
      'csi.storage.k8s.io/node-stage-secret-namespace': ROOK_NAMESPACE,
      'csi.storage.k8s.io/fstype': 'ext4',
    });
    return {
      name: 'rook-ceph',
      drivers: [
        {
          name: CEPH_RBD_CSI_DRIVER,
          snapshotClassName: 'ceph-block-snapshots',
          snapshotParameters: {
            clusterID: ROOK_NAMESPACE,
            'csi.storage.k8s.io/snapshotter-secret-name': 'rook-csi-rbd-provisioner',
            'csi.storage.k8s.io/snapshotter-secret-namespace': ROOK_NAMESPACE,
          },
        },
        {
          name: CEPH_FS_CSI_DRIVER,
          snapshotClassName: 'ceph-filesystem-snapshots',
          snapshotParameters: {
            clusterID: ROOK_NAMESPACE,
            'csi.storage.k8s.io/snapshotter-secret-name': 'rook-csi-cephfs-provisioner',
            'csi.storage.k8s.io/snapshotter-secret-namespace': ROOK_NAMESPACE,
          },
        },
      ],
      // Ceph volumes are reachable from every node: bind at claim time.
      defaultClass: { provisioner: CEPH_RBD_CSI_DRIVER, parameters: rbd('replicapool'), volumeBindingMode: VolumeBindingMode.IMMEDIATE },
      goldClass: { provisioner: CEPH_RBD_CSI_DRIVER, parameters: rbd('replicapool-gold'), volumeBindingMode: VolumeBindingMode.IMMEDIATE, reclaimPolicy: ReclaimPolicy.RETAIN },
      extraClasses: {
        [CEPH_FILESYSTEM]: {
          provisioner: CEPH_FS_CSI_DRIVER,
          volumeBindingMode: VolumeBindingMode.IMMEDIATE,
          parameters: {
            clusterID: ROOK_NAMESPACE,
            fsName: CEPH_FILESYSTEM,
            pool: `${CEPH_FILESYSTEM}-data0`,
            'csi.storage.k8s.io/provisioner-secret-name': 'rook-csi-cephfs-provisioner',
            'csi.storage.k8s.io/provisioner-secret-namespace': ROOK_NAMESPACE,
            'csi.storage.k8s.io/controller-expand-secret-name': 'rook-csi-cephfs-provisioner',
            'csi.storage.k8s.io/controller-expand-secret-namespace': ROOK_NAMESPACE,
            'csi.storage.k8s.io/node-stage-secret-name': 'rook-csi-cephfs-node',
            'csi.storage.k8s.io/node-stage-secret-namespace': ROOK_NAMESPACE,
          },
        },
      },
      ...(this.dashboard ? { ui: this.dashboard } : {}),
      deployedBy: [this.app, this.csiDrivers],
    };
  }
}
