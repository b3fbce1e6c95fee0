import { Construct } from 'constructs';
import { AZUREDISK_CSI_DRIVER_CHART } from '../../../imports/helm/charts';
import { AzurediskCsiDriverValues } from '../../../imports/helm/azuredisk-csi-driver';
import { ErrorCode, InfraFluxError } from '../../core/errors';
import { ChartBackedConstruct } from '../../flux/flux-app';
import { LayerName } from '../../flux/gitops-cluster';
import { ReconcileTiming } from '../../flux/kustomization';
import { SecretKeyReference } from '../../secrets/secret-reference';
import { ISnapshotController } from '../snapshot-controller';
import { ReclaimPolicy } from '../storage-class';
import { InstalledBackend } from './_strategy';

/** The Azure Disk CSI driver name. */
export const AZURE_DISK_CSI_DRIVER = 'disk.csi.azure.com';

export interface AzureDiskCsiDriverProps extends ReconcileTiming {
  /**
   * The cloud config (cloud-provider-azure `azure.json` format) in `kube-system`, key
   * `cloud-config`: Talos nodes have no `/etc/kubernetes/azure.json` to fall back to.
   * @see https://github.com/kubernetes-sigs/azuredisk-csi-driver/blob/master/docs/read-from-secret.md
   */
  readonly cloudConfig: SecretKeyReference;
  /** Needed: the snapshotter sidecar watches VolumeSnapshots; the common controller runs first. */
  readonly snapshotController: ISnapshotController;
  /**
   * Extra chart values, merged over InfraFlux's.
   * @default {}
   */
  readonly values?: AzurediskCsiDriverValues;
}

/**
 * The Azure Disk CSI driver (pinned chart 1.34.5) in `kube-system`, reading its cloud config from
 * a Secret by reference. `snapshot.enabled` stays false: with it the chart installs its own copy of
 * the snapshot CRDs and a second snapshot-controller, which clash with {@link SnapshotCrds}
 * (csi-drivers/NOTES.md).
 */
export class AzureDiskCsiDriver extends ChartBackedConstruct<AzurediskCsiDriverValues> {
  public constructor(scope: Construct, id: string, props: AzureDiskCsiDriverProps) {
    super(scope, id);
    this.createApp({
      ...props,
      chart: AZUREDISK_CSI_DRIVER_CHART,
      name: 'azuredisk-csi-driver',
      namespace: 'kube-system',
      createNamespace: false,
      values: {},
    });
    if (this.app.layer.layerName !== LayerName.CONTROLLERS) {
      throw new InfraFluxError(ErrorCode.WRONG_LAYER, this, `AzureDiskCsiDriver must be created in the controllers layer, not "${this.app.layer.layerName}"`);
    }
    props.cloudConfig.use(this, 'Azure cloud config', 'kube-system');
    if (props.cloudConfig.key !== 'cloud-config') {
      throw new InfraFluxError(ErrorCode.INVALID_PROP, this, `cloudConfig key "${props.cloudConfig.key}" must be "cloud-config" (the key the driver reads)`);
    }
    const secret = { cloudConfigSecretName: props.cloudConfig.secretName, cloudConfigSecretNamespace: 'kube-system' };
    this.app.addValues({ snapshot: { enabled: false }, controller: { ...secret }, node: { ...secret } });
    if (props.values) this.app.addValues(props.values);
    if (props.cloudConfig.secret.producer) this.addDependency(props.cloudConfig.secret.producer);
    this.addDependency(props.snapshotController);
  }

  /** @internal */
  public _installed(): InstalledBackend {
    return {
      name: 'azure-disk',
      drivers: [{ name: AZURE_DISK_CSI_DRIVER, snapshotClassName: 'azure-disk-snapshots', snapshotParameters: { incremental: 'true' } }],
      defaultClass: { provisioner: AZURE_DISK_CSI_DRIVER, parameters: { skuName: 'StandardSSD_LRS', cachingMode: 'ReadOnly' } },
      goldClass: { provisioner: AZURE_DISK_CSI_DRIVER, parameters: { skuName: 'Premium_LRS', cachingMode: 'ReadOnly' }, reclaimPolicy: ReclaimPolicy.RETAIN },
      extraClasses: {},
      deployedBy: [this],
    };
  }
}
