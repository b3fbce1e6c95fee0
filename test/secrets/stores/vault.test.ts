import { ClusterSecretStore, ErrorCode, ExternalSecretsOperator, SecretStoreProvider, VaultAuth } from '../../../lib';
import type { VaultAuth as VaultAuthType } from '../../../lib/secrets/stores/vault';
import { thrownBy } from '../../support/errors';
import { manifest, testCluster } from '../../support/fleet';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function store(props: { server?: string; auth?: VaultAuthType; caPem?: string; namespace?: string }) {
  const { fleet, cluster } = testCluster();
  const operator = new ExternalSecretsOperator(cluster.controllers, 'Eso');
  new ClusterSecretStore(cluster.configs, 'V', {
    operator,
    provider: SecretStoreProvider.vault({ server: props.server ?? 'https://vault.example.com:8200', auth: props.auth as VaultAuthType, ...(props.caPem ? { caPem: props.caPem } : {}), ...(props.namespace ? { namespace: props.namespace } : {}) }),
  });
  return manifest(fleet, 'test/configs/clustersecretstore-v.yaml').spec.provider.vault;
}

describe('SecretStoreProvider.vault', () => {
  test('Kubernetes auth: a dedicated ServiceAccount, audiences, Enterprise namespace and CA bundle', () => {
    // GIVEN Kubernetes auth with a custom ServiceAccount and audience, a private CA and a Vault namespace
    const vault = store({ auth: VaultAuth.kubernetes({ mountPath: 'kubernetes-mgmt', role: 'eso', serviceAccountName: 'vault-login', audiences: ['vault'] }), caPem: CA, namespace: 'platform' });
    // THEN
    expect(vault).toEqual({
      server: 'https://vault.example.com:8200',
      path: 'secret',
      version: 'v2',
      namespace: 'platform',
      caBundle: Buffer.from(CA).toString('base64'),
      auth: { kubernetes: { mountPath: 'kubernetes-mgmt', role: 'eso', serviceAccountRef: { name: 'vault-login', namespace: 'external-secrets', audiences: ['vault'] } } },
    });
  });

  test('Kubernetes auth with a reviewer token in Vault: no auth-delegator binding', () => {
    // GIVEN Vault configured with its own token_reviewer_jwt
    const { fleet, cluster } = testCluster();
    const operator = new ExternalSecretsOperator(cluster.controllers, 'Eso');
    new ClusterSecretStore(cluster.configs, 'V', { operator, provider: SecretStoreProvider.vault({ server: 'https://vault.example.com', auth: VaultAuth.kubernetes({ mountPath: 'k', role: 'r', clientTokenReview: false }) }) });
    // THEN only the ServiceAccount is created
    expect(fleet.manifests().filter((m) => m.file.startsWith('test/configs/')).map((m) => m.object.kind).sort()).toEqual(['ClusterSecretStore', 'ServiceAccount']);
  });

  test('fails without auth (a store with no authentication)', () => {
    const e = thrownBy(() => store({ auth: undefined }));
    expect(e.code).toBe(ErrorCode.INVALID_PROP);
    expect(e.message).toMatch(/Vault store needs auth/);
  });

  test('fails with a server that is not https://', () => {
    expect(thrownBy(() => store({ server: 'http://vault:8200', auth: VaultAuth.kubernetes({ mountPath: 'k', role: 'r' }) })).code).toBe(ErrorCode.INVALID_PROP);
  });

  test('fails with an empty role', () => {
    expect(thrownBy(() => store({ auth: VaultAuth.kubernetes({ mountPath: 'k', role: ' ' }) })).message).toMatch(/role is required/);
  });

  test('fails with a caPem that is not a PEM certificate', () => {
    expect(thrownBy(() => store({ auth: VaultAuth.kubernetes({ mountPath: 'k', role: 'r' }), caPem: 'not a cert' })).code).toBe(ErrorCode.INVALID_PROP);
  });
});
