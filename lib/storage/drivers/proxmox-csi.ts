import { Construct } from 'constructs';
import { ErrorCode, InfraFluxError } from '../../core/errors';
import { PROXMOX_CSI_PLUGIN_CHART } from '../../../imports/helm/charts';
import { ProxmoxCsiPluginValues } from '../../../imports/helm/proxmox-csi-plugin';
import { ChartBackedConstruct, PinnedChart } from '../../flux/flux-app';
import { LayerName } from '../../flux/gitops-cluster';
import { ReconcileTiming } from '../../flux/kustomization';
import { PodSecurityLevel } from '../../flux/pod-security';
import { SecretKeyReference } from '../../secrets/secret-reference';
import { ISnapshotController } from '../snapshot-controller';
import { ReclaimPolicy } from '../storage-class';
import { InstalledBackend } from './_strategy';

/** The Proxmox CSI driver name (fixed upstream). */
export const PROXMOX_CSI_DRIVER = 'csi.proxmox.sinextra.dev';
export const PROXMOX_CSI_NAMESPACE = 'csi-proxmox';

/** The pinned chart (proxmox-csi/NOTES.md: `proxmox-csi-plugin` 0.5.9, app v0.19.1, OCI). */
export const PROXMOX_CSI_CHART: PinnedChart = PROXMOX_CSI_PLUGIN_CHART;

export interface ProxmoxCsiProps extends ReconcileTiming {
  /**
   * The plugin's config (proxmox-csi config.yaml: `clusters[]` with url, region and an API token of a
   * role with VM.Audit VM.Config.Disk Datastore.Allocate Datastore.AllocateSpace Datastore.Audit; a
   * token of its own, not the CCM's), in `csi-proxmox`.
   * @see https://github.com/sergelogvinov/proxmox-csi-plugin/blob/v0.19.1/docs/install.md
   */
  readonly config: SecretKeyReference;
  /** Proxmox storage id the `default` class creates disks on (e.g. `local-lvm`, a Ceph or ZFS pool). */
  readonly storage: string;
  /**
   * Proxmox storage id of the `gold` class (SSD-backed).
   * @default - the same as `storage`, with the disks flagged `ssd`
   */
  readonly goldStorage?: string;
  /** Needed: the snapshotter sidecar is switched on. */
  readonly snapshotController: ISnapshotController;
  /**
   * Extra chart values, merged over InfraFlux's.
   * @default {}
   */
  readonly values?: ProxmoxCsiPluginValues;
}

/**
 * The Proxmox CSI plugin (pinned chart 0.5.9, v0.19.1): hot-plugs Proxmox disks into the node VMs, the
 * alternative to Rook-Ceph on Proxmox. A privileged `csi-proxmox` namespace (the node plugin needs
 * host mounts), the config from a Secret by reference (`existingConfigSecret`), the snapshotter
 * sidecar on, the chart's classes off, and no `nodeSelector` of the Talos CCM
 * (`values.talos.yaml` selects `node.cloudprovider.kubernetes.io/platform: nocloud`, which only the
 * Talos CCM writes). Nodes need the `topology.kubernetes.io/region`/`zone` labels (Proxmox or Talos
 * CCM). Volumes are ReadWriteOnce and stay in their Proxmox node unless the storage is shared.
 */
export class ProxmoxCsi extends ChartBackedConstruct<ProxmoxCsiPluginValues> {
  private readonly storage: string;
  private readonly goldStorage: string;

  public constructor(scope: Construct, id: string, props: ProxmoxCsiProps) {
    super(scope, id);
    const storageId = /^[a-zA-Z][a-zA-Z0-9_.-]*$/;
    for (const [what, value] of [['storage', props.storage], ['goldStorage', props.goldStorage ?? props.storage]] as const) {
      if (!storageId.test(value)) throw new InfraFluxError(ErrorCode.INVALID_PROP, this, `${what} "${value}" is not a Proxmox storage id (letters, digits, '-', '_', '.'; starting with a letter)`);
    }
    this.storage = props.storage;
    this.goldStorage = props.goldStorage ?? props.storage;
    this.createApp({
      ...props,
      chart: PROXMOX_CSI_CHART,
      name: 'proxmox-csi-plugin',
      namespace: PROXMOX_CSI_NAMESPACE,
      podSecurity: PodSecurityLevel.PRIVILEGED,
      values: {},
    });
    if (this.app.layer.layerName !== LayerName.CONTROLLERS) {
      throw new InfraFluxError(ErrorCode.WRONG_LAYER, this, `ProxmoxCsi must be created in the controllers layer, not "${this.app.layer.layerName}"`);
    }
    props.config.use(this, 'Proxmox CSI config', PROXMOX_CSI_NAMESPACE);
    this.app.addValues({
      existingConfigSecret: props.config.secretName,
      existingConfigSecretKey: props.config.key,
      storageClass: [],
      controller: { snapshotter: { enabled: true } },
    });
    if (props.values) this.app.addValues(props.values);
    if (props.config.secret.producer) this.addDependency(props.config.secret.producer);
    this.addDependency(props.snapshotController);
  }

  /** @internal */
  public _installed(): InstalledBackend {
    return {
      name: 'proxmox-csi',
      drivers: [{ name: PROXMOX_CSI_DRIVER, snapshotClassName: 'proxmox-snapshots', snapshotParameters: {} }],
      defaultClass: { provisioner: PROXMOX_CSI_DRIVER, parameters: { storage: this.storage, 'csi.storage.k8s.io/fstype': 'ext4' } },
      goldClass: { provisioner: PROXMOX_CSI_DRIVER, parameters: { storage: this.goldStorage, ssd: 'true', cache: 'none', 'csi.storage.k8s.io/fstype': 'ext4' }, reclaimPolicy: ReclaimPolicy.RETAIN },
      extraClasses: {},
      deployedBy: [this],
    };
  }
}
