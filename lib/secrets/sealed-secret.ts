import { Construct, IConstruct } from 'constructs';
import { SealedSecret as SealedSecretBinding } from '../../imports/sealed-secrets-bitnami.com';
import { ErrorCode, InfraFluxError, invalidProp, validateDnsLabel, validateDnsSubdomain } from '../core/errors';
import { SecretReference } from './secret-reference';
import { SealedData, SealedSecretTemplate, sealedSecretProps, SealingScope } from './seal';
import { FluxLayer, GitOpsCluster, IFluxUnit } from '../flux/gitops-cluster';
import { FluxKustomization, ReconcileTiming } from '../flux/kustomization';
import { OutputFolder } from '../flux/output-folder';
import { ISealedSecretsController, missingController, SEALED_SECRET_HEALTH_CHECK, SealedSecretsController } from './sealed-secrets-controller';

export interface SealedSecretProps {
  /** The ciphertext and the target it was sealed for: from {@link seal} or {@link SealedData.fromEncrypted}. */
  readonly encryptedData: SealedData;
  /**
   * `metadata.name` of the SealedSecret and of the Secret the controller creates. In strict scope it
   * must be the name the data was sealed for.
   * @default - the name the data was sealed for
   */
  readonly name?: string;
  /**
   * Namespace of the SealedSecret and of the Secret. In strict and namespace-wide scope it must be
   * the namespace the data was sealed for.
   * @default - the namespace the data was sealed for
   */
  readonly namespace?: string;
  /**
   * The sealing scope, stated for the reader. It must be the scope the data was sealed with: the
   * scope selects the decryption label, so another one cannot decrypt.
   * @default - the scope the data was sealed with
   * @see https://github.com/bitnami-labs/sealed-secrets#scopes
   */
  readonly sealingScope?: SealingScope;
  /**
   * Type, labels and annotations of the Secret the controller creates.
   * @default - an Opaque Secret without labels
   */
  readonly template?: SealedSecretTemplate;
  /**
   * The controller that decrypts it. Inside a GitOpsCluster the SealedSecret's Flux unit waits for
   * it (the CRD is served and the controller runs once its HelmRelease is Ready), so create the
   * controller first.
   * @default - the SealedSecretsController of the cluster ({@link SealedSecretsController.of});
   *   none outside a GitOpsCluster (a plain cdk8s chart)
   */
  readonly controller?: ISealedSecretsController;
}

/**
 * A Bitnami SealedSecret: ciphertext in Git that the Sealed Secrets controller of the cluster decrypts
 * into a Secret. Takes sealed data only, never plaintext; refuses a name, namespace or scope the
 * ciphertext was not sealed for (the controller would fail to decrypt it, and the Secret would
 * never appear). The scope annotations are set as kubeseal sets them, on the object (what the
 * controller reads to derive the label) and on the template.
 * @see https://github.com/bitnami-labs/sealed-secrets#usage
 */
export class SealedSecret extends Construct {
  /** `metadata.name` of the SealedSecret and of its Secret. */
  public readonly name: string;
  /** Namespace of the SealedSecret and of its Secret. */
  public readonly namespace: string;
  /** The sealing scope. */
  public readonly sealingScope: SealingScope;
  /** The Secret the controller creates, with provenance `sealed` and the sealed keys. */
  public readonly secretRef: SecretReference;
  /** The generated SealedSecret API object (escape hatch). */
  public readonly resource: SealedSecretBinding;
  /** The controller that decrypts it; undefined outside a GitOpsCluster. */
  public readonly controller?: ISealedSecretsController;

  public constructor(scope: Construct, id: string, props: SealedSecretProps) {
    super(scope, id);
    const data = props.encryptedData;
    this.name = validateDnsSubdomain(this, 'name', props.name ?? data.name);
    this.namespace = validateDnsLabel(this, 'namespace', props.namespace ?? data.namespace);
    this.sealingScope = props.sealingScope ?? data.scope;
    this.checkTarget(data);
    this.resource = new SealedSecretBinding(this, 'Resource', sealedSecretProps(data, this.name, this.namespace, props.template ?? {}, this.node.path));
    this.secretRef = SecretReference.fromSealedSecret(this.name, this.namespace, this, data.keys);
    const inCluster = this.node.scopes.some((s) => s instanceof GitOpsCluster);
    this.controller = props.controller ?? (inCluster ? SealedSecretsController.of(this) : undefined);
    if (inCluster) {
      if (!this.controller) throw missingController(this);
      GitOpsCluster.of(this).addDependency(this, this.controller);
    }
  }

  /**
   * Makes `consumer` (an app, or anything a Flux unit of this cluster deploys) wait for this
   * SealedSecret: the consumer's Kustomization `dependsOn` the unit that applies it (or its layer
   * waits for this one's layer), so the Secret exists before the consumer starts.
   */
  public neededBy(consumer: IConstruct): void {
    GitOpsCluster.of(this).addDependency(consumer, this);
  }

