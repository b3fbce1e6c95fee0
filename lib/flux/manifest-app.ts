import * as kplus from 'cdk8s-plus-33';
import { Construct, IConstruct } from 'constructs';
import { ErrorCode, InfraFluxError, invalidProp, validateDnsLabel } from '../core/errors';
import { FluxLayer, GitOpsCluster, IFluxUnit } from './gitops-cluster';
import { FluxKustomization, HealthCheckExpr, ReconcileTiming } from './kustomization';
import { appNamespace } from './_app-namespace';
import { PodSecurityLevel } from './pod-security';
import { OutputFolder } from './output-folder';

export interface FluxManifestAppProps extends ReconcileTiming {
  /**
   * App name: the Kustomization's name and the release folder `dist/<cluster>/releases/<name>/`.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace created for the app's objects.
   * @default - the app name
   */
  readonly namespace?: string;
  /**
   * Pod Security Admission level enforced on the namespace.
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * CEL health checks added to the app's Kustomization, for custom resources kstatus cannot read
   * (the Kustomization also waits for every object with `wait: true`).
   * @default []
   * @see https://fluxcd.io/flux/components/kustomize/kustomizations/#health-check-expressions
   */
  readonly healthCheckExprs?: readonly HealthCheckExpr[];
}

const MANIFEST_APP = Symbol.for('infraflux.manifest-app');

/**
 * An app made of plain Kubernetes objects, built into the construct that owns it (composition):
 * its Namespace (id `Namespace`) and Flux Kustomization (id `Kustomization`) go to the layer
 * folder, and everything created in {@link ManifestApp.content} (id `Content`) goes to
 * `dist/<cluster>/releases/<name>/`, applied by the app's Kustomization with `wait: true`. The
 * owner may sit anywhere below a {@link FluxLayer}.
 */
export class ManifestApp {
  /** The ManifestApp `owner` owns, or undefined. */
  public static of(owner: IConstruct): ManifestApp | undefined {
    return (owner as { [MANIFEST_APP]?: ManifestApp })[MANIFEST_APP];
  }

  public readonly owner: Construct;
  public readonly name: string;
  public readonly namespace: string;
  public readonly layer: FluxLayer;
  public readonly kustomization: FluxKustomization;
  public readonly namespaceObject: kplus.Namespace;
  /** Scope for the app's objects. */
  public readonly content: OutputFolder;

  public constructor(owner: Construct, props: FluxManifestAppProps = {}) {
    if (ManifestApp.of(owner)) invalidProp(owner, 'owns a ManifestApp already; a construct owns at most one manifest app');
    Object.defineProperty(owner, MANIFEST_APP, { value: this });
    this.owner = owner;
    const layer = FluxLayer.tryOf(owner);
    if (!layer) invalidProp(owner, 'a FluxManifestApp must be created in a FluxLayer or below one (cluster.crds, .controllers, .configs or .apps)');
    this.layer = layer;
    this.name = validateDnsLabel(owner, 'name', props.name ?? owner.node.id);
    this.namespace = validateDnsLabel(owner, 'namespace', props.namespace ?? this.name);
    const cluster = GitOpsCluster.of(owner);
    this.namespaceObject = appNamespace(owner, this.namespace, props.podSecurity);
    this.content = new OutputFolder(owner, 'Content', `${cluster.name}/releases/${this.name}`);
    this.kustomization = new FluxKustomization(owner, 'Kustomization', {
      ...props,
      name: this.name,
      path: `${cluster.sourcePath}/releases/${this.name}`,
      wait: true,
    });
  }

  /** Makes this app wait for `target` (an app, layer or anything inside one of this cluster). */
  public addDependency(target: IConstruct): void {
    GitOpsCluster.of(this.owner).addDependency(this.owner, target);
  }
}

/**
 * Base of a construct that delivers plain manifests by owning a {@link ManifestApp}
 * (composition): it implements {@link IFluxUnit} over its app. The subclass validates with a real
 * `this` after `super(scope, id)`, then creates its app once with {@link createApp}; the app's
 * objects are the construct's own children (ids `Namespace`, `Content`, `Kustomization`).
 */
export abstract class ManifestBackedConstruct extends Construct implements IFluxUnit {
  private manifestApp: ManifestApp | undefined;

  /** The manifest app this construct owns. */
  public get app(): ManifestApp {
    if (!this.manifestApp) {
      throw new InfraFluxError(ErrorCode.APP_NOT_CREATED, this, 'has no ManifestApp yet; a manifest-backed construct calls this.createApp(props) in its constructor before reading its app');
    }
    return this.manifestApp;
  }

  /** Creates the manifest app this construct owns; call it once, in the constructor, after validating the props. */
  protected createApp(props: FluxManifestAppProps): ManifestApp {
    this.manifestApp = new ManifestApp(this, props);
    return this.manifestApp;
  }

  /** The app name: its Kustomization's name and release folder. */
  public get name(): string {
    return this.app.name;
  }
  public get namespace(): string {
    return this.app.namespace;
  }
  public get layer(): FluxLayer {
    return this.app.layer;
  }
  public get kustomization(): FluxKustomization {
    return this.app.kustomization;
  }
  public get namespaceObject(): kplus.Namespace {
    return this.app.namespaceObject;
  }
  /** Scope for the app's objects (`dist/<cluster>/releases/<name>/`). */
  public get content(): OutputFolder {
    return this.app.content;
  }

  /** Makes this app wait for `target` (an app, layer or anything inside one of this cluster). */
  public addDependency(target: IConstruct): void {
    this.app.addDependency(target);
  }
}

/**
 * An app made of plain Kubernetes objects instead of a Helm chart (see {@link ManifestApp}), as a
 * construct of its own. Create it in a layer or anywhere below one.
 */
export class FluxManifestApp extends ManifestBackedConstruct {
  public constructor(scope: Construct, id: string, props: FluxManifestAppProps = {}) {
    super(scope, id);
    this.createApp(props);
  }
}
