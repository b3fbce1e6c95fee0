import { IConstruct } from 'constructs';
import { invalidProp, validateDnsLabel, validateDnsSubdomain } from '../../core/errors';
import { SecretReference } from '../secret-reference';

/** @internal Where a store is bound: a ClusterSecretStore names namespaces, a SecretStore may not leave its own. */
export interface StoreContext {
  /** The construct that reports errors. */
  readonly scope: IConstruct;
  /** Namespace of a SecretStore; undefined for a ClusterSecretStore. */
  readonly storeNamespace: string | undefined;
  /** Namespace of the operator: where a ClusterSecretStore's ServiceAccounts are created. */
  readonly operatorNamespace: string;
}

/** @internal A ServiceAccount the store creates, whose token the operator requests (TokenRequest) to log in. */
export interface StoreServiceAccount {
  readonly name: string;
  readonly namespace: string;
  readonly annotations: Record<string, string>;
  /** Bind it to `system:auth-delegator` (it may call TokenReview: Vault reviews a token with the token itself). */
  readonly authDelegator?: boolean;
}

/** @internal What a provider strategy contributes to `spec.provider`. */
export interface StoreProviderConfig {
  /** Key under `spec.provider` (`vault`, `aws`, `azurekv`, `gcpsm`). */
  readonly key: string;
  /** The provider block, as the v1 CRD spells it. */
  readonly provider: Record<string, unknown>;
  readonly serviceAccounts: readonly StoreServiceAccount[];
  /** Secrets the store reads its credentials from (static credentials). */
  readonly secrets: readonly SecretReference[];
}

/**
 * @internal One secret backend of the External Secrets Operator (one file each in this folder).
 * `SecretStoreProvider` in ../secret-store.ts wraps a strategy; the strategies never import it.
 */
export interface StoreProviderStrategy {
  /** Human name, for messages. */
  readonly name: string;
  bind(ctx: StoreContext): StoreProviderConfig;
}

/** @internal Default name of the ServiceAccount a store logs in with. */
export const DEFAULT_STORE_SERVICE_ACCOUNT = 'external-secrets-store';

/** @internal A `{ name, key, namespace? }` selector of a Secret key for a store (namespace only for ClusterSecretStores). */
export function storeSecretKey(ctx: StoreContext, secret: SecretReference, key: string): Record<string, string> {
  validateDnsSubdomain(ctx.scope, 'store credentials Secret name', secret.name);
  validateDnsLabel(ctx.scope, 'store credentials Secret namespace', secret.namespace);
  // Records the use for the provenance check (decision 0063); refuses a key the Secret lacks.
  secret.key(key).use(ctx.scope, 'store credentials');
  if (ctx.storeNamespace !== undefined && secret.namespace !== ctx.storeNamespace) {
    invalidProp(ctx.scope, `SecretStore in namespace "${ctx.storeNamespace}" cannot read Secret ${secret.namespace}/${secret.name}: a SecretStore reads Secrets of its own namespace only; use a ClusterSecretStore or a Secret in "${ctx.storeNamespace}"`);
  }
  return ctx.storeNamespace === undefined ? { name: secret.name, key, namespace: secret.namespace } : { name: secret.name, key };
}

/** @internal The ServiceAccount of a store and its reference (`serviceAccountRef`). */
export function storeServiceAccount(ctx: StoreContext, name: string, annotations: Record<string, string> = {}, audiences?: readonly string[]): { sa: StoreServiceAccount; ref: Record<string, unknown> } {
  validateDnsSubdomain(ctx.scope, 'store ServiceAccount name', name);
  const namespace = ctx.storeNamespace ?? ctx.operatorNamespace;
  const ref: Record<string, unknown> = {
    name,
    ...(ctx.storeNamespace === undefined ? { namespace } : {}),
    ...(audiences && audiences.length ? { audiences: [...audiences] } : {}),
  };
  return { sa: { name, namespace, annotations }, ref };
}

/** @internal Refuses an empty text prop. */
export function requireText(scope: IConstruct, what: string, value: string | undefined): string {
  if (value === undefined || value.trim() === '') invalidProp(scope, `${what} is required and must not be empty`);
  return value;
}

/** @internal Refuses a URL that is not https://. */
export function requireHttps(scope: IConstruct, what: string, value: string): string {
  if (!/^https:\/\/[^\s/]+(\/[^\s]*)?$/.test(value)) invalidProp(scope, `${what} "${value}" must be an https:// URL`);
  return value;
}
