import { AzureAuth, ClusterSecretStore, ErrorCode, ExternalSecretsOperator, SecretReference, SecretStoreProvider } from '../../../lib';
import type { AzureKeyVaultProps } from '../../../lib/secrets/stores/azure';
import { thrownBy } from '../../support/errors';
import { manifest, testCluster } from '../../support/fleet';

const TENANT = '11111111-1111-1111-1111-111111111111';
const CLIENT = '22222222-2222-2222-2222-222222222222';

function store(props: Partial<AzureKeyVaultProps>) {
  const { fleet, cluster } = testCluster();
  const operator = new ExternalSecretsOperator(cluster.controllers, 'Eso');
  new ClusterSecretStore(cluster.configs, 'Z', { operator, provider: SecretStoreProvider.azureKeyVault({ vaultUrl: 'https://infraflux-prod.vault.azure.net', tenantId: TENANT, ...props } as AzureKeyVaultProps) });
  return { spec: manifest(fleet, 'test/configs/clustersecretstore-z.yaml').spec.provider.azurekv, fleet };
}

describe('SecretStoreProvider.azureKeyVault', () => {
  test('a service principal from the keys client-id and client-secret of a Secret', () => {
    const { spec } = store({ auth: AzureAuth.servicePrincipal(SecretReference.fromSealedSecret('kv-creds', 'external-secrets')) });
    expect(spec).toEqual({
      vaultUrl: 'https://infraflux-prod.vault.azure.net',
      tenantId: TENANT,
      authType: 'ServicePrincipal',
      authSecretRef: { clientId: { name: 'kv-creds', key: 'client-id', namespace: 'external-secrets' }, clientSecret: { name: 'kv-creds', key: 'client-secret', namespace: 'external-secrets' } },
    });
  });

  test('workload identity: a ServiceAccount annotated with the client id', () => {
    const { spec, fleet } = store({ auth: AzureAuth.workloadIdentity({ clientId: CLIENT }) });
    expect(spec).toMatchObject({ authType: 'WorkloadIdentity', serviceAccountRef: { name: 'external-secrets-store', namespace: 'external-secrets' } });
    expect(manifest(fleet, 'test/configs/serviceaccount-external-secrets-store.yaml').metadata.annotations).toEqual({ 'azure.workload.identity/client-id': CLIENT });
  });

  test('managed identity: the VM identity, optionally a user-assigned one', () => {
    expect(store({ auth: AzureAuth.managedIdentity({ identityId: CLIENT }) }).spec).toMatchObject({ authType: 'ManagedIdentity', identityId: CLIENT });
  });

  test('fails without auth', () => {
    expect(thrownBy(() => store({})).message).toMatch(/needs auth/);
  });

  test('fails with a vault URL that is not a Key Vault URL', () => {
    expect(thrownBy(() => store({ vaultUrl: 'https://example.com', auth: AzureAuth.managedIdentity() })).code).toBe(ErrorCode.INVALID_CLOUD_IDENTIFIER);
  });

  test('fails with a tenant that is not a GUID', () => {
    expect(thrownBy(() => store({ tenantId: 'contoso', auth: AzureAuth.managedIdentity() })).code).toBe(ErrorCode.INVALID_CLOUD_IDENTIFIER);
  });

  test('fails with a workload identity client id that is not a GUID', () => {
    expect(thrownBy(() => store({ auth: AzureAuth.workloadIdentity({ clientId: 'eso' }) })).code).toBe(ErrorCode.INVALID_CLOUD_IDENTIFIER);
  });
});
