import * as kplus from 'cdk8s-plus-33';
import { Construct, IConstruct } from 'constructs';
import { invalidProp, validateDnsLabel } from '../core/errors';
import { FluxLayer, GitOpsCluster, IFluxUnit } from './gitops-cluster';
import { FluxKustomization, ReconcileTiming } from './kustomization';
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
}

/**
 * An app made of plain Kubernetes objects instead of a Helm chart: its Namespace and Flux
 * Kustomization go to the layer folder, and everything created in {@link FluxManifestApp.content}
 * goes to `dist/<cluster>/releases/<name>/`, applied by the app's Kustomization with `wait: true`.
 */
export class FluxManifestApp extends Construct implements IFluxUnit {
  public readonly name: string;
  public readonly namespace: string;
  public readonly layer: FluxLayer;
  public readonly kustomization: FluxKustomization;
  public readonly namespaceObject: kplus.Namespace;
  /** Scope for the app's objects. */
  public readonly content: OutputFolder;

  public constructor(scope: FluxLayer, id: string, props: FluxManifestAppProps = {}) {
    super(scope, id);
    if (!(scope instanceof FluxLayer)) invalidProp(this, 'a FluxManifestApp must be created directly in a FluxLayer');
    this.layer = scope;
    this.name = validateDnsLabel(this, 'name', props.name ?? id);
    this.namespace = validateDnsLabel(this, 'namespace', props.namespace ?? this.name);
    const cluster = GitOpsCluster.of(scope);
    this.namespaceObject = appNamespace(this, this.namespace, props.podSecurity);
    this.content = new OutputFolder(this, 'Content', `${cluster.name}/releases/${this.name}`);
    this.kustomization = new FluxKustomization(this, 'Kustomization', {
      ...props,
      name: this.name,
      path: `${cluster.sourcePath}/releases/${this.name}`,
      wait: true,
    });
  }

  /** Makes this app wait for `target` (an app, layer or anything inside one of this cluster). */
  public addDependency(target: IConstruct): void {
    GitOpsCluster.of(this).addDependency(this, target);
  }
}
