import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ErrorCode, InfraFluxError } from '../core/errors';
import { FluxLayer, GitOpsCluster, IFluxUnit, LayerName } from '../flux/gitops-cluster';
import { FluxKustomization, ReconcileTiming } from '../flux/kustomization';
import { UpstreamGitRelease } from '../flux/upstream-release';
import { STORAGE_VERSIONS } from './versions';

const EXTERNAL_SNAPSHOTTER_REPO = 'https://github.com/kubernetes-csi/external-snapshotter';

/** `metadata.name` of the CRDs of external-snapshotter's `client/config/crd` (external-snapshotter/crd-index.json). */
export const SNAPSHOT_CRD_NAMES: readonly string[] = [
  'volumegroupsnapshotclasses.groupsnapshot.storage.k8s.io',
  'volumegroupsnapshotcontents.groupsnapshot.storage.k8s.io',
  'volumegroupsnapshots.groupsnapshot.storage.k8s.io',
  'volumesnapshotclasses.snapshot.storage.k8s.io',
  'volumesnapshotcontents.snapshot.storage.k8s.io',
  'volumesnapshots.snapshot.storage.k8s.io',
];

/** The VolumeSnapshot CRDs of a cluster: installed by this tree ({@link SnapshotCrds}) or imported. */
export interface ISnapshotCrds extends IConstruct {
  /** The external-snapshotter release whose API is served. */
  readonly version: string;
}

function requireLayer(scope: Construct, self: Construct, layer: LayerName, what: string): FluxLayer {
  if (!FluxLayer.isFluxLayer(scope) || scope.layerName !== layer) {
    throw new InfraFluxError(ErrorCode.WRONG_LAYER, self, `${what} must be created in a cluster's ${layer} layer (cluster.${layer}), not in ${scope.node.path}`);
  }
  return scope as FluxLayer;
}

/**
 * The VolumeSnapshot and VolumeGroupSnapshot CRDs of kubernetes-csi/external-snapshotter (pinned
 * v8.6.0), installed straight from the release tag (`client/config/crd`) with a health check on
 * every CRD and never pruned. Create it once per cluster in the `crds` layer: every CSI driver that
 * ships a snapshotter sidecar, every VolumeSnapshotClass and Velero's CSI support need it first.
 * @see https://github.com/kubernetes-csi/external-snapshotter/tree/v8.6.0#usage
 */
export class SnapshotCrds extends Construct implements IFluxUnit, ISnapshotCrds {
  /** Snapshot CRDs this tree does not install (a distribution ships them): nothing waits for them. */
  public static fromVersion(scope: Construct, id: string, version: string): ISnapshotCrds {
    return new ImportedSnapshotCrds(scope, id, version);
  }

  public readonly layer: FluxLayer;
  public readonly kustomization: FluxKustomization;
  public readonly version: string = STORAGE_VERSIONS.externalSnapshotter;
  /** The GitRepository (escape hatch). */
  public readonly source: ApiObject;

  public constructor(scope: FluxLayer, id: string, props: ReconcileTiming = {}) {
    super(scope, id);
    this.layer = requireLayer(scope, this, LayerName.CRDS, 'SnapshotCrds');
    const release = new UpstreamGitRelease(this, 'Release', {
      ...props,
      sourceName: 'external-snapshotter',
      url: EXTERNAL_SNAPSHOTTER_REPO,
      tag: this.version,
      path: './client/config/crd',
      kustomizationName: 'snapshot-crds',
      crdNames: SNAPSHOT_CRD_NAMES,
    });
    this.source = release.source;
    this.kustomization = release.kustomization;
  }
}

class ImportedSnapshotCrds extends Construct implements ISnapshotCrds {
  /** Read by the dependency resolution: nothing in this tree deploys them. */
  public readonly installedElsewhere = true;
  public constructor(scope: Construct, id: string, public readonly version: string) {
    super(scope, id);
  }
}

export interface SnapshotControllerProps extends ReconcileTiming {
  /** Needed: the controller watches the VolumeSnapshot kinds, which must be served first. */
  readonly crds: ISnapshotCrds;
}

/** The snapshot-controller of a cluster (the one Deployment all CSI drivers share). */
export interface ISnapshotController extends IConstruct {
  readonly namespace: string;
}

/**
 * The common snapshot-controller (pinned v8.6.0), from the release tag's
 * `deploy/kubernetes/snapshot-controller` (RBAC + a 2-replica Deployment with leader election),
 * moved from upstream's `default` namespace to `kube-system` (`targetNamespace`) and its image tag
 * set to the release (the tag's manifest still names v8.5.0: external-snapshotter/NOTES.md).
 * One per cluster, in the `controllers` layer, before every CSI driver: each driver brings only its
 * `csi-snapshotter` sidecar.
 */
export class SnapshotController extends Construct implements IFluxUnit, ISnapshotController {
  public static readonly NAMESPACE = 'kube-system';
  public readonly layer: FluxLayer;
  public readonly kustomization: FluxKustomization;
  public readonly namespace = SnapshotController.NAMESPACE;
  /** The GitRepository (escape hatch). */
  public readonly source: ApiObject;

  public constructor(scope: FluxLayer, id: string, props: SnapshotControllerProps) {
    super(scope, id);
    this.layer = requireLayer(scope, this, LayerName.CONTROLLERS, 'SnapshotController');
    const release = new UpstreamGitRelease(this, 'Release', {
      ...props,
      sourceName: 'external-snapshotter-controller',
      url: EXTERNAL_SNAPSHOTTER_REPO,
      tag: STORAGE_VERSIONS.externalSnapshotter,
      path: './deploy/kubernetes/snapshot-controller',
      kustomizationName: 'snapshot-controller',
      crdNames: [],
      targetNamespace: this.namespace,
      images: [{ name: 'registry.k8s.io/sig-storage/snapshot-controller', newTag: STORAGE_VERSIONS.externalSnapshotter }],
      healthChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'snapshot-controller', namespace: this.namespace }],
    });
    this.source = release.source;
    this.kustomization = release.kustomization;
    GitOpsCluster.of(this).addDependency(this, props.crds);
  }
}
