import { Chart, Testing } from 'cdk8s';
import { ErrorCode, InfraFluxError, invalidProp, validateDnsLabel, validateDnsSubdomain } from '../../lib/core/errors';

function scope(): Chart {
  // GIVEN a chart named `fleet` (its node path is the error prefix)
  return new Chart(Testing.app(), 'fleet');
}

/** Runs `fn` and returns what it threw. */
function thrown(fn: () => unknown): InfraFluxError {
  try {
    fn();
  } catch (e) {
    return e as InfraFluxError;
  }
  throw new Error('expected a throw');
}

describe('InfraFluxError', () => {
  test('prefixes the message with the construct path and keeps code and path', () => {
    // GIVEN / WHEN an error for a construct
    const err = new InfraFluxError(ErrorCode.DUPLICATE, scope(), 'name "a" is used twice');
    // THEN
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('InfraFluxError');
    expect(err.message).toBe('[fleet] name "a" is used twice');
    expect(err.code).toBe('INFRAFLUX_DUPLICATE');
    expect(err.constructPath).toBe('fleet');
  });

  test('takes a path string as scope', () => {
    // GIVEN / WHEN
    const err = new InfraFluxError(ErrorCode.INVALID_PROP, 'Cidr.of', 'bad');
    // THEN
    expect(err.message).toBe('[Cidr.of] bad');
    expect(err.constructPath).toBe('Cidr.of');
  });

  test('the codes are stable strings', () => {
    // THEN users match on these values; a rename is a breaking change
    expect(Object.values(ErrorCode).sort()).toEqual([
      'INFRAFLUX_CIDR_OVERLAP',
      'INFRAFLUX_DEPENDENCY_CYCLE',
      'INFRAFLUX_DUPLICATE',
      'INFRAFLUX_ENDPOINT_NOT_HA',
      'INFRAFLUX_INVALID_CHART_VALUES',
      'INFRAFLUX_INVALID_CLOUD_IDENTIFIER',
      'INFRAFLUX_INVALID_DNS_TTL',
      'INFRAFLUX_INVALID_DURATION',
      'INFRAFLUX_INVALID_HELM_VALUES',
      'INFRAFLUX_INVALID_NODE_COUNT',
      'INFRAFLUX_INVALID_PORT',
      'INFRAFLUX_INVALID_PROP',
      'INFRAFLUX_INVALID_SCHEMA_REGISTRATION',
      'INFRAFLUX_LAYER_ORDER',
      'INFRAFLUX_MISSING_DEPENDENCY',
      'INFRAFLUX_NAME_TOO_LONG',
      'INFRAFLUX_NO_HEALTH_CHECKS',
      'INFRAFLUX_NO_SCHEDULABLE_NODES',
      'INFRAFLUX_PLAINTEXT_SECRET',
      'INFRAFLUX_SCHEMA_VIOLATION',
      'INFRAFLUX_SEALED_FILE_INVALID',
      'INFRAFLUX_SEALED_FILE_MISSING',
      'INFRAFLUX_SEALED_TARGET_MISMATCH',
      'INFRAFLUX_SEALING_CERTIFICATE_EXPIRED',
      'INFRAFLUX_SEALING_CERTIFICATE_INVALID',
      'INFRAFLUX_SEALING_KEY_UNSUPPORTED',
      'INFRAFLUX_SYNTH_FAILED',
      'INFRAFLUX_UNKNOWN_KIND',
      'INFRAFLUX_UNSEAL_FAILED',
      'INFRAFLUX_UNSUPPORTED_VERSION',
      'INFRAFLUX_VIP_IS_GATEWAY',
      'INFRAFLUX_VIP_IS_NODE_ADDRESS',
      'INFRAFLUX_VIP_NEEDS_STATIC_ADDRESSING',
      'INFRAFLUX_VIP_NOT_HOST_ADDRESS',
      'INFRAFLUX_VIP_OUTSIDE_NODE_NETWORK',
      'INFRAFLUX_WRONG_LAYER',
    ]);
  });
});

describe('invalidProp', () => {
  test('fails with INVALID_PROP naming the construct path', () => {
    // GIVEN a scope WHEN invalidProp is called
    const err = thrown(() => invalidProp(scope(), 'clusterId 0 is reserved; use 1-255'));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toBe('[fleet] clusterId 0 is reserved; use 1-255');
  });
});

describe('validateDnsLabel', () => {
  test.each(['a', 'cilium', 'kube-system', 'a1', '0abc', 'x'.repeat(63)])('accepts %s and returns it', (value) => {
    // GIVEN a valid label WHEN validated THEN it is returned unchanged
    expect(validateDnsLabel(scope(), 'namespace', value)).toBe(value);
  });

  test.each(['', 'Upper', '-lead', 'trail-', 'dot.ted', 'under_score', 'x'.repeat(64)])('fails on %j with INVALID_PROP', (value) => {
    // GIVEN an invalid label WHEN validated
    const err = thrown(() => validateDnsLabel(scope(), 'namespace', value));
    // THEN the error names the prop and the bad value
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toContain(`namespace "${value}" is not a DNS-1123 label`);
  });
});

describe('validateDnsSubdomain', () => {
  test.each(['a', 'a.b', 'cert-manager.io', 'x'.repeat(63) + '.' + 'y'.repeat(63)])('accepts %s', (value) => {
    // THEN
    expect(validateDnsSubdomain(scope(), 'name', value)).toBe(value);
  });

  test.each(['', 'a..b', '.a', 'a.', 'A.b', 'a_b.c', ('a'.repeat(50) + '.').repeat(5) + 'abcd'])('fails on %j with INVALID_PROP', (value) => {
    // GIVEN an invalid subdomain (the last is 259 characters) WHEN validated
    const err = thrown(() => validateDnsSubdomain(scope(), 'name', value));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toContain(`name "${value}" is not a DNS-1123 subdomain`);
  });
});
