import { ErrorCode, InfraFluxError, invalidProp } from '../../core/errors';
import { SecretReference } from '../secret-reference';
import { DEFAULT_STORE_SERVICE_ACCOUNT, StoreContext, StoreProviderConfig, StoreProviderStrategy, storeSecretKey, storeServiceAccount } from './_strategy';

// SecretStoreProvider (../secret-store.ts) imports this file, never the reverse.

const PROJECT = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const AUDIENCE = /^\/\/iam\.googleapis\.com\/projects\/\d+\/locations\/global\/workloadIdentityPools\/[a-z0-9-]{4,32}\/providers\/[a-z0-9-]{4,32}$/;
const SA_EMAIL = /^[a-z][a-z0-9-]{4,28}[a-z0-9]@[a-z][a-z0-9-]{4,28}[a-z0-9]\.iam\.gserviceaccount\.com$/;

/** How the operator authenticates to Google Cloud. */
export class GcpAuth {
  /**
   * Workload Identity Federation for a self-managed cluster: the operator exchanges a token of a
   * dedicated ServiceAccount at Google's STS for the pool provider `audience` (an OIDC provider
   * of the cluster's service-account issuer; its JWKS may be uploaded, so the issuer need not be
   * public), optionally impersonating `serviceAccountEmail`.
   * @see https://external-secrets.io/latest/provider/google-secrets-manager/#workload-identity-federation
   * @see https://cloud.google.com/iam/docs/workload-identity-federation-with-kubernetes
   */
  public static workloadIdentityFederation(props: { readonly audience: string; readonly serviceAccountEmail?: string; readonly serviceAccountName?: string }): GcpAuth {
    return new GcpAuth((ctx) => {
      if (!AUDIENCE.test(props.audience)) {
        throw new InfraFluxError(ErrorCode.INVALID_CLOUD_IDENTIFIER, ctx.scope, `GCP audience "${props.audience}" is not a workload identity pool provider (//iam.googleapis.com/projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>)`);
      }
      if (props.serviceAccountEmail !== undefined && !SA_EMAIL.test(props.serviceAccountEmail)) {
        throw new InfraFluxError(ErrorCode.INVALID_CLOUD_IDENTIFIER, ctx.scope, `GCP serviceAccountEmail "${props.serviceAccountEmail}" is not a service account e-mail (<name>@<project>.iam.gserviceaccount.com)`);
      }
      const { sa, ref } = storeServiceAccount(ctx, props.serviceAccountName ?? DEFAULT_STORE_SERVICE_ACCOUNT);
      return {
        auth: { workloadIdentityFederation: { audience: props.audience, serviceAccountRef: ref, ...(props.serviceAccountEmail ? { gcpServiceAccountEmail: props.serviceAccountEmail } : {}) } },
        serviceAccounts: [sa],
        secrets: [],
      };
    });
  }

  /**
   * A service account key (JSON) from the key `secret-access-credentials` of `secret` (a
   * SealedSecret, or a declared bootstrap root).
   * @see https://external-secrets.io/latest/provider/google-secrets-manager/#authenticating-with-a-gcp-service-account
   */
  public static serviceAccountKey(secret: SecretReference): GcpAuth {
    return new GcpAuth((ctx) => ({ auth: { secretRef: { secretAccessKeySecretRef: storeSecretKey(ctx, secret, 'secret-access-credentials') } }, serviceAccounts: [], secrets: [secret] }));
  }

  private constructor(
    /** @internal */
    public readonly _bind: (ctx: StoreContext) => { auth: Record<string, unknown>; serviceAccounts: StoreProviderConfig['serviceAccounts']; secrets: StoreProviderConfig['secrets'] },
  ) {}
}

export interface GcpSecretManagerProps {
  /** Project that holds the secrets. */
  readonly projectId: string;
  /** How the operator authenticates. */
  readonly auth: GcpAuth;
}

/** @internal Google Cloud Secret Manager. */
export function gcpSecretManagerStrategy(props: GcpSecretManagerProps): StoreProviderStrategy {
  return {
    name: 'GCP Secret Manager',
    bind(ctx): StoreProviderConfig {
      if (!props.auth) invalidProp(ctx.scope, 'GCP Secret Manager store needs auth (GcpAuth.workloadIdentityFederation(...) or GcpAuth.serviceAccountKey(...)); the default credentials would be the VM\'s service account, shared by every pod of the node');
      if (!PROJECT.test(props.projectId)) throw new InfraFluxError(ErrorCode.INVALID_CLOUD_IDENTIFIER, ctx.scope, `GCP projectId "${props.projectId}" is not a project id`);
      const { auth, serviceAccounts, secrets } = props.auth._bind(ctx);
      return { key: 'gcpsm', provider: { projectId: props.projectId, auth }, serviceAccounts, secrets };
    },
  };
}
