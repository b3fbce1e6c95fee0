import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ClusterSecretStore as ClusterSecretStoreBinding, ClusterSecretStoreSpecProvider, SecretStore as SecretStoreBinding, SecretStoreSpecProvider } from '../../imports/external-secrets-external-secrets.io';
import { ErrorCode, InfraFluxError, validateDnsLabel, validateDnsSubdomain } from '../core/errors';
import { FluxLayer, GitOpsCluster, LayerName } from '../flux/gitops-cluster';
import { IExternalSecretsOperator } from './external-secrets-operator';
import { StoreProviderConfig, StoreProviderStrategy } from './stores/_strategy';
import { AwsSecretsManagerProps, awsSecretsManagerStrategy } from './stores/aws';
import { AzureKeyVaultProps, azureKeyVaultStrategy } from './stores/azure';
import { GcpSecretManagerProps, gcpSecretManagerStrategy } from './stores/gcp';
import { VaultProviderProps, vaultStrategy } from './stores/vault';

/** The two store kinds of `external-secrets.io/v1`. */
export enum SecretStoreKind {
  /** Cluster-scoped: any namespace the store's conditions allow may use it. */
  CLUSTER_SECRET_STORE = 'ClusterSecretStore',
  /** Namespaced: only ExternalSecrets of its namespace use it. */
  SECRET_STORE = 'SecretStore',
}

/**
 * The backend a store reads from, with its authentication. Credentials only by reference: a
 * workload identity (a ServiceAccount the store creates) or a Secret (a SealedSecret, or a declared
 * bootstrap root). Each provider's `spec.provider` block comes from its strategy in
 * lib/secrets/stores/.
 */
export class SecretStoreProvider {
  /** HashiCorp Vault (KV v2), e.g. with {@link VaultAuth.kubernetes}. */
  public static vault(props: VaultProviderProps): SecretStoreProvider {
    return new SecretStoreProvider(vaultStrategy(props));
  }
  /** AWS Secrets Manager, with {@link AwsAuth}. */
  public static awsSecretsManager(props: AwsSecretsManagerProps): SecretStoreProvider {
    return new SecretStoreProvider(awsSecretsManagerStrategy(props));
  }
  /** Azure Key Vault, with {@link AzureAuth}. */
  public static azureKeyVault(props: AzureKeyVaultProps): SecretStoreProvider {
    return new SecretStoreProvider(azureKeyVaultStrategy(props));
  }
  /** Google Cloud Secret Manager, with {@link GcpAuth}. */
  public static gcpSecretManager(props: GcpSecretManagerProps): SecretStoreProvider {
    return new SecretStoreProvider(gcpSecretManagerStrategy(props));
  }

  /** Backend name, for messages. */
  public readonly name: string;
  private constructor(private readonly strategy: StoreProviderStrategy) {
    this.name = strategy.name;
  }

  /** @internal */
  public _bind(scope: IConstruct, storeNamespace: string | undefined, operatorNamespace: string): StoreProviderConfig {
    return this.strategy.bind({ scope, storeNamespace, operatorNamespace });
  }
}

/** A secret store ExternalSecrets and PushSecrets can name. */
export interface ISecretStore extends IConstruct {
  /** `metadata.name` of the store. */
  readonly storeName: string;
  readonly storeKind: SecretStoreKind;
  /** Namespace of a SecretStore; undefined for a ClusterSecretStore. */
  readonly storeNamespace?: string;
}

interface StoreBaseProps {
  /**
   * `metadata.name` of the store.
   * @default - the construct id, lowercased
   */
  readonly name?: string;
  /** The backend and its authentication. */
  readonly provider: SecretStoreProvider;
  /** The operator that reconciles the store: the store waits for it (its CRDs). */
  readonly operator: IExternalSecretsOperator;
}

export interface ClusterSecretStoreProps extends StoreBaseProps {
  /**
   * Namespaces whose ExternalSecrets may use the store (`spec.conditions[].namespaces`).
   * @default - every namespace
   * @see https://external-secrets.io/latest/api/clustersecretstore/
   */
  readonly namespaces?: readonly string[];
}

export interface SecretStoreProps extends StoreBaseProps {
  /** Namespace of the store, its credentials and the ExternalSecrets that use it. */
  readonly namespace: string;
}

/** Objects and checks both store kinds share. */
abstract class StoreBase extends Construct implements ISecretStore {
  public readonly storeName: string;
  public abstract readonly storeKind: SecretStoreKind;
  public readonly storeNamespace?: string;
  /** @internal What the provider contributes (ServiceAccounts, credentials Secrets). */
  protected readonly config: StoreProviderConfig;
  /** The ServiceAccounts the store logs in with, created with it. */
  public readonly serviceAccounts: readonly ApiObject[];

