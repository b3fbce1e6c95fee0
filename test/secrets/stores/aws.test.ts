import { AwsAuth, ClusterSecretStore, ErrorCode, ExternalSecretsOperator, SecretReference, SecretStoreProvider } from '../../../lib';
import type { AwsSecretsManagerProps } from '../../../lib/secrets/stores/aws';
import { thrownBy } from '../../support/errors';
import { manifest, testCluster } from '../../support/fleet';

function store(props: Partial<AwsSecretsManagerProps>) {
  const { fleet, cluster } = testCluster();
  const operator = new ExternalSecretsOperator(cluster.controllers, 'Eso');
  new ClusterSecretStore(cluster.configs, 'A', { operator, provider: SecretStoreProvider.awsSecretsManager({ region: 'eu-central-1', ...props } as AwsSecretsManagerProps) });
  return { spec: manifest(fleet, 'test/configs/clustersecretstore-a.yaml').spec.provider.aws, fleet };
}

describe('SecretStoreProvider.awsSecretsManager', () => {
  test('a scoped access key from a Secret, with a role to assume', () => {
    // GIVEN an access key Secret and a read-only role
    const { spec } = store({ auth: AwsAuth.accessKey(SecretReference.fromSealedSecret('aws-creds', 'external-secrets')), role: 'arn:aws:iam::123456789012:role/eso-read' });
    // THEN Secrets Manager in the region, keys access-key-id and secret-access-key
    expect(spec).toEqual({
      service: 'SecretsManager',
      region: 'eu-central-1',
      role: 'arn:aws:iam::123456789012:role/eso-read',
      auth: {
        secretRef: {
          accessKeyIDSecretRef: { name: 'aws-creds', key: 'access-key-id', namespace: 'external-secrets' },
          secretAccessKeySecretRef: { name: 'aws-creds', key: 'secret-access-key', namespace: 'external-secrets' },
        },
      },
    });
  });

  test('web identity: a ServiceAccount annotated with the role, token audience sts.amazonaws.com', () => {
    const { spec, fleet } = store({ auth: AwsAuth.webIdentity({ roleArn: 'arn:aws:iam::123456789012:role/eso' }) });
    expect(spec.auth).toEqual({ jwt: { serviceAccountRef: { name: 'external-secrets-store', namespace: 'external-secrets', audiences: ['sts.amazonaws.com'] } } });
    expect(manifest(fleet, 'test/configs/serviceaccount-external-secrets-store.yaml').metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/eso' });
  });

  test('fails without auth (the node instance profile would be shared by every pod)', () => {
    expect(thrownBy(() => store({})).message).toMatch(/needs auth/);
  });

  test('fails with a region that is not a region name', () => {
    expect(thrownBy(() => store({ region: 'Frankfurt', auth: AwsAuth.webIdentity({ roleArn: 'arn:aws:iam::123456789012:role/eso' }) })).code).toBe(ErrorCode.INVALID_CLOUD_IDENTIFIER);
  });

  test('fails with a web identity role that is not an IAM role ARN', () => {
    expect(thrownBy(() => store({ auth: AwsAuth.webIdentity({ roleArn: 'eso' }) })).code).toBe(ErrorCode.INVALID_CLOUD_IDENTIFIER);
  });

  test('fails with a role to assume that is not an IAM role ARN', () => {
    expect(thrownBy(() => store({ auth: AwsAuth.webIdentity({ roleArn: 'arn:aws:iam::123456789012:role/eso' }), role: 'arn:aws:iam::1:user/x' })).code).toBe(ErrorCode.INVALID_CLOUD_IDENTIFIER);
  });
});
