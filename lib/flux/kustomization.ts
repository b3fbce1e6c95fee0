import { ApiObject, Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { Kustomization, KustomizationSpecSourceRefKind } from '../../imports/flux-kustomize.toolkit.fluxcd.io';
import { goDuration } from '../core/duration';
import { addCodedValidation, ErrorCode, InfraFluxError } from '../core/errors';

/** The namespace Flux runs in and where every Kustomization and shared source of InfraFlux lives. */
export const FLUX_NAMESPACE = 'flux-system';

/**
 * The service account the platform's Kustomizations (all in flux-system) reconcile as: Flux's own
 * kustomize-controller account. Under the multi-tenancy lockdown (`--default-service-account`) a
 * Kustomization without `serviceAccountName` would impersonate a powerless default account
 * (decision 0094, fluxcd/flux2-multi-tenancy `clusters/staging/flux-system/kustomization.yaml`).
 */
export const PLATFORM_KUSTOMIZE_SERVICE_ACCOUNT = 'kustomize-controller';

/** The service account the platform's HelmReleases (all in flux-system) reconcile as: Flux's helm-controller account. */
export const PLATFORM_HELM_SERVICE_ACCOUNT = 'helm-controller';

/** An object Flux checks before it reports a Kustomization Ready. */
export interface HealthCheck {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** @default - cluster-scoped object */
  readonly namespace?: string;
}

/**
 * A CEL health check for a custom resource whose readiness kstatus cannot read (e.g. Cluster API
 * objects): Flux evaluates `current` (and optionally `failed`/`inProgress`) on every object of the kind.
 * @see https://fluxcd.io/flux/components/kustomize/kustomizations/#health-check-expressions
 */
export interface HealthCheckExpr {
  readonly apiVersion: string;
  readonly kind: string;
  /** CEL expression that is true when the object is healthy. */
  readonly current: string;
  /**
   * CEL expression that is true when the object has failed.
   * @default - none
   */
  readonly failed?: string;
  /**
   * CEL expression that is true while the object is progressing.
   * @default - none
   */
  readonly inProgress?: string;
}

/**
 * An image override Flux applies with kustomize (`spec.images`), e.g. to pin an upstream manifest's
 * untagged image to a release.
 * @see https://fluxcd.io/flux/components/kustomize/kustomizations/#images
 */
export interface KustomizationImage {
  /** Image name as it appears in the manifests. */
  readonly name: string;
  /**
   * Replacement tag.
   * @default - the tag is kept
   */
  readonly newTag?: string;
  /**
   * Replacement image name.
   * @default - the name is kept
   */
  readonly newName?: string;
  /**
   * Replacement digest (wins over `newTag`).
   * @default - none
   */
  readonly digest?: string;
}

/** The Flux source a Kustomization reads manifests from. */
export interface KustomizationSource {
  readonly kind: 'GitRepository' | 'OCIRepository' | 'Bucket' | 'ExternalArtifact';
  readonly name: string;
  /** @default flux-system */
  readonly namespace?: string;
}

/** Reconciliation timing shared by Flux objects. */
export interface ReconcileTiming {
  /**
   * How often Flux reconciles.
   * @default Duration.minutes(10)
   * @see https://fluxcd.io/flux/components/kustomize/kustomizations/#interval
   */
  readonly interval?: Duration;
  /**
   * How soon Flux retries after a failure.
   * @default Duration.minutes(1)
   * @see https://fluxcd.io/flux/components/kustomize/kustomizations/#retry-interval
   */
  readonly retryInterval?: Duration;
  /**
   * How long Flux waits for apply and health checks.
   * @default Duration.minutes(5)
   * @see https://fluxcd.io/flux/components/kustomize/kustomizations/#timeout
   */
  readonly timeout?: Duration;
}

export interface FluxKustomizationProps extends ReconcileTiming {
  /** `metadata.name`; unique among the Kustomizations of a cluster. */
  readonly name: string;
  /** Path inside the source, e.g. `./dist/mgmt/controllers`. */
  readonly path: string;
  /**
   * @default - the cluster's GitRepository `flux-system`
   */
  readonly source?: KustomizationSource;
  /**
   * Wait for every applied object to become ready (kstatus). When true, Flux ignores `healthChecks`.
   * @default false
   * @see https://fluxcd.io/flux/components/kustomize/kustomizations/#wait
   */
  readonly wait?: boolean;
  /**
   * Objects whose readiness makes this Kustomization Ready. Required unless `wait` is true.
   * @default []
   * @see https://fluxcd.io/flux/components/kustomize/kustomizations/#health-checks
   */
  readonly healthChecks?: readonly HealthCheck[];
  /**
   * CEL health checks for kinds kstatus cannot read.
   * @default []
   * @see https://fluxcd.io/flux/components/kustomize/kustomizations/#health-check-expressions
   */
  readonly healthCheckExprs?: readonly HealthCheckExpr[];
  /**
   * Image overrides applied to the manifests.
   * @default []
   * @see https://fluxcd.io/flux/components/kustomize/kustomizations/#images
   */
  readonly images?: readonly KustomizationImage[];
  /**
   * Delete objects removed from the source.
   * @default true
   */
  readonly prune?: boolean;
  /**
   * Namespace every namespaced object of the content is moved to (kustomize's namespace
   * transformer, which also retargets RoleBinding/ClusterRoleBinding ServiceAccount subjects of the
   * `default` namespace), for upstream manifests written for another namespace.
   * @default - the namespaces the content names
   * @see https://fluxcd.io/flux/components/kustomize/kustomizations/#target-namespace
   */
  readonly targetNamespace?: string;
  /**
   * Strategic-merge or JSON6902 patches applied to the content, for upstream manifests the fleet
   * does not own (e.g. a Pod Security label on an upstream Namespace).
   * @default []
   * @see https://fluxcd.io/flux/components/kustomize/kustomizations/#patches
   */
  readonly patches?: readonly KustomizationPatch[];
}

/** One patch of a Kustomization's content. */
export interface KustomizationPatch {
  /** The patch (strategic merge or JSON6902), as YAML. */
  readonly patch: string;
  /** Objects it applies to. */
  readonly target: { readonly kind: string; readonly name: string; readonly namespace?: string; readonly group?: string; readonly version?: string };
}

/**
 * A Flux `Kustomization` (kustomize.toolkit.fluxcd.io/v1) with InfraFlux's rules: always
 * `interval`, `retryInterval`, `timeout` and `prune`; `wait` or at least one health check;
 * `dependsOn` only through {@link FluxKustomization.addDependency}, never as strings.
 */
export class FluxKustomization extends Construct {
  public readonly name: string;
  /** The raw object: escape hatch for `addJsonPatch()`. */
  public readonly resource: ApiObject;
  private readonly dependencies = new Set<FluxKustomization>();
  private readonly healthChecks: HealthCheck[];
  private readonly healthCheckExprs: HealthCheckExpr[];
  private readonly wait: boolean;

  public constructor(scope: Construct, id: string, props: FluxKustomizationProps) {
    super(scope, id);
    this.name = props.name;
    this.wait = props.wait ?? false;
    this.healthChecks = [...(props.healthChecks ?? [])];
    this.healthCheckExprs = [...(props.healthCheckExprs ?? [])];
    const source = props.source ?? { kind: 'GitRepository', name: FLUX_NAMESPACE };
    this.resource = new Kustomization(this, 'Resource', {
      metadata: { name: props.name, namespace: FLUX_NAMESPACE },
      spec: {
        interval: goDuration(props.interval ?? Duration.minutes(10)),
        retryInterval: goDuration(props.retryInterval ?? Duration.minutes(1)),
        timeout: goDuration(props.timeout ?? Duration.minutes(5)),
        path: props.path,
        prune: props.prune ?? true,
        wait: this.wait,
        serviceAccountName: PLATFORM_KUSTOMIZE_SERVICE_ACCOUNT,
        sourceRef: {
          kind: source.kind as KustomizationSpecSourceRefKind,
          name: source.name,
          namespace: source.namespace ?? FLUX_NAMESPACE,
        },
        dependsOn: Lazy.any({
          produce: () =>
            [...this.dependencies]
              .map((d) => d.name)
              .sort()
              .map((name) => ({ name, namespace: FLUX_NAMESPACE })),
        }),
        healthChecks: Lazy.any({ produce: () => (this.healthChecks.length ? [...this.healthChecks] : undefined) }),
        healthCheckExprs: Lazy.any({ produce: () => (this.healthCheckExprs.length ? this.healthCheckExprs.map((e) => ({ ...e })) : undefined) }),
        ...(props.images?.length ? { images: props.images.map((i) => ({ ...i })) } : {}),
        ...(props.targetNamespace ? { targetNamespace: props.targetNamespace } : {}),
        ...(props.patches?.length ? { patches: props.patches.map((p) => ({ patch: p.patch, target: { ...p.target } })) } : {}),
      },
    });
    addCodedValidation(this, () =>
      this.wait || this.healthChecks.length > 0
        ? []
        : [
            new InfraFluxError(
              ErrorCode.NO_HEALTH_CHECKS,
              this,
              `Kustomization "${this.name}" has neither wait: true nor healthChecks; Flux would report it Ready before anything it applied is healthy. Set wait or add a health check`,
            ),
          ],
    );
  }

  /** Adds an object Flux must see healthy before this Kustomization is Ready. */
  public addHealthCheck(check: HealthCheck): void {
    this.healthChecks.push(check);
  }

  /** Adds a CEL health check (see {@link FluxKustomizationProps.healthCheckExprs}). */
  public addHealthCheckExpr(expr: HealthCheckExpr): void {
    this.healthCheckExprs.push(expr);
  }

  /** Makes Flux apply this Kustomization only after `other` is Ready. */
  public addDependency(other: FluxKustomization): void {
    if (other !== this) this.dependencies.add(other);
  }

  /** The Kustomizations this one waits for. */
  public get dependsOn(): readonly FluxKustomization[] {
    return [...this.dependencies];
  }
}