  protected constructor(scope: Construct, id: string, props: StoreBaseProps, storeNamespace: string | undefined) {
    super(scope, id);
    this.storeName = validateDnsSubdomain(this, 'name', props.name ?? id.toLowerCase());
    if (storeNamespace !== undefined) this.storeNamespace = validateDnsLabel(this, 'namespace', storeNamespace);
    const layer = FluxLayer.of(this);
    if (layer.layerName === LayerName.CRDS || layer.layerName === LayerName.CONTROLLERS) {
      throw new InfraFluxError(
        ErrorCode.WRONG_LAYER,
        this,
        `a secret store must be created in the configs or apps layer, not "${layer.layerName}": its kind is served only once the operator (controllers) is Ready`,
      );
    }
    this.config = props.provider._bind(this, storeNamespace, props.operator.namespace);
    this.serviceAccounts = this.config.serviceAccounts.map(
      (sa) =>
        new ApiObject(this, `ServiceAccount-${sa.name}`, {
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: { name: sa.name, namespace: sa.namespace, ...(Object.keys(sa.annotations).length ? { annotations: sa.annotations } : {}) },
          // Only the operator requests tokens for it (TokenRequest); no pod mounts one.
          automountServiceAccountToken: false,
        }),
    );
    for (const sa of this.config.serviceAccounts.filter((x) => x.authDelegator)) {
      new ApiObject(this, `AuthDelegator-${sa.name}`, {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: `${sa.namespace}-${sa.name}-auth-delegator` },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:auth-delegator' },
        subjects: [{ kind: 'ServiceAccount', name: sa.name, namespace: sa.namespace }],
      });
    }
    const cluster = GitOpsCluster.of(this);
    cluster.addDependency(this, props.operator);
    for (const s of this.config.secrets) if (s.producer) cluster.addDependency(this, s.producer);
  }
}

/**
 * A `ClusterSecretStore` (`external-secrets.io/v1`): one backend for the whole cluster, with its
 * ServiceAccount (workload identity) or credentials Secret in the operator's namespace. Create it in
 * the configs layer (its CRD is served once the operator is Ready).
 * @see https://external-secrets.io/latest/api/clustersecretstore/
 */
export class ClusterSecretStore extends StoreBase {
  /** A ClusterSecretStore this tree does not create: ExternalSecrets may name it. */
  public static fromName(scope: Construct, id: string, name: string): ISecretStore {
    return new ImportedStore(scope, id, name, SecretStoreKind.CLUSTER_SECRET_STORE, undefined);
  }

  public readonly storeKind = SecretStoreKind.CLUSTER_SECRET_STORE;
  /** The generated ClusterSecretStore (escape hatch). */
  public readonly resource: ClusterSecretStoreBinding;

  public constructor(scope: Construct, id: string, props: ClusterSecretStoreProps) {
    super(scope, id, props, undefined);
    for (const ns of props.namespaces ?? []) validateDnsLabel(this, 'namespaces entry', ns);
    this.resource = new ClusterSecretStoreBinding(this, 'Resource', {
      metadata: { name: this.storeName },
      spec: {
        provider: { [this.config.key]: this.config.provider } as ClusterSecretStoreSpecProvider,
        ...(props.namespaces?.length ? { conditions: [{ namespaces: [...props.namespaces] }] } : {}),
      },
    });
    this.node.defaultChild = this.resource;
  }
}

/**
 * A `SecretStore` (`external-secrets.io/v1`): a backend for one namespace; its credentials Secret
 * and ServiceAccount must be in that namespace.
 * @see https://external-secrets.io/latest/api/secretstore/
 */
export class SecretStore extends StoreBase {
  /** A SecretStore this tree does not create. */
  public static fromName(scope: Construct, id: string, name: string, namespace: string): ISecretStore {
    return new ImportedStore(scope, id, name, SecretStoreKind.SECRET_STORE, namespace);
  }

  public readonly storeKind = SecretStoreKind.SECRET_STORE;
  /** The generated SecretStore (escape hatch). */
  public readonly resource: SecretStoreBinding;

  public constructor(scope: Construct, id: string, props: SecretStoreProps) {
    super(scope, id, props, props.namespace);
    this.resource = new SecretStoreBinding(this, 'Resource', {
      metadata: { name: this.storeName, namespace: props.namespace },
      spec: { provider: { [this.config.key]: this.config.provider } as SecretStoreSpecProvider },
    });
    this.node.defaultChild = this.resource;
  }
}

class ImportedStore extends Construct implements ISecretStore {
  /** Read by the dependency resolution: nothing in this tree creates it. */
  public readonly installedElsewhere = true;
  public readonly storeName: string;
  public readonly storeNamespace?: string;

  public constructor(scope: Construct, id: string, name: string, public readonly storeKind: SecretStoreKind, namespace: string | undefined) {
    super(scope, id);
    this.storeName = validateDnsSubdomain(this, 'name', name);
    if (namespace !== undefined) this.storeNamespace = validateDnsLabel(this, 'namespace', namespace);
  }
}
