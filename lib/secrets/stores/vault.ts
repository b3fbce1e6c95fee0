import { invalidProp } from '../../core/errors';
import { SecretReference } from '../secret-reference';
import { DEFAULT_STORE_SERVICE_ACCOUNT, requireHttps, requireText, StoreContext, StoreProviderConfig, StoreProviderStrategy, storeSecretKey, storeServiceAccount } from './_strategy';

// SecretStoreProvider (../secret-store.ts) imports this file, never the reverse.

export interface VaultKubernetesAuthProps {
  /**
   * Path of the Kubernetes auth method in Vault (one per cluster: Vault reviews the token with
   * that cluster's API server).
   * @example 'kubernetes-mgmt'
   */
  readonly mountPath: string;
  /** Vault role bound to the ServiceAccount (`bound_service_account_names/namespaces`). */
  readonly role: string;
  /**
   * The ServiceAccount the operator requests a short-lived token for (TokenRequest) and presents
   * to Vault; created with the store.
   * @default 'external-secrets-store'
   */
  readonly serviceAccountName?: string;
  /**
   * Audiences of the requested token; Vault's role must list one (`audience`).
   * @default - the API server's default audience
   */
  readonly audiences?: readonly string[];
  /**
   * Vault's auth method is configured without `token_reviewer_jwt`, so Vault calls TokenReview
   * with the login token itself: the ServiceAccount is bound to the ClusterRole
   * `system:auth-delegator` (TokenReview and SubjectAccessReview, nothing else). Set false when
   * Vault has a reviewer token of its own.
   * @default true
   * @see https://developer.hashicorp.com/vault/docs/auth/kubernetes#use-the-vault-client-s-jwt-as-the-reviewer-jwt
   */
  readonly clientTokenReview?: boolean;
}

/** How the operator logs in to Vault. */
export class VaultAuth {
  /**
   * Kubernetes auth: the operator logs in with a short-lived token of a dedicated ServiceAccount;
   * Vault checks it with the cluster's TokenReview API. No secret in the cluster. The auth mount
   * and role in Vault are a bootstrap root (docs/runbooks/external-secrets.md).
   * @see https://external-secrets.io/latest/provider/hashicorp-vault/#kubernetes-authentication
   * @see https://developer.hashicorp.com/vault/docs/auth/kubernetes
   */
  public static kubernetes(props: VaultKubernetesAuthProps): VaultAuth {
    return new VaultAuth((ctx) => {
      requireText(ctx.scope, 'Vault kubernetes auth mountPath', props.mountPath);
      requireText(ctx.scope, 'Vault kubernetes auth role', props.role);
      const { sa, ref } = storeServiceAccount(ctx, props.serviceAccountName ?? DEFAULT_STORE_SERVICE_ACCOUNT, {}, props.audiences);
      const login = { ...sa, authDelegator: props.clientTokenReview ?? true };
      return { auth: { kubernetes: { mountPath: props.mountPath, role: props.role, serviceAccountRef: ref } }, serviceAccounts: [login], secrets: [] };
    });
  }

  /**
   * AppRole: a role id and a secret id (key `secret-id` of `secretId`, a SealedSecret). Static:
   * rotate the secret id (docs/runbooks/external-secrets.md).
   * @see https://external-secrets.io/latest/provider/hashicorp-vault/#approle-authentication-example
   */
  public static appRole(props: { readonly path?: string; readonly roleId: string; readonly secretId: SecretReference; readonly secretIdKey?: string }): VaultAuth {
    return new VaultAuth((ctx) => {
      requireText(ctx.scope, 'Vault appRole roleId', props.roleId);
      return {
        auth: { appRole: { path: props.path ?? 'approle', roleId: props.roleId, secretRef: storeSecretKey(ctx, props.secretId, props.secretIdKey ?? 'secret-id') } },
        serviceAccounts: [],
        secrets: [props.secretId],
      };
    });
  }

  private constructor(
    /** @internal */
    public readonly _bind: (ctx: StoreContext) => { auth: Record<string, unknown>; serviceAccounts: StoreProviderConfig['serviceAccounts']; secrets: StoreProviderConfig['secrets'] },
  ) {}
}

export interface VaultProviderProps {
  /** Vault address, https://. */
  readonly server: string;
  /**
   * Mount path of the KV secrets engine.
   * @default 'secret'
   */
  readonly path?: string;
  /** How the operator logs in. */
  readonly auth: VaultAuth;
  /**
   * Vault Enterprise namespace.
   * @default - none
   */
  readonly namespace?: string;
  /**
   * PEM of the CA that signed Vault's certificate, when it is not publicly trusted (not a secret).
   * @default - the system trust store
   */
  readonly caPem?: string;
}

/** @internal HashiCorp Vault, KV version 2. */
export function vaultStrategy(props: VaultProviderProps): StoreProviderStrategy {
  return {
    name: 'HashiCorp Vault',
    bind(ctx): StoreProviderConfig {
      if (!props.auth) invalidProp(ctx.scope, 'Vault store needs auth (VaultAuth.kubernetes(...) or VaultAuth.appRole(...)); an unauthenticated store cannot read anything');
      requireHttps(ctx.scope, 'Vault server', props.server);
      if (props.caPem !== undefined && !props.caPem.includes('-----BEGIN CERTIFICATE-----')) invalidProp(ctx.scope, 'Vault caPem must be a PEM certificate');
      const { auth, serviceAccounts, secrets } = props.auth._bind(ctx);
      return {
        key: 'vault',
        provider: {
          server: props.server,
          path: props.path ?? 'secret',
          version: 'v2',
          ...(props.namespace ? { namespace: props.namespace } : {}),
          ...(props.caPem ? { caBundle: Buffer.from(props.caPem, 'utf8').toString('base64') } : {}),
          auth,
        },
        serviceAccounts,
        secrets,
      };
    },
  };
}
