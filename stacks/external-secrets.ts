/**
 * The External Secrets Operator on every reference cluster (controllers layer), one
 * ClusterSecretStore per cluster with the authentication that fits its platform (decision 0062),
 * and the EXTERNAL-route deliveries: oauth2-proxy's `oauth2-proxy-credentials` for Hubble UI.
 * What no store can provide (the store's own trust or credential) is declared as a root external
 * input with the command that provides it.
 */
import { OAuth2ProxySso } from '../lib/edge/platform-ui';
import { IFluxApp } from '../lib/flux/flux-app';
import { GitOpsCluster } from '../lib/flux/gitops-cluster';
import { SecretReference } from '../lib/secrets/secret-reference';
import { ExternalSecret } from '../lib/secrets/external-secret';
import { ExternalSecretsOperator } from '../lib/secrets/external-secrets-operator';
import { ClusterSecretStore, SecretStoreProvider } from '../lib/secrets/secret-store';
import { AwsAuth } from '../lib/secrets/stores/aws';
import { AzureAuth } from '../lib/secrets/stores/azure';
import { GcpAuth } from '../lib/secrets/stores/gcp';
import { VaultAuth } from '../lib/secrets/stores/vault';
import { VELERO_NAMESPACE } from '../lib/backup/velero-backup';
import { MONITORING_NAMESPACE } from '../lib/monitoring/prometheus-operator-crds';
import { FLEET_DOMAIN, MANAGEMENT_CLUSTER, type Baseline } from './config';
import { AUTHENTIK_NAMESPACE, HEADLAMP_SSO_NAMESPACE } from './identity';
import { STORAGE_SSO_NAMESPACE } from './storage';

/** Name of each cluster's ClusterSecretStore. */
export const FLEET_STORE = 'fleet-secrets';
/** Namespace of the oauth2-proxy in front of Hubble UI (stacks/edge.ts, `OAuth2ProxySso`). */
export const HUBBLE_SSO_NAMESPACE = OAuth2ProxySso.namespaceFor('HubbleUi');
/** The Secret oauth2-proxy reads (`config.existingSecret`), keys client-id, client-secret, cookie-secret. */
export const OAUTH2_PROXY_CREDENTIALS = 'oauth2-proxy-credentials';

/** The platform team's Vault, for the clusters without a cloud secret manager. */
const VAULT_SERVER = `https://vault.${FLEET_DOMAIN}`;
/** The Entra ID tenant of prod-azure (the tenant of stacks/clusters.ts). */
const AZURE_TENANT = '11111111-1111-1111-1111-111111111111';
const GCP_PROJECT_NUMBER = '123456789012';

/** How one cluster reads its runtime secrets. */
interface ClusterSecrets {
  /** Controller and webhook replicas: 2 (HA, leader election, PDB) on the production clusters. */
  readonly replicas: number;
  readonly provider: (cluster: GitOpsCluster) => SecretStoreProvider;
  /** Backend key of a secret of this cluster (`<name>` → the provider's naming rules). */
  readonly remoteKey: (name: string) => string;
}

/** Vault Kubernetes auth: one auth mount per cluster (Vault reviews the token with that cluster's API server). */
function vault(cluster: GitOpsCluster): SecretStoreProvider {
  const mountPath = `kubernetes-${cluster.name}`;
  cluster.declareExternalInput({
    group: 'vault',
    kind: 'KubernetesAuthRole',
    name: 'external-secrets',
    consumer: `ClusterSecretStore ${FLEET_STORE} (configs/, spec.provider.vault.auth.kubernetes)`,
    providedBy: `the Vault operator: auth method ${mountPath} configured with this cluster's API server and CA, and the role bound to ServiceAccount external-secrets/external-secrets-store (docs/runbooks/external-secrets.md)`,
    command:
      `vault auth enable -path=${mountPath} kubernetes && vault write auth/${mountPath}/config kubernetes_host=https://<api-server>:6443 kubernetes_ca_cert=@ca.crt && ` +
      `vault write auth/${mountPath}/role/external-secrets bound_service_account_names=external-secrets-store bound_service_account_namespaces=external-secrets policies=infraflux-${cluster.name}-read ttl=15m`,
  });
  return SecretStoreProvider.vault({ server: VAULT_SERVER, path: 'secret', auth: VaultAuth.kubernetes({ mountPath, role: 'external-secrets' }) });
}

