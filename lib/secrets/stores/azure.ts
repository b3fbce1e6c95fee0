import { ErrorCode, InfraFluxError, invalidProp } from '../../core/errors';
import { SecretReference } from '../secret-reference';
import { DEFAULT_STORE_SERVICE_ACCOUNT, StoreContext, StoreProviderConfig, StoreProviderStrategy, storeSecretKey, storeServiceAccount } from './_strategy';

// SecretStoreProvider (../secret-store.ts) imports this file, never the reverse.

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const VAULT_URL = /^https:\/\/[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]\.vault\.(azure\.net|azure\.cn|usgovcloudapi\.net)\/?$/;

interface AzureAuthParts {
  readonly fields: Record<string, unknown>;
  readonly serviceAccounts: StoreProviderConfig['serviceAccounts'];
  readonly secrets: StoreProviderConfig['secrets'];
}

/** How the operator authenticates to Azure Key Vault. */
export class AzureAuth {
  /**
   * A service principal with a client secret, from the keys `client-id` and `client-secret` of
   * `secret` (a SealedSecret, or a declared bootstrap root), scoped to `Key Vault Secrets User` on
   * one vault.
   * @see https://external-secrets.io/latest/provider/azure-key-vault/#service-principal-key
   */
  public static servicePrincipal(secret: SecretReference): AzureAuth {
    return new AzureAuth((ctx) => ({
      fields: {
        authType: 'ServicePrincipal',
        authSecretRef: { clientId: storeSecretKey(ctx, secret, 'client-id'), clientSecret: storeSecretKey(ctx, secret, 'client-secret') },
      },
      serviceAccounts: [],
      secrets: [secret],
    }));
  }

  /**
   * Workload identity federation: a dedicated ServiceAccount annotated with the application's
   * client id; Entra ID trusts the cluster's service-account issuer through a federated
   * credential. The issuer's discovery document and JWKS must be publicly reachable.
   * @see https://external-secrets.io/latest/provider/azure-key-vault/#workload-identity
   */
  public static workloadIdentity(props: { readonly clientId: string; readonly serviceAccountName?: string }): AzureAuth {
    return new AzureAuth((ctx) => {
      guid(ctx, 'Azure workload identity clientId', props.clientId);
      const { sa, ref } = storeServiceAccount(ctx, props.serviceAccountName ?? DEFAULT_STORE_SERVICE_ACCOUNT, { 'azure.workload.identity/client-id': props.clientId });
      return { fields: { authType: 'WorkloadIdentity', serviceAccountRef: ref }, serviceAccounts: [sa], secrets: [] };
    });
  }

  /**
   * The VM's managed identity through the instance metadata service. Every pod that reaches IMDS
   * on the node can use it: prefer the other two unless IMDS is blocked for other pods.
   * @see https://external-secrets.io/latest/provider/azure-key-vault/#managed-identity-authentication
   */
  public static managedIdentity(props: { readonly identityId?: string } = {}): AzureAuth {
    return new AzureAuth(() => ({ fields: { authType: 'ManagedIdentity', ...(props.identityId ? { identityId: props.identityId } : {}) }, serviceAccounts: [], secrets: [] }));
  }

  private constructor(
    /** @internal */
    public readonly _bind: (ctx: StoreContext) => AzureAuthParts,
  ) {}
}

function guid(ctx: StoreContext, what: string, value: string): void {
  if (!GUID.test(value)) throw new InfraFluxError(ErrorCode.INVALID_CLOUD_IDENTIFIER, ctx.scope, `${what} "${value}" is not a GUID`);
}

export interface AzureKeyVaultProps {
  /** `https://<vault>.vault.azure.net`. */
  readonly vaultUrl: string;
  /** Entra ID tenant (GUID). */
  readonly tenantId: string;
  /** How the operator authenticates. */
  readonly auth: AzureAuth;
}

/** @internal Azure Key Vault. */
export function azureKeyVaultStrategy(props: AzureKeyVaultProps): StoreProviderStrategy {
  return {
    name: 'Azure Key Vault',
    bind(ctx): StoreProviderConfig {
      if (!props.auth) invalidProp(ctx.scope, 'Azure Key Vault store needs auth (AzureAuth.servicePrincipal(...), .workloadIdentity(...) or .managedIdentity())');
      if (!VAULT_URL.test(props.vaultUrl)) throw new InfraFluxError(ErrorCode.INVALID_CLOUD_IDENTIFIER, ctx.scope, `Azure vaultUrl "${props.vaultUrl}" is not a Key Vault URL (https://<name>.vault.azure.net)`);
      guid(ctx, 'Azure tenantId', props.tenantId);
      const { fields, serviceAccounts, secrets } = props.auth._bind(ctx);
      return { key: 'azurekv', provider: { vaultUrl: props.vaultUrl, tenantId: props.tenantId, ...fields }, serviceAccounts, secrets };
    },
  };
}
