import { IConstruct } from 'constructs';
import { invalidProp, validateDnsSubdomain } from '../core/errors';

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * A key of a Kubernetes Secret that already exists (created by Sealed Secrets, External Secrets or
 * by hand) in the namespace of the component that reads it. InfraFlux never sees the value: only the
 * Secret's name and key land in the output.
 * @see https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables
 */
export class SecretKeyReference {
  /** The key `key` of the Secret `secretName`. */
  public static fromSecret(secretName: string, key: string): SecretKeyReference {
    return new SecretKeyReference(secretName, key);
  }

  private constructor(
    /** `metadata.name` of the Secret. */
    public readonly secretName: string,
    /** Key inside the Secret's `data`. */
    public readonly key: string,
  ) {}

  /** Checks name and key; throws naming `scope`. */
  public validate(scope: IConstruct, what: string): this {
    validateDnsSubdomain(scope, `${what} secret name`, this.secretName);
    if (!SECRET_KEY.test(this.key) || this.key.length > 253) {
      invalidProp(scope, `${what} secret key "${this.key}" is not a valid Secret key; use letters, digits, '-', '_' and '.'`);
    }
    return this;
  }

  /** `{ name, key }`: the shape of a Kubernetes SecretKeySelector and of cert-manager's secret refs. */
  public toSelector(): { name: string; key: string } {
    return { name: this.secretName, key: this.key };
  }
}
