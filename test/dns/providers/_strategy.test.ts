import { EMPTY_PROVIDER_CONFIG, secretEnv } from '../../../lib/dns/providers/_strategy';
import { SecretReference } from '../../../lib/secrets/secret-reference';

describe('DNS provider strategy helpers', () => {
  test('secretEnv reads an env var from a Secret key (a Kubernetes EnvVar with secretKeyRef)', () => {
    // GIVEN a reference to a key of an existing Secret
    const ref = SecretReference.fromSealedSecret('cloudflare-api-token', 'external-dns').key('api-token');
    // WHEN it becomes an env var
    const env = secretEnv('CF_API_TOKEN', ref);
    // THEN only the Secret's name and key appear, never a value
    expect(env).toEqual({ name: 'CF_API_TOKEN', valueFrom: { secretKeyRef: { name: 'cloudflare-api-token', key: 'api-token' } } });
    expect(env).not.toHaveProperty('value');
  });

  test('the empty contribution has nothing in it, so spreading it adds nothing', () => {
    // GIVEN the empty contribution WHEN spread into a provider config THEN every list and map is empty
    expect(EMPTY_PROVIDER_CONFIG).toEqual({ env: [], args: [], volumes: [], volumeMounts: [], serviceAccountAnnotations: {}, podLabels: {}, secrets: [] });
    const config = { name: 'cloudflare', ...EMPTY_PROVIDER_CONFIG, args: ['--cloudflare-proxied'] };
    expect(config.args).toEqual(['--cloudflare-proxied']);
    expect(EMPTY_PROVIDER_CONFIG.args).toEqual([]);
  });
});
