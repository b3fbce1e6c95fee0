import { Construct } from 'constructs';
import { ErrorCode, SecretReference } from '../../../lib';
import { requireHttps, requireText, storeSecretKey, storeServiceAccount, type StoreContext } from '../../../lib/secrets/stores/_strategy';
import { thrownBy } from '../../support/errors';

const scope = new Construct(undefined as unknown as Construct, 'store');
const cluster: StoreContext = { scope, storeNamespace: undefined, operatorNamespace: 'external-secrets' };
const namespaced: StoreContext = { scope, storeNamespace: 'app', operatorNamespace: 'external-secrets' };

describe('store strategy helpers', () => {
  test('a ClusterSecretStore names the namespace of Secrets and ServiceAccounts; a SecretStore does not', () => {
    // GIVEN a Secret in the store's namespace
    const secret = SecretReference.fromSealedSecret('creds', 'app');
    // THEN the selector carries the namespace only for a ClusterSecretStore
    expect(storeSecretKey(cluster, secret, 'token')).toEqual({ name: 'creds', key: 'token', namespace: 'app' });
    expect(storeSecretKey(namespaced, secret, 'token')).toEqual({ name: 'creds', key: 'token' });
    // AND a ClusterSecretStore's ServiceAccount lives in the operator's namespace, a SecretStore's in its own
    expect(storeServiceAccount(cluster, 'login', {}, ['aud'])).toEqual({ sa: { name: 'login', namespace: 'external-secrets', annotations: {} }, ref: { name: 'login', namespace: 'external-secrets', audiences: ['aud'] } });
    expect(storeServiceAccount(namespaced, 'login').ref).toEqual({ name: 'login' });
  });

  test('fails with a credentials Secret name that is not DNS-1123', () => {
    expect(thrownBy(() => storeSecretKey(cluster, SecretReference.fromSealedSecret('Creds!', 'app'), 'k')).code).toBe(ErrorCode.INVALID_PROP);
  });

  test('fails with a ServiceAccount name that is not DNS-1123', () => {
    expect(thrownBy(() => storeServiceAccount(cluster, 'Login_SA')).code).toBe(ErrorCode.INVALID_PROP);
  });

  test('fails with empty text and non-https URLs', () => {
    expect(thrownBy(() => requireText(scope, 'role', '')).message).toMatch(/role is required/);
    expect(thrownBy(() => requireHttps(scope, 'server', 'vault:8200')).message).toMatch(/must be an https:\/\/ URL/);
  });
});
