import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { GitRepository } from '../../imports/flux-source.toolkit.fluxcd.io';
import { goDuration } from '../core/duration';
import { FLUX_NAMESPACE, FluxKustomization, HealthCheck, KustomizationImage, KustomizationPatch, ReconcileTiming } from './kustomization';

export interface UpstreamGitReleaseProps extends ReconcileTiming {
  /** Name of the GitRepository (in flux-system). */
  readonly sourceName: string;
  /** Repository URL, e.g. `https://github.com/kubernetes-sigs/gateway-api`. */
  readonly url: string;
  /** The pinned release tag. */
  readonly tag: string;
  /** Kustomize path in the repository, e.g. `./config/crd/standard`. */
  readonly path: string;
  /** Name of the Kustomization. */
  readonly kustomizationName: string;
  /** `metadata.name` of every CRD the release installs: each is health-checked. */
  readonly crdNames: readonly string[];
  /**
   * More objects to health-check (e.g. the operator Deployment).
   * @default []
   */
  readonly healthChecks?: readonly HealthCheck[];
  /**
   * Image overrides (e.g. pin an untagged upstream image to the release).
   * @default []
   */
  readonly images?: readonly KustomizationImage[];
  /**
   * Move the release's namespaced objects to this namespace (upstream manifests that deploy to `default`).
   * @default - the namespaces of the upstream manifests
   */
  readonly targetNamespace?: string;
  /**
   * Patches of the upstream manifests (see `FluxKustomizationProps.patches`).
   * @default []
   */
  readonly patches?: readonly KustomizationPatch[];
}

/**
 * Installs manifests straight from an upstream release tag (a GitRepository fetching only `path`,
 * not a vendored copy) with a Kustomization that health-checks every CRD and never prunes: deleting
 * a CRD deletes every object of its kind.
 */
export class UpstreamGitRelease extends Construct {
  /** The GitRepository (escape hatch). */
  public readonly source: ApiObject;
  public readonly kustomization: FluxKustomization;

  public constructor(scope: Construct, id: string, props: UpstreamGitReleaseProps) {
    super(scope, id);
    const path = props.path.replace(/^\.\//, '').replace(/\/$/, '');
    this.source = new GitRepository(this, 'Source', {
      metadata: { name: props.sourceName, namespace: FLUX_NAMESPACE },
      spec: {
        interval: goDuration(Duration.hours(12)),
        url: props.url,
        ref: { tag: props.tag },
        ignore: `/*\n!/${path}/\n`,
      },
    });
    this.kustomization = new FluxKustomization(this, 'Kustomization', {
      ...props,
      name: props.kustomizationName,
      path: `./${path}`,
      source: { kind: 'GitRepository', name: props.sourceName },
      prune: false,
      healthChecks: [
        ...props.crdNames.map((name) => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name })),
        ...(props.healthChecks ?? []),
      ],
    });
  }
}
