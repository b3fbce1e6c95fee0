import { ErrorCode, InfraFluxError, invalidProp } from '../../core/errors';
import { SecretReference } from '../secret-reference';
import { DEFAULT_STORE_SERVICE_ACCOUNT, StoreContext, StoreProviderConfig, StoreProviderStrategy, storeSecretKey, storeServiceAccount } from './_strategy';

// SecretStoreProvider (../secret-store.ts) imports this file, never the reverse.

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/** How the operator authenticates to AWS. */
export class AwsAuth {
  /**
   * A scoped IAM user's access key, from the keys `access-key-id` and `secret-access-key` of
   * `secret` (a SealedSecret, or a declared bootstrap root). For a self-managed cluster whose
   * service-account issuer AWS cannot reach.
   * @see https://external-secrets.io/latest/provider/aws-secrets-manager/#secretref
   */
  public static accessKey(secret: SecretReference): AwsAuth {
    return new AwsAuth((ctx) => ({
      auth: {
        secretRef: {
          accessKeyIdSecretRef: storeSecretKey(ctx, secret, 'access-key-id'),
          secretAccessKeySecretRef: storeSecretKey(ctx, secret, 'secret-access-key'),
        },
      },
      serviceAccounts: [],
      secrets: [secret],
    }));
  }

  /**
   * Web identity (IRSA-style): the operator requests a token of a dedicated ServiceAccount
   * annotated with `eks.amazonaws.com/role-arn` and calls AssumeRoleWithWebIdentity. Works on EKS
   * and on a self-managed cluster whose service-account issuer is registered as an IAM OIDC
   * provider (its discovery document and JWKS published where STS can fetch them).
   * @see https://external-secrets.io/latest/provider/aws-secrets-manager/#eks-service-account-credentials
   */
  public static webIdentity(props: { readonly roleArn: string; readonly serviceAccountName?: string }): AwsAuth {
    return new AwsAuth((ctx) => {
      if (!ROLE_ARN.test(props.roleArn)) {
        throw new InfraFluxError(ErrorCode.INVALID_CLOUD_IDENTIFIER, ctx.scope, `AWS roleArn "${props.roleArn}" is not an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>)`);
      }
      const { sa, ref } = storeServiceAccount(ctx, props.serviceAccountName ?? DEFAULT_STORE_SERVICE_ACCOUNT, { 'eks.amazonaws.com/role-arn': props.roleArn }, ['sts.amazonaws.com']);
      return { auth: { jwt: { serviceAccountRef: ref } }, serviceAccounts: [sa], secrets: [] };
    });
  }

  private constructor(
    /** @internal */
    public readonly _bind: (ctx: StoreContext) => { auth: Record<string, unknown>; serviceAccounts: StoreProviderConfig['serviceAccounts']; secrets: StoreProviderConfig['secrets'] },
  ) {}
}

export interface AwsSecretsManagerProps {
  /** AWS region of the secrets, e.g. `eu-west-1`. */
  readonly region: string;
  /** How the operator authenticates. */
  readonly auth: AwsAuth;
  /**
   * A role to assume after authenticating (e.g. a per-cluster read-only role).
   * @default - none
   */
  readonly role?: string;
}

/** @internal AWS Secrets Manager. */
export function awsSecretsManagerStrategy(props: AwsSecretsManagerProps): StoreProviderStrategy {
  return {
    name: 'AWS Secrets Manager',
    bind(ctx): StoreProviderConfig {
      if (!props.auth) invalidProp(ctx.scope, 'AWS Secrets Manager store needs auth (AwsAuth.accessKey(...) or AwsAuth.webIdentity(...)); the default credential chain would use the node\'s instance profile, shared by every pod of the node');
      if (!REGION.test(props.region)) throw new InfraFluxError(ErrorCode.INVALID_CLOUD_IDENTIFIER, ctx.scope, `AWS region "${props.region}" is not a region name (e.g. eu-west-1)`);
      if (props.role !== undefined && !ROLE_ARN.test(props.role)) throw new InfraFluxError(ErrorCode.INVALID_CLOUD_IDENTIFIER, ctx.scope, `AWS role "${props.role}" is not an IAM role ARN`);
      const { auth, serviceAccounts, secrets } = props.auth._bind(ctx);
      return {
        key: 'aws',
        provider: { service: 'SecretsManager', region: props.region, ...(props.role ? { role: props.role } : {}), auth },
        serviceAccounts,
        secrets,
      };
    },
  };
}
