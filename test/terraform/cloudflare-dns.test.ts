import { Testing } from 'cdktf';
import { ApiToken } from '@cdktf/provider-cloudflare/lib/api-token';
import { DataCloudflareApiTokenPermissionGroupsList } from '@cdktf/provider-cloudflare/lib/data-cloudflare-api-token-permission-groups-list';
import { DnsRecord } from '@cdktf/provider-cloudflare/lib/dns-record';
import { ZeroTrustTunnelCloudflared } from '@cdktf/provider-cloudflare/lib/zero-trust-tunnel-cloudflared';
import { ErrorCode, InfraFluxError } from '../../lib/core/errors';
import { thrownBy } from '../support/errors';
import { CloudflareDnsApiToken, CloudflareZoneStack, DnsTarget, ICloudflareZone, TokenValidity } from '../../lib/terraform';
import { PinnedProviderSchemas, findSecretLeaks } from '../../scripts/lib/provider-schema';

// Types of cdktf's jest matchers (toHaveResourceWithProperties, ...).
import 'cdktf/lib/testing/adapters/jest';

Testing.setupJest();

const ZONE_REF = '${data.cloudflare_zone.zone.zone_id}';
const cloudflareSchemas = PinnedProviderSchemas.load(['cloudflare']);

function stack(): CloudflareZoneStack {
  return new CloudflareZoneStack(Testing.app(), 'dns', { zoneName: 'example.com' });
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const parse = (s: CloudflareZoneStack): Json => JSON.parse(Testing.synth(s, true)) as Json;

describe('CloudflareDnsApiToken', () => {
  test('grants exactly Zone Read + DNS Write, looked up by name, on exactly one zone', () => {
    // GIVEN a zone stack WHEN an ExternalDNS token is added
    const s = stack();
    s.addExternalDnsToken();
    const json = parse(s);
    // THEN the permission groups come from the list data source (no hard-coded ids)
    const synthed = Testing.synth(s);
    expect(synthed).toHaveDataSourceWithProperties(DataCloudflareApiTokenPermissionGroupsList, { name: 'Zone%20Read', scope: 'com.cloudflare.api.account.zone' });
    expect(synthed).toHaveDataSourceWithProperties(DataCloudflareApiTokenPermissionGroupsList, { name: 'DNS%20Write', scope: 'com.cloudflare.api.account.zone' });
    const token = Object.values(json.resource.cloudflare_api_token)[0] as Json;
    expect(token.policies).toHaveLength(1);
    const [policy] = token.policies;
    expect(policy.effect).toBe('allow');
    expect(policy.permission_groups.map((g: Json) => g.id)).toEqual([
      expect.stringMatching(/^\$\{one\(\[for g in data\.cloudflare_api_token_permission_groups_list\.\S+\.result : g\.id if g\.name == "Zone Read"\]\)\}$/),
      expect.stringMatching(/^\$\{one\(\[for g in data\.cloudflare_api_token_permission_groups_list\.\S+\.result : g\.id if g\.name == "DNS Write"\]\)\}$/),
    ]);
    // AND the resources JSON names one zone and nothing else
    expect(JSON.parse(policy.resources)).toEqual({ [`com.cloudflare.api.account.zone.${ZONE_REF}`]: '*' });
    expect(token.name).toBe('external-dns-example.com');
    expect(token.condition).toBeUndefined();
  });

  test('ExternalDNS and cert-manager tokens share one lookup per permission group', () => {
    const s = stack();
    s.addExternalDnsToken();
    s.addCertManagerToken();
    const json = parse(s);
    expect(Object.keys(json.resource.cloudflare_api_token)).toHaveLength(2);
    expect(Object.keys(json.data.cloudflare_api_token_permission_groups_list)).toHaveLength(2);
  });

  test('token values are only sensitive outputs', () => {
    const s = stack();
    s.addExternalDnsToken();
    s.addCertManagerToken();
    const json = parse(s);
    expect(json.output.external_dns_token).toEqual(expect.objectContaining({ sensitive: true, value: expect.stringMatching(/^\$\{cloudflare_api_token\.external-dns_\w+\.value\}$/) }));
    expect(json.output.cert_manager_token).toEqual(expect.objectContaining({ sensitive: true, value: expect.stringMatching(/^\$\{cloudflare_api_token\.cert-manager_\w+\.value\}$/) }));
    expect(findSecretLeaks(cloudflareSchemas, json)).toEqual([]);
  });

  test('restricts client IPs and validity when asked', () => {
    const s = stack();
    s.addCertManagerToken({
      allowedClientCidrs: ['203.0.113.0/24', '2001:db8::1'],
      validity: TokenValidity.forDays(new Date('2027-01-01T00:00:00Z'), 90),
    });
    expect(Testing.synth(s)).toHaveResourceWithProperties(ApiToken, {
      condition: { request_ip: { in: ['203.0.113.0/24', '2001:db8::1'] } },
      not_before: '2027-01-01T00:00:00Z',
      expires_on: '2027-04-01T00:00:00Z',
    });
  });

  test('fails for a token without a zone', () => {
    const app = Testing.app();
    const s = new CloudflareZoneStack(app, 'dns', { zoneName: 'example.com' });
    expect(() => new CloudflareDnsApiToken(s, 'orphan', { zone: undefined as unknown as ICloudflareZone })).toThrow(
      /\[dns\/orphan\] zone is missing; a DNS token must be scoped to exactly one Cloudflare zone/,
    );
  });

  test('fails for an allowed client that is not an IP or CIDR', () => {
    expect(() => stack().addExternalDnsToken({ allowedClientCidrs: ['203.0.113.0/33'] })).toThrow(
      /\[dns\/external-dns\] allowedClientCidrs\[0\] "203.0.113.0\/33" is not an IP address or CIDR/,
    );
  });

  test('fails for an empty client list', () => {
    expect(() => stack().addExternalDnsToken({ allowedClientCidrs: [] })).toThrow(/allowedClientCidrs is empty/);
  });
});

describe('CloudflareDnsRecords', () => {
  test('creates the apex and a wildcard with the proxied flag and automatic TTL', () => {
    const s = stack();
    s.addRecords('apex', { target: DnsTarget.ipv4('203.0.113.10'), wildcard: true, proxied: true });
    const synthed = Testing.synth(s);
    for (const name of ['example.com', '*.example.com']) {
      expect(synthed).toHaveResourceWithProperties(DnsRecord, { zone_id: ZONE_REF, name, type: 'A', content: '203.0.113.10', proxied: true, ttl: 1 });
    }
  });

  test('creates only the named record without wildcard, unproxied by default', () => {
    const s = stack();
    s.addRecords('api', { name: 'api.k8s', target: DnsTarget.hostname('lb.example.net'), ttlSeconds: 300 });
    const json = parse(s);
    expect(Object.values(json.resource.cloudflare_dns_record)).toEqual([
      expect.objectContaining({ name: 'api.k8s.example.com', type: 'CNAME', content: 'lb.example.net', proxied: false, ttl: 300 }),
    ]);
  });

  test('fails for a record address that is not an IP', () => {
    expect(() => stack().addRecords('apex', { target: DnsTarget.ipv4('203.0.113.300') })).toThrow(/\[dns\/apex\] target "203.0.113.300" is not an IP address or CIDR/);
  });

  test('fails for a proxied record with a fixed TTL', () => {
    expect(() => stack().addRecords('apex', { target: DnsTarget.ipv4('203.0.113.10'), proxied: true, ttlSeconds: 300 })).toThrow(/proxied records use 1/);
  });

  test.each([
    ['a proxied record with a fixed TTL', { proxied: true, ttlSeconds: 300 }],
    ['a TTL under 60 that is not automatic', { ttlSeconds: 30 }],
    ['a TTL over 86400', { ttlSeconds: 86401 }],
  ])('fails for %s with INVALID_DNS_TTL', (_what, options) => {
    // GIVEN a TTL outside what Cloudflare allows WHEN the record is added THEN the TTL family code
    expect(thrownBy(() => stack().addRecords('apex', { target: DnsTarget.ipv4('203.0.113.10'), ...options })).code).toBe(ErrorCode.INVALID_DNS_TTL);
  });
});

describe('CloudflareTunnel', () => {
  test('is remotely managed, routes ingress with a 404 catch-all, and its token is a sensitive output', () => {
    const s = stack();
    const tunnel = s.addTunnel('edge', { accountId: '0123456789abcdef0123456789abcdef', ingress: [{ hostname: 'app.example.com', service: 'https://10.0.0.5:443' }] });
    s.addRecords('app', { name: 'app', target: DnsTarget.tunnel(tunnel) });
    const synthed = Testing.synth(s);
    expect(synthed).toHaveResourceWithProperties(ZeroTrustTunnelCloudflared, { config_src: 'cloudflare', name: 'edge' });
    const json = parse(s);
    const config = Object.values(json.resource.cloudflare_zero_trust_tunnel_cloudflared_config)[0] as Json;
    expect(config.config.ingress).toEqual([{ hostname: 'app.example.com', service: 'https://10.0.0.5:443' }, { service: 'http_status:404' }]);
    expect(json.output.edge_tunnel_token).toEqual(expect.objectContaining({ sensitive: true }));
    expect(synthed).toHaveResourceWithProperties(DnsRecord, { name: 'app.example.com', type: 'CNAME', proxied: true });
  });

  test('fails for a tunnel without ingress rules', () => {
    expect(() => stack().addTunnel('edge', { accountId: 'a', ingress: [] })).toThrow(/\[dns\/edge\] ingress is empty/);
  });
});

describe('Cloudflare stack as a whole', () => {
  function full(): CloudflareZoneStack {
    const s = stack();
    s.addExternalDnsToken({ allowedClientCidrs: ['198.51.100.7'] });
    s.addCertManagerToken();
    s.addRecords('apex', { target: DnsTarget.ipv4('203.0.113.10'), wildcard: true });
    const tunnel = s.addTunnel('edge', { accountId: '0123456789abcdef0123456789abcdef', ingress: [{ hostname: 'app.example.com', service: 'http://10.0.0.5:80' }] });
    s.addRecords('app', { name: 'app', target: DnsTarget.tunnel(tunnel) });
    return s;
  }

  test('every resource and attribute matches the pinned cloudflare 5.14.0 schema', () => {
    expect(cloudflareSchemas.check(parse(full()))).toEqual([]);
  });

  test('matches the snapshot', () => {
    expect(parse(full())).toMatchSnapshot();
  });
});

describe('TokenValidity.forDays', () => {
  test.each([0, -1, 1.5])('fails on %s days with INVALID_DURATION naming the input', (days) => {
    // GIVEN a validity that is not a whole number of days >= 1 WHEN it is built
    let err: unknown;
    try {
      TokenValidity.forDays(new Date('2027-01-01T00:00:00Z'), days);
    } catch (e) {
      err = e;
    }
    // THEN the stable code, the input, the bad value and what is allowed
    expect(err).toBeInstanceOf(InfraFluxError);
    expect((err as InfraFluxError).code).toBe(ErrorCode.INVALID_DURATION);
    expect((err as InfraFluxError).message).toBe(`[TokenValidity.forDays] token validity of ${days} days; use a whole number of days >= 1`);
  });
});
