import { FluxSharding } from './sharding';
import { ApiObject, Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { GitRepository } from '../../imports/flux-source.toolkit.fluxcd.io';
import { hostOwners } from '../core/owner';
import { goDuration } from '../core/duration';
import { addCodedValidation, ErrorCode, InfraFluxError, validateDnsLabel, validateDnsSubdomain } from '../core/errors';
import { FLUX_NAMESPACE, FluxKustomization, ReconcileTiming } from './kustomization';
import { crossNamespaceRefErrors, missingIdentityErrors } from './lockdown';
import { OutputFolder } from './output-folder';
import type { ExternalInput, SecretUse } from '../core/external-input';

/** The Git repository Flux reads this fleet's dist/ from. */
export interface GitSourceProps {
  /**
   * Repository URL, `https://` or `ssh://`.
   * @see https://fluxcd.io/flux/components/source/gitrepositories/#url
   */
  readonly url: string;
  /** @default 'main' */
  readonly branch?: string;
  /**
   * Secret in flux-system holding the Git credentials (created by `flux bootstrap`).
   * @default - no secret: a public repository
   */
  readonly secretName?: string;
  /**
   * How often Flux polls the repository.
   * @default Duration.minutes(1)
   */
  readonly interval?: Duration;
}

/** The four Flux layers of a cluster, applied in this order. */
export enum LayerName {
  /** CustomResourceDefinitions that controllers and configs need. */
  CRDS = 'crds',
  /** Operators and controllers, mostly Helm charts. */
  CONTROLLERS = 'controllers',
  /** Custom resources of the controllers: issuers, pools, policies. */
  CONFIGS = 'configs',
  /** Workloads. */
  APPS = 'apps',
}
const LAYER_ORDER: readonly LayerName[] = [LayerName.CRDS, LayerName.CONTROLLERS, LayerName.CONFIGS, LayerName.APPS];

/**
 * Something Flux applies through one Kustomization of its own: a {@link FluxLayer} or an app
 * inside a layer ({@link FluxApp}).
 */
export interface IFluxUnit extends IConstruct {
  readonly kustomization: FluxKustomization;
  readonly layer: FluxLayer;
}

function isFluxUnit(x: IConstruct): x is IFluxUnit {
  return (x as Partial<IFluxUnit>).kustomization instanceof FluxKustomization && (x as Partial<IFluxUnit>).layer !== undefined;
}

/** Whether `c` is inside an app whose release is installed from outside this cluster's tree (FluxApp `installedElsewhere`). */
export function isInstalledElsewhere(c: IConstruct): boolean {
  return [c, ...c.node.scopes].some((s) => (s as { installedElsewhere?: unknown }).installedElsewhere === true);
}

/** The unit (app or layer) that deploys `c`, or undefined. */
export function fluxUnitOf(c: IConstruct): IFluxUnit | undefined {
  return [c, ...c.node.scopes.slice().reverse()].find(isFluxUnit);
}

export interface GitOpsClusterProps {
  /** Cluster name: the folder `dist/<name>/`. A DNS-1123 label. */
  readonly name: string;
  /** Where Flux on this cluster reads its manifests. */
  readonly source: GitSourceProps;
  /**
   * Path of the repository's dist/ folder, relative to its root.
   * @default './dist'
   */
  readonly distPath?: string;
  /**
   * Run this cluster's Flux with the multi-tenancy lockdown: `--no-cross-namespace-refs=true`,
   * `--no-remote-bases=true` and `--default-service-account=default` (lib/flux/lockdown.ts). The
   * installation that creates Flux reads it (a workload bootstrap's FluxInstance patches), and a
   * synth rule refuses every Flux Kustomization or HelmRelease of the cluster that references a
   * source in another namespace (code TENANCY_CROSS_NAMESPACE_REF) or names no service account
   * (TENANCY_IMPERSONATION). Turn it off only for a
   * cluster whose Flux must follow cross-namespace references, and say why.
   * @default true
   * @see https://fluxcd.io/flux/installation/configuration/multitenancy/
   */
  readonly fluxLockdown?: boolean;
  /**
   * Flux controller sharding (decision 0114): app Kustomizations and HelmReleases get the shard
   * label, the FluxInstance of a cluster Cluster API bootstraps gets `spec.sharding`.
   * @default FluxSharding.none()
   */
  readonly sharding?: FluxSharding;
}

/**
 * One cluster's GitOps tree: `dist/<name>/flux-system` (the GitRepository, the root Kustomization,
 * shared Helm repositories and one Kustomization per layer) and the layer folders
 * `crds → controllers → configs → apps`. Dependencies between layers and apps are derived from
 * construct references ({@link GitOpsCluster.addDependency}).
 */
export class GitOpsCluster extends Construct {
  public static of(c: IConstruct): GitOpsCluster {
    const found = GitOpsCluster.find(c);
    if (!found) throw new InfraFluxError(ErrorCode.NOT_IN_CLUSTER, c, 'is not inside a GitOpsCluster; create it in a cluster\'s layer (cluster.crds, .controllers, .configs or .apps) or below one');
    return found;
  }

  /** The GitOpsCluster `c` is in (or is), or undefined when it is in none. */
  public static find(c: IConstruct): GitOpsCluster | undefined {
    return [c, ...c.node.scopes.slice().reverse()].find((s): s is GitOpsCluster => s instanceof GitOpsCluster);
  }

  public readonly name: string;
  /** How this cluster's Flux controllers are sharded. */
  public readonly sharding: FluxSharding;
  /** `dist/<name>/flux-system`: applied by the root Kustomization. */
  public readonly fluxSystem: OutputFolder;
  public readonly rootKustomization: FluxKustomization;
  public readonly gitRepository: ApiObject;
  public readonly crds: FluxLayer;
  public readonly controllers: FluxLayer;
  public readonly configs: FluxLayer;
  public readonly apps: FluxLayer;
  /** Path of the cluster folder inside the Git source, e.g. `./dist/mgmt`. */
  public readonly sourcePath: string;
  /** Whether Flux on this cluster runs with the multi-tenancy lockdown ({@link GitOpsClusterProps.fluxLockdown}). */
  public readonly fluxLockdown: boolean;
  private readonly edges: Array<{ readonly from: IConstruct; readonly to: IConstruct }> = [];
  private readonly lateEdges: Array<{ readonly from: IConstruct; readonly to: () => IConstruct | undefined }> = [];
  private readonly sharedObjects = new Map<string, ApiObject>();
  private readonly declaredInputs: ExternalInput[] = [];
  private readonly recordedSecretUses: SecretUse[] = [];

  public constructor(scope: Construct, id: string, props: GitOpsClusterProps) {
    super(scope, id);
    this.name = validateDnsLabel(this, 'cluster name', props.name);
    this.sharding = props.sharding ?? FluxSharding.none();
    hostOwners(this);
    this.sourcePath = `${(props.distPath ?? './dist').replace(/\/$/, '')}/${this.name}`;
    this.fluxSystem = new OutputFolder(this, 'FluxSystem', `${this.name}/${FLUX_NAMESPACE}`);
    if (!/^(https|ssh):\/\/[^\s]+$/.test(props.source.url)) {
      throw new InfraFluxError(ErrorCode.INVALID_PROP, this, `source url "${props.source.url}" must start with https:// or ssh://`);
    }
    this.gitRepository = new GitRepository(this.fluxSystem, 'GitRepository', {
      metadata: { name: FLUX_NAMESPACE, namespace: FLUX_NAMESPACE },
      spec: {
        interval: goDuration(props.source.interval ?? Duration.minutes(1)),
        url: props.source.url,
        ref: { branch: props.source.branch ?? 'main' },
        ...(props.source.secretName ? { secretRef: { name: props.source.secretName } } : {}),
        // Only dist/ matters to the cluster: keep the artifact small.
        ignore: '/*\n!/dist/\n',
      },
    });
    this.rootKustomization = new FluxKustomization(this.fluxSystem, 'Root', {
      name: FLUX_NAMESPACE,
      path: `${this.sourcePath}/${FLUX_NAMESPACE}`,
      healthChecks: [{ apiVersion: GitRepository.GVK.apiVersion, kind: GitRepository.GVK.kind, name: FLUX_NAMESPACE, namespace: FLUX_NAMESPACE }],
    });
    this.crds = new FluxLayer(this, LayerName.CRDS);
    this.controllers = new FluxLayer(this, LayerName.CONTROLLERS);
    this.configs = new FluxLayer(this, LayerName.CONFIGS);
    this.apps = new FluxLayer(this, LayerName.APPS);
    addCodedValidation(this, () => this.resolveDependencies().errors);
    this.fluxLockdown = props.fluxLockdown ?? true;
    if (this.fluxLockdown) addCodedValidation(this, () => [...crossNamespaceRefErrors(this), ...missingIdentityErrors(this)]);
  }

  public get layers(): readonly FluxLayer[] {
    return [this.crds, this.controllers, this.configs, this.apps];
  }

  /**
   * Records that `from` needs `to` in the cluster first. Called by constructs that reference
   * other constructs (an issuer referencing cert-manager, an app referencing an issuer); the
   * Kustomizations' `dependsOn` are derived from these records at synth.
   */
  public addDependency(from: IConstruct, to: IConstruct): void {
    this.edges.push({ from, to });
  }

  /**
   * Like {@link addDependency}, with the target known only at synth: `to()` runs when the
   * dependencies are resolved (every construct exists then) and returns the target, or undefined
   * for none. Used by capabilities a cluster may get later in construction (a chart's monitors wait
   * for the monitoring CRDs once the cluster has a monitoring stack, decision 0080).
   */
  public addLateDependency(from: IConstruct, to: () => IConstruct | undefined): void {
    this.lateEdges.push({ from, to });
  }

  /**
   * An object shared by several units of the cluster (e.g. a HelmRepository used by two apps),
   * created once in flux-system, which the root Kustomization applies before every layer.
   */
  public sharedObject(key: string, create: (scope: Construct, id: string) => ApiObject): ApiObject {
    let obj = this.sharedObjects.get(key);
    if (!obj) {
      obj = create(this.fluxSystem, key);
      this.sharedObjects.set(key, obj);
    }
    return obj;
  }

  /**
   * Declares something this cluster needs that the fleet cannot produce itself (a bootstrap root,
   * e.g. the Git credentials `flux bootstrap` creates), with who provides it and the command. The
   * reconcile check counts it as present from the start, and `dist/<cluster>/README.md` lists it.
   * An undeclared reference that nothing produces is a synth error; a declaration nothing uses is
   * one too. Mark an input the fleet could deliver itself (but does not yet) `temporary`.
   * @see docs/reconcile.md
   */
  public declareExternalInput(input: ExternalInput): void {
    validateDnsSubdomain(this, 'external input name', input.name);
    if (input.namespace !== undefined) validateDnsLabel(this, 'external input namespace', input.namespace);
    if (!input.consumer || !input.providedBy || !input.command) {
      throw new InfraFluxError(ErrorCode.INVALID_PROP, this, `external input ${input.kind} ${input.name} needs a consumer, providedBy and command`);
    }
    const key = (i: ExternalInput): string => `${i.group ?? ''}/${i.kind}/${i.namespace ?? ''}/${i.name}`;
    if (this.declaredInputs.some((i) => key(i) === key(input))) {
      throw new InfraFluxError(ErrorCode.DUPLICATE, this, `external input ${input.kind} ${input.namespace ? `${input.namespace}/` : ''}${input.name} is declared twice`);
    }
    this.declaredInputs.push({ ...input });
  }

  /** The declared external inputs, in declaration order. */
  public get externalInputs(): readonly ExternalInput[] {
    return [...this.declaredInputs];
  }

  /**
   * Records that a construct of this cluster reads a Secret, with the provenance its reference
   * claims (`SecretReference.use()` calls it); the reconcile check proves each claim at synth.
   */
  public recordSecretUse(use: SecretUse): void {
    const same = (u: SecretUse): boolean => u.namespace === use.namespace && u.name === use.name && u.provenance === use.provenance && u.consumer === use.consumer;
    if (!this.recordedSecretUses.some(same)) this.recordedSecretUses.push({ ...use });
  }

  /** Every recorded Secret use, in recording order. */
  public get secretUses(): readonly SecretUse[] {
    return [...this.recordedSecretUses];
  }

  /**
   * Turns the recorded references into `dependsOn` edges; returns the errors found: a target no
   * Kustomization of this cluster deploys, a dependency on a later layer, a cycle.
   */
  public resolveDependencies(): { errors: InfraFluxError[] } {
    const errors: InfraFluxError[] = [];
    const late = this.lateEdges.flatMap(({ from, to }) => {
      const target = to();
      return target ? [{ from, to: target }] : [];
    });
    for (const { from, to } of [...this.edges, ...late]) {
      // A release installed from outside the cluster's tree (a workload's CNI) runs before this
      // cluster's Flux does: nothing to wait for.
      if (isInstalledElsewhere(to)) continue;
      const source = fluxUnitOf(from);
      const target = fluxUnitOf(to);
      if (!source || GitOpsCluster.of(source) !== this) {
        errors.push(new InfraFluxError(ErrorCode.MISSING_DEPENDENCY, from, `is not deployed by any Flux Kustomization of cluster "${this.name}"`));
        continue;
      }
      if (!target || GitOpsCluster.of(target) !== this) {
        errors.push(
          new InfraFluxError(
            ErrorCode.MISSING_DEPENDENCY,
            from,
            `depends on ${to.node.path}, which no Flux Kustomization of cluster "${this.name}" deploys; add it to one of this cluster's layers`,
          ),
        );
        continue;
      }
      if (source === target) continue;
      const sourceIndex = LAYER_ORDER.indexOf(source.layer.layerName);
      const targetIndex = LAYER_ORDER.indexOf(target.layer.layerName);
      if (sourceIndex === targetIndex) {
        if (source === source.layer || target === target.layer) {
          errors.push(
            new InfraFluxError(
              ErrorCode.LAYER_ORDER,
              from,
              `depends on ${to.node.path} in the same layer "${source.layer.layerName}", but one of them is applied by the layer's own Kustomization; put both in apps (FluxApp) or move the dependent into a later layer`,
            ),
          );
          continue;
        }
        source.kustomization.addDependency(target.kustomization);
      } else if (targetIndex < sourceIndex) {
        source.layer.kustomization.addDependency(target.layer.kustomization);
      } else {
        errors.push(
          new InfraFluxError(
            ErrorCode.LAYER_ORDER,
            from,
            `in layer "${source.layer.layerName}" depends on ${to.node.path} in the later layer "${target.layer.layerName}"; layers apply in the order ${LAYER_ORDER.join(' → ')}`,
          ),
        );
      }
    }
    const cycle = findCycle(this.kustomizations());
    if (cycle) {
      errors.push(
        new InfraFluxError(ErrorCode.DEPENDENCY_CYCLE, this, `Flux Kustomizations depend on each other in a cycle: ${cycle.map((k) => k.name).join(' → ')}`),
      );
    }
    const seen = new Map<string, FluxKustomization>();
    for (const k of this.kustomizations()) {
      const other = seen.get(k.name);
      if (other) {
        errors.push(new InfraFluxError(ErrorCode.DUPLICATE, k, `Kustomization name "${k.name}" is already used by ${other.node.path}`));
      }
      seen.set(k.name, k);
    }
    // Resolution is idempotent: a second validate() adds the same edges to sets.
    return { errors };
  }

  /** Every Flux Kustomization of this cluster, in construct order. */
  public kustomizations(): FluxKustomization[] {
    return this.node.findAll().filter((c): c is FluxKustomization => c instanceof FluxKustomization);
  }
}

/** Depth-first search for a dependsOn cycle; returns it (first node repeated at the end) or undefined. */
export function findCycle(nodes: readonly FluxKustomization[]): FluxKustomization[] | undefined {
  const state = new Map<FluxKustomization, 'visiting' | 'done'>();
  const stack: FluxKustomization[] = [];
  const visit = (n: FluxKustomization): FluxKustomization[] | undefined => {
    if (state.get(n) === 'done') return undefined;
    if (state.get(n) === 'visiting') return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, 'visiting');
    stack.push(n);
    for (const d of n.dependsOn) {
      const found = visit(d);
      if (found) return found;
    }
    stack.pop();
    state.set(n, 'done');
    return undefined;
  };
  for (const n of nodes) {
    const found = visit(n);
    if (found) return found;
  }
  return undefined;
}

