import { parse } from 'yaml';
import {
  AwsCredentials,
  DnsPolicy,
  DnsProvider,
  EXTERNAL_DNS_VALUE_KEYS,
  ExternalDns,
  ExternalDnsCloudflare,
  ExternalDnsSource,
  GcpCredentials,
  Route53ZoneType,
  SecretReference,
} from '../../lib/dns';
import { Duration } from 'cdk8s';
import { ErrorCode, InfraFluxError } from '../../lib/core/errors';
import { GatewayApiChannel, GatewayApiCrds } from '../../lib/edge';
import { Fleet } from '../../lib';
import { UpstreamCache } from '../../lib/upstream/lock';
import { validateFleetManifests } from '../../lib/validation';
import { manifest, manifestsByFile, testCluster } from '../support/fleet';

const TOKEN = SecretReference.fromSealedSecret('cloudflare-api-token', 'external-dns').key('api-token');

function values(fleet: Fleet, cluster = 'test'): Record<string, any> {
  return parse(manifest(fleet, `${cluster}/releases/external-dns/configmap-external-dns-values.yaml`).data['values.yaml']);
}

function setup() {
  const { fleet, cluster } = testCluster();
  const gatewayApi = new GatewayApiCrds(cluster.crds, 'GatewayApi');
  return { fleet, cluster, gatewayApi };
}

