import { Construct } from 'constructs';
import { AWS_EBS_CSI_DRIVER_CHART } from '../../../imports/helm/charts';
import { AwsEbsCsiDriverValues } from '../../../imports/helm/aws-ebs-csi-driver';
import { ErrorCode, InfraFluxError } from '../../core/errors';
import { ChartBackedConstruct } from '../../flux/flux-app';
import { LayerName } from '../../flux/gitops-cluster';
import { ReconcileTiming } from '../../flux/kustomization';
import { ISnapshotController } from '../snapshot-controller';
import { ReclaimPolicy } from '../storage-class';
import { InstalledBackend } from './_strategy';

/** The EBS CSI driver name. */
export const EBS_CSI_DRIVER = 'ebs.csi.aws.com';

export interface AwsEbsCsiDriverProps extends ReconcileTiming {
  /**
   * AWS region of the EC2 API (`controller.region`), e.g. `eu-central-1`. Needed when the
   * controller cannot read it from the instance metadata.
   * @see https://github.com/kubernetes-sigs/aws-ebs-csi-driver/blob/master/docs/options.md
   */
  readonly region: string;
  /**
   * Controller replicas.
   * @default 2
   */
  readonly replicas?: number;
  /** Needed: the snapshotter sidecar watches VolumeSnapshots; the common controller runs first. */
  readonly snapshotController: ISnapshotController;
  /**
   * Extra chart values, merged over InfraFlux's.
   * @default {}
   */
  readonly values?: AwsEbsCsiDriverValues;
}

/**
 * The AWS EBS CSI driver (pinned chart 2.64.0, driver v1.64.0) in `kube-system`. Credentials: the
 * nodes' IAM instance profile through IMDSv2 (the controller runs in the pod network, so the
 * instance metadata hop limit must be ≥ 2: csi-drivers/NOTES.md); no static key. The chart's own
 * StorageClasses and VolumeSnapshotClasses stay off ({@link ClusterStorage} emits the fleet's);
 * the snapshotter sidecar is forced on (`sidecars.snapshotter.forceEnable`) so the render does not
 * depend on Helm's API discovery, and the snapshot-controller is a dependency.
 */
export class AwsEbsCsiDriver extends ChartBackedConstruct<AwsEbsCsiDriverValues> {
  /**
   * The controller's and node's metrics and ServiceMonitors (`enableMetrics`; `serviceMonitor.forceEnable`
   * renders them without probing the API server) when the cluster has a monitoring stack.
   */
  protected monitoringValues(): AwsEbsCsiDriverValues {
    return { controller: { enableMetrics: true, serviceMonitor: { forceEnable: true } }, node: { enableMetrics: true, serviceMonitor: { forceEnable: true } } };
  }

  public constructor(scope: Construct, id: string, props: AwsEbsCsiDriverProps) {
    super(scope, id);
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(props.region)) {
      throw new InfraFluxError(ErrorCode.INVALID_CLOUD_IDENTIFIER, this, `region "${props.region}" is not an AWS region; use e.g. eu-central-1`);
    }
    const replicas = props.replicas ?? 2;
    if (!Number.isInteger(replicas) || replicas < 1) throw new InfraFluxError(ErrorCode.INVALID_NODE_COUNT, this, `replicas ${replicas} must be a whole number >= 1`);
    this.createApp({
      ...props,
      chart: AWS_EBS_CSI_DRIVER_CHART,
      name: 'aws-ebs-csi-driver',
      namespace: 'kube-system',
      // kube-system exists on every cluster (never pruned) and is exempt from Talos' Pod Security defaults.
      createNamespace: false,
      values: {
        controller: { region: props.region, replicaCount: replicas },
        sidecars: { snapshotter: { forceEnable: true } },
        storageClasses: [],
        volumeSnapshotClasses: [],
        defaultStorageClass: { enabled: false },
      },
    });
    if (props.values) this.app.addValues(props.values);
    if (this.app.layer.layerName !== LayerName.CONTROLLERS) {
      throw new InfraFluxError(ErrorCode.WRONG_LAYER, this, `AwsEbsCsiDriver must be created in the controllers layer, not "${this.app.layer.layerName}"`);
    }
    this.addDependency(props.snapshotController);
  }

  /** @internal */
  public _installed(): InstalledBackend {
    return {
      name: 'aws-ebs',
      drivers: [{ name: EBS_CSI_DRIVER, snapshotClassName: 'ebs-snapshots', snapshotParameters: {} }],
      // gp3: 3000 IOPS / 125 MiB/s baseline whatever the size; encrypted with the account's EBS key.
      defaultClass: { provisioner: EBS_CSI_DRIVER, parameters: { type: 'gp3', encrypted: 'true', 'csi.storage.k8s.io/fstype': 'ext4' } },
      // io2: provisioned IOPS (50 per GiB, raised for small volumes), kept when the claim goes.
      goldClass: {
        provisioner: EBS_CSI_DRIVER,
        parameters: { type: 'io2', iopsPerGB: '50', allowAutoIOPSPerGBIncrease: 'true', encrypted: 'true', 'csi.storage.k8s.io/fstype': 'ext4' },
        reclaimPolicy: ReclaimPolicy.RETAIN,
      },
      extraClasses: {},
      deployedBy: [this],
    };
  }
}
