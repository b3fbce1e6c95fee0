import { Duration } from 'cdk8s';
import { ClusterSecretStore, ErrorCode, ExternalSecret, ExternalSecretsOperator, PushSecret, SecretReference, SecretStore, SecretStoreProvider, VaultAuth } from '../../lib';
import { validateFleetManifests } from '../../lib/validation';
import { thrownBy } from '../support/errors';
import { manifest, manifestsByFile, testCluster } from '../support/fleet';

const provider = (): SecretStoreProvider => SecretStoreProvider.vault({ server: 'https://vault.example.com', auth: VaultAuth.kubernetes({ mountPath: 'kubernetes-test', role: 'eso' }) });

function setup(pushSecrets = true) {
  const { fleet, cluster } = testCluster();
  const operator = new ExternalSecretsOperator(cluster.controllers, 'Eso', { pushSecrets });
  const store = new ClusterSecretStore(cluster.configs, 'Store', { name: 'fleet-secrets', operator, provider: provider() });
  // A Secret the tree produces: an ExternalSecret's target
  const produced = new ExternalSecret(cluster.configs, 'Source', { store, namespace: 'external-secrets', targetName: 'ca', data: [{ secretKey: 'tls.crt', remoteKey: 'pki/ca', property: 'crt' }] });
  return { fleet, cluster, operator, store, produced };
}

describe('PushSecret', () => {
  test('emits an external-secrets.io/v1alpha1 PushSecret of a Secret the tree produces, valid against the pinned CRD', () => {
    // GIVEN a produced Secret and a store
    const { fleet, cluster, operator, store, produced } = setup();
    // WHEN one key is pushed, only when absent at the backend
    const push = new PushSecret(cluster.configs, 'Ca', {
      secret: produced.secretRef,
      stores: [store],
      operator,
      data: [{ secretKey: 'tls.crt', remoteKey: 'shared/ca', property: 'crt' }],
      overwrite: false,
      refreshInterval: Duration.minutes(10),
    });
    // THEN
    const obj = manifest(fleet, 'test/configs/pushsecret-ca.yaml');
    expect(obj.apiVersion).toBe('external-secrets.io/v1alpha1');
    expect(obj.spec).toEqual({
      refreshInterval: '10m',
      updatePolicy: 'IfNotExists',
      deletionPolicy: 'None',
      secretStoreRefs: [{ kind: 'ClusterSecretStore', name: 'fleet-secrets' }],
      selector: { secret: { name: 'ca' } },
      data: [{ match: { secretKey: 'tls.crt', remoteRef: { remoteKey: 'shared/ca', property: 'crt' } } }],
    });
    expect(push.node.defaultChild).toBe(push.resource);
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
    expect(manifestsByFile(fleet)).toMatchSnapshot();
  });

  test('overwrites and deletes at the backend when asked', () => {
    const { fleet, cluster, operator, store, produced } = setup();
    new PushSecret(cluster.configs, 'Ca', { secret: produced.secretRef, stores: [store], operator, data: [{ secretKey: 'tls.crt', remoteKey: 'shared/ca' }], deleteRemote: true });
    expect(manifest(fleet, 'test/configs/pushsecret-ca.yaml').spec).toMatchObject({ updatePolicy: 'Replace', deletionPolicy: 'Delete', refreshInterval: '1h' });
  });

  test('fails with a Secret the tree does not produce', () => {
    const { cluster, operator, store } = setup();
    const e = thrownBy(() => new PushSecret(cluster.configs, 'Ghost', { secret: SecretReference.fromSealedSecret('ghost', 'external-secrets'), stores: [store], operator, data: [{ secretKey: 'a', remoteKey: 'b' }] }));
    expect(e.code).toBe(ErrorCode.MISSING_DEPENDENCY);
    expect(e.constructPath).toBe('test/configs/Ghost');
  });

  test('fails when the operator does not run the PushSecret reconciler', () => {
    const { cluster, operator, store, produced } = setup(false);
    expect(thrownBy(() => new PushSecret(cluster.configs, 'P', { secret: produced.secretRef, stores: [store], operator, data: [{ secretKey: 'a', remoteKey: 'b' }] })).message).toMatch(/pushSecrets: true/);
  });

  test('fails without stores', () => {
    const { cluster, operator, produced } = setup();
    expect(thrownBy(() => new PushSecret(cluster.configs, 'P', { secret: produced.secretRef, stores: [], operator, data: [{ secretKey: 'a', remoteKey: 'b' }] })).message).toMatch(/stores is empty/);
  });

  test('fails without data', () => {
    const { cluster, operator, store, produced } = setup();
    expect(thrownBy(() => new PushSecret(cluster.configs, 'P', { secret: produced.secretRef, stores: [store], operator, data: [] })).message).toMatch(/data is empty/);
  });

  test('fails when two keys write the same remote key and property', () => {
    const { cluster, operator, store, produced } = setup();
    const data = [{ secretKey: 'a', remoteKey: 'x', property: 'p' }, { secretKey: 'b', remoteKey: 'x', property: 'p' }];
    expect(thrownBy(() => new PushSecret(cluster.configs, 'P', { secret: produced.secretRef, stores: [store], operator, data })).code).toBe(ErrorCode.DUPLICATE);
  });

  test('fails with a SecretStore of another namespace', () => {
    const { cluster, operator, produced } = setup();
    const other = new SecretStore(cluster.apps, 'Other', { namespace: 'other', operator, provider: provider() });
    expect(thrownBy(() => new PushSecret(cluster.apps, 'P', { secret: produced.secretRef, stores: [other], operator, data: [{ secretKey: 'a', remoteKey: 'b' }] })).message).toMatch(/serves namespace "other" only/);
  });
});
