import { ErrorCode, PasswordGenerator } from '../../lib';
import { validateFleetManifests } from '../../lib/validation';
import { thrownBy } from '../support/errors';
import { manifest, testCluster } from '../support/fleet';

describe('PasswordGenerator', () => {
  test('emits a generators.external-secrets.io/v1alpha1 Password, 32 characters, no symbols by default', () => {
    // GIVEN a cluster
    const { fleet, cluster } = testCluster();
    // WHEN a generator is added
    const gen = new PasswordGenerator(cluster.apps, 'Cookie', { namespace: 'app' });
    // THEN
    expect(manifest(fleet, 'test/apps/password-cookie.yaml')).toEqual({
      apiVersion: 'generators.external-secrets.io/v1alpha1',
      kind: 'Password',
      metadata: expect.objectContaining({ name: 'cookie', namespace: 'app' }),
      spec: { length: 32, digits: 8, symbols: 0, noUpper: false, allowRepeat: true },
    });
    expect([gen.generatorName, gen.generatorKind, gen.namespace]).toEqual(['cookie', 'Password', 'app']);
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
  });

  test('fails with a length below 16', () => {
    const { cluster } = testCluster();
    const e = thrownBy(() => new PasswordGenerator(cluster.apps, 'P', { namespace: 'app', length: 8 }));
    expect(e.code).toBe(ErrorCode.INVALID_PROP);
    expect(e.constructPath).toBe('test/apps/P');
  });

  test('fails when digits and symbols do not fit in the length', () => {
    const { cluster } = testCluster();
    expect(thrownBy(() => new PasswordGenerator(cluster.apps, 'P', { namespace: 'app', length: 16, digits: 10, symbols: 10 })).code).toBe(ErrorCode.INVALID_PROP);
  });

  test('fails in the controllers layer', () => {
    const { cluster } = testCluster();
    expect(thrownBy(() => new PasswordGenerator(cluster.controllers, 'P', { namespace: 'app' })).message).toMatch(/configs or apps layer/);
  });
});
