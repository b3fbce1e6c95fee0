import { Testing } from 'cdktf';
import { validateDomainName, validateGcpProjectId, validateHostname } from '../../lib/terraform/_net';

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
});