describe('ExternalDns', () => {
  test('Cloudflare: token by reference, proxied, sync, TXT owner = cluster, gateway sources', () => {
    // GIVEN a Cloudflare ExternalDNS
    const { fleet, cluster, gatewayApi } = setup();
    new ExternalDnsCloudflare(cluster.controllers, 'Dns', { apiToken: TOKEN, domainFilters: ['example.com'], gatewayApi });
    // THEN
    const v = values(fleet);
    expect(v).toMatchObject({
      provider: { name: 'cloudflare' },
      sources: ['gateway-httproute', 'gateway-grpcroute', 'service', 'ingress'],
      policy: 'sync',
      registry: 'txt',
      txtOwnerId: 'test',
      domainFilters: ['example.com'],
      env: [{ name: 'CF_API_TOKEN', valueFrom: { secretKeyRef: { name: 'cloudflare-api-token', key: 'api-token' } } }],
      extraArgs: ['--cloudflare-proxied', '--cloudflare-dns-records-per-page=5000'],
    });
    expect(manifest(fleet, 'test/flux-system/kustomization-controllers.yaml').spec.dependsOn).toEqual([{ name: 'crds', namespace: 'flux-system' }]);
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
    expect(manifestsByFile(fleet)).toMatchSnapshot();
  });

  test('Cloudflare proxying can be switched off', () => {
    const { fleet, cluster, gatewayApi } = setup();
    new ExternalDnsCloudflare(cluster.controllers, 'Dns', { apiToken: TOKEN, proxied: false, domainFilters: ['example.com'], gatewayApi });
    expect(values(fleet).extraArgs).toEqual(['--cloudflare-dns-records-per-page=5000']);
  });

  test('Route53 with an IRSA role: no secret, role on the service account', () => {
    const { fleet, cluster, gatewayApi } = setup();
    new ExternalDns(cluster.controllers, 'Dns', {
      provider: DnsProvider.route53({ region: 'eu-central-1', credentials: AwsCredentials.serviceAccountRole('arn:aws:iam::123456789012:role/external-dns'), zoneType: Route53ZoneType.PUBLIC }),
      domainFilters: ['aws.example.com'],
      gatewayApi,
    });
    const v = values(fleet);
    expect(v.provider).toEqual({ name: 'aws' });
    expect(v.serviceAccount).toEqual({ annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/external-dns' } });
    expect(v.env).toEqual([{ name: 'AWS_DEFAULT_REGION', value: 'eu-central-1' }]);
    expect(v.extraArgs).toEqual(['--aws-zone-type=public']);
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
  });

  test('Route53 with an access key: both keys by secretKeyRef', () => {
    const { fleet, cluster, gatewayApi } = setup();
    new ExternalDns(cluster.controllers, 'Dns', {
      provider: DnsProvider.route53({
        region: 'us-east-1',
        credentials: AwsCredentials.fromSecret(SecretReference.fromSealedSecret('aws', 'external-dns').key('id'), SecretReference.fromSealedSecret('aws', 'external-dns').key('secret')),
      }),
      domainFilters: ['aws.example.com'],
      gatewayApi,
    });
    expect(values(fleet).env).toEqual([
      { name: 'AWS_DEFAULT_REGION', value: 'us-east-1' },
      { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 'aws', key: 'id' } } },
      { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 'aws', key: 'secret' } } },
    ]);
  });

  test('Cloud DNS with a key file mounted from a Secret', () => {
    const { fleet, cluster, gatewayApi } = setup();
    new ExternalDns(cluster.controllers, 'Dns', {
      provider: DnsProvider.googleCloudDns({ project: 'infraflux-prod', credentials: GcpCredentials.fromSecret(SecretReference.fromSealedSecret('gcp-dns', 'external-dns').key('key.json')) }),
      domainFilters: ['gcp.example.com'],
      gatewayApi,
    });
    const v = values(fleet);
    expect(v.provider).toEqual({ name: 'google' });
    expect(v.extraArgs).toEqual(['--google-project=infraflux-prod']);
    expect(v.env).toEqual([{ name: 'GOOGLE_APPLICATION_CREDENTIALS', value: '/etc/secrets/google/key.json' }]);
    expect(v.extraVolumes).toEqual([{ name: 'google-credentials', secret: { secretName: 'gcp-dns', items: [{ key: 'key.json', path: 'key.json' }] } }]);
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
  });

  test('Cloud DNS with Workload Identity', () => {
    const { fleet, cluster, gatewayApi } = setup();
    new ExternalDns(cluster.controllers, 'Dns', {
      provider: DnsProvider.googleCloudDns({ project: 'infraflux-prod', credentials: GcpCredentials.workloadIdentity('dns@infraflux-prod.iam.gserviceaccount.com') }),
      domainFilters: ['gcp.example.com'],
      gatewayApi,
    });
    expect(values(fleet).serviceAccount).toEqual({ annotations: { 'iam.gke.io/gcp-service-account': 'dns@infraflux-prod.iam.gserviceaccount.com' } });
  });

  test('Azure DNS: azure.json from a Secret, resource group and subscription as flags', () => {
    const { fleet, cluster, gatewayApi } = setup();
    new ExternalDns(cluster.controllers, 'Dns', {
      provider: DnsProvider.azureDns({
        resourceGroup: 'dns-rg',
        subscriptionId: '00000000-0000-0000-0000-000000000001',
        config: SecretReference.fromSealedSecret('azure-dns', 'external-dns').key('azure.json'),
        workloadIdentityClientId: '00000000-0000-0000-0000-000000000002',
      }),
      domainFilters: ['azure.example.com'],
      gatewayApi,
    });
    const v = values(fleet);
    expect(v.provider).toEqual({ name: 'azure' });
    expect(v.extraArgs).toEqual(['--azure-resource-group=dns-rg', '--azure-subscription-id=00000000-0000-0000-0000-000000000001']);
    expect(v.extraVolumeMounts).toEqual([{ name: 'azure-config', mountPath: '/etc/kubernetes', readOnly: true }]);
    expect(v.podLabels).toEqual({ 'azure.workload.identity/use': 'true' });
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
  });

  test('the experimental TLS/TCP/UDP route sources work with the experimental CRDs', () => {
    const { fleet, cluster } = testCluster();
    const gatewayApi = new GatewayApiCrds(cluster.crds, 'GatewayApi', { channel: GatewayApiChannel.EXPERIMENTAL });
    new ExternalDnsCloudflare(cluster.controllers, 'Dns', {
      apiToken: TOKEN,
      domainFilters: ['example.com'],
      gatewayApi,
      sources: [ExternalDnsSource.GATEWAY_HTTPROUTE, ExternalDnsSource.GATEWAY_TLSROUTE, ExternalDnsSource.GATEWAY_TCPROUTE, ExternalDnsSource.GATEWAY_UDPROUTE],
      policy: DnsPolicy.UPSERT_ONLY,
    });
    expect(values(fleet)).toMatchObject({ sources: ['gateway-httproute', 'gateway-tlsroute', 'gateway-tcproute', 'gateway-udproute'], policy: 'upsert-only' });
  });

  test('the guarded key list is exactly the top-level keys of the pinned values.yaml', () => {
    // The chart schema has additionalProperties: true at the root; this list is the guard.
    const cache = UpstreamCache.default();
    const chart = cache.chart('external-dns');
    const pinned = Object.keys(parse(cache.read(chart.valuesPath!)) as object).sort();
    expect([...EXTERNAL_DNS_VALUE_KEYS].sort()).toEqual(pinned);
  });

  test('fails on a misspelt top-level value key the chart schema would let through', () => {
    const { cluster, gatewayApi } = setup();
    expect(
      () => new ExternalDnsCloudflare(cluster.controllers, 'Dns', { apiToken: TOKEN, domainFilters: ['example.com'], gatewayApi, values: { domainFilter: ['x.com'] } as never }),
    ).toThrow(/\[test\/controllers\/Dns\] values key\(s\) domainFilter do not exist in external-dns 1.21.1/);
  });

  test.each(['provider', 'sources', 'policy', 'registry', 'txtOwnerId', 'txtPrefix', 'domainFilters'])('fails on values.%s, which InfraFlux sets from validated props', (key) => {
    const { cluster, gatewayApi } = setup();
    expect(() => new ExternalDnsCloudflare(cluster.controllers, 'Dns', { apiToken: TOKEN, domainFilters: ['example.com'], gatewayApi, values: { [key]: 'x' } as never })).toThrow(
      new RegExp(`\\[test/controllers/Dns\\] values key\\(s\\) ${key} are set by InfraFlux from validated props`),
    );
  });

  test('extra values that InfraFlux does not own are merged', () => {
    const { fleet, cluster, gatewayApi } = setup();
    new ExternalDnsCloudflare(cluster.controllers, 'Dns', { apiToken: TOKEN, domainFilters: ['example.com'], gatewayApi, values: { logLevel: 'debug' } });
    expect(values(fleet)).toMatchObject({ logLevel: 'debug', policy: 'sync' });
  });

  test('zoneOf returns the most specific managed zone', () => {
    const { cluster, gatewayApi } = setup();
    const dns = new ExternalDnsCloudflare(cluster.controllers, 'Dns', { apiToken: TOKEN, domainFilters: ['example.com', 'dev.example.com'], gatewayApi });
    expect(dns.zoneOf('a.dev.example.com')).toBe('dev.example.com');
    expect(dns.zoneOf('a.example.com')).toBe('example.com');
    expect(dns.zoneOf('aexample.com')).toBeUndefined();
    expect(dns.manages('example.com')).toBe(true);
  });

  test('fails on a Cloudflare recordsPerPage outside 1-5000', () => {
    const { cluster, gatewayApi } = setup();
    expect(() => new ExternalDnsCloudflare(cluster.controllers, 'Dns', { apiToken: TOKEN, recordsPerPage: 5001, domainFilters: ['example.com'], gatewayApi })).toThrow(
      /\[test\/controllers\/Dns\] recordsPerPage 5001 must be 1-5000/,
    );
  });

  test('fails on a string that is no AWS region', () => {
    const { cluster, gatewayApi } = setup();
    const provider = DnsProvider.route53({ region: 'europe', credentials: AwsCredentials.serviceAccountRole('arn:aws:iam::123456789012:role/dns') });
    expect(() => new ExternalDns(cluster.controllers, 'Dns', { provider, domainFilters: ['example.com'], gatewayApi })).toThrow(/\[test\/controllers\/Dns\] region "europe" is not an AWS region/);
  });

  test('fails on a role ARN that is no IAM role', () => {
    const { cluster, gatewayApi } = setup();
    const provider = DnsProvider.route53({ region: 'eu-central-1', credentials: AwsCredentials.serviceAccountRole('arn:aws:iam::123:user/dns') });
    expect(() => new ExternalDns(cluster.controllers, 'Dns', { provider, domainFilters: ['example.com'], gatewayApi })).toThrow(/roleArn "arn:aws:iam::123:user\/dns" is not an IAM role ARN/);
  });

  test('fails on an invalid Google Cloud project id', () => {
    const { cluster, gatewayApi } = setup();
    const provider = DnsProvider.googleCloudDns({ project: 'P', credentials: GcpCredentials.workloadIdentity('dns@p-123456.iam.gserviceaccount.com') });
    expect(() => new ExternalDns(cluster.controllers, 'Dns', { provider, domainFilters: ['example.com'], gatewayApi })).toThrow(/project "P" is not a Google Cloud project id/);
  });

  test('fails on a Workload Identity e-mail that is no Google service account', () => {
    const { cluster, gatewayApi } = setup();
    const provider = DnsProvider.googleCloudDns({ project: 'infraflux-prod', credentials: GcpCredentials.workloadIdentity('dns@example.com') });
    expect(() => new ExternalDns(cluster.controllers, 'Dns', { provider, domainFilters: ['example.com'], gatewayApi })).toThrow(/serviceAccountEmail "dns@example.com" is not a Google service account/);
  });

  const AZURE = { resourceGroup: 'dns-rg', subscriptionId: '00000000-0000-0000-0000-000000000001', config: SecretReference.fromSealedSecret('azure-dns', 'external-dns').key('azure.json') };
  test.each([
    ['subscriptionId', { ...AZURE, subscriptionId: 'sub-1' }, /subscriptionId "sub-1" is not a UUID/],
    ['workloadIdentityClientId', { ...AZURE, workloadIdentityClientId: 'client' }, /workloadIdentityClientId "client" is not a UUID/],
    ['resourceGroup', { ...AZURE, resourceGroup: 'bad rg!' }, /resourceGroup "bad rg!" is not an Azure resource group name/],
  ])('fails on an invalid Azure %s', (_name, options, error) => {
    const { cluster, gatewayApi } = setup();
    expect(() => new ExternalDns(cluster.controllers, 'Dns', { provider: DnsProvider.azureDns(options), domainFilters: ['example.com'], gatewayApi })).toThrow(error);
  });

  test('fails on an owner id that is no valid TXT owner', () => {
    const { cluster, gatewayApi } = setup();
    expect(() => new ExternalDnsCloudflare(cluster.controllers, 'Dns', { apiToken: TOKEN, domainFilters: ['example.com'], gatewayApi, ownerId: 'Prod Cluster' })).toThrow(
      /\[test\/controllers\/Dns\] ownerId "Prod Cluster" must be 1-63 lowercase letters/,
    );
  });

  test('fails on empty sources', () => {
    const { cluster, gatewayApi } = setup();
    expect(() => new ExternalDnsCloudflare(cluster.controllers, 'Dns', { apiToken: TOKEN, domainFilters: ['example.com'], gatewayApi, sources: [] })).toThrow(/sources is empty/);
  });

  test('fails on duplicate sources', () => {
    const { cluster, gatewayApi } = setup();
    expect(
      () => new ExternalDnsCloudflare(cluster.controllers, 'Dns', { apiToken: TOKEN, domainFilters: ['example.com'], gatewayApi, sources: [ExternalDnsSource.SERVICE, ExternalDnsSource.SERVICE] }),
    ).toThrow(/sources service, service contain duplicates/);
  });

  test('fails on a sync interval under 30 seconds', () => {
    const { cluster, gatewayApi } = setup();
    expect(() => new ExternalDnsCloudflare(cluster.controllers, 'Dns', { apiToken: TOKEN, domainFilters: ['example.com'], gatewayApi, syncInterval: Duration.seconds(10) })).toThrow(
      /syncInterval 10s is too short/,
    );
  });

  test('fails on empty domainFilters', () => {
    const { cluster, gatewayApi } = setup();
    expect(() => new ExternalDnsCloudflare(cluster.controllers, 'Dns', { apiToken: TOKEN, domainFilters: [], gatewayApi })).toThrow(
      /\[test\/controllers\/Dns\] domainFilters is empty/,
    );
  });

  test('fails when two clusters share an owner id', () => {
    // GIVEN two clusters whose ExternalDNS use the same TXT owner id
    const fleet = new Fleet({ source: { url: 'https://example.com/org/repo.git' } });
    for (const name of ['a', 'b']) {
      const c = fleet.addCluster(name, { name });
      new ExternalDnsCloudflare(c.controllers, 'Dns', { apiToken: TOKEN, domainFilters: [`${name}.example.com`], ownerId: 'shared', sources: [ExternalDnsSource.SERVICE] });
    }
    // THEN synth reports the second one
    expect(() => fleet.manifests()).toThrow(/\[b\/controllers\/Dns\] ExternalDNS owner id "shared" is already used by a\/controllers\/Dns/);
  });

  test('fails on an experimental route source with the standard CRDs', () => {
    const { cluster, gatewayApi } = setup();
    expect(
      () => new ExternalDnsCloudflare(cluster.controllers, 'Dns', { apiToken: TOKEN, domainFilters: ['example.com'], gatewayApi, sources: [ExternalDnsSource.GATEWAY_TLSROUTE] }),
    ).toThrow(/source gateway-tlsroute reads v1alpha2 routes, which only the experimental Gateway API CRDs serve/);
  });

  test('fails on a gateway source without the Gateway API CRDs', () => {
    const { cluster } = setup();
    expect(() => new ExternalDnsCloudflare(cluster.controllers, 'Dns', { apiToken: TOKEN, domainFilters: ['example.com'] })).toThrow(
      /source gateway-httproute needs the Gateway API CRDs; pass gatewayApi/,
    );
  });

  test('fails outside the controllers layer', () => {
    const { cluster, gatewayApi } = setup();
    expect(() => new ExternalDnsCloudflare(cluster.apps, 'Dns', { apiToken: TOKEN, domainFilters: ['example.com'], gatewayApi })).toThrow(/must be created in the controllers layer/);
  });

  test('fails on an invalid secret key reference', () => {
    const { cluster, gatewayApi } = setup();
    expect(
      () => new ExternalDnsCloudflare(cluster.controllers, 'Dns', { apiToken: SecretReference.fromSealedSecret('cf', 'external-dns').key('bad key!'), domainFilters: ['example.com'], gatewayApi }),
    ).toThrow(/Cloudflare API token secret key "bad key!" is not a valid Secret key/);
  });
});

