import { Chart, Testing } from 'cdk8s';
import { ErrorCode } from '../../lib/core/errors';
import { SecretKeyReference } from '../../lib/secrets/secret-reference';
import { thrownBy } from '../support/errors';

const scope = () => new Chart(Testing.app(), 'dns');

describe('SecretKeyReference', () => {
  test('records the Secret name and key; toSelector gives { name, key }', () => {
    // GIVEN / WHEN
    const ref = SecretKeyReference.fromSecret('cloudflare-api-token', 'api-token');
    // THEN
    expect([ref.secretName, ref.key]).toEqual(['cloudflare-api-token', 'api-token']);
    expect(ref.toSelector()).toEqual({ name: 'cloudflare-api-token', key: 'api-token' });
  });

  test('validate accepts valid names and keys and returns the reference', () => {
    // GIVEN
    const ref = SecretKeyReference.fromSecret('creds.v1', 'AWS_ACCESS_KEY_ID');
    // THEN
    expect(ref.validate(scope(), 'credentials')).toBe(ref);
    expect(SecretKeyReference.fromSecret('s', '.dot-file_1').validate(scope(), 'x')).toBeDefined();
  });

  test('fails on a Secret name that is not a DNS-1123 subdomain', () => {
    // WHEN
    const err = thrownBy(() => SecretKeyReference.fromSecret('Token', 'k').validate(scope(), 'apiToken'));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toContain('[dns] apiToken secret name "Token" is not a DNS-1123 subdomain');
  });

  test.each(['', 'a/b', 'with space', 'k'.repeat(254)])('fails on the Secret key %j', (key) => {
    // WHEN
    const err = thrownBy(() => SecretKeyReference.fromSecret('token', key).validate(scope(), 'apiToken'));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toContain(`apiToken secret key "${key}" is not a valid Secret key`);
  });
});
