import { SchemaRegistry } from '../../lib/validation/schema-registry';
import { validateObjects, ValidationRule } from '../../lib/validation/validate-objects';
import type { SourcedObject } from '../../lib/validation/types';

const ns = (name: string, extra: Record<string, unknown> = {}): SourcedObject => ({ source: `dist/ns-${name}.yaml`, object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name }, ...extra } });
const cm = (source: string, namespace: string, name: string): SourcedObject => ({ source, object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: {} } });
const bogus: SourcedObject = { source: 'dist/bogus.yaml', object: { apiVersion: 'example.com/v1', kind: 'Bogus', metadata: { name: 'b' } } };
const kustomization = (name: string): SourcedObject => ({
  source: `dist/ks-${name}.yaml`,
  object: { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name, namespace: 'flux-system' }, spec: { interval: '10m', prune: true, sourceRef: { kind: 'GitRepository', name: 'fleet' } } },
});

describe('validateObjects', () => {
  test('accepts a valid set and counts what it validated', () => {
    // GIVEN two Namespaces and a ConfigMap WHEN validated THEN no issue and three objects counted
    const report = validateObjects([ns('a'), ns('b'), cm('dist/cm.yaml', 'a', 'x')]);
    expect(report.issues).toEqual([]);
    expect(report.objectsValidated).toBe(3);
    expect(report.helmReleasesValidated).toBe(0);
  });

  test('fails an object that breaks its pinned schema with rule SCHEMA and its source', () => {
    const [issue, ...rest] = validateObjects([ns('a', { spec: { foo: 'bar' } })]).issues;
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({ rule: ValidationRule.SCHEMA, source: 'dist/ns-a.yaml', path: '/spec/foo' });
    expect(issue?.message).toContain('unknown field "foo"');
  });

  test('fails a kind no schema serves with rule UNKNOWN_KIND', () => {
    const issues = validateObjects([bogus]).issues;
    expect(issues.map((i) => [i.rule, i.source])).toEqual([[ValidationRule.UNKNOWN_KIND, 'dist/bogus.yaml']]);
    expect(issues[0]?.message).toMatch(/no pinned schema for example\.com\/v1 Bogus/);
  });

  test('fails a HelmRelease of an unpinned chart with rule HELM_RELEASE, and counts it', () => {
    // GIVEN a schema-valid HelmRelease of a chart no lock entry pins
    const hr: SourcedObject = {
      source: 'dist/hr.yaml',
      object: {
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        kind: 'HelmRelease',
        metadata: { name: 'mine', namespace: 'flux-system' },
        spec: { interval: '1h', chart: { spec: { chart: 'not-a-pinned-chart', version: '1.0.0', sourceRef: { kind: 'HelmRepository', name: 'repo' } } } },
      },
    };
    const repo: SourcedObject = { source: 'dist/repo.yaml', object: { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { name: 'repo', namespace: 'flux-system' }, spec: { interval: '1h', url: 'https://charts.example.com' } } };
    const report = validateObjects([hr, repo]);
    // THEN one chart issue, the release counted
    expect(report.helmReleasesValidated).toBe(1);
    expect(report.issues.map((i) => i.rule)).toEqual([ValidationRule.HELM_RELEASE]);
    expect(report.issues[0]?.message).toMatch(/chart not-a-pinned-chart is not pinned in upstream\.lock\.json/);
  });

  test('fails the second of two objects with the same group, kind, namespace and name with rule DUPLICATE', () => {
    // GIVEN the same ConfigMap twice, and one of the same name in another namespace
    const issues = validateObjects([cm('dist/one.yaml', 'a', 'x'), cm('dist/two.yaml', 'a', 'x'), cm('dist/three.yaml', 'b', 'x')]).issues;
    // THEN only the repeat is reported, pointing at the first
    expect(issues).toEqual([{ object: 'ConfigMap a/x (dist/two.yaml)', path: '/metadata/name', message: 'duplicate object: ConfigMap a/x is also defined in dist/one.yaml', source: 'dist/two.yaml', rule: ValidationRule.DUPLICATE }]);
  });

  test('skips what `skip` names: not validated, still counted and still a duplicate candidate', () => {
    // GIVEN an unknown kind that is skipped
    const report = validateObjects([bogus, ns('a')], { skip: (e) => e.source === 'dist/bogus.yaml' });
    // THEN no issue for it, and it counts as validated
    expect(report.issues).toEqual([]);
    expect(report.objectsValidated).toBe(2);
    const dup = validateObjects([bogus, { ...bogus, source: 'dist/bogus-2.yaml' }], { skip: () => true });
    expect(dup.issues.map((i) => i.rule)).toEqual([ValidationRule.DUPLICATE]);
  });

  test('counts the CEL rules it did not evaluate once per apiVersion/kind', () => {
    // GIVEN two Kustomizations (one kind) WHEN validated THEN their schema's CEL rules count once
    const expected = SchemaRegistry.default().compile('kustomize.toolkit.fluxcd.io/v1', 'Kustomization')?.celRulesIgnored ?? 0;
    expect(expected).toBeGreaterThan(0);
    const report = validateObjects([kustomization('a'), kustomization('b'), ns('a')]);
    expect(report.issues).toEqual([]);
    expect(report.celRulesNotEvaluated).toBe(expected);
  });
});
