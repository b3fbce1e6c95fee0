import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ErrorCode, InfraFluxError } from '../../core/errors';
import { FluxLayer, GitOpsCluster, IFluxUnit, LayerName } from '../../flux/gitops-cluster';
import { FluxKustomization, ReconcileTiming } from '../../flux/kustomization';
import { UpstreamGitRelease } from '../../flux/upstream-release';
import { SecretKeyReference } from '../../secrets/secret-reference';
import { ISnapshotController } from '../snapshot-controller';
import { ReclaimPolicy } from '../storage-class';
import { STORAGE_VERSIONS } from '../versions';
import { InstalledBackend } from './_strategy';

/** The GCP Persistent Disk CSI driver name. */
export const GCE_PD_CSI_DRIVER = 'pd.csi.storage.gke.io';
/** The namespace the upstream overlay deploys to. */
export const GCE_PD_NAMESPACE = 'gce-pd-csi-driver';

export interface GcpPdCsiDriverProps extends ReconcileTiming {
  /**
   * The GCP service-account key the controller reads (`gce-pd-csi-driver/cloud-sa`, key
   * `cloud-sa.json`); the account needs roles/compute.storageAdmin and roles/iam.serviceAccountUser.
   */
  readonly serviceAccountKey: SecretKeyReference;
  /** Needed: the overlay includes the snapshotter sidecar. */
  readonly snapshotController: ISnapshotController;
}

/**
 * The GCP PD CSI driver (pinned v1.26.4). Upstream publishes no Helm chart, so Flux applies the
 * release tag's `deploy/kubernetes/overlays/stable-master` kustomize overlay (namespace
 * `gce-pd-csi-driver`) from a GitRepository, with the driver image set to the release: the tag's
 * overlay still pins v1.17.4 (csi-drivers/gcp-compute-persistent-disk-csi-driver/install-summary.json).
 * Never on GKE, where the driver is a managed add-on.
 */
export class GcpPdCsiDriver extends Construct implements IFluxUnit {
  public readonly layer: FluxLayer;
  public readonly kustomization: FluxKustomization;
  public readonly namespace = GCE_PD_NAMESPACE;
  /** The GitRepository (escape hatch). */
  public readonly source: ApiObject;

  public constructor(scope: FluxLayer, id: string, props: GcpPdCsiDriverProps) {
    super(scope, id);
    if (!(scope instanceof FluxLayer) || scope.layerName !== LayerName.CONTROLLERS) {
      throw new InfraFluxError(ErrorCode.WRONG_LAYER, this, 'GcpPdCsiDriver must be created in a cluster\'s controllers layer (cluster.controllers)');
    }
    this.layer = scope;
    if (props.serviceAccountKey.secretName !== 'cloud-sa' || props.serviceAccountKey.key !== 'cloud-sa.json') {
      throw new InfraFluxError(
        ErrorCode.INVALID_PROP,
        this,
        `serviceAccountKey ${props.serviceAccountKey.secretName}/${props.serviceAccountKey.key} must be Secret cloud-sa, key cloud-sa.json: the upstream overlay mounts that name`,
      );
    }
    props.serviceAccountKey.use(this, 'GCP service-account key', GCE_PD_NAMESPACE);
    const release = new UpstreamGitRelease(this, 'Release', {
      ...props,
      sourceName: 'gcp-compute-persistent-disk-csi-driver',
      url: 'https://github.com/kubernetes-sigs/gcp-compute-persistent-disk-csi-driver',
      tag: STORAGE_VERSIONS.gcpPdCsiDriver,
      path: './deploy/kubernetes/overlays/stable-master',
      kustomizationName: 'gcp-pd-csi-driver',
      crdNames: [],
      images: [{ name: 'registry.k8s.io/cloud-provider-gcp/gcp-compute-persistent-disk-csi-driver', newTag: STORAGE_VERSIONS.gcpPdCsiDriver }],
      // Talos enforces baseline; the node plugin is privileged (host mounts, /dev): label the
      // overlay's own Namespace in the same apply instead of owning a second copy of it.
      patches: [
        {
          patch: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${GCE_PD_NAMESPACE}\n  labels:\n    pod-security.kubernetes.io/enforce: privileged\n    pod-security.kubernetes.io/audit: privileged\n    pod-security.kubernetes.io/warn: privileged\n`,
          target: { kind: 'Namespace', name: GCE_PD_NAMESPACE },
        },
      ],
      healthChecks: [
        { apiVersion: 'apps/v1', kind: 'Deployment', name: 'csi-gce-pd-controller', namespace: GCE_PD_NAMESPACE },
        { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'csi-gce-pd-node', namespace: GCE_PD_NAMESPACE },
      ],
    });
    this.source = release.source;
    this.kustomization = release.kustomization;
    const cluster = GitOpsCluster.of(this);
    cluster.addDependency(this, props.snapshotController);
    if (props.serviceAccountKey.secret.producer) cluster.addDependency(this, props.serviceAccountKey.secret.producer);
  }

  /** @internal */
  public _installed(): InstalledBackend {
    return {
      name: 'gcp-pd',
      drivers: [{ name: GCE_PD_CSI_DRIVER, snapshotClassName: 'gce-pd-snapshots', snapshotParameters: {} }],
      defaultClass: { provisioner: GCE_PD_CSI_DRIVER, parameters: { type: 'pd-balanced', 'csi.storage.k8s.io/fstype': 'ext4' } },
      goldClass: { provisioner: GCE_PD_CSI_DRIVER, parameters: { type: 'pd-ssd', 'csi.storage.k8s.io/fstype': 'ext4' }, reclaimPolicy: ReclaimPolicy.RETAIN },
      extraClasses: {},
      deployedBy: [this],
    };
  }
}
