import Ajv from 'ajv';
import { ErrorCode } from '../../lib/core/errors';
import { SCHEMA_PACK_FORMAT, SchemaPack } from '../../lib/validation/schema-pack';
import { thrownBy } from '../support/errors';
import { K8S_FORMATS, convertCrdNode, emptyNotes, goPatternToJs } from '../../lib/validation/k8s-schema';
import { SchemaRegistry, parseApiVersion } from '../../lib/validation';

/** Compiles a converted CRD node standalone (no ObjectMeta refs needed for these snippets). */
function strict(node: Record<string, unknown>): (value: unknown) => boolean {
  const ajv = new Ajv({ strict: false, allErrors: true, formats: { ...K8S_FORMATS } });
  const validate = ajv.compile(convertCrdNode(node, emptyNotes()));
  return (value) => validate(value) as boolean;
}

describe('CRD schema conversion (API server pruning semantics)', () => {
  test('fails unknown fields of an object node without additionalProperties', () => {
    // GIVEN an object schema with one property
    const accepts = strict({ type: 'object', properties: { a: { type: 'string' } } });
    // THEN extra keys are rejected (the API server would prune them)
    expect(accepts({ a: 'x' })).toBe(true);
    expect(accepts({ a: 'x', b: 1 })).toBe(false);
  });

  test('fails any key in `type: object` without properties (everything would be pruned)', () => {
    const accepts = strict({ type: 'object' });
    expect(accepts({})).toBe(true);
    expect(accepts({ any: 1 })).toBe(false);
  });

  test('accepts unknown keys under x-kubernetes-preserve-unknown-fields, but prunes again in nested specified objects', () => {
    // GIVEN a preserving node with a nested, fully specified object
    const accepts = strict({
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
      properties: { known: { type: 'object', properties: { a: { type: 'string' } } } },
    });
    // THEN unknown keys are kept at the preserving level only
    expect(accepts({ free: { anything: true }, known: { a: 'x' } })).toBe(true);
    expect(accepts({ known: { a: 'x', typo: 1 } })).toBe(false);
  });

  test('accepts maps declared with additionalProperties', () => {
    const accepts = strict({ type: 'object', additionalProperties: { type: 'string' } });
    expect(accepts({ a: 'b', c: 'd' })).toBe(true);
    expect(accepts({ a: 1 })).toBe(false);
  });

  test('accepts integers and strings for x-kubernetes-int-or-string (pattern applies to strings only)', () => {
    const accepts = strict({
      'x-kubernetes-int-or-string': true,
      anyOf: [{ type: 'integer' }, { type: 'string' }],
      pattern: '^[0-9]+%$',
    });
    expect(accepts(3)).toBe(true);
    expect(accepts('25%')).toBe(true);
    expect(accepts('25')).toBe(false);
    expect(accepts(true)).toBe(false);
    expect(accepts(1.5)).toBe(false);
  });

  test('accepts null only when nullable', () => {
    expect(strict({ type: 'string', nullable: true })(null)).toBe(true);
    expect(strict({ type: 'string' })(null)).toBe(false);
    expect(strict({ type: 'string', enum: ['a'], nullable: true })(null)).toBe(true);
  });

  test('accepts a missing required property that has a default (defaulting runs before validation)', () => {
    const accepts = strict({ type: 'object', required: ['a', 'b'], properties: { a: { type: 'string', default: 'x' }, b: { type: 'string' } } });
    expect(accepts({ b: 'y' })).toBe(true);
    expect(accepts({ a: 'y' })).toBe(false);
  });

  test('does not add pruning inside value validations (anyOf branches)', () => {
    // GIVEN a structural object whose anyOf branches only state requirements
    const accepts = strict({
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'string' } },
      anyOf: [{ required: ['a'] }, { required: ['b'] }],
    });
    expect(accepts({ a: 'x' })).toBe(true);
    expect(accepts({ b: 'x' })).toBe(true);
    expect(accepts({})).toBe(false);
  });

  test('converts OpenAPI 3.0 boolean exclusiveMinimum', () => {
    const accepts = strict({ type: 'integer', minimum: 0, exclusiveMinimum: true });
    expect(accepts(1)).toBe(true);
    expect(accepts(0)).toBe(false);
  });

  test('fails duplicates in x-kubernetes-list-type set lists', () => {
    const accepts = strict({ type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } });
    expect(accepts(['a', 'b'])).toBe(true);
    expect(accepts(['a', 'a'])).toBe(false);
  });

  test('ignores unknown and non-portable formats instead of throwing', () => {
    // GIVEN k8s formats JS cannot or should not check (Go durations, quantities, idn-hostname)
    for (const format of ['duration', 'quantity', 'idn-hostname', 'uri', 'made-up']) {
      expect(strict({ type: 'string', format })('1h30m')).toBe(true);
    }
    // AND formats that are checked the API server's way
    expect(strict({ type: 'string', format: 'cidr' })('10.0.0.0/8')).toBe(true);
    expect(strict({ type: 'string', format: 'cidr' })('10.0.0.0/33')).toBe(false);
    expect(strict({ type: 'integer', format: 'int32' })(2 ** 31)).toBe(false);
  });

  test('counts CEL rules it cannot evaluate', () => {
    const notes = emptyNotes();
    convertCrdNode({ type: 'object', 'x-kubernetes-validations': [{ rule: 'self.a == 1' }], properties: { a: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self > 0' }] } } }, notes);
    expect(notes.celRules).toBe(2);
  });

  test('translates Go RE2 patterns JS rejects', () => {
    expect(goPatternToJs('^\\PC*$')).toBe('^\\P{C}*$');
    expect(goPatternToJs('^[a-z]\\-x$')).toBe('^[a-z]-x$');
    const caseless = new RegExp(goPatternToJs('^(?i)(abort|warn)?$') as string, 'u');
    expect(caseless.test('Abort')).toBe(true);
    expect(caseless.test('stop')).toBe(false);
  });
});

describe('SchemaRegistry', () => {
  const registry = SchemaRegistry.default();

  test('parses apiVersion into group and version', () => {
    expect(parseApiVersion('v1')).toEqual({ group: '', version: 'v1' });
    expect(parseApiVersion('helm.toolkit.fluxcd.io/v2')).toEqual({ group: 'helm.toolkit.fluxcd.io', version: 'v2' });
  });

  test('finds core kinds in the Kubernetes 1.36 definitions', () => {
    expect(registry.find('apps/v1', 'Deployment')).toMatchObject({ origin: 'kubernetes', definition: 'io.k8s.api.apps.v1.Deployment' });
    expect(registry.find('v1', 'Namespace')).toMatchObject({ origin: 'kubernetes', file: 'kubernetes/openapi-spec/swagger.json' });
  });

  test('prefers the standard gateway-api channel when both channels serve a GVK', () => {
    // GIVEN HTTPRoute v1 in both the standard and the experimental CRD files
    const pinned = registry.find('gateway.networking.k8s.io/v1', 'HTTPRoute');
    // THEN the standard file wins and the experimental one is reported as shadowed
    expect(pinned).toMatchObject({
      origin: 'crd',
      file: 'gateway-api/crds/standard/gateway.networking.k8s.io_httproutes.yaml',
      shadowedFiles: ['gateway-api/crds/experimental/gateway.networking.k8s.io_httproutes.yaml'],
    });
  });

  test('uses the experimental channel for versions only it serves', () => {
    // GIVEN TCPRoute v1alpha2, served by the experimental channel only (standard has it unserved)
    expect(registry.find('gateway.networking.k8s.io/v1alpha2', 'TCPRoute')?.file).toBe('gateway-api/crds/experimental/gateway.networking.k8s.io_tcproutes.yaml');
  });

  test('fails lookups of unserved versions', () => {
    // GIVEN EKSConfig v1beta1, present in the CRD but not served
    expect(registry.find('bootstrap.cluster.x-k8s.io/v1beta1', 'EKSConfig')).toBeUndefined();
    expect(registry.servedVersions('bootstrap.cluster.x-k8s.io', 'EKSConfig')).toEqual(['v1beta2']);
  });

  test('counts the CEL rules of a compiled CRD schema', () => {
    const compiled = registry.compile('gateway.networking.k8s.io/v1', 'HTTPRoute');
    expect(compiled?.celRulesIgnored).toBeGreaterThan(10);
    expect(compiled?.skippedPatterns).toEqual([]);
  });

  test('caches compiled validators', () => {
    expect(registry.compile('v1', 'ConfigMap')).toBe(registry.compile('v1', 'ConfigMap'));
  });
});

describe('SchemaRegistry over a schema pack', () => {
  test('fails with SCHEMA_PACK_INCOMPLETE when asked to generate a pack (only the upstream cache can)', () => {
    // GIVEN a registry over an (empty) pack
    const pack = new SchemaPack(
      { format: SCHEMA_PACK_FORMAT, fingerprint: 'test', kubernetes: { file: 'k', sha256: '', definitions: {}, kinds: [] }, crds: [], served: {}, charts: {} },
      'pack.json.gz',
    );
    // WHEN it is asked for a pack THEN
    const error = thrownBy(() => new SchemaRegistry(pack).generateSchemaPack());
    expect(error.code).toBe(ErrorCode.SCHEMA_PACK_INCOMPLETE);
    expect(error.message).toMatch(/^\[pack\.json\.gz\] a registry over a schema pack cannot generate one/);
  });
});
