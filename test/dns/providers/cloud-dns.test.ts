import { Chart, Testing } from 'cdk8s';
import { ErrorCode } from '../../../lib/core/errors';
import { cloudDnsStrategy, GcpCredentials } from '../../../lib/dns/providers/cloud-dns';
import { SecretReference } from '../../../lib/secrets/secret-reference';
import { thrownBy } from '../../support/errors';

const scope = () => new Chart(Testing.app(), 'dns');

describe('cloudDnsStrategy', () => {
  test('Workload Identity: project flag and GKE annotation, nothing mounted', () => {
    // GIVEN a Google service account WHEN configured
    const cfg = cloudDnsStrategy({ project: 'infraflux-prod', credentials: GcpCredentials.workloadIdentity('dns@infraflux-prod.iam.gserviceaccount.com') }).config(scope());
    // THEN
    expect(cfg.name).toBe('google');
    expect(cfg.args).toEqual(['--google-project=infraflux-prod']);
    expect(cfg.serviceAccountAnnotations).toEqual({ 'iam.gke.io/gcp-service-account': 'dns@infraflux-prod.iam.gserviceaccount.com' });
    expect([cfg.env, cfg.volumes, cfg.secrets]).toEqual([[], [], []]);
  });

  test('key file: mounted read-only from the Secret key and named by GOOGLE_APPLICATION_CREDENTIALS', () => {
    // GIVEN a key file by reference WHEN configured
    const key = SecretReference.fromSealedSecret('gcp-dns', 'external-dns').key('key.json');
    const cfg = cloudDnsStrategy({ project: 'infraflux-prod', credentials: GcpCredentials.fromSecret(key) }).config(scope());
    // THEN
    expect(cfg.env).toEqual([{ name: 'GOOGLE_APPLICATION_CREDENTIALS', value: '/etc/secrets/google/key.json' }]);
    expect(cfg.volumes).toEqual([{ name: 'google-credentials', secret: { secretName: 'gcp-dns', items: [{ key: 'key.json', path: 'key.json' }] } }]);
    expect(cfg.volumeMounts).toEqual([{ name: 'google-credentials', mountPath: '/etc/secrets/google', readOnly: true }]);
    expect(cfg.secrets).toEqual([key]);
  });

  test.each([
    ['project id', { project: 'P', credentials: GcpCredentials.workloadIdentity('dns@p-123456.iam.gserviceaccount.com') }, 'project "P" is not a Google Cloud project id'],
    ['service account', { project: 'infraflux-prod', credentials: GcpCredentials.workloadIdentity('dns@example.com') }, 'serviceAccountEmail "dns@example.com" is not a Google service account'],
  ])('fails on a malformed %s with INVALID_CLOUD_IDENTIFIER', (_what, options, message) => {
    const err = thrownBy(() => cloudDnsStrategy(options).config(scope()));
    expect(err.code).toBe(ErrorCode.INVALID_CLOUD_IDENTIFIER);
    expect(err.message).toContain(`[dns] ${message}`);
  });
});
