import { Construct } from 'constructs';
import { SealedSecret as SealedSecretBinding } from '../../imports/sealed-secrets-bitnami.com';
import { ErrorCode, InfraFluxError, validateDnsLabel, validateDnsSubdomain } from '../core/errors';
import { SecretReference } from './secret-reference';
import { SealedData, SealedSecretTemplate, sealedSecretProps, SealingScope } from './seal';

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

  public constructor(scope: Construct, id: string, props: SealedSecretProps) {
    super(scope, id);
    const data = props.encryptedData;
    this.name = validateDnsSubdomain(this, 'name', props.name ?? data.name);
    this.namespace = validateDnsLabel(this, 'namespace', props.namespace ?? data.namespace);
    this.sealingScope = props.sealingScope ?? data.scope;
    this.checkTarget(data);
    this.resource = new SealedSecretBinding(this, 'Resource', sealedSecretProps(data, this.name, this.namespace, props.template ?? {}, this.node.path));
    this.secretRef = SecretReference.fromSealedSecret(this.name, this.namespace, this, data.keys);
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
