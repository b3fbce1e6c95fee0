import { Construct } from 'constructs';
import { GitOpsCluster } from '../flux/gitops-cluster';
import { InstalledBackend } from './drivers/_strategy';
import { AwsEbsCsiDriver, AwsEbsCsiDriverProps } from './drivers/aws-ebs';
import { AzureDiskCsiDriver, AzureDiskCsiDriverProps } from './drivers/azure-disk';
import { GcpPdCsiDriver, GcpPdCsiDriverProps } from './drivers/gcp-pd';
import { LocalPathProvisioner, LocalPathProvisionerProps } from './drivers/local-path';
import { Longhorn, LonghornProps } from './drivers/longhorn';
import { ProxmoxCsi, ProxmoxCsiProps } from './drivers/proxmox-csi';
import { RookCeph, RookCephProps } from './drivers/rook-ceph';
import { ISnapshotController } from './snapshot-controller';

/** Options of {@link StorageBackend.awsEbs}. */
export type AwsEbsOptions = Omit<AwsEbsCsiDriverProps, 'snapshotController'>;
/** Options of {@link StorageBackend.azureDisk}. */
export type AzureDiskOptions = Omit<AzureDiskCsiDriverProps, 'snapshotController'>;
/** Options of {@link StorageBackend.gcpPd}. */
export interface GcpPdOptions extends Omit<GcpPdCsiDriverProps, 'snapshotController'> {}
/** Options of {@link StorageBackend.rookCeph}. */
export type RookCephOptions = Omit<RookCephProps, 'snapshotController'>;
/** Options of {@link StorageBackend.proxmoxCsi}. */
export type ProxmoxCsiOptions = Omit<ProxmoxCsiProps, 'snapshotController'>;
/** Options of {@link StorageBackend.localPath}. */
export type LocalPathOptions = LocalPathProvisionerProps;
/** Options of {@link StorageBackend.longhorn}. */
export type LonghornOptions = Omit<LonghornProps, 'snapshotController'>;

/** @internal What a backend's installer gets. */
export interface BackendContext {
  readonly cluster: GitOpsCluster;
  /** Construct id prefix for the backend's constructs. */
  readonly id: string;
  readonly snapshotController: ISnapshotController;
}

/**
 * The storage a cluster runs: one CSI driver family with its classes. {@link ClusterStorage}
 * picks the platform's default ({@link StoragePlatform}); pass one of these to override it.
 */
export class StorageBackend {
  /** The AWS EBS CSI driver (default on AWS). */
  public static awsEbs(options: AwsEbsOptions): StorageBackend {
    return new StorageBackend('aws-ebs', ['aws'], false, (c) => new AwsEbsCsiDriver(c.cluster.controllers, `${c.id}AwsEbs`, { ...options, snapshotController: c.snapshotController })._installed());
  }
  /** The Azure Disk CSI driver (default on Azure). */
  public static azureDisk(options: AzureDiskOptions): StorageBackend {
    return new StorageBackend('azure-disk', ['azure'], false, (c) => new AzureDiskCsiDriver(c.cluster.controllers, `${c.id}AzureDisk`, { ...options, snapshotController: c.snapshotController })._installed());
  }
  /** The GCP Persistent Disk CSI driver (default on GCP). */
  public static gcpPd(options: GcpPdOptions): StorageBackend {
    return new StorageBackend('gcp-pd', ['gcp'], false, (c) => new GcpPdCsiDriver(c.cluster.controllers, `${c.id}GcpPd`, { ...options, snapshotController: c.snapshotController })._installed());
  }
  /**
   * Rook-Ceph (default on Proxmox and Metal3). On a cloud only with
   * `ClusterStorageProps.allowRookCephOnCloud`: the cloud's disks are already replicated, so Ceph
   * triples the bill and the cross-zone traffic.
   */
  public static rookCeph(options: RookCephOptions = {}): StorageBackend {
    return new StorageBackend('rook-ceph', ['proxmox', 'metal3'], true, (c) => new RookCeph(c.cluster, `${c.id}RookCeph`, { ...options, snapshotController: c.snapshotController })._installed());
  }
  /** The Proxmox CSI plugin (the alternative to Rook-Ceph on Proxmox). */
  public static proxmoxCsi(options: ProxmoxCsiOptions): StorageBackend {
    return new StorageBackend('proxmox-csi', ['proxmox'], false, (c) => new ProxmoxCsi(c.cluster.controllers, `${c.id}ProxmoxCsi`, { ...options, snapshotController: c.snapshotController })._installed());
  }
  /** Longhorn (an alternative, off by default; never on the disks Rook-Ceph uses). */
  public static longhorn(options: LonghornOptions = {}): StorageBackend {
    return new StorageBackend('longhorn', ['proxmox', 'metal3'], false, (c) => new Longhorn(c.cluster.controllers, `${c.id}Longhorn`, { ...options, snapshotController: c.snapshotController })._installed());
  }

  /**
   * local-path-provisioner (development only, off by default): node-local hostPath volumes, no
   * replication and no snapshots.
   */
  public static localPath(options: LocalPathOptions = {}): StorageBackend {
    return new StorageBackend('local-path', ['proxmox', 'metal3'], false, (c) => new LocalPathProvisioner(c.cluster.controllers, `${c.id}LocalPath`, options)._installed());
  }

  private constructor(
    /** Short name, for messages. */
    public readonly name: string,
    /** Names of the platforms it fits. */
    public readonly platforms: readonly string[],
    /** Allowed on a cloud platform with the explicit opt-in. */
    public readonly cloudOptIn: boolean,
    private readonly installer: (context: BackendContext) => InstalledBackend,
  ) {}

  /** @internal */
  public _install(_scope: Construct, context: BackendContext): InstalledBackend {
    return this.installer(context);
  }
}