  private checkTarget(data: SealedData): void {
    const mismatch = (what: string) => {
      throw new InfraFluxError(ErrorCode.SEALED_TARGET_MISMATCH, this, `${what}; the controller derives the decryption label from it and could not decrypt. Re-seal for this target (npm run seal -- --name ${this.name} --namespace ${this.namespace} --scope ${this.sealingScope})`);
    };
    if (this.sealingScope !== data.scope) mismatch(`scope ${this.sealingScope} differs from the scope the data was sealed with (${data.scope})`);
    if (data.scope.bindsNamespace && this.namespace !== data.namespace) {
      mismatch(`namespace "${this.namespace}" differs from "${data.namespace}", the namespace the data was sealed for in ${data.scope} scope`);
    }
    if (data.scope.bindsName && this.name !== data.name) {
      mismatch(`name "${this.name}" differs from "${data.name}", the name the data was sealed for in ${data.scope} scope`);
    }
  }
}

export interface SealedSecretGroupProps extends ReconcileTiming {
  /**
   * Name of the group's Flux Kustomization and of its folder `dist/<cluster>/releases/<name>/`.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The controller that decrypts the group's SealedSecrets.
   * @default - the SealedSecretsController of the cluster ({@link SealedSecretsController.of})
   */
  readonly controller?: ISealedSecretsController;
}

/**
 * A Flux unit of its own for SealedSecrets: the Kustomization `<name>` applies the SealedSecrets
 * added with {@link addSealedSecret} (or created in {@link folderFor}) once the controller is Ready
 * (its `dependsOn` is derived from the controller), and is Ready only when every one of them reports `Synced` — so a consumer that
 * depends on it (`sealedSecret.neededBy(consumer)`) starts only when its Secrets exist.
 *
 * Use it for Secrets a controller reads at start in the same layer as the Sealed Secrets controller
 * (e.g. ExternalDNS's Cloudflare token in the controllers layer): a SealedSecret applied by the
 * layer's own Kustomization would be applied before the controller's CRD is served. It creates no
 * Namespace: the namespaces of its SealedSecrets must exist before it (the layer's own folder, or an
 * earlier layer, creates them).
 */
export class SealedSecretGroup extends Construct implements IFluxUnit {
  public readonly name: string;
  public readonly layer: FluxLayer;
  public readonly kustomization: FluxKustomization;
  /** The group's folder `dist/<cluster>/releases/<name>/` (one subfolder per namespace holds the SealedSecrets). */
  public readonly content: OutputFolder;
  /** The controller that decrypts the group's SealedSecrets. */
  public readonly controller: ISealedSecretsController;
  private readonly folders = new Map<string, OutputFolder>();

  public constructor(scope: Construct, id: string, props: SealedSecretGroupProps = {}) {
    super(scope, id);
    const layer = FluxLayer.tryOf(this);
    if (!layer) invalidProp(this, 'a SealedSecretGroup must be created in a FluxLayer or below one (cluster.controllers, .configs or .apps)');
    this.layer = layer;
    this.name = validateDnsLabel(this, 'name', props.name ?? id);
    const controller = props.controller ?? SealedSecretsController.of(this);
    if (!controller) throw missingController(this);
    this.controller = controller;
    const cluster = GitOpsCluster.of(this);
    this.content = new OutputFolder(this, 'Content', `${cluster.name}/releases/${this.name}`);
    this.kustomization = new FluxKustomization(this, 'Kustomization', {
      ...props,
      name: this.name,
      path: `${cluster.sourcePath}/releases/${this.name}`,
      wait: true,
      healthCheckExprs: [SEALED_SECRET_HEALTH_CHECK],
    });
    cluster.addDependency(this, controller);
  }

  /**
   * The folder for SealedSecrets of `namespace`: `releases/<name>/<namespace>/`, so Secrets of the
   * same name in two namespaces (a token for cert-manager and ExternalDNS) get files of their own.
   * Create SealedSecrets in it (or use {@link addSealedSecret}); Flux applies the folders recursively.
   */
  public folderFor(namespace: string): OutputFolder {
    validateDnsLabel(this, 'namespace', namespace);
    let folder = this.folders.get(namespace);
    if (!folder) {
      folder = new OutputFolder(this.content, namespace, `${this.content.folder}/${namespace}`);
      this.folders.set(namespace, folder);
    }
    return folder;
  }

  /** A SealedSecret in this group, in the folder of its namespace (see {@link folderFor}). */
  public addSealedSecret(id: string, props: SealedSecretProps): SealedSecret {
    return new SealedSecret(this.folderFor(props.namespace ?? props.encryptedData.namespace), id, { controller: this.controller, ...props });
  }
}
