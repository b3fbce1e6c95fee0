import { ErrorCode } from '../../lib/core/errors';
import { UpstreamCache } from '../../lib/upstream/lock';
import { derivedPack } from '../../lib/validation/schema-pack';
import { SchemaRegistry } from '../../lib/validation/schema-registry';
import type { SourcedObject } from '../../lib/validation/types';
import { CrdSource, UserSchemas, type UserChart } from '../../lib/validation/user-schemas';
import { validateObjects, ValidationRule } from '../../lib/validation/validate-objects';
import { thrownBy } from '../support/errors';

const WIDGET_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.example.com }
spec:
  group: example.com
  scope: Namespaced
  names: { kind: Widget, plural: widgets }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: { type: integer }
    - name: v2
      served: true
      schema:
        openAPIV3Schema: { type: object, properties: { spec: { type: object, x-kubernetes-preserve-unknown-fields: true } } }
    - name: v0
      served: false
`;
const GADGET_CRD = WIDGET_CRD.replace('widgets.example.com', 'gadgets.example.com').replace('kind: Widget, plural: widgets', 'kind: Gadget, plural: gadgets');

const widget = (spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: 'w', namespace: 'default' }): SourcedObject => ({ source: 'dist/widget.yaml', object: { apiVersion: 'example.com/v1', kind: 'Widget', metadata, spec } });

const CHART: UserChart = { name: 'mine', version: '1.2.3', repository: 'https://charts.example.com', values: 'replicaCount: 1\nimage:\n  tag: "1.0"\n' };

const pinned = SchemaRegistry.default();

/** A HelmRelease of `chart` with `values`, and the HelmRepository it names. */
function release(chart: UserChart, values: Record<string, unknown>): SourcedObject[] {
  return [
    {
      source: 'dist/hr.yaml',
      object: {
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        kind: 'HelmRelease',
        metadata: { name: chart.name, namespace: 'flux-system' },
        spec: { interval: '1h', chart: { spec: { chart: chart.name, version: chart.version, sourceRef: { kind: 'HelmRepository', name: 'repo' } } }, values },
      },
    },
    { source: 'dist/repo.yaml', object: { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { name: 'repo', namespace: 'flux-system' }, spec: { interval: '1h', url: chart.repository } } },
  ];
}

describe('CrdSource', () => {
  test('reads every document of a YAML text, or takes one object', () => {
    expect(CrdSource.fromYaml(`${WIDGET_CRD}---\n${GADGET_CRD}`).documents).toHaveLength(2);
    expect(CrdSource.fromObject({ kind: 'CustomResourceDefinition' }).documents).toEqual([{ kind: 'CustomResourceDefinition' }]);
  });
});

describe('UserSchemas.registerCrd', () => {
  test('registers every served version with a schema and serves it through the layered registry', () => {
    // GIVEN nothing registered: the pinned registry is used as it is
    const user = new UserSchemas();
    expect(user.isEmpty).toBe(true);
    expect(user.registry(pinned)).toBe(pinned);
    // WHEN the Widget and Gadget CRDs are registered
    expect(user.registerCrd(CrdSource.fromYaml(`${WIDGET_CRD}---\n${GADGET_CRD}`), pinned)).toEqual(['example.com/v1 Widget', 'example.com/v2 Widget', 'example.com/v1 Gadget', 'example.com/v2 Gadget']);
    // THEN the kinds are listed, served (unserved v0 excluded), and pinned kinds are still there
    expect(user.kinds).toEqual(['example.com/v1 Gadget', 'example.com/v1 Widget', 'example.com/v2 Gadget', 'example.com/v2 Widget']);
    const registry = user.registry(pinned);
    expect(user.registry(pinned)).toBe(registry);
    expect(registry.find('example.com/v1', 'Widget')).toMatchObject({ origin: 'crd', file: 'user:crd/widgets.example.com', scope: 'Namespaced' });
    expect(registry.servedVersions('example.com', 'Widget')).toEqual(['v1', 'v2']);
    expect(registry.find('v1', 'ConfigMap')).toBeDefined();
    expect(registry.allCustomResources().filter((c) => c.apiVersion.startsWith('example.com/')).map((c) => c.kind).sort()).toEqual(['Gadget', 'Gadget', 'Widget', 'Widget']);
  });

  test('objects of a registered kind validate: unknown fields rejected, metadata checked as ObjectMeta', () => {
    const user = new UserSchemas();
    user.registerCrd(CrdSource.fromYaml(WIDGET_CRD), pinned);
    const registry = user.registry(pinned);
    // GIVEN a valid Widget, one with a typo in spec and one with a bad metadata field
    expect(validateObjects([widget({ size: 1 })], { registry }).issues).toEqual([]);
    const typo = validateObjects([widget({ sizee: 1 })], { registry }).issues;
    expect(typo.map((i) => [i.rule, i.path])).toEqual([[ValidationRule.SCHEMA, '/spec/sizee']]);
    const meta = validateObjects([widget({ size: 1 }, { name: 'w', namespace: 'default', labels: 'not-a-map' })], { registry }).issues;
    expect(meta.map((i) => i.path)).toEqual(['/metadata/labels']);
    // AND a version that preserves unknown fields accepts them
    expect(validateObjects([{ ...widget({ anything: true }), object: { ...(widget({ anything: true }).object as object), apiVersion: 'example.com/v2' } }], { registry }).issues).toEqual([]);
  });

  test('fails on no document', () => {
    const e = thrownBy(() => new UserSchemas().registerCrd(CrdSource.fromYaml(''), pinned));
    expect(e.code).toBe(ErrorCode.INVALID_SCHEMA_REGISTRATION);
    expect(e.message).toBe('[validation] registerCrd() got no CustomResourceDefinition document');
  });

  test('fails on a document that is not a v1 CustomResourceDefinition', () => {
    const e = thrownBy(() => new UserSchemas().registerCrd(CrdSource.fromObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }), pinned));
    expect(e.code).toBe(ErrorCode.INVALID_SCHEMA_REGISTRATION);
    expect(e.message).toContain('"x" is a v1 ConfigMap; only apiextensions.k8s.io/v1 CustomResourceDefinition documents can be registered');
  });

  test('fails on a CRD without group, kind or versions', () => {
    const e = thrownBy(() => new UserSchemas().registerCrd(CrdSource.fromObject({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'w' }, spec: { group: 'example.com' } }), pinned));
    expect(e.code).toBe(ErrorCode.INVALID_SCHEMA_REGISTRATION);
    expect(e.message).toContain('CRD "w" needs spec.group, spec.names.kind and spec.versions');
  });

  test('fails on a served version without a schema', () => {
    const e = thrownBy(() => new UserSchemas().registerCrd(CrdSource.fromYaml(WIDGET_CRD.replace('    - name: v0\n      served: false', '    - name: v3\n      served: true')), pinned));
    expect(e.code).toBe(ErrorCode.INVALID_SCHEMA_REGISTRATION);
    expect(e.message).toContain('CRD "widgets.example.com" version v3 has no schema.openAPIV3Schema');
  });

  test('fails on a kind a pinned schema already serves', () => {
    const certificate = WIDGET_CRD.replace('group: example.com', 'group: cert-manager.io').replace('kind: Widget,', 'kind: Certificate,');
    const e = thrownBy(() => new UserSchemas().registerCrd(CrdSource.fromYaml(certificate), pinned));
    expect(e.code).toBe(ErrorCode.INVALID_SCHEMA_REGISTRATION);
    expect(e.message).toContain('cert-manager.io/v1 Certificate is already served by a pinned schema; registered CRDs can only add kinds, not replace pinned ones');
  });

  test('fails on a CRD that serves no version', () => {
    const none = CrdSource.fromObject({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'w' }, spec: { group: 'example.com', names: { kind: 'W' }, versions: [{ name: 'v1', served: false }] } });
    expect(thrownBy(() => new UserSchemas().registerCrd(none, pinned)).message).toContain('registerCrd(): the CRD serves no version');
  });
});

describe('UserSchemas.registerChart', () => {
  test('a registered chart validates like a pinned one: unknown value keys are refused', () => {
    // GIVEN the chart registered over the repository cache
    const user = new UserSchemas();
    const base = pinned.cache;
    expect(user.cache(base)).toBe(base);
    user.registerChart(CHART, base);
    expect(user.chartNames).toEqual(['mine']);
    const cache = user.cache(base);
    expect(cache.chart('mine')).toMatchObject({ version: '1.2.3', repository: 'https://charts.example.com', valuesPath: 'user:charts/mine/1.2.3/values.yaml' });
    // WHEN releases of it are validated THEN known keys pass and a typo fails
    expect(validateObjects(release(CHART, { replicaCount: 2, image: { tag: '2.0' } }), { cache }).issues).toEqual([]);
    const issues = validateObjects(release(CHART, { replicaCont: 2 }), { cache }).issues;
    expect(issues.map((i) => [i.rule, i.path])).toEqual([[ValidationRule.HELM_RELEASE, '/replicaCont']]);
    // AND pinned charts are still found through the view
    expect(cache.chart('cert-manager').name).toBe('cert-manager');
  });

  test('applies the chart\'s values schema, and layers over the shipped pack too', () => {
    // GIVEN a chart with a schema requiring an integer replicaCount, over the pack derived from the cache
    const pack = derivedPack(UpstreamCache.default());
    expect(pack).toBeDefined();
    const chart: UserChart = { ...CHART, valuesSchema: JSON.stringify({ type: 'object', properties: { replicaCount: { type: 'integer' }, image: { type: 'object' } } }) };
    const user = new UserSchemas();
    user.registerChart(chart, pack!);
    const cache = user.cache(pack!);
    // THEN a string replicaCount fails through the schema, and the pack still holds its pinned charts
    expect(validateObjects(release(chart, { replicaCount: 'two' }), { cache }).issues.map((i) => i.path)).toEqual(['/replicaCount']);
    expect(cache.chart('cert-manager').name).toBe('cert-manager');
  });

  const refused: [string, Partial<UserChart>, RegExp][] = [
    ['an invalid chart name', { name: 'My_Chart' }, /chart name "My_Chart" is not a valid chart name/],
    ['a pinned chart', { name: 'cert-manager' }, /chart cert-manager is pinned \(version v[\d.]+\); registered charts can only add charts/],
    ['a version range', { version: '^1.0.0' }, /chart mine version "\^1\.0\.0" is not an exact version/],
    ['a repository that is not https:// or oci://', { repository: 'http://charts.example.com' }, /repository "http:\/\/charts\.example\.com" must start with https:\/\/ or oci:\/\//],
    ['values that are not a map', { values: '- a\n- b\n' }, /chart mine values: /],
    ['a values schema that is not JSON', { valuesSchema: '{ not json' }, /chart mine values schema: /],
  ];
  for (const [what, over, message] of refused) {
    test(`fails on ${what}`, () => {
      const e = thrownBy(() => new UserSchemas().registerChart({ ...CHART, ...over }, pinned.cache));
      expect(e.code).toBe(ErrorCode.INVALID_SCHEMA_REGISTRATION);
      expect(e.message).toMatch(message);
    });
  }
});
