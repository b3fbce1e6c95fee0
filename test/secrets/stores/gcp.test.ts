import { ClusterSecretStore, ErrorCode, ExternalSecretsOperator, GcpAuth, SecretReference, SecretStoreProvider } from '../../../lib';
import type { GcpSecretManagerProps } from '../../../lib/secrets/stores/gcp';
import { thrownBy } from '../../support/errors';
import { manifest, testCluster } from '../../support/fleet';

const AUDIENCE = '//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/infraflux/providers/dev-gcp';

function store(props: Partial<GcpSecretManagerProps>) {
  const { fleet, cluster } = testCluster();
  const operator = new ExternalSecretsOperator(cluster.controllers, 'Eso');
  new ClusterSecretStore(cluster.configs, 'G', { operator, provider: SecretStoreProvider.gcpSecretManager({ projectId: 'infraflux-dev', ...props } as GcpSecretManagerProps) });
  return manifest(fleet, 'test/configs/clustersecretstore-g.yaml').spec.provider.gcpsm;
}

describe('SecretStoreProvider.gcpSecretManager', () => {
  test('workload identity federation of a self-managed cluster, optionally impersonating a service account', () => {
    const spec = store({ auth: GcpAuth.workloadIdentityFederation({ audience: AUDIENCE, serviceAccountEmail: 'eso-reader@infraflux-dev.iam.gserviceaccount.com' }) });
    // (the CRD spells it projectID: the binding's toJson writes the CRD's names)
    expect(spec).toEqual({
      projectID: 'infraflux-dev',
      auth: {
        workloadIdentityFederation: {
          audience: AUDIENCE,
          serviceAccountRef: { name: 'external-secrets-store', namespace: 'external-secrets' },
          gcpServiceAccountEmail: 'eso-reader@infraflux-dev.iam.gserviceaccount.com',
        },
      },
    });
  });

  test('a service account key from the key secret-access-credentials of a Secret', () => {
    expect(store({ auth: GcpAuth.serviceAccountKey(SecretReference.fromSealedSecret('gcp-key', 'external-secrets')) }).auth).toEqual({
      secretRef: { secretAccessKeySecretRef: { name: 'gcp-key', key: 'secret-access-credentials', namespace: 'external-secrets' } },
    });
  });

  test('fails without auth (the VM service account would be shared by every pod)', () => {
    expect(thrownBy(() => store({})).message).toMatch(/needs auth/);
  });

  test('fails with a project id that is not one', () => {
    expect(thrownBy(() => store({ projectId: 'X', auth: GcpAuth.workloadIdentityFederation({ audience: AUDIENCE }) })).code).toBe(ErrorCode.INVALID_CLOUD_IDENTIFIER);
  });

  test('fails with an audience that is not a pool provider', () => {
    expect(thrownBy(() => store({ auth: GcpAuth.workloadIdentityFederation({ audience: 'https://example.com' }) })).code).toBe(ErrorCode.INVALID_CLOUD_IDENTIFIER);
  });

  test('fails with a service account e-mail that is not one', () => {
    expect(thrownBy(() => store({ auth: GcpAuth.workloadIdentityFederation({ audience: AUDIENCE, serviceAccountEmail: 'eso@gmail.com' }) })).code).toBe(ErrorCode.INVALID_CLOUD_IDENTIFIER);
  });
});
