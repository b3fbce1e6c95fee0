import { Testing } from 'cdktf';
import { ErrorCode } from '../../lib/core/errors';
import { AwsPlatformStack, AwsVeleroCredentials, AzurePlatformStack, GcpPlatformStack } from '../../lib/terraform';
import { thrownBy } from '../support/errors';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const json = (stack: AwsPlatformStack | GcpPlatformStack | AzurePlatformStack): Json => JSON.parse(Testing.synth(stack)) as Json;

describe('AwsPlatformStack', () => {
  test('provider in the region with managed-by tags merged with the given ones; relative local state', () => {
    // GIVEN / WHEN
    const stack = new AwsPlatformStack(Testing.app(), 'aws', { region: 'eu-central-1', defaultTags: { team: 'platform' } });
    const j = json(stack);
    // THEN
    expect(stack.region).toBe('eu-central-1');
    expect(j.provider.aws).toEqual([{ region: 'eu-central-1', default_tags: [{ tags: { 'managed-by': 'infraflux', team: 'platform' } }] }]);
    expect(j.terraform.backend.local.path).toBe('../../../terraform.aws.tfstate');
    expect({ provider: j.provider, terraform: j.terraform }).toMatchSnapshot();
  });

  test('addVeleroStorage and addDnsZone add resources to this stack', () => {
    // GIVEN
    const stack = new AwsPlatformStack(Testing.app(), 'aws', { region: 'eu-central-1' });
    stack.addVeleroStorage('velero', { bucketName: 'infraflux-velero-test', credentials: AwsVeleroCredentials.accessKey() });
    stack.addDnsZone('zone', { zoneName: 'aws.example.com' });
    const j = json(stack);
    // THEN
    expect(Object.values(j.resource.aws_s3_bucket).map((b: any) => b.bucket)).toEqual(['infraflux-velero-test']);
    expect(Object.values(j.resource.aws_route53_zone).map((z: any) => z.name)).toEqual(['aws.example.com']);
  });

  test('fails when the region is missing', () => {
    // WHEN
    const err = thrownBy(() => new AwsPlatformStack(Testing.app(), 'aws', { region: '' }));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toBe('[aws] region is missing; give an AWS region such as eu-central-1');
  });
});

describe('GcpPlatformStack', () => {
  test('provider with project, region and managed-by labels; no credentials in the JSON', () => {
    // GIVEN
    const stack = new GcpPlatformStack(Testing.app(), 'gcp', { projectId: 'proj-1', region: 'europe-west3' });
    const j = json(stack);
    // THEN
    expect(stack.projectId).toBe('proj-1');
    // cdktf snake-cases the keys of provider blocks, map keys included: the code's `managed-by`
    // label is written `managed_by` (AWS keeps `managed-by`: its tags sit inside a list).
    expect(j.provider.google).toEqual([{ project: 'proj-1', region: 'europe-west3', default_labels: { managed_by: 'infraflux' } }]);
    expect(JSON.stringify(j.provider)).not.toContain('credentials');
    expect({ provider: j.provider, terraform: j.terraform }).toMatchSnapshot();
  });

  test('addDnsZone uses the stack project', () => {
    // GIVEN
    const stack = new GcpPlatformStack(Testing.app(), 'gcp', { projectId: 'proj-1', region: 'europe-west3' });
    stack.addDnsZone('zone', { zoneName: 'gcp.example.com' });
    const [zone] = Object.values(json(stack).resource.google_dns_managed_zone) as Json[];
    // THEN
    expect(zone.project).toBe('proj-1');
    expect(zone.dns_name).toBe('gcp.example.com.');
  });

  test('fails when the region is missing', () => {
    // WHEN
    const err = thrownBy(() => new GcpPlatformStack(Testing.app(), 'gcp', { projectId: 'p', region: '' }));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toBe('[gcp] region is missing; give a Google Cloud region such as europe-west3');
  });
});

describe('AzurePlatformStack', () => {
  test('provider with Entra ID for storage; subscription from the environment by default', () => {
    // GIVEN
    const j = json(new AzurePlatformStack(Testing.app(), 'azure'));
    // THEN
    expect(j.provider.azurerm).toEqual([{ features: [{}], storage_use_azuread: true }]);
    expect({ provider: j.provider, terraform: j.terraform }).toMatchSnapshot();
  });

  test('a given subscription id is set on the provider', () => {
    // GIVEN
    const j = json(new AzurePlatformStack(Testing.app(), 'azure', { subscriptionId: '00000000-1111-2222-3333-444444444444' }));
    // THEN
    expect(j.provider.azurerm[0].subscription_id).toBe('00000000-1111-2222-3333-444444444444');
  });

  test('addDnsZone adds an Azure DNS zone', () => {
    // GIVEN
    const stack = new AzurePlatformStack(Testing.app(), 'azure');
    stack.addDnsZone('zone', { zoneName: 'azure.example.com', resourceGroupName: 'rg-dns' });
    // THEN
    expect(Object.values(json(stack).resource.azurerm_dns_zone).map((z: any) => [z.name, z.resource_group_name])).toEqual([['azure.example.com', 'rg-dns']]);
  });

  test.each(['not-a-uuid', '00000000-1111-2222-3333-44444444444G', '00000000-1111-2222-3333-444444444444'.toUpperCase().replace(/0/g, 'A')])('fails on the subscription id %j', (subscriptionId) => {
    // WHEN
    const err = thrownBy(() => new AzurePlatformStack(Testing.app(), 'azure', { subscriptionId }));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toBe(`[azure] subscriptionId "${subscriptionId}" is not a subscription id (a lowercase UUID)`);
  });
});
