import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { sha256, UpstreamCache, type UpstreamChart, type UpstreamLock } from '../../lib/upstream/lock';
import { formatIssue, SchemaRegistry, validateChartValues, validateHelmRelease, validateObjects, type SourcedObject } from '../../lib/validation';

const SWAGGER = 'kubernetes/openapi-spec/swagger.json';

/**
 * A small verified upstream cache in a temporary folder: its own upstream.lock.json and cache
 * directory holding the given files (plus the real core swagger.json, which every lookup reads).
 * It goes through the real UpstreamCache, so the sha256 checks apply as in production.
 */
function fakeCache(files: Record<string, string>, charts: Record<string, UpstreamChart> = {}): UpstreamCache {
  const root = mkdtempSync(join(tmpdir(), 'fake-upstream-'));
  const all = { [SWAGGER]: UpstreamCache.default().read(SWAGGER), ...files };
  const lock: UpstreamLock = {
    lockfileVersion: 1,
    comment: 'test fixture',
    components: { broken: '1.0.0' },
    charts,
    files: Object.entries(all).map(([path, text]) => ({ path, component: path.split('/')[0] as string, version: '1.0.0', sha256: sha256(text), bytes: Buffer.byteLength(text) })),
  };
  writeFileSync(join(root, 'upstream.lock.json'), JSON.stringify(lock));
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(root, 'cache', path)), { recursive: true });
    writeFileSync(join(root, 'cache', path), text);
  }
  return new UpstreamCache(root, join(root, 'cache'));
}

/** A CRD whose `spec` node has a type JSON Schema does not know: Ajv cannot compile it. */
const BROKEN_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: { kind: Widget, plural: widgets }
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: nonsense
`;

const BROKEN_CHART: UpstreamChart = {
  name: 'broken',
  component: 'broken',
  version: '1.0.0',
  repository: 'https://charts.example.com',
  valuesPath: 'broken/chart/values.yaml',
  schemaPath: 'broken/chart/values.schema.json',
};

describe('schemas that cannot compile are issues, never an accept-all fallback', () => {
  test('fails every object of a CRD kind whose pinned schema cannot compile', () => {
    // GIVEN a pinned CRD whose openAPIV3Schema does not compile
    const registry = new SchemaRegistry(fakeCache({ 'broken/crds/widgets.yaml': BROKEN_CRD }));
    const widget: SourcedObject = { source: 'test/widget.yaml', object: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' }, spec: {} } };
    // WHEN an object of that kind is validated
    const report = validateObjects([widget], { registry });
    // THEN the compiled schema says why it did not compile
    expect(registry.compile('example.com/v1', 'Widget')?.compileError).toMatch(/type/);
    expect(registry.compile('v1', 'ConfigMap')?.compileError).toBeUndefined();
    // AND the compile error is the issue (the object is not silently accepted)
    expect(report.issues.map(formatIssue)).toEqual([
      expect.stringMatching(/^Widget default\/w \(test\/widget\.yaml\): \/: cannot compile the pinned schema from broken\/crds\/widgets\.yaml: .*type/),
    ]);
  });

  test('fails values of a chart whose values.schema.json cannot compile', () => {
    // GIVEN a pinned chart whose schema has an unknown type
    const cache = fakeCache(
      { 'broken/chart/values.yaml': 'a: 1\n', 'broken/chart/values.schema.json': '{"type":"object","properties":{"a":{"type":"nonsense"}}}' },
      { broken: BROKEN_CHART },
    );
    // WHEN its values are validated THEN the compile error is reported
    expect(validateChartValues('broken', { object: 'chart broken', layers: [] }, cache).map(formatIssue)).toEqual([
      expect.stringMatching(/^chart broken: \/: chart broken 1\.0\.0: cannot compile broken\/chart\/values\.schema\.json \(draft-07\): .*type/),
    ]);
  });

  test('fails a HelmRelease of a chart whose values.schema.json is not JSON, and checks keys against values.yaml', () => {
    // GIVEN a pinned chart whose schema file is not JSON
    const cache = fakeCache({ 'broken/chart/values.yaml': 'a: 1\n', 'broken/chart/values.schema.json': '{ not json' }, { broken: BROKEN_CHART });
    const repo: SourcedObject = { source: 'test/repo.yaml', object: { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { name: 'broken', namespace: 'flux-system' }, spec: { url: 'https://charts.example.com' } } };
    const release: SourcedObject = {
      source: 'test/broken.yaml',
      object: {
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        kind: 'HelmRelease',
        metadata: { name: 'broken', namespace: 'flux-system' },
        spec: { chart: { spec: { chart: 'broken', version: '1.0.0', sourceRef: { kind: 'HelmRepository', name: 'broken' } } }, values: { b: 2 } },
      },
    };
    // WHEN validated THEN the schema error is reported, and the unknown key is still found
    expect(validateHelmRelease(release, [release, repo], cache).map((i) => `${i.path}: ${i.message}`)).toEqual([
      expect.stringMatching(/^: chart broken 1\.0\.0: cannot compile broken\/chart\/values\.schema\.json \(draft-07\): not valid JSON/),
      '/b: chart broken 1.0.0: unknown value key "b" (not in the chart\'s values.yaml) (set in spec.values)',
    ]);
  });
});
