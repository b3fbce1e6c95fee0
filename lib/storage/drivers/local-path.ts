import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ErrorCode, InfraFluxError } from '../../core/errors';
import { FluxLayer, IFluxUnit, LayerName } from '../../flux/gitops-cluster';
import { FluxKustomization, ReconcileTiming } from '../../flux/kustomization';
import { UpstreamGitRelease } from '../../flux/upstream-release';
import { ReclaimPolicy } from '../storage-class';
import { STORAGE_VERSIONS } from '../versions';
import { InstalledBackend } from './_strategy';

/** The local-path provisioner name. */
export const LOCAL_PATH_PROVISIONER = 'rancher.io/local-path';
export const LOCAL_PATH_NAMESPACE = 'local-path-storage';

export interface LocalPathProvisionerProps extends ReconcileTiming {
  /**
   * Directory on every node the volumes are created in. On Talos it must lie under /var (the root
   * filesystem is read-only) and be bind-mounted into the kubelet (`rshared`) by the machine config.
   * @default '/var/local-path-provisioner'
   * @see https://www.talos.dev/v1.12/kubernetes-guides/configuration/local-storage/
   */
  readonly path?: string;
}

/**
 * rancher/local-path-provisioner v0.0.37 for development clusters: hostPath volumes on the node the
 * pod lands on (no replication, no snapshots, no size limit). Upstream has no Helm repository, so
 * Flux applies the release tag's `deploy/` kustomization (local-path-storage.yaml) from a
 * GitRepository, patched in the same apply: the Namespace labelled privileged (the helper pods use
 * hostPath), the node path moved under /var (Talos), and the helper image pinned (upstream runs
 * `busybox` unpinned). The upstream `local-path` StorageClass stays non-default.
 */
export class LocalPathProvisioner extends Construct implements IFluxUnit {
  public readonly layer: FluxLayer;
  public readonly kustomization: FluxKustomization;
  public readonly namespace = LOCAL_PATH_NAMESPACE;
  /** The GitRepository (escape hatch). */
  public readonly source: ApiObject;

  public constructor(scope: FluxLayer, id: string, props: LocalPathProvisionerProps = {}) {
    super(scope, id);
    if (!FluxLayer.isFluxLayer(scope) || scope.layerName !== LayerName.CONTROLLERS) {
      throw new InfraFluxError(ErrorCode.WRONG_LAYER, this, 'LocalPathProvisioner must be created in a cluster\'s controllers layer (cluster.controllers)');
    }
    this.layer = scope;
    const path = props.path ?? '/var/local-path-provisioner';
    if (!/^\/var\/[A-Za-z0-9._/-]+$/.test(path)) throw new InfraFluxError(ErrorCode.INVALID_PROP, this, `path "${path}" must be a directory under /var/: the Talos root filesystem is read-only`);
    const config = JSON.stringify({ nodePathMap: [{ node: 'DEFAULT_PATH_FOR_NON_LISTED_NODES', paths: [path] }] });
    const helperPod = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: helper-pod\nspec:\n  containers:\n  - name: helper-pod\n    image: ${STORAGE_VERSIONS.localPathHelperImage}\n    imagePullPolicy: IfNotPresent\n`;
    const release = new UpstreamGitRelease(this, 'Release', {
      ...props,
      sourceName: 'local-path-provisioner',
      url: 'https://github.com/rancher/local-path-provisioner',
      tag: STORAGE_VERSIONS.localPathProvisioner,
      path: './deploy',
      kustomizationName: 'local-path-provisioner',
      crdNames: [],
      images: [{ name: 'rancher/local-path-provisioner', newTag: STORAGE_VERSIONS.localPathProvisioner }],
      patches: [
        {
          patch: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${LOCAL_PATH_NAMESPACE}\n  labels:\n    pod-security.kubernetes.io/enforce: privileged\n`,
          target: { kind: 'Namespace', name: LOCAL_PATH_NAMESPACE },
        },
        {
          patch: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: local-path-config\n  namespace: ${LOCAL_PATH_NAMESPACE}\ndata:\n  config.json: ${JSON.stringify(config)}\n  helperPod.yaml: ${JSON.stringify(helperPod)}\n`,
          target: { kind: 'ConfigMap', name: 'local-path-config', namespace: LOCAL_PATH_NAMESPACE },
        },
      ],
      healthChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'local-path-provisioner', namespace: LOCAL_PATH_NAMESPACE }],
    });
    this.source = release.source;
    this.kustomization = release.kustomization;
  }

  /** @internal */
  public _installed(): InstalledBackend {
    return {
      name: 'local-path',
      // Not a CSI driver: no VolumeSnapshotClass (Velero backs these volumes up with kopia).
      drivers: [],
      defaultClass: { provisioner: LOCAL_PATH_PROVISIONER, parameters: {} },
      goldClass: { provisioner: LOCAL_PATH_PROVISIONER, parameters: {}, reclaimPolicy: ReclaimPolicy.RETAIN },
      extraClasses: {},
      deployedBy: [this],
    };
  }
}