/**
 * A scoped static credential in the operator's namespace (decision 0062: no workload identity for a
 * self-managed Talos cluster there), delivered sealed: stacks/sealed-secrets.ts
 * STORE_CREDENTIAL_DELIVERIES seals it and applies it in the controllers layer, before the store.
 */
function staticCredential(name: string): SecretReference {
  return SecretReference.fromSealedSecret(name, 'external-secrets');
}

const VAULT_CLUSTER = (replicas: number): ClusterSecrets => ({ replicas, provider: vault, remoteKey: (n) => `infraflux/{cluster}/${n}` });

/** Per cluster of the reference fleet: the choice of decision 0062. */
const CLUSTER_SECRETS: Readonly<Record<string, ClusterSecrets>> = {
  mgmt: VAULT_CLUSTER(2),
  'dev-proxmox': VAULT_CLUSTER(1),
  'edge-metal3': VAULT_CLUSTER(1),
  'prod-aws': {
    replicas: 2,
    provider: () =>
      SecretStoreProvider.awsSecretsManager({
        region: 'eu-central-1',
        auth: AwsAuth.accessKey(
          // Sealed (stacks/sealed-secrets.ts STORE_CREDENTIAL_DELIVERIES). The credential: the access key of IAM user infraflux-prod-aws-eso, allowed secretsmanager:GetSecretValue/DescribeSecret on arn:aws:secretsmanager:eu-central-1:<account>:secret:infraflux/prod-aws/* only (no issuer the cluster publishes for web identity: decision 0062)
          // Created with: aws iam create-access-key --user-name infraflux-prod-aws-eso > key.json, then seal the two values into the file (printReferenceSealCommands prints the npm run seal command) and shred the json
          staticCredential('aws-secrets-manager-credentials'),
        ),
      }),
    remoteKey: (n) => `infraflux/prod-aws/${n}`,
  },
  'prod-azure': {
    replicas: 2,
    provider: () =>
      SecretStoreProvider.azureKeyVault({
        vaultUrl: 'https://infraflux-prod-azure.vault.azure.net',
        tenantId: AZURE_TENANT,
        auth: AzureAuth.servicePrincipal(
          // Sealed (stacks/sealed-secrets.ts STORE_CREDENTIAL_DELIVERIES). The credential: a service principal with the role Key Vault Secrets User on vault infraflux-prod-azure only (no issuer the cluster publishes for workload identity federation: decision 0062)
          // Created with: az ad sp create-for-rbac --name infraflux-prod-azure-eso --role "Key Vault Secrets User" --scopes <vault-resource-id> > sp.json, then seal the two values into the file (printReferenceSealCommands prints the npm run seal command) and shred the json
          staticCredential('azure-key-vault-credentials'),
        ),
      }),
    // Key Vault secret names allow letters, digits and '-' only.
    remoteKey: (n) => n,
  },
  'dev-gcp': {
    replicas: 1,
    provider: (cluster) => {
      cluster.declareExternalInput({
        group: 'iam.googleapis.com',
        kind: 'WorkloadIdentityPoolProvider',
        name: cluster.name,
        consumer: `ClusterSecretStore ${FLEET_STORE} (configs/, spec.provider.gcpsm.auth.workloadIdentityFederation)`,
        providedBy: `the operator: pool provider ${cluster.name} of pool infraflux trusting this cluster's service-account issuer with its JWKS uploaded, and roles/secretmanager.secretAccessor for principal ServiceAccount external-secrets/external-secrets-store (docs/runbooks/external-secrets.md)`,
        command:
          `kubectl get --raw /openid/v1/jwks > jwks.json && gcloud iam workload-identity-pools providers create-oidc ${cluster.name} --location=global --workload-identity-pool=infraflux --issuer-uri="$(kubectl get --raw /.well-known/openid-configuration | jq -r .issuer)" --jwk-json-path=jwks.json --attribute-mapping=google.subject=assertion.sub && ` +
          `gcloud projects add-iam-policy-binding infraflux-dev --role=roles/secretmanager.secretAccessor --member=principal://iam.googleapis.com/projects/${GCP_PROJECT_NUMBER}/locations/global/workloadIdentityPools/infraflux/subject/system:serviceaccount:external-secrets:external-secrets-store`,
      });
      return SecretStoreProvider.gcpSecretManager({
        projectId: 'infraflux-dev',
        auth: GcpAuth.workloadIdentityFederation({ audience: `//iam.googleapis.com/projects/${GCP_PROJECT_NUMBER}/locations/global/workloadIdentityPools/infraflux/providers/${cluster.name}` }),
      });
    },
    // Secret Manager ids allow letters, digits, '-' and '_' only.
    remoteKey: (n) => n,
  },
};

