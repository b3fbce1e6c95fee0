import { Chart, Testing } from 'cdk8s';
import { ErrorCode } from '../../../lib/core/errors';
import { AwsCredentials, Route53ZoneType, route53Strategy } from '../../../lib/dns/providers/route53';
import { SecretReference } from '../../../lib/secrets/secret-reference';
import { thrownBy } from '../../support/errors';

const scope = () => new Chart(Testing.app(), 'dns');
const ROLE = 'arn:aws:iam::123456789012:role/external-dns';

describe('route53Strategy', () => {
  test('IRSA role: service-account annotation, region env, no secrets', () => {
    // GIVEN a role WHEN configured
    const cfg = route53Strategy({ region: 'eu-central-1', credentials: AwsCredentials.serviceAccountRole(ROLE), zoneType: Route53ZoneType.PUBLIC }).config(scope());
    // THEN
    expect(cfg.name).toBe('aws');
    expect(cfg.env).toEqual([{ name: 'AWS_DEFAULT_REGION', value: 'eu-central-1' }]);
    expect(cfg.args).toEqual(['--aws-zone-type=public']);
    expect(cfg.serviceAccountAnnotations).toEqual({ 'eks.amazonaws.com/role-arn': ROLE });
    expect(cfg.secrets).toEqual([]);
  });

  test('static keys: both env vars from Secret keys, recorded as secrets', () => {
    // GIVEN an access key pair by reference WHEN configured
    const id = SecretReference.fromSealedSecret('aws-dns', 'external-dns').key('id');
    const secret = SecretReference.fromSealedSecret('aws-dns', 'external-dns').key('secret');
    const cfg = route53Strategy({ region: 'us-east-1', credentials: AwsCredentials.fromSecret(id, secret) }).config(scope());
    // THEN no value lands in the config, only references
    expect(cfg.env.map((e) => e.name)).toEqual(['AWS_DEFAULT_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']);
    expect(cfg.env[2]).toEqual({ name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 'aws-dns', key: 'secret' } } });
    expect(cfg.secrets).toEqual([id, secret]);
    expect(cfg.args).toEqual([]);
  });

  test.each([
    ['region', { region: 'europe', credentials: AwsCredentials.serviceAccountRole(ROLE) }, '[dns] region "europe" is not an AWS region such as eu-central-1'],
    ['role ARN', { region: 'eu-central-1', credentials: AwsCredentials.serviceAccountRole('arn:aws:iam::123:user/x') }, '[dns] roleArn "arn:aws:iam::123:user/x" is not an IAM role ARN'],
  ])('fails on a malformed %s with INVALID_CLOUD_IDENTIFIER', (_what, options, message) => {
    // WHEN configured THEN the family code and the path
    const err = thrownBy(() => route53Strategy(options).config(scope()));
    expect(err.code).toBe(ErrorCode.INVALID_CLOUD_IDENTIFIER);
    expect(err.message).toContain(message);
  });
});