/** The InfraFluxError `fn` throws (fails the test when it throws nothing or something else). */
function codeOf(fn: () => unknown): ErrorCode {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InfraFluxError);
    return (e as InfraFluxError).code;
  }
  throw new Error('expected an InfraFluxError');
}

describe('ExternalDns error codes (one per rule family)', () => {
  const AZURE_OK = { resourceGroup: 'dns-rg', subscriptionId: '00000000-0000-0000-0000-000000000001', config: SecretReference.fromSealedSecret('azure-dns', 'external-dns').key('azure.json') };
  const ROLE = 'arn:aws:iam::123456789012:role/dns';
  test.each<[string, DnsProvider]>([
    ['an AWS region', DnsProvider.route53({ region: 'europe', credentials: AwsCredentials.serviceAccountRole(ROLE) })],
    ['an IAM role ARN', DnsProvider.route53({ region: 'eu-central-1', credentials: AwsCredentials.serviceAccountRole('arn:aws:iam::123:user/dns') })],
    ['a Google Cloud project id', DnsProvider.googleCloudDns({ project: 'P', credentials: GcpCredentials.workloadIdentity('dns@p-123456.iam.gserviceaccount.com') })],
    ['a Google service account', DnsProvider.googleCloudDns({ project: 'infraflux-prod', credentials: GcpCredentials.workloadIdentity('dns@example.com') })],
    ['an Azure subscription id', DnsProvider.azureDns({ ...AZURE_OK, subscriptionId: 'sub-1' })],
    ['an Azure client id', DnsProvider.azureDns({ ...AZURE_OK, workloadIdentityClientId: 'client' })],
    ['an Azure resource group', DnsProvider.azureDns({ ...AZURE_OK, resourceGroup: 'bad rg!' })],
  ])('fails on %s of the wrong form with INVALID_CLOUD_IDENTIFIER', (_what, provider) => {
    // GIVEN a provider with a malformed cloud identifier WHEN ExternalDNS is built THEN the family code
    const { cluster, gatewayApi } = setup();
    expect(codeOf(() => new ExternalDns(cluster.controllers, 'Dns', { provider, domainFilters: ['example.com'], gatewayApi }))).toBe(ErrorCode.INVALID_CLOUD_IDENTIFIER);
  });

  test('fails outside the controllers layer with WRONG_LAYER', () => {
    // GIVEN the apps layer WHEN ExternalDNS is created there THEN WRONG_LAYER
    const { cluster, gatewayApi } = setup();
    expect(codeOf(() => new ExternalDnsCloudflare(cluster.apps, 'Dns', { apiToken: TOKEN, domainFilters: ['example.com'], gatewayApi }))).toBe(ErrorCode.WRONG_LAYER);
  });

  test('fails on a sync interval under 30 seconds with INVALID_DURATION', () => {
    // GIVEN a 10 s interval WHEN built THEN INVALID_DURATION
    const { cluster, gatewayApi } = setup();
    expect(codeOf(() => new ExternalDnsCloudflare(cluster.controllers, 'Dns', { apiToken: TOKEN, domainFilters: ['example.com'], gatewayApi, syncInterval: Duration.seconds(10) }))).toBe(
      ErrorCode.INVALID_DURATION,
    );
  });

  test('fails on a sync interval that is no whole number of seconds with INVALID_DURATION naming the construct', () => {
    // GIVEN a 30.5 s interval WHEN built THEN goDuration's error names the ExternalDns path
    const { cluster, gatewayApi } = setup();
    const build = () => new ExternalDnsCloudflare(cluster.controllers, 'Dns', { apiToken: TOKEN, domainFilters: ['example.com'], gatewayApi, syncInterval: Duration.millis(30_500) });
    let err: unknown;
    try {
      build();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InfraFluxError);
    expect((err as InfraFluxError).code).toBe(ErrorCode.INVALID_DURATION);
    expect((err as InfraFluxError).message).toBe('[test/controllers/Dns] duration must be a positive whole number of seconds, got 30.5s');
  });

  test('fails on a values key InfraFlux owns with INVALID_CHART_VALUES', () => {
    // GIVEN values.policy WHEN built THEN INVALID_CHART_VALUES
    const { cluster, gatewayApi } = setup();
    expect(codeOf(() => new ExternalDnsCloudflare(cluster.controllers, 'Dns', { apiToken: TOKEN, domainFilters: ['example.com'], gatewayApi, values: { policy: 'x' } as never }))).toBe(
      ErrorCode.INVALID_CHART_VALUES,
    );
  });

  test('fails on a values key the pinned chart does not know with INVALID_CHART_VALUES', () => {
    // GIVEN a misspelt key WHEN built THEN INVALID_CHART_VALUES
    const { cluster, gatewayApi } = setup();
    expect(
      codeOf(() => new ExternalDnsCloudflare(cluster.controllers, 'Dns', { apiToken: TOKEN, domainFilters: ['example.com'], gatewayApi, values: { domainFilter: ['x.com'] } as never })),
    ).toBe(ErrorCode.INVALID_CHART_VALUES);
  });
});
