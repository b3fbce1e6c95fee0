import { ClusterSecretStore, ErrorCode, ExternalSecretsOperator, SecretReference, SecretStore, SecretStoreKind, SecretStoreProvider, VaultAuth, AwsAuth } from '../../lib';
import { validateFleetManifests } from '../../lib/validation';
import { thrownBy } from '../support/errors';
import { manifest, manifestsByFile, testCluster } from '../support/fleet';

const vault = (): SecretStoreProvider => SecretStoreProvider.vault({ server: 'https://vault.example.com', auth: VaultAuth.kubernetes({ mountPath: 'kubernetes-test', role: 'eso' }) });

function setup() {
  const { fleet, cluster } = testCluster();
  const operator = new ExternalSecretsOperator(cluster.controllers, 'Eso');
  return { fleet, cluster, operator };
}

describe('ClusterSecretStore', () => {
  test('emits an external-secrets.io/v1 ClusterSecretStore with its ServiceAccount in the operator namespace, valid against the pinned CRD', () => {
    // GIVEN the operator
    const { fleet, cluster, operator } = setup();
    // WHEN a Vault store with Kubernetes auth is added in configs, restricted to one namespace
    const store = new ClusterSecretStore(cluster.configs, 'Fleet', { name: 'fleet-secrets', operator, provider: vault(), namespaces: ['app'] });
    // THEN
    const obj = manifest(fleet, 'test/configs/clustersecretstore-fleet-secrets.yaml');
    expect(obj.apiVersion).toBe('external-secrets.io/v1');
    expect(obj.spec).toEqual({
      conditions: [{ namespaces: ['app'] }],
      provider: {
        vault: {
          server: 'https://vault.example.com',
          path: 'secret',
          version: 'v2',
          auth: { kubernetes: { mountPath: 'kubernetes-test', role: 'eso', serviceAccountRef: { name: 'external-secrets-store', namespace: 'external-secrets' } } },
        },
      },
    });
    // the ServiceAccount mounts no token: only the operator requests one
    expect(manifest(fleet, 'test/configs/serviceaccount-external-secrets-store.yaml')).toMatchObject({
      metadata: { name: 'external-secrets-store', namespace: 'external-secrets' },
      automountServiceAccountToken: false,
    });
    // Vault reviews the login token with the token itself: the ServiceAccount may call TokenReview
    expect(manifest(fleet, 'test/configs/clusterrolebinding-external-secrets-external-secrets-store-auth-delegator.yaml')).toMatchObject({
      roleRef: { kind: 'ClusterRole', name: 'system:auth-delegator' },
      subjects: [{ kind: 'ServiceAccount', name: 'external-secrets-store', namespace: 'external-secrets' }],
    });
    expect(store.storeKind).toBe(SecretStoreKind.CLUSTER_SECRET_STORE);
    expect(store.node.defaultChild).toBe(store.resource);
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
    expect(manifestsByFile(fleet)).toMatchSnapshot();
  });

  test('waits for the operator (configs after controllers) and for the producer of its credentials Secret', () => {
    const { fleet, cluster, operator } = setup();
    new ClusterSecretStore(cluster.configs, 'Aws', {
      operator,
      provider: SecretStoreProvider.awsSecretsManager({ region: 'eu-west-1', auth: AwsAuth.accessKey(SecretReference.fromSealedSecret('aws-creds', 'external-secrets')) }),
    });
    expect(manifest(fleet, 'test/flux-system/kustomization-configs.yaml').spec.dependsOn).toEqual(expect.arrayContaining([{ name: 'controllers', namespace: 'flux-system' }]));
    // a ClusterSecretStore names the namespace of each Secret selector
    expect(manifest(fleet, 'test/configs/clustersecretstore-aws.yaml').spec.provider.aws.auth.secretRef.accessKeyIDSecretRef).toEqual({ name: 'aws-creds', key: 'access-key-id', namespace: 'external-secrets' });
  });

  test('fromName imports a store the tree does not create', () => {
    const { cluster } = setup();
    const s = ClusterSecretStore.fromName(cluster, 'Platform', 'platform');
    expect([s.storeName, s.storeKind, s.storeNamespace]).toEqual(['platform', SecretStoreKind.CLUSTER_SECRET_STORE, undefined]);
  });

  test('fails in the controllers layer (its kind is served only once the operator is Ready)', () => {
    const { cluster, operator } = setup();
    const e = thrownBy(() => new ClusterSecretStore(cluster.controllers, 'Early', { operator, provider: vault() }));
    expect(e.code).toBe(ErrorCode.WRONG_LAYER);
    expect(e.constructPath).toBe('test/controllers/Early');
  });

  test('fails with a name that is not DNS-1123', () => {
    const { cluster, operator } = setup();
    expect(thrownBy(() => new ClusterSecretStore(cluster.configs, 'S', { name: 'Fleet_Secrets', operator, provider: vault() })).code).toBe(ErrorCode.INVALID_PROP);
  });

  test('fails with a condition namespace that is not a DNS label', () => {
    const { cluster, operator } = setup();
    expect(thrownBy(() => new ClusterSecretStore(cluster.configs, 'S', { operator, provider: vault(), namespaces: ['Bad NS'] })).code).toBe(ErrorCode.INVALID_PROP);
  });
});

describe('SecretStore', () => {
  test('emits a namespaced SecretStore whose selectors stay in its namespace', () => {
    // GIVEN the operator
    const { fleet, cluster, operator } = setup();
    // WHEN a SecretStore in namespace app reads a Secret of app
    const store = new SecretStore(cluster.apps, 'AppStore', {
      namespace: 'app',
      operator,
      provider: SecretStoreProvider.vault({ server: 'https://vault.example.com', auth: VaultAuth.appRole({ roleId: 'r-1', secretId: SecretReference.fromSealedSecret('vault-approle', 'app') }) }),
    });
    // THEN the selector carries no namespace (a SecretStore ignores it) and the store is namespaced
    const obj = manifest(fleet, 'test/apps/secretstore-appstore.yaml');
    expect(obj.metadata).toEqual({ name: 'appstore', namespace: 'app' });
    expect(obj.spec.provider.vault.auth.appRole).toEqual({ path: 'approle', roleId: 'r-1', secretRef: { name: 'vault-approle', key: 'secret-id' } });
    expect([store.storeKind, store.storeNamespace]).toEqual([SecretStoreKind.SECRET_STORE, 'app']);
  });

  test('fails when its credentials Secret is in another namespace', () => {
    const { cluster, operator } = setup();
    const e = thrownBy(
      () =>
        new SecretStore(cluster.apps, 'S', {
          namespace: 'app',
          operator,
          provider: SecretStoreProvider.awsSecretsManager({ region: 'eu-west-1', auth: AwsAuth.accessKey(SecretReference.fromSealedSecret('creds', 'other')) }),
        }),
    );
    expect(e.code).toBe(ErrorCode.INVALID_PROP);
    expect(e.message).toMatch(/reads Secrets of its own namespace only/);
  });
});
