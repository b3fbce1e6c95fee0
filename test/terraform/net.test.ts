import { Testing } from 'cdktf';
import { ipv4NetworkOf, ipv4ToNumber, numberToIpv4, validateDomainName, validateGcpProjectId, validateHostname } from '../../lib/terraform/_net';

const scope = Testing.app();

describe('shared name checks (lib/terraform/_net.ts)', () => {
  test('accepts domain names, hostnames and project ids', () => {
    expect(validateDomainName(scope, 'zoneName', 'aws.example.com')).toBe('aws.example.com');
    expect(validateHostname(scope, 'name', 'api')).toBe('api');
    expect(validateGcpProjectId(scope, 'projectId', 'infraflux-prod')).toBe('infraflux-prod');
  });

  test('fails a domain name with a trailing dot, a single label, upper case or a label over 63 characters', () => {
    for (const bad of ['example.com.', 'localhost', 'Example.com', `${'a'.repeat(64)}.example.com`]) {
      expect(() => validateDomainName(scope, 'zoneName', bad)).toThrow(/zoneName ".*" is not a domain name like example.com \(lowercase, no trailing dot\)/);
    }
  });

  test('fails a hostname label over 63 characters', () => {
    expect(() => validateHostname(scope, 'name', `${'a'.repeat(64)}.example.com`)).toThrow(/is not a hostname/);
  });

  test('fails a project id that is too short, starts with a digit or ends with a hyphen', () => {
    for (const bad of ['short', '1infraflux', 'infraflux-', 'Infraflux']) {
      expect(() => validateGcpProjectId(scope, 'projectId', bad)).toThrow(/projectId ".*" is not a Google Cloud project id/);
    }
  });

  test('computes the IPv4 network and broadcast of an address/prefix', () => {
    // GIVEN a node address with its prefix WHEN its network is computed THEN network/broadcast bound it
    const n = ipv4NetworkOf('192.168.10.21/24');
    expect([numberToIpv4(n.address), n.prefix, numberToIpv4(n.network), numberToIpv4(n.broadcast)]).toEqual(['192.168.10.21', 24, '192.168.10.0', '192.168.10.255']);
    const odd = ipv4NetworkOf('10.1.2.130/26');
    expect([numberToIpv4(odd.network), numberToIpv4(odd.broadcast)]).toEqual(['10.1.2.128', '10.1.2.191']);
    expect(ipv4ToNumber('255.255.255.255')).toBe(2 ** 32 - 1);
    expect(numberToIpv4(ipv4ToNumber('203.0.113.7'))).toBe('203.0.113.7');
  });
});
