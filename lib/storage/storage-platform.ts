import { SecretKeyReference } from '../secrets/secret-reference';
import { StorageBackend } from './storage-backend';

/**
 * Where a cluster runs, as far as its storage is concerned: decides the default
 * {@link StorageBackend} of {@link ClusterStorage} (the cloud's CSI driver on AWS, Azure and GCP;
 * Rook-Ceph on Proxmox and bare metal). The cloud platforms carry what their driver needs.
 */
export class StoragePlatform {
  /** AWS (CAPA + Talos): EBS through the AWS EBS CSI driver in `region`. */
  public static aws(region: string): StoragePlatform {
    return new StoragePlatform('aws', true, () => StorageBackend.awsEbs({ region }));
  }
  /** Azure (CAPZ + Talos): Azure Disk, the driver reading the cloud config Secret `kube-system/<name>` key `cloud-config`. */
  public static azure(cloudConfig: SecretKeyReference): StoragePlatform {
    return new StoragePlatform('azure', true, () => StorageBackend.azureDisk({ cloudConfig }));
  }
  /** GCP (CAPG + Talos): Persistent Disk, the driver reading `gce-pd-csi-driver/cloud-sa` key `cloud-sa.json`. */
  public static gcp(serviceAccountKey: SecretKeyReference): StoragePlatform {
    return new StoragePlatform('gcp', true, () => StorageBackend.gcpPd({ serviceAccountKey }));
  }
  /** Proxmox VE (CAPMOX + Talos): Rook-Ceph on the VMs' data disks. */
  public static readonly PROXMOX = new StoragePlatform('proxmox', false, () => StorageBackend.rookCeph());
  /** Bare metal (Metal3 + Talos): Rook-Ceph on the hosts' raw disks. */
  public static readonly METAL3 = new StoragePlatform('metal3', false, () => StorageBackend.rookCeph());

  private constructor(
    /** Short name, used in messages. */
    public readonly name: string,
    /** A public cloud with a block-storage service of its own. */
    public readonly isCloud: boolean,
    private readonly defaultBackendOf: () => StorageBackend,
  ) {}

  /** The backend {@link ClusterStorage} installs unless told otherwise. */
  public defaultBackend(): StorageBackend {
    return this.defaultBackendOf();
  }

  public toString(): string {
    return this.name;
  }
}
