import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { PushSecret as PushSecretBinding, PushSecretSpecDeletionPolicy, PushSecretSpecSecretStoreRefsKind, PushSecretSpecUpdatePolicy } from '../../imports/external-secrets-external-secrets.io';
import { goDuration } from '../core/duration';
import { ErrorCode, InfraFluxError, invalidProp, validateDnsLabel, validateDnsSubdomain } from '../core/errors';
import { GitOpsCluster } from '../flux/gitops-cluster';
import { SecretReference } from './secret-reference';
import { IExternalSecretsOperator, requirePushSecrets } from './external-secrets-operator';
import { ISecretStore, SecretStoreKind } from './secret-store';

/** One key pushed to the backend. */
export interface PushSecretData {
  /** Key of the Secret. */
  readonly secretKey: string;
  /** Name (path) of the secret in the backend. */
  readonly remoteKey: string;
  /**
   * Property of a JSON/KV secret to write.
   * @default - the whole value
   */
  readonly property?: string;
}

export interface PushSecretProps {
  /** The Secret to push: one this tree produces (its `producer` is set), or the push would wait forever. */
  readonly secret: SecretReference;
  /** Stores to write to. */
  readonly stores: readonly ISecretStore[];
  /** The operator; it must run the PushSecret reconciler. */
  readonly operator: IExternalSecretsOperator;
  readonly data: readonly PushSecretData[];
  /**
   * `metadata.name`.
   * @default - the Secret's name
   */
  readonly name?: string;
  /** @default Duration.hours(1) */
  readonly refreshInterval?: Duration;
  /**
   * Overwrite what the backend has, or write only when absent.
   * @default true (Replace)
   */
  readonly overwrite?: boolean;
  /**
   * Delete the backend secret when the PushSecret is deleted.
   * @default false (None)
   */
  readonly deleteRemote?: boolean;
}

/**
 * A `PushSecret` (`external-secrets.io/v1alpha1`): the operator writes keys of a Secret the
 * cluster produces into one or more stores, for another cluster or tool. Refuses a Secret with no
 * producer in the tree (nothing would ever create it).
 * @see https://external-secrets.io/latest/api/pushsecret/
 */
export class PushSecret extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  public readonly resource: PushSecretBinding;

  public constructor(scope: Construct, id: string, props: PushSecretProps) {
    super(scope, id);
    const secret = props.secret;
    this.namespace = validateDnsLabel(this, 'namespace', secret.namespace);
    this.name = validateDnsSubdomain(this, 'name', props.name ?? secret.name);
    if (!secret.producer) {
      throw new InfraFluxError(
        ErrorCode.MISSING_DEPENDENCY,
        this,
        `Secret ${secret.namespace}/${secret.name} has no producer in this tree; a PushSecret pushes a Secret the fleet creates (SealedSecret, ExternalSecret, Certificate), give its reference with the producer`,
      );
    }
    requirePushSecrets(this, props.operator);
    if (props.stores.length === 0) invalidProp(this, 'stores is empty; give at least one store to push to');
    for (const s of props.stores) {
      if (s.storeKind === SecretStoreKind.SECRET_STORE && s.storeNamespace !== this.namespace) {
        invalidProp(this, `SecretStore ${s.storeNamespace}/${s.storeName} serves namespace "${s.storeNamespace}" only, not "${this.namespace}"`);
      }
    }
    if (props.data.length === 0) invalidProp(this, 'data is empty; name the keys to push');
    const remote = new Set<string>();
    for (const d of props.data) {
      const at = `${d.remoteKey}#${d.property ?? ''}`;
      if (remote.has(at)) throw new InfraFluxError(ErrorCode.DUPLICATE, this, `remote key "${d.remoteKey}"${d.property ? ` property "${d.property}"` : ''} is written twice`);
      remote.add(at);
    }
    this.resource = new PushSecretBinding(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        refreshInterval: goDuration(props.refreshInterval ?? Duration.hours(1), this),
        updatePolicy: props.overwrite === false ? PushSecretSpecUpdatePolicy.IF_NOT_EXISTS : PushSecretSpecUpdatePolicy.REPLACE,
        deletionPolicy: props.deleteRemote ? PushSecretSpecDeletionPolicy.DELETE : PushSecretSpecDeletionPolicy.NONE,
        secretStoreRefs: props.stores.map((s) => ({
          kind: s.storeKind === SecretStoreKind.CLUSTER_SECRET_STORE ? PushSecretSpecSecretStoreRefsKind.CLUSTER_SECRET_STORE : PushSecretSpecSecretStoreRefsKind.SECRET_STORE,
          name: s.storeName,
        })),
        selector: { secret: { name: secret.name } },
        data: props.data.map((d) => ({ match: { secretKey: d.secretKey, remoteRef: { remoteKey: d.remoteKey, ...(d.property ? { property: d.property } : {}) } } })),
      },
    });
    this.node.defaultChild = this.resource;
    const cluster = GitOpsCluster.of(this);
    cluster.addDependency(this, secret.producer);
    for (const s of props.stores) cluster.addDependency(this, s);
    cluster.addDependency(this, props.operator);
  }
}
