import { Construct } from 'constructs';
import { LONGHORN_CHART } from '../../../imports/helm/charts';
import { LonghornValues } from '../../../imports/helm/longhorn';
import { ErrorCode, InfraFluxError } from '../../core/errors';
import { ServiceReference } from '../../core/service-reference';
import { ChartBackedConstruct } from '../../flux/flux-app';
import { LayerName } from '../../flux/gitops-cluster';
import { ReconcileTiming } from '../../flux/kustomization';
import { PodSecurityLevel } from '../../flux/pod-security';
import { ISnapshotController } from '../snapshot-controller';
import { ReclaimPolicy } from '../storage-class';
import { InstalledBackend } from './_strategy';

/** The Longhorn CSI driver name. */
export const LONGHORN_CSI_DRIVER = 'driver.longhorn.io';
export const LONGHORN_NAMESPACE = 'longhorn-system';

export interface LonghornProps extends ReconcileTiming {
  /**
   * Replicas of each volume (`numberOfReplicas` of the default class), 1-5, on different nodes.
   * @default 3
   */
  readonly replicas?: number;
  /**
   * Data path on every node; on Talos it must lie under /var (the root filesystem is read-only) and
   * be bind-mounted into the kubelet (`rshared`) by the machine config.
   * @default '/var/lib/longhorn/'
   * @see https://longhorn.io/docs/1.12.1/advanced-resources/os-distro-specific/talos-linux-support/
   */
  readonly dataPath?: string;
  /** Needed: Longhorn's CSI snapshots use the VolumeSnapshot API. */
  readonly snapshotController: ISnapshotController;
  /**
   * Extra chart values, merged over InfraFlux's.
   * @default {}
   */
  readonly values?: LonghornValues;
}

/**
 * Longhorn v1.12.1 (pinned chart; CRDs from the chart's templates) in a privileged
 * `longhorn-system` namespace, the alternative to Rook-Ceph (never on the same disks). The chart's
 * own StorageClass stays off ({@link ClusterStorage} emits the fleet's `default`/`gold`), and the
 * pre-upgrade hook Job is off as the chart asks under GitOps. Talos nodes need the
 * `siderolabs/iscsi-tools` and `siderolabs/util-linux-tools` extensions (longhorn/NOTES.md).
 */
export class Longhorn extends ChartBackedConstruct<LonghornValues> {
  /** The UI (no authentication of its own: expose it behind SSO only). */
  public readonly ui: ServiceReference;
  public readonly replicas: number;

  /** The Longhorn manager's ServiceMonitor (`metrics.serviceMonitor.enabled`) when the cluster has a monitoring stack. */
  protected monitoringValues(): LonghornValues {
    return { metrics: { serviceMonitor: { enabled: true } } };
  }

  public constructor(scope: Construct, id: string, props: LonghornProps) {
    super(scope, id);
    const replicas = props.replicas ?? 3;
    if (!Number.isInteger(replicas) || replicas < 1 || replicas > 5) throw new InfraFluxError(ErrorCode.INVALID_STORAGE_SIZING, this, `replicas ${replicas} must be a whole number in 1-5`);
    const dataPath = props.dataPath ?? '/var/lib/longhorn/';
    if (!dataPath.startsWith('/var/')) throw new InfraFluxError(ErrorCode.INVALID_PROP, this, `dataPath "${dataPath}" must lie under /var/: the Talos root filesystem is read-only`);
    this.replicas = replicas;
    this.createApp({
      ...props,
      chart: LONGHORN_CHART,
      name: 'longhorn',
      namespace: LONGHORN_NAMESPACE,
      // Instance managers and the CSI node plugin need host namespaces, mounts and privileged containers.
      podSecurity: PodSecurityLevel.PRIVILEGED,
      values: {
        preUpgradeChecker: { jobEnabled: false },
        persistence: { createStorageClass: false, defaultClass: false },
        defaultSettings: { defaultDataPath: dataPath, defaultReplicaCount: replicas } as LonghornValues['defaultSettings'],
      },
    });
    if (props.values) this.app.addValues(props.values);
    if (this.app.layer.layerName !== LayerName.CONTROLLERS) {
      throw new InfraFluxError(ErrorCode.WRONG_LAYER, this, `Longhorn must be created in the controllers layer, not "${this.app.layer.layerName}"`);
    }
    this.addDependency(props.snapshotController);
    this.ui = { namespace: LONGHORN_NAMESPACE, name: 'longhorn-frontend', port: 80, deployedBy: this };
  }

  /** @internal */
  public _installed(): InstalledBackend {
    const params = (n: number): Record<string, string> => ({ numberOfReplicas: String(n), staleReplicaTimeout: '30', dataLocality: 'best-effort', fsType: 'ext4' });
    return {
      name: 'longhorn',
      drivers: [{ name: LONGHORN_CSI_DRIVER, snapshotClassName: 'longhorn-snapshots', snapshotParameters: { type: 'snap' } }],
      defaultClass: { provisioner: LONGHORN_CSI_DRIVER, parameters: params(this.replicas) },
      goldClass: { provisioner: LONGHORN_CSI_DRIVER, parameters: params(Math.max(this.replicas, 3)), reclaimPolicy: ReclaimPolicy.RETAIN },
      extraClasses: {},
      ui: this.ui,
      deployedBy: [this],
    };
  }
}
