import { UpstreamCache } from '../../lib/upstream/lock';
import {
  HELM_VALUES_ALLOWLIST,
  coalesceHelmValues,
  formatIssue,
  mergeFluxValues,
  schemaDialect,
  validateChartValues,
  validateHelmRelease,
  validateObjects,
  type SourcedObject,
} from '../../lib/validation';
import { parseTargetPath, typedSetValue } from '../../lib/validation/helm-merge';

const cache = UpstreamCache.default();

function helmRelease(name: string, chart: string, version: string, spec: Record<string, unknown> = {}): SourcedObject {
  return {
    source: `test/${name}.yaml`,
    object: {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name, namespace: 'flux-system' },
      spec: { interval: '1h', chart: { spec: { chart, version, sourceRef: { kind: 'HelmRepository', name: 'repo' } } }, ...spec },
    },
  };
}

function configMap(name: string, data: Record<string, string>, namespace = 'flux-system'): SourcedObject {
  return { source: `test/${name}.yaml`, object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data } };
}

/** The HelmRepository `repo` the releases of {@link helmRelease} name, at the chart's pinned URL. */
function helmRepository(chart: string): SourcedObject {
  const url = cache.lock.charts[chart]?.repository ?? 'https://charts.example.com';
  return {
    source: 'test/repo.yaml',
    object: {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'HelmRepository',
      metadata: { name: 'repo', namespace: 'flux-system' },
      spec: { interval: '1h', url, ...(url.startsWith('oci://') ? { type: 'oci' } : {}) },
    },
  };
}

const chartOf = (release: SourcedObject): string => (release.object as { spec: { chart: { spec: { chart: string } } } }).spec.chart.spec.chart;

const issuesOf = (release: SourcedObject, others: SourcedObject[] = []): string[] =>
  validateHelmRelease(release, [release, helmRepository(chartOf(release)), ...others]).map(formatIssue);

describe('Helm/Flux value merging', () => {
  test('merges valuesFrom layers and spec.values the Flux way: maps merged, lists and scalars replaced', () => {
    const merged = mergeFluxValues({ a: { b: 1, c: [1, 2] }, d: 'x' }, { a: { c: [3] }, d: { e: 1 } });
    expect(merged).toEqual({ a: { b: 1, c: [3] }, d: { e: 1 } });
  });

  test('coalesces with chart defaults the Helm way: user wins, maps merged, null deletes a default key', () => {
    const defaults = { image: { repository: 'r', tag: 't' }, extraArgs: ['--a'], podAnnotations: {}, keep: true };
    const user = { image: { tag: null }, extraArgs: ['--b'], podAnnotations: { x: 'y' }, keep: null, unknownNull: null };
    expect(coalesceHelmValues(defaults, user)).toEqual({
      image: { repository: 'r' },
      extraArgs: ['--b'],
      podAnnotations: { x: 'y' },
      unknownNull: null,
    });
  });

  test('types targetPath values like helm --set and splits escaped dots', () => {
    expect([typedSetValue('true'), typedSetValue('3'), typedSetValue('03'), typedSetValue('null'), typedSetValue('a,b')]).toEqual([true, 3, '03', null, 'a,b']);
    expect(parseTargetPath('podAnnotations.example\\.com/team')).toEqual(['podAnnotations', 'example.com/team']);
    expect(parseTargetPath('list[0].a')).toBeUndefined();
  });

  test('names the JSON Schema dialect of every pinned chart schema', () => {
    // GIVEN the pinned charts with a values.schema.json WHEN the dialect is read from $schema
    const dialects = Object.fromEntries(
      Object.values(cache.lock.charts)
        .filter((c) => c.schemaPath)
        .map((c) => [c.name, schemaDialect(JSON.parse(cache.read(c.schemaPath as string)))]),
    );
    // THEN 2019-09 and 2020-12 are recognised; draft-07 (also spelled https://, or bare schema#) is the default
    expect(dialects).toMatchObject({
      'cert-manager': 'draft-07',
      cilium: 'draft-07',
      'external-dns': 'draft-07',
      'external-secrets': '2020-12',
      traefik: '2020-12',
      'aws-ebs-csi-driver': '2019-09',
      'opentelemetry-operator': '2019-09',
      metallb: 'draft-07',
      'opentelemetry-collector': 'draft-07',
    });
  });
});

