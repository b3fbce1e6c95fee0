/**
 * The validation harness applied to the whole reference fleet: every synthesized object against
 * its pinned schema (CRD openAPIV3Schema or the Kubernetes 1.36 OpenAPI spec, unknown fields
 * rejected), every HelmRelease's values merged over its pinned chart's defaults against the chart's
 * schema and values.yaml keys. No object or chart without a pinned schema passes.
 */
import { validateObjects } from '../lib/validation';
import { buildReferenceFleet, REFERENCE_CLUSTERS } from '../stacks/fleet';

describe('reference fleet', () => {
  const fleet = buildReferenceFleet();
  const manifests = fleet.manifests();

  test('every object and every HelmRelease validates against its pinned upstream schema', () => {
    // WHEN each cluster's objects are validated (valuesFrom and chartRef resolve within one cluster)
    const reports = REFERENCE_CLUSTERS.map(({ name }) =>
      validateObjects(manifests.filter((m) => m.file.startsWith(`${name}/`)).map((m) => ({ source: `dist/${m.file}`, object: m.object }))),
    );
    const report = {
      issues: reports.flatMap((r) => r.issues),
      objectsValidated: reports.reduce((n, r) => n + r.objectsValidated, 0),
      helmReleasesValidated: reports.reduce((n, r) => n + r.helmReleasesValidated, 0),
      celRulesNotEvaluated: Math.max(...reports.map((r) => r.celRulesNotEvaluated)),
    };
    // THEN it says how much it checked, and finds nothing
    process.stdout.write(
      `fleet validation: ${report.objectsValidated} objects and ${report.helmReleasesValidated} HelmReleases validated against pinned schemas ` +
        `(${report.celRulesNotEvaluated} CEL rules in those schemas not evaluated offline)\n`,
    );
    expect(report.issues).toEqual([]);
    expect(report.objectsValidated).toBe(manifests.length);
    expect(report.helmReleasesValidated).toBe(manifests.filter((m) => m.object.kind === 'HelmRelease').length);
    expect(report.helmReleasesValidated).toBeGreaterThanOrEqual(REFERENCE_CLUSTERS.length);
  });

  test('has one folder per cluster, each with flux-system and the four layers in use', () => {
    const folders = new Set(manifests.map((m) => m.file.split('/').slice(0, 2).join('/')));
    for (const { name } of REFERENCE_CLUSTERS) {
      for (const folder of ['flux-system', 'crds', 'controllers', 'configs', 'apps', 'releases']) {
        expect(folders).toContain(`${name}/${folder}`);
      }
    }
  });

  test('every Flux Kustomization has dependsOn, wait or healthChecks, prune, interval, retryInterval and timeout', () => {
    const kustomizations = manifests.filter((m) => m.object.kind === 'Kustomization').map((m) => m.object as { spec: Record<string, unknown> });
    expect(kustomizations.length).toBeGreaterThan(0);
    for (const { spec } of kustomizations) {
      expect(spec).toEqual(expect.objectContaining({ dependsOn: expect.any(Array), prune: expect.any(Boolean) }));
      expect(spec.interval && spec.retryInterval && spec.timeout).toBeTruthy();
      expect(spec.wait === true || (Array.isArray(spec.healthChecks) && spec.healthChecks.length > 0)).toBe(true);
    }
  });

  test('layers chain crds → controllers → configs → apps through derived dependencies', () => {
    for (const { name } of REFERENCE_CLUSTERS) {
      const dependsOn = (layer: string) =>
        ((manifests.find((m) => m.file === `${name}/flux-system/kustomization-${layer}.yaml`)!.object as { spec: { dependsOn: Array<{ name: string }> } }).spec.dependsOn).map((d) => d.name);
      expect([dependsOn('crds'), dependsOn('controllers'), dependsOn('configs'), dependsOn('apps')]).toEqual([[], ['crds'], ['controllers'], ['configs']]);
    }
  });
});
