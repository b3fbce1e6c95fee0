import { ErrorCode } from '../../lib/core/errors';
import { CheckedManifest, FleetValidation } from '../../lib/platform/validation';
import { UpstreamCache } from '../../lib/upstream/lock';
import { CrdSource } from '../../lib/validation/user-schemas';

const WIDGET_CRD = CrdSource.fromObject({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: { group: 'example.com', scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }] },
});

const m = (file: string, object: Record<string, unknown>, extra: Partial<CheckedManifest> = {}): CheckedManifest => ({ file, object, constructPath: `test/configs/${file.split('/').pop()}`, ...extra });
const cm = (name: string, extra: Record<string, unknown> = { data: { a: 'b' } }): Record<string, unknown> => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, ...extra });
const secret = (fields: Record<string, unknown>): Record<string, unknown> => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'default' }, ...fields });

/** A HelmRelease of the pinned chart `name` with `values`, and the HelmRepository it names. */
function release(name: string, values: Record<string, unknown>): CheckedManifest[] {
  const chart = UpstreamCache.default().lock.charts[name]!;
  return [
    m(`test/controllers/helmrelease-${name}.yaml`, {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name, namespace: 'flux-system' },
      spec: { interval: '1h', chart: { spec: { chart: name, version: chart.version, sourceRef: { kind: 'HelmRepository', name: 'repo' } } }, values },
    }),
    m('test/flux-system/helmrepository-repo.yaml', { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { name: 'repo', namespace: 'flux-system' }, spec: { interval: '1h', url: chart.repository } }),
  ];
}

describe('FleetValidation', () => {
  test('accepts valid objects, and registers the CRDs and charts given as props', () => {
    // GIVEN a validation with the Widget CRD and a chart of our own
    const v = new FleetValidation({ crds: [WIDGET_CRD], charts: [{ name: 'mine', version: '1.0.0', repository: 'https://charts.example.com', values: 'replicaCount: 1\n' }] });
    expect(v.registeredKinds).toEqual(['example.com/v1 Widget']);
    expect(v.registeredCharts).toEqual(['mine']);
    // WHEN valid objects are checked THEN no problem
    expect(v.check([m('test/configs/configmap-a.yaml', cm('a')), m('test/configs/widget-w.yaml', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' }, spec: { size: 1 } })])).toEqual([]);
  });

  test('fails a schema violation with SCHEMA_VIOLATION, the path, the file and what is allowed', () => {
    const [p, ...rest] = new FleetValidation().check([m('test/configs/configmap-a.yaml', cm('a', { dat: { a: 'b' } }))]);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ code: ErrorCode.SCHEMA_VIOLATION, constructPath: 'test/configs/configmap-a.yaml', file: 'test/configs/configmap-a.yaml' });
    expect(p?.message).toMatch(/^\[test\/configs\/configmap-a\.yaml\] test\/configs\/configmap-a\.yaml: ConfigMap default\/a: \/dat: .*unknown field "dat".*; did you mean "data"\? allowed here: .*binaryData/);
  });

  test('fails an unknown kind with UNKNOWN_KIND and says how to register or exempt it', () => {
    const [p] = new FleetValidation().check([m('test/configs/bogus-b.yaml', { apiVersion: 'example.com/v1', kind: 'Bogus', metadata: { name: 'b', namespace: 'default' } })]);
    expect(p?.code).toBe(ErrorCode.UNKNOWN_KIND);
    expect(p?.message).toMatch(/: \/: no pinned schema for example\.com\/v1 Bogus.*; register its CRD .*registerCrd\(\)\) or exempt the object with Validation\.exempt\(object, reason\)$/);
  });

  test('fails chart values with INVALID_HELM_VALUES and suggests the pinned key', () => {
    // GIVEN sealed-secrets (values.yaml only, no schema: cheap) with a typo in its values
    const problems = new FleetValidation().check(release('sealed-secrets', { affinty: {} }));
    // THEN one problem for the HelmRelease, with the closest key of the pinned values.yaml
    expect(problems.map((p) => [p.code, p.file])).toEqual([[ErrorCode.INVALID_HELM_VALUES, 'test/controllers/helmrelease-sealed-secrets.yaml']]);
    expect(problems[0]?.message).toMatch(/\/affinty: .*unknown value key "affinty".*; did you mean "affinity"\? allowed here: /);
  });

  test('fails a release of an unpinned chart with INVALID_HELM_VALUES and says how to register it', () => {
    const [hr, repo] = release('sealed-secrets', {});
    const unpinned = { ...hr!, object: { ...hr!.object, spec: { interval: '1h', chart: { spec: { chart: 'mine', version: '1.0.0', sourceRef: { kind: 'HelmRepository', name: 'repo' } } } } } };
    const [p] = new FleetValidation().check([unpinned, repo!]);
    expect(p?.code).toBe(ErrorCode.INVALID_HELM_VALUES);
    expect(p?.message).toMatch(/chart mine is not pinned in upstream\.lock\.json .*; register the chart with fleet\.validation\.registerChart\(\{ name, version, repository, values \}\)$/);
  });

  test('fails an object defined twice with DUPLICATE', () => {
    const problems = new FleetValidation().check([m('test/configs/configmap-a.yaml', cm('a')), m('test/apps/configmap-a.yaml', cm('a'))]);
    expect(problems.map((p) => [p.code, p.file])).toEqual([[ErrorCode.DUPLICATE, 'test/apps/configmap-a.yaml']]);
  });

  test('fails a Secret with values in plain text with PLAINTEXT_SECRET, naming the keys, even when exempt', () => {
    // GIVEN a Secret with data and stringData, exempt from schema validation
    const problems = new FleetValidation().check([m('test/configs/secret-db.yaml', secret({ data: { b: 'eA==', a: 'eA==' }, stringData: { password: 'hunter2' } }), { exemption: 'vendor secret' })]);
    // THEN one problem names both fields and their keys (never the values) and how to do it instead
    expect(problems.map((p) => p.code)).toEqual([ErrorCode.PLAINTEXT_SECRET]);
    expect(problems[0]?.message).toMatch(/^\[test\/configs\/secret-db\.yaml\] test\/configs\/secret-db\.yaml: Secret default\/db: \/data: carries data \(keys: a, b\) and stringData \(keys: password\) in plain text; secret values never go into Git/);
    expect(problems[0]?.message).not.toContain('hunter2');
    // AND a Secret without values is fine
    expect(new FleetValidation().check([m('test/configs/secret-db.yaml', secret({ type: 'Opaque', data: {} }))])).toEqual([]);
  });

  test('skips exempt objects', () => {
    const exempt = m('test/configs/bogus-b.yaml', { apiVersion: 'example.com/v1', kind: 'Bogus', metadata: { name: 'b', namespace: 'default' } }, { exemption: 'the vendor CRD is not published' });
    expect(new FleetValidation().check([exempt])).toEqual([]);
  });
});
