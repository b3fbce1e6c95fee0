import { Chart, Testing } from 'cdk8s';
import { addCodedValidation, ErrorCode, InfraFluxError, invalidProp, validateDnsLabel, validateDnsSubdomain, validateWithCodes } from '../../lib/core/errors';

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
      'INFRAFLUX_ALERT_RECEIVER_SECRET_MISSING',
      'INFRAFLUX_APP_NOT_CREATED',
      'INFRAFLUX_BACKUP_BUCKET_UNKNOWN',
      'INFRAFLUX_BACKUP_CREDENTIALS_MISMATCH',
      'INFRAFLUX_BACKUP_RESTORE_SOURCE',
      // bootstrap (issue 16)
      'INFRAFLUX_BOOTSTRAP_NOT_CREATED_HERE',
      'INFRAFLUX_BOOTSTRAP_PREFLIGHT_FAILED',
      'INFRAFLUX_BOOTSTRAP_STEP_FAILED',
      'INFRAFLUX_BOOTSTRAP_USAGE',
      'INFRAFLUX_CIDR_OVERLAP',
      'INFRAFLUX_CLOUD_CCM_MISMATCH',
      'INFRAFLUX_CLOUD_CCM_MISSING',
      'INFRAFLUX_CROSSPLANE_INVALID_PACKAGE',
      'INFRAFLUX_CROSSPLANE_NOT_INSTALLED',
      'INFRAFLUX_CROSSPLANE_NO_COMPOSITION',
      'INFRAFLUX_CROSSPLANE_XRD_NOT_ON_CLUSTER',
      'INFRAFLUX_CROSSPLANE_XR_SPEC',
      'INFRAFLUX_DEFAULT_STORAGE_CLASS',
      'INFRAFLUX_DEPENDENCY_CYCLE',
      'INFRAFLUX_DUPLICATE',
      'INFRAFLUX_ENDPOINT_NOT_HA',
      'INFRAFLUX_INVALID_ALERT_RULE',
      'INFRAFLUX_INVALID_CHART_VALUES',
      'INFRAFLUX_INVALID_CLOUD_IDENTIFIER',
      'INFRAFLUX_INVALID_CRON',
      'INFRAFLUX_INVALID_DNS_TTL',
      'INFRAFLUX_INVALID_DURATION',
      'INFRAFLUX_INVALID_HELM_VALUES',
      'INFRAFLUX_INVALID_NODE_COUNT',
      'INFRAFLUX_INVALID_PORT',
      'INFRAFLUX_INVALID_PROMQL',
      'INFRAFLUX_INVALID_PROP',
      'INFRAFLUX_INVALID_SCHEMA_REGISTRATION',
      'INFRAFLUX_INVALID_STORAGE_SIZING',
      'INFRAFLUX_LAYER_ORDER',
      'INFRAFLUX_MESH_MEMBERSHIP',
      'INFRAFLUX_MISSING_DEPENDENCY',
      'INFRAFLUX_MONITORING_RETENTION',
      'INFRAFLUX_MONITORING_STORAGE_SIZING',
      'INFRAFLUX_NAMES_MANIFEST_MALFORMED',
      'INFRAFLUX_NAME_TOO_LONG',
      'INFRAFLUX_NOT_IN_CLUSTER',
      'INFRAFLUX_NO_HEALTH_CHECKS',
      'INFRAFLUX_NO_SCHEDULABLE_NODES',
      'INFRAFLUX_PLAINTEXT_SECRET',
      // policy (issue 15, h-policy)
      'INFRAFLUX_POLICY_ENGINES_BOTH_ENFORCING',
      'INFRAFLUX_POLICY_EXEMPTION_EXPIRED',
      'INFRAFLUX_POLICY_NAMESPACE_NOT_EXEMPTED',
      'INFRAFLUX_README_MALFORMED',
      'INFRAFLUX_REFERENCE_FLEET_INCOMPLETE',
      'INFRAFLUX_RENAME_UNDECLARED',
      'INFRAFLUX_ROUTE_NOT_SERVABLE',
      'INFRAFLUX_SCHEMA_PACK_FORMAT',
      'INFRAFLUX_SCHEMA_PACK_INCOMPLETE',
      'INFRAFLUX_SCHEMA_PACK_MISSING',
      'INFRAFLUX_SCHEMA_VIOLATION',
      'INFRAFLUX_SEALED_FILE_INVALID',
      'INFRAFLUX_SEALED_FILE_MISSING',
      'INFRAFLUX_SEALED_TARGET_MISMATCH',
      'INFRAFLUX_SEALED_VALUE_MALFORMED',
      'INFRAFLUX_SEALING_CERTIFICATE_EXPIRED',
      'INFRAFLUX_SEALING_CERTIFICATE_INVALID',
      'INFRAFLUX_SEALING_KEY_UNSUPPORTED',
      'INFRAFLUX_SECRET_KEY_UNKNOWN',
      'INFRAFLUX_SECRET_NAMESPACE_MISMATCH',
      'INFRAFLUX_STORAGE_BACKEND_PLATFORM',
      'INFRAFLUX_SYNTH_FAILED',
      'INFRAFLUX_TELEMETRY_DASHBOARD',
      'INFRAFLUX_TELEMETRY_STORAGE',
      // multi-tenancy and Flux lockdown (h-tenancy, issue 15)
      'INFRAFLUX_TENANCY_CROSS_NAMESPACE_REF',
      'INFRAFLUX_TENANCY_IMPERSONATION',
      'INFRAFLUX_TENANCY_NAMESPACE_CONFLICT',
      'INFRAFLUX_UNKNOWN_KIND',
      'INFRAFLUX_UNSEAL_FAILED',
      'INFRAFLUX_UNSUPPORTED_VERSION',
      'INFRAFLUX_UPSTREAM_CACHE_MISMATCH',
      'INFRAFLUX_UPSTREAM_CACHE_MISSING',
      'INFRAFLUX_UPSTREAM_FILE_MALFORMED',
      'INFRAFLUX_UPSTREAM_LOCK_MISSING',
      'INFRAFLUX_UPSTREAM_NOT_PINNED',
      'INFRAFLUX_VIP_IS_GATEWAY',
      'INFRAFLUX_VIP_IS_NODE_ADDRESS',
      'INFRAFLUX_VIP_NEEDS_STATIC_ADDRESSING',
      'INFRAFLUX_VIP_NOT_HOST_ADDRESS',
      'INFRAFLUX_VIP_OUTSIDE_NODE_NETWORK',
      'INFRAFLUX_WRONG_LAYER',
      'INFRAFLUX_YAML_PARSE',
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