describe('validateHelmRelease: cert-manager v1.21.1', () => {
  const values = configMap('cert-manager-values', { 'values.yaml': 'crds:\n  enabled: true\nconfig:\n  gatewayAPI:\n    enabled: true\n' });
  const valuesFrom = { valuesFrom: [{ kind: 'ConfigMap', name: 'cert-manager-values' }] };

  test('accepts values from a ConfigMap plus spec.values', () => {
    // GIVEN the pinned chart version, values in a ConfigMap of the same namespace, and spec.values
    const release = helmRelease('cert-manager', 'cert-manager', 'v1.21.1', { ...valuesFrom, values: { replicaCount: 2 } });
    // WHEN validated with the ConfigMap in the object set THEN there is no issue
    expect(issuesOf(release, [values])).toEqual([]);
  });

  test('fails an unknown value key, naming the release, the value path, the chart and its version', () => {
    const release = helmRelease('cert-manager', 'cert-manager', 'v1.21.1', { values: { crds: { enabledd: true } } });
    expect(issuesOf(release)).toEqual([
      'HelmRelease flux-system/cert-manager (test/cert-manager.yaml): /crds/enabledd: chart cert-manager v1.21.1: unknown field "enabledd" (not in the pinned schema) [values.schema.json, draft-07] (set in spec.values)',
    ]);
  });

  test('fails a mistyped value (crds.enabled "yes" where the schema says boolean)', () => {
    const release = helmRelease('cert-manager', 'cert-manager', 'v1.21.1', { values: { crds: { enabled: 'yes' } } });
    expect(issuesOf(release)).toEqual([expect.stringContaining('/crds/enabled: chart cert-manager v1.21.1: must be boolean, got string "yes"')]);
  });

  test('fails a mistyped value that comes from the valuesFrom ConfigMap, naming the ConfigMap', () => {
    const bad = configMap('cert-manager-values', { 'values.yaml': 'crds:\n  enabled: "true"\n' });
    const release = helmRelease('cert-manager', 'cert-manager', 'v1.21.1', valuesFrom);
    expect(issuesOf(release, [bad])).toEqual([
      expect.stringMatching(/\/crds\/enabled: .*must be boolean.*\(set in ConfigMap flux-system\/cert-manager-values key values\.yaml\)$/),
    ]);
  });

  test('accepts a value at a targetPath from a Secret that a SealedSecret of the fleet makes, checked as a string', () => {
    // GIVEN a SealedSecret making Secret flux-system/issuer-email (content unknown offline)
    const sealed: SourcedObject = { source: 'test/sealed.yaml', object: { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 'issuer-email', namespace: 'flux-system' }, spec: { encryptedData: {} } } };
    const fromSecret = (targetPath: string) => helmRelease('cert-manager', 'cert-manager', 'v1.21.1', { valuesFrom: [{ kind: 'Secret', name: 'issuer-email', valuesKey: 'v', targetPath }] });
    // THEN a string-typed path passes, and a boolean-typed one is refused (the value is a string)
    expect(issuesOf(fromSecret('global.commonLabels.team'), [sealed])).toEqual([]);
    expect(issuesOf(fromSecret('crds.enabled'), [sealed])).toEqual([expect.stringContaining('/crds/enabled: chart cert-manager v1.21.1: must be boolean')]);
  });

  test('fails a valuesFrom Secret that nothing in the fleet makes', () => {
    const release = helmRelease('cert-manager', 'cert-manager', 'v1.21.1', { valuesFrom: [{ kind: 'Secret', name: 'missing', valuesKey: 'v', targetPath: 'global.commonLabels.team' }] });
    expect(issuesOf(release)).toEqual([expect.stringContaining('/spec/valuesFrom/0: Secret flux-system/missing is not in the synthesized objects (valuesFrom is not optional)')]);
  });

  test('fails an unpinned chart version', () => {
    const release = helmRelease('cert-manager', 'cert-manager', '1.21.1');
    expect(issuesOf(release)).toEqual([
      'HelmRelease flux-system/cert-manager (test/cert-manager.yaml): /spec/chart/spec/version: chart cert-manager: version "1.21.1" is not the pinned version "v1.21.1"',
    ]);
  });

  test('fails a chart without any version', () => {
    const release = helmRelease('cert-manager', 'cert-manager', 'v1.21.1');
    delete (release.object as { spec: { chart: { spec: { version?: string } } } }).spec.chart.spec.version;
    expect(issuesOf(release)).toEqual([expect.stringContaining('chart cert-manager: no version (any) is not the pinned version "v1.21.1"')]);
  });

  test('fails a missing valuesFrom ConfigMap that is not optional', () => {
    const release = helmRelease('cert-manager', 'cert-manager', 'v1.21.1', valuesFrom);
    expect(issuesOf(release)).toEqual([
      'HelmRelease flux-system/cert-manager (test/cert-manager.yaml): /spec/valuesFrom/0: ConfigMap flux-system/cert-manager-values is not in the synthesized objects (valuesFrom is not optional)',
    ]);
  });

  test('accepts a missing valuesFrom ConfigMap marked optional', () => {
    const release = helmRelease('cert-manager', 'cert-manager', 'v1.21.1', { valuesFrom: [{ kind: 'ConfigMap', name: 'absent', optional: true }] });
    expect(issuesOf(release)).toEqual([]);
  });

  test('fails valuesFrom YAML that is not a map', () => {
    const release = helmRelease('cert-manager', 'cert-manager', 'v1.21.1', valuesFrom);
    expect(issuesOf(release, [configMap('cert-manager-values', { 'values.yaml': '- a\n- b\n' })])).toEqual([
      expect.stringContaining('/spec/valuesFrom/0: ConfigMap flux-system/cert-manager-values key values.yaml does not hold a YAML map of values'),
    ]);
  });

  test('accepts a user null that deletes a chart default (Helm coalescing)', () => {
    // GIVEN spec.values.crds = null: the key exists in values.yaml, so Helm drops the default map
    const release = helmRelease('cert-manager', 'cert-manager', 'v1.21.1', { values: { crds: null } });
    // THEN nothing is reported (cert-manager's schema does not require crds)
    expect(issuesOf(release)).toEqual([]);
  });

  test('fails a user null for a key the chart does not have', () => {
    const release = helmRelease('cert-manager', 'cert-manager', 'v1.21.1', { values: { crdz: null } });
    expect(issuesOf(release)).toEqual([expect.stringContaining('/crdz: chart cert-manager v1.21.1: unknown field "crdz"')]);
  });

  test('fails a HelmRelease in validateObjects with both schema and chart issues counted', () => {
    const release = helmRelease('cert-manager', 'cert-manager', 'v1.21.1', { values: { crds: { enabledd: true } }, intervall: '1h' });
    const report = validateObjects([release, helmRepository('cert-manager')]);
    expect(report.helmReleasesValidated).toBe(1);
    expect(report.objectsValidated).toBe(2);
    expect(report.issues.map((i) => i.path)).toEqual(['/spec/intervall', '/crds/enabledd']);
  });
});