/** What {@link addExternalSecrets} adds to one cluster. */
export interface ClusterExternalSecrets {
  readonly operator: ExternalSecretsOperator;
  readonly store: ClusterSecretStore;
  /** Delivers an SSO proxy's credentials from the store (an ExternalSecret in the proxy's release folder). */
  readonly ssoCredentials: (proxy: IFluxApp) => SecretReference;
  /**
   * Delivers the Secret `targetName` for `app` from the store (an ExternalSecret in the app's release
   * folder): the backend secret `targetName` under this cluster's naming (or `remoteKey` when the
   * writer names it, e.g. a Terraform-made secret), one property per key.
   */
  readonly deliver: (app: IFluxApp, id: string, targetName: string, keys: readonly string[], remoteKey?: string) => SecretReference;
}

/** The backend key of the runtime secret `name` of `cluster` in its store (the cluster's naming rules). */
export function fleetRemoteKey(cluster: GitOpsCluster, name: string): string {
  const spec = CLUSTER_SECRETS[cluster.name];
  if (!spec) throw new Error(`[${cluster.node.path}] has no secret-store choice in stacks/external-secrets.ts`);
  return spec.remoteKey(name).replace('{cluster}', cluster.name);
}

export function addExternalSecrets(baseline: Baseline): ClusterExternalSecrets {
  const { cluster } = baseline;
  const spec = CLUSTER_SECRETS[cluster.name];
  if (!spec) throw new Error(`[${cluster.node.path}] has no secret-store choice in stacks/external-secrets.ts`);
  const operator = new ExternalSecretsOperator(cluster.controllers, 'ExternalSecrets', { certManager: baseline.certManager, replicas: spec.replicas });
  const store = new ClusterSecretStore(cluster.configs, 'FleetSecrets', {
    name: FLEET_STORE,
    operator,
    provider: spec.provider(cluster),
    // The SSO proxies of Hubble UI, the storage UI (stacks/storage.ts) and Headlamp (stacks/identity.ts), Velero, the Alertmanager
    // receivers (stacks/alerts.ts) and, on mgmt, authentik read their credentials from the store.
    namespaces: [HUBBLE_SSO_NAMESPACE, STORAGE_SSO_NAMESPACE, VELERO_NAMESPACE, MONITORING_NAMESPACE, HEADLAMP_SSO_NAMESPACE, ...(cluster.name === MANAGEMENT_CLUSTER ? [AUTHENTIK_NAMESPACE] : [])],
  });
  const ssoCredentials = (proxy: IFluxApp): SecretReference => {
    const remote = spec.remoteKey(proxy.namespace).replace('{cluster}', cluster.name);
    return ExternalSecret.forApp(proxy, 'Oauth2ProxyCredentials', {
      store,
      targetName: OAUTH2_PROXY_CREDENTIALS,
      // The OIDC client hubble-<cluster> of the identity provider: client id and secret, and the
      // cookie secret created with it (32 random bytes; rotating it ends every session).
      data: ['client-id', 'client-secret', 'cookie-secret'].map((k) => ({ secretKey: k, remoteKey: remote, property: k })),
      template: { labels: { 'app.kubernetes.io/part-of': proxy.namespace } },
    }).secretRef;
  };
  const deliver = (app: IFluxApp, id: string, targetName: string, keys: readonly string[], remoteKey?: string): SecretReference => {
    const remote = remoteKey ?? spec.remoteKey(targetName).replace('{cluster}', cluster.name);
    return ExternalSecret.forApp(app, id, { store, targetName, data: keys.map((k) => ({ secretKey: k, remoteKey: remote, property: k })) }).secretRef;
  };
  return { operator, store, ssoCredentials, deliver };
}
