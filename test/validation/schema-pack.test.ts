import { join } from 'node:path';
import { UpstreamCache } from '../../lib/upstream/lock';
import {
  convertCore,
  convertCrdVersion,
  crdVersionsOf,
  derivedDir,
  derivedPack,
  gvkKey,
  packCrds,
  packFingerprint,
  parseSchemaPack,
  preferenceOrder,
  SCHEMA_PACK_FORMAT,
  SchemaPack,
  serializeSchemaPack,
  validatorStore,
  type CrdVersion,
  type SchemaPackData,
} from '../../lib/validation/schema-pack';

const widgetSchema = { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } }, 'x-kubernetes-validations': [{ rule: 'self.size > 0' }] } } };

function crd(versions: Record<string, unknown>[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' }, spec: { group: 'example.com', scope: 'Namespaced', names: { kind: 'Widget' }, versions }, ...extra };
}

function packData(over: Partial<SchemaPackData> = {}): SchemaPackData {
  return {
    format: SCHEMA_PACK_FORMAT,
    fingerprint: 'f',
    kubernetes: { file: 'kubernetes/openapi-spec/swagger.json', sha256: 's', definitions: {}, kinds: [] },
    crds: [],
    served: {},
    charts: { mine: { chart: { name: 'mine', component: 'mine', version: '1.0.0', repository: 'https://charts.example.com', valuesPath: 'mine/values.yaml' }, yaml: {} } },
    ...over,
  };
}

describe('CRD versions and the duplicate rule', () => {
  test('reads every version of a v1 CRD with its served flag, scope, schema and CRD name', () => {
    // GIVEN a CRD with a served v1 (schema) and an unserved v1alpha1 (no schema)
    const versions = crdVersionsOf(crd([{ name: 'v1', served: true, schema: { openAPIV3Schema: widgetSchema } }, { name: 'v1alpha1', served: false }]), 'widgets.yaml');
    // THEN both versions, the schema only where given
    expect(versions).toEqual([
      { group: 'example.com', kind: 'Widget', file: 'widgets.yaml', version: 'v1', served: true, scope: 'Namespaced', schema: widgetSchema, crdName: 'widgets.example.com' },
      { group: 'example.com', kind: 'Widget', file: 'widgets.yaml', version: 'v1alpha1', served: false, scope: 'Namespaced', crdName: 'widgets.example.com' },
    ]);
  });

  test('ignores documents that are not apiextensions.k8s.io/v1 CRDs or lack group, kind or versions', () => {
    expect(crdVersionsOf({ apiVersion: 'v1', kind: 'ConfigMap' }, 'f')).toEqual([]);
    expect(crdVersionsOf(crd([{ name: 'v1', served: true }], { apiVersion: 'apiextensions.k8s.io/v1beta1' }), 'f')).toEqual([]);
    expect(crdVersionsOf({ ...crd([]), spec: { group: 'example.com', names: { kind: 'Widget' } } }, 'f')).toEqual([]);
  });

  test('prefers a non-experimental file, then the first path', () => {
    const files = ['z/experimental/crds.yaml', 'b/crds.yaml', 'a/crds.yaml'].map((file) => ({ file }));
    expect([...files].sort(preferenceOrder).map((f) => f.file)).toEqual(['a/crds.yaml', 'b/crds.yaml', 'z/experimental/crds.yaml']);
    expect(gvkKey('', 'v1', 'Pod')).toBe('/v1/Pod');
  });

  test('converts a version to a strict object schema and counts its CEL rules; a version without schema says why', () => {
    const [v1] = crdVersionsOf(crd([{ name: 'v1', served: true, schema: { openAPIV3Schema: widgetSchema } }]), 'widgets.yaml') as [CrdVersion];
    const converted = convertCrdVersion(v1);
    expect(converted.conversionError).toBeUndefined();
    expect(converted.celRules).toBe(1);
    expect(converted.schema).toMatchObject({ type: 'object' });
    const { schema: _dropped, ...noSchema } = v1;
    expect(convertCrdVersion(noSchema)).toEqual({ conversionError: 'widgets.yaml has no schema.openAPIV3Schema for example.com/v1 Widget', celRules: 0, skippedPatterns: [] });
  });

  test('packs one entry per served GVK: the preferred file wins, the others are listed as shadowed', () => {
    // GIVEN the same Widget v1 in a standard and an experimental file, and a served v2 without schema
    const docs: Record<string, CrdVersion[]> = {
      'x/experimental/widgets.yaml': crdVersionsOf(crd([{ name: 'v1', served: true, schema: { openAPIV3Schema: widgetSchema } }]), 'x/experimental/widgets.yaml'),
      'std/widgets.yaml': crdVersionsOf(crd([{ name: 'v1', served: true, schema: { openAPIV3Schema: widgetSchema } }, { name: 'v2', served: true }, { name: 'v0', served: false }]), 'std/widgets.yaml'),
    };
    // WHEN packed (conversion stubbed: this is about the choice)
    const packed = packCrds(Object.keys(docs), (path) => docs[path] ?? [], () => ({ celRules: 0, skippedPatterns: [] }));
    // THEN one Widget v1 from the standard file, and served versions v1 and v2 (v0 is not served)
    expect(packed.crds).toEqual([{ apiVersion: 'example.com/v1', kind: 'Widget', file: 'std/widgets.yaml', scope: 'Namespaced', crdName: 'widgets.example.com', shadowedFiles: ['x/experimental/widgets.yaml'], celRules: 0, skippedPatterns: [] }]);
    expect(packed.served).toEqual({ 'example.com/Widget': ['v1', 'v2'] });
  });
});

describe('convertCore', () => {
  test('indexes each group/version/kind once, in swagger order, and converts the definitions', () => {
    const swagger = {
      definitions: {
        'io.k8s.api.core.v1.ConfigMap': { type: 'object', properties: { data: { type: 'object', additionalProperties: { type: 'string' } } }, 'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'ConfigMap' }] },
        'io.k8s.api.core.v1.ConfigMapCopy': { type: 'object', 'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'ConfigMap' }] },
        'io.k8s.api.core.v1.Helper': { type: 'string' },
      },
    };
    const core = convertCore(JSON.stringify(swagger));
    expect(core.kinds).toEqual([['/v1/ConfigMap', 'io.k8s.api.core.v1.ConfigMap']]);
    expect(Object.keys((core.definitions as { definitions: object }).definitions).sort()).toEqual(['io.k8s.api.core.v1.ConfigMap', 'io.k8s.api.core.v1.ConfigMapCopy', 'io.k8s.api.core.v1.Helper']);
    expect(core.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  test('fails on a swagger document without definitions', () => {
    expect(() => convertCore('{}')).toThrow(/kubernetes\/openapi-spec\/swagger\.json has no definitions/);
  });
});

describe('pack file', () => {
  test('round-trips the data, including numbers JSON cannot write', () => {
    // GIVEN a pack whose values.yaml holds Infinity and NaN (YAML .inf / .nan)
    const data = packData({ charts: { mine: { ...packData().charts.mine!, yaml: { 'mine/values.yaml': { max: Infinity, min: -Infinity, none: NaN, list: [1, Infinity] } } } } });
    // WHEN serialized and parsed THEN it is equal, and the bytes are deterministic
    const bytes = serializeSchemaPack(data);
    expect(parseSchemaPack(bytes, 'test')).toEqual(data);
    expect(Buffer.from(serializeSchemaPack(data)).equals(Buffer.from(bytes))).toBe(true);
  });

  test('fails on a pack of another format', () => {
    const bytes = serializeSchemaPack({ ...packData(), format: 99 as typeof SCHEMA_PACK_FORMAT });
    expect(() => parseSchemaPack(bytes, 'old.json.gz')).toThrow(/old\.json\.gz has schema pack format 99, expected 1/);
  });

  test('fails to load a pack file that is missing', () => {
    expect(() => SchemaPack.load('/nonexistent/pack.json.gz')).toThrow(/the schema pack \/nonexistent\/pack\.json\.gz is missing/);
  });
});

describe('SchemaPack', () => {
  test('lists its charts by name; an unknown chart names the pinned ones', () => {
    const pack = new SchemaPack(packData());
    expect(pack.file).toBe('<in memory>');
    expect(pack.chart('mine').version).toBe('1.0.0');
    expect(() => pack.chart('other')).toThrow(/chart "other" is not pinned; pinned charts: mine/);
  });

  test('keeps compiled validators next to the cache, or in node_modules/.cache for an installed package', () => {
    // GIVEN the repository cache, a pack inside node_modules and one elsewhere
    const cache = UpstreamCache.default();
    const installed = new SchemaPack(packData(), '/srv/app/node_modules/infraflux/build/schemas/pack.json.gz');
    // THEN validators go to <cache>/.derived/validators, node_modules/.cache/infraflux/validators, or nowhere
    expect(validatorStore(cache)).toBe(join(derivedDir(cache), 'validators'));
    expect(validatorStore(installed)).toBe('/srv/app/node_modules/.cache/infraflux/validators');
    expect(validatorStore(new SchemaPack(packData(), '/opt/infraflux/build/schemas/pack.json.gz'))).toBeUndefined();
  });

  test('the pack derived from the cache is current: its fingerprint is the cache\'s', () => {
    const cache = UpstreamCache.default();
    const pack = derivedPack(cache);
    expect(pack).toBeDefined();
    expect(pack?.data.fingerprint).toBe(packFingerprint(cache));
    expect(derivedPack(cache)).toBe(pack);
  });
});