describe('addCodedValidation / validateWithCodes', () => {
  test('a coded validation gives its errors\' codes; a plain node.addValidation gives INVALID_PROP, in registration order', () => {
    // GIVEN a construct with a coded validation, a plain one, and a second coded one
    const chart = scope();
    addCodedValidation(chart, () => [new InfraFluxError(ErrorCode.DUPLICATE, chart, 'name "a" is used twice')]);
    chart.node.addValidation({ validate: () => ['[fleet] something else'] });
    addCodedValidation(chart, () => [new InfraFluxError(ErrorCode.LAYER_ORDER, 'fleet/x', 'depends on a later layer'), new InfraFluxError(ErrorCode.DEPENDENCY_CYCLE, chart, 'a cycle')]);
    // WHEN validated
    const problems = validateWithCodes(chart);
    // THEN each problem has its own code and the construct's path; cdk8s sees the same messages
    expect(problems).toEqual([
      { code: ErrorCode.DUPLICATE, constructPath: 'fleet', message: '[fleet] name "a" is used twice' },
      { code: ErrorCode.INVALID_PROP, constructPath: 'fleet', message: '[fleet] something else' },
      { code: ErrorCode.LAYER_ORDER, constructPath: 'fleet', message: '[fleet/x] depends on a later layer' },
      { code: ErrorCode.DEPENDENCY_CYCLE, constructPath: 'fleet', message: '[fleet] a cycle' },
    ]);
    expect(chart.node.validate()).toEqual(problems.map((p) => p.message));
  });

  test('returns no problems when every check passes', () => {
    // GIVEN a coded validation that finds nothing WHEN validated THEN no problems
    const chart = scope();
    addCodedValidation(chart, () => []);
    expect(validateWithCodes(chart)).toEqual([]);
  });
});
