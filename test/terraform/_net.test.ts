import { TerraformStack, Testing } from 'cdktf';
import { ErrorCode } from '../../lib/core/errors';
import {
  ipv4NetworkOf,
  ipv4ToNumber,
  numberToIpv4,
  rfc3339,
  validateDomainName,
  validateGcpProjectId,
  validateHostname,
  validateIpOrCidr,
  validateIpv4,
  validateIpv4Cidr,
} from '../../lib/terraform/_net';
import { thrownBy } from '../support/errors';

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

  test('accepts IPv4/IPv6 addresses and CIDRs, and IPv4 addresses with a host prefix', () => {
    // GIVEN well-formed values WHEN checked THEN each is returned unchanged
    for (const ok of ['203.0.113.7', '203.0.113.0/24', '0.0.0.0/0', '2001:db8::1', '2001:db8::/32', '::/0', '10.0.0.0/32']) {
      expect(validateIpOrCidr(scope, 'allow', ok)).toBe(ok);
    }
    expect(validateIpv4(scope, 'gateway', '192.168.10.1')).toBe('192.168.10.1');
    expect(validateIpv4Cidr(scope, 'address', '192.168.10.21/24')).toBe('192.168.10.21/24');
    expect(validateIpv4Cidr(scope, 'address', '10.0.0.1/32')).toBe('10.0.0.1/32');
  });

  test('fails a value that is not an IP address or CIDR (bad address, prefix too long, two slashes)', () => {
    // GIVEN malformed addresses WHEN checked THEN INVALID_PROP names the value and shows examples
    for (const bad of ['', 'example.com', '300.1.1.1', '10.0.0.0/33', '2001:db8::/129', '10.0.0.0/8/8', '10.0.0.0/', '10.0.0.0/abc']) {
      const e = thrownBy(() => validateIpOrCidr(scope, 'allow', bad));
      expect(e.code).toBe(ErrorCode.INVALID_PROP);
      expect(e.message).toContain(`allow "${bad}" is not an IP address or CIDR; use e.g. 203.0.113.7`);
    }
  });

  test('fails an IPv4 address that is IPv6, has a prefix or is malformed', () => {
    for (const bad of ['2001:db8::1', '10.0.0.1/24', '10.0.0', 'gateway']) {
      const e = thrownBy(() => validateIpv4(scope, 'gateway', bad));
      expect(e.code).toBe(ErrorCode.INVALID_PROP);
      expect(e.message).toMatch(/gateway ".*" is not an IPv4 address; use e\.g\. 192\.168\.10\.21$/);
    }
  });

  test('fails an IPv4 address with prefix whose prefix is missing, 0 or over 32, or whose address is not IPv4', () => {
    for (const bad of ['10.0.0.1', '10.0.0.1/0', '10.0.0.1/33', '2001:db8::1/64', '10.0.0/24', '10.0.0.1/024']) {
      const e = thrownBy(() => validateIpv4Cidr(scope, 'address', bad));
      expect(e.code).toBe(ErrorCode.INVALID_PROP);
      expect(e.message).toContain(`address "${bad}" is not an IPv4 address with prefix; use e.g. 192.168.10.21/24`);
    }
  });

  test('names the construct path in every error', () => {
    // GIVEN a check on a nested construct WHEN it fails THEN the message starts with its path
    const stack = new TerraformStack(Testing.app(), 'net-checks');
    const e = thrownBy(() => validateHostname(stack, 'name', 'UPPER'));
    expect(e.constructPath).toBe('net-checks');
    expect(e.message.startsWith(`[${stack.node.path}] name "UPPER" is not a hostname`)).toBe(true);
  });

  test('formats RFC 3339 UTC timestamps without fractional seconds', () => {
    // GIVEN dates with and without milliseconds WHEN formatted THEN the fraction is dropped, Z kept
    expect(rfc3339(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)))).toBe('2026-01-02T03:04:05Z');
    expect(rfc3339(new Date('2030-12-31T23:59:59.000Z'))).toBe('2030-12-31T23:59:59Z');
  });
});