describe('validateObjects', () => {
  test('fails an object defined twice in the set, naming both sources', () => {
    // GIVEN the same ConfigMap from two sources
    const a = configMap('dup', { a: 'b' });
    const b = { ...configMap('dup', { c: 'd' }), source: 'test/other.yaml' };
    // WHEN the set is validated THEN the second one is reported
    expect(validateObjects([a, b]).issues.map(formatIssue)).toEqual([
      'ConfigMap flux-system/dup (test/other.yaml): /metadata/name: duplicate object: ConfigMap flux-system/dup is also defined in test/dup.yaml',
    ]);
  });
});

describe('validateChartValues: pinned defaults of real charts validate', () => {
  test.each(['cilium', 'external-dns', 'velero', 'sealed-secrets'])('accepts the pinned defaults alone of %s', (chart) => {
    // GIVEN a HelmRelease at the pinned version without values
    const pinned = cache.chart(chart);
    expect(pinned.schemaPath === undefined).toBe(chart === 'sealed-secrets');
    const release = helmRelease(chart, chart, pinned.version);
    // WHEN validated THEN the chart defaults pass the chart's own schema and there is no issue
    expect(issuesOf(release)).toEqual([]);
  });

  test('accepts the pinned defaults of every pinned chart with a values.schema.json against its own schema', () => {
    // GIVEN every pinned chart shipping a schema (draft-07, 2019-09 and 2020-12 among them)
    const charts = Object.values(cache.lock.charts).filter((c) => c.schemaPath);
    // WHEN the defaults alone are validated THEN none fails its own schema (an upstream quirk would show here)
    const issues = charts.flatMap((c) => validateChartValues(c.name, { object: `chart ${c.name}`, layers: [] })).map(formatIssue);
    expect(charts.length).toBeGreaterThanOrEqual(12);
    expect(issues).toEqual([]);
  });

  test('fails an unknown value key of a chart without a schema (checked against values.yaml)', () => {
    const release = helmRelease('sealed-secrets', 'sealed-secrets', '2.18.5', { values: { metrics: { serviceMonitor: { enabled: true, intervall: '30s' } } } });
    expect(issuesOf(release)).toEqual([expect.stringContaining('/metrics/serviceMonitor/intervall: chart sealed-secrets 2.18.5: unknown value key "intervall" (not in the chart\'s values.yaml)')]);
  });

  test('accepts arbitrary keys under an empty map in values.yaml (podAnnotations: {})', () => {
    const release = helmRelease('sealed-secrets', 'sealed-secrets', '2.18.5', { values: { podAnnotations: { 'example.com/any': 'x' } } });
    expect(issuesOf(release)).toEqual([]);
  });

  test('accepts extra keys in a free-form schema map even where values.yaml shows example keys', () => {
    // GIVEN cert-manager's securityContext: `type: object` in the schema, two example keys in values.yaml
    const release = helmRelease('cert-manager', 'cert-manager', 'v1.21.1', { values: { securityContext: { fsGroup: 1001 } } });
    expect(issuesOf(release)).toEqual([]);
  });

  test('fails an unknown nested value key of cilium that its schema does not forbid', () => {
    const release = helmRelease('cilium', 'cilium', '1.20.0', { values: { hubble: { relay: { enabeld: true } } } });
    expect(issuesOf(release)).toEqual([expect.stringContaining('/hubble/relay/enabeld: chart cilium 1.20.0: unknown value key "enabeld"')]);
  });

  test('fails mistyped values in draft-07, 2019-09 and 2020-12 chart schemas', () => {
    // GIVEN one wrong value each for cilium (draft-07), aws-ebs-csi-driver (2019-09), external-secrets (2020-12)
    const cilium = helmRelease('cilium', 'cilium', '1.20.0', { values: { rollOutCiliumPods: 'yes' } });
    const ebs = helmRelease('aws-ebs-csi-driver', 'aws-ebs-csi-driver', '2.64.0', { values: { controller: { additionalArgs: '--x' } } });
    const eso = helmRelease('external-secrets', 'external-secrets', '2.9.0', { values: { replicaCount: 'two' } });
    // THEN each schema, compiled in its own dialect, reports the path
    expect([...issuesOf(cilium), ...issuesOf(ebs), ...issuesOf(eso)]).toEqual([
      expect.stringContaining('/rollOutCiliumPods: chart cilium 1.20.0: must be boolean, got string "yes" [values.schema.json, draft-07]'),
      expect.stringContaining('/controller/additionalArgs: chart aws-ebs-csi-driver 2.64.0: must be array, got string "--x" [values.schema.json, 2019-09]'),
      expect.stringContaining('/replicaCount: chart external-secrets 2.9.0: must be integer, got string "two" [values.schema.json, 2020-12]'),
    ]);
  });

  test('keeps the allow-list short and documented', () => {
    // GIVEN the allow-list WHEN read THEN it only names pinned charts and JSON pointers
    for (const [chart, paths] of Object.entries(HELM_VALUES_ALLOWLIST)) {
      expect(cache.lock.charts[chart]).toBeDefined();
      for (const path of paths) expect(path).toMatch(/^\//);
    }
    expect(Object.values(HELM_VALUES_ALLOWLIST).flat().length).toBeLessThanOrEqual(12);
  });
});