export interface FluxLayerProps extends ReconcileTiming {}

/**
 * One Flux layer of a cluster: the folder `dist/<cluster>/<layer>/` and the Kustomization that
 * applies it (in flux-system) with `wait: true`, so the next layer starts only when everything in
 * this one, apps included, is healthy.
 */
export class FluxLayer extends OutputFolder implements IFluxUnit {
  /** Whether `x` is a FluxLayer. */
  public static isFluxLayer(x: unknown): x is FluxLayer {
    return x instanceof FluxLayer;
  }

  /**
   * The layer `c` sits in (itself included), at any depth: an app may be created directly in a
   * layer or inside any construct below one. Throws an {@link ErrorCode.INVALID_PROP} error naming
   * `c`'s path when `c` is in no layer.
   */
  public static of(c: IConstruct): FluxLayer {
    const found = FluxLayer.tryOf(c);
    if (!found) {
      throw new InfraFluxError(ErrorCode.INVALID_PROP, c, 'is not inside a Flux layer; create it in (or below) cluster.crds, .controllers, .configs or .apps');
    }
    return found;
  }

  /** The layer `c` sits in, or undefined. */
  public static tryOf(c: IConstruct): FluxLayer | undefined {
    return [c, ...c.node.scopes.slice().reverse()].find(FluxLayer.isFluxLayer);
  }

  public readonly layerName: LayerName;
  public readonly kustomization: FluxKustomization;
  public readonly cluster: GitOpsCluster;

  public constructor(cluster: GitOpsCluster, layerName: LayerName, props: FluxLayerProps = {}) {
    super(cluster, layerName, `${cluster.name}/${layerName}`);
    this.cluster = cluster;
    this.layerName = layerName;
    this.kustomization = new FluxKustomization(cluster.fluxSystem, `Layer-${layerName}`, {
      ...props,
      name: layerName,
      path: `${cluster.sourcePath}/${layerName}`,
      wait: true,
      timeout: props.timeout ?? Duration.minutes(15),
    });
  }

  public get layer(): FluxLayer {
    return this;
  }
}
