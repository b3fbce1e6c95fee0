import { IConstruct } from 'constructs';

/** How the Secret behind a {@link SecretReference} is produced. */
export class SecretSource {
  /** A Bitnami SealedSecret (encrypted in Git, decrypted in the cluster by the sealed-secrets controller). */
  public static readonly SEALED_SECRET = new SecretSource('SealedSecret');
  /** An External Secrets Operator ExternalSecret (synced from a secret store). */
  public static readonly EXTERNAL_SECRET = new SecretSource('ExternalSecret');
  private constructor(public readonly kind: string) {}
}

/**
 * A reference to a Kubernetes Secret on the management cluster that a SealedSecret or an
 * ExternalSecret creates. InfraFlux never emits the Secret itself and never takes secret values:
 * provider credentials are always given by reference.
 */
export class SecretReference {
  /**
   * The Secret `name` in `namespace`, created by a SealedSecret.
   * @param producer the construct that emits the SealedSecret, if it is part of the fleet: the
   *   cluster's Flux Kustomization then waits for it.
   * @see https://github.com/bitnami-labs/sealed-secrets#usage
   */
  public static fromSealedSecret(name: string, namespace: string, producer?: IConstruct): SecretReference {
    return new SecretReference(name, namespace, SecretSource.SEALED_SECRET, producer);
  }

  /**
   * The Secret `name` in `namespace`, created by an ExternalSecret (`spec.target.name`).
   * @param producer the construct that emits the ExternalSecret, if it is part of the fleet.
   * @see https://external-secrets.io/latest/api/externalsecret/
   */
  public static fromExternalSecret(name: string, namespace: string, producer?: IConstruct): SecretReference {
    return new SecretReference(name, namespace, SecretSource.EXTERNAL_SECRET, producer);
  }

  private constructor(
    public readonly name: string,
    public readonly namespace: string,
    public readonly source: SecretSource,
    public readonly producer: IConstruct | undefined,
  ) {}
}
