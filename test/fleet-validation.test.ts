/**
 * The validation harness applied to the whole reference fleet: every synthesized object against
 * its pinned schema (CRD openAPIV3Schema or the Kubernetes 1.36 OpenAPI spec, unknown fields
 * rejected), every HelmRelease's values merged over its pinned chart's defaults against the chart's
 * schema and values.yaml keys. No object or chart without a pinned schema passes.
 */
import { validateTalosPatchesInManifests } from '../lib/cluster';
import { validateFleetManifests } from '../lib/validation';
import { REFERENCE_CLUSTERS } from '../stacks/fleet';
import { referenceFleet } from './support/reference-fleet';

describe('reference fleet', () => {
  const { manifests } = referenceFleet();

  test('every object and every HelmRelease validates against its pinned upstream schema', () => {
    // WHEN each cluster's objects are validated (valuesFrom and chartRef resolve within one cluster)
    const report = validateFleetManifests(manifests);
    // THEN it says how much it checked, and finds nothing
    process.stdout.write(
      `fleet validation: ${report.objectsValidated} objects and ${report.helmReleasesValidated} HelmReleases validated against pinned schemas ` +
        `(${report.celRulesNotEvaluated} CEL rules in those schemas not evaluated offline)\n`,
    );
    expect(report.issues).toEqual([]);
    expect(report.objectsValidated).toBe(manifests.length);
    expect(report.helmReleasesValidated).toBe(manifests.filter((m) => m.object.kind === 'HelmRelease').length);
    expect(report.helmReleasesValidated).toBeGreaterThanOrEqual(REFERENCE_CLUSTERS.length);
    expect([...report.clusters].sort()).toEqual(REFERENCE_CLUSTERS.map((c) => c.name).sort());
  });

  test('the harness catches a broken value in one cluster even when other clusters hold the same objects', () => {
    // GIVEN the fleet with one cluster's cert-manager values ConfigMap given an unknown key
    const broken = manifests.map((m) => ({ file: m.file, object: JSON.parse(JSON.stringify(m.object)) as Record<string, any> }));
    const target = `${REFERENCE_CLUSTERS[0].name}/releases/cert-manager/configmap-cert-manager-values.yaml`;
    const configMap = broken.find((m) => m.file === target)!.object;
    configMap.data['values.yaml'] += 'replicaCountt: 3\n';
    // WHEN validated
    const report = validateFleetManifests(broken);
    // THEN exactly that release is reported, with the value path
    expect(report.issues).toHaveLength(1);
    expect(report.issues[0]).toMatchObject({ path: '/replicaCountt' });
    expect(report.issues[0].object).toContain(`dist/${REFERENCE_CLUSTERS[0].name}/releases/cert-manager/helmrelease-cert-manager.yaml`);
  });

  test('every Talos machine-config patch validates against the pinned Talos v1.12 config schema', () => {
    const report = validateTalosPatchesInManifests(manifests);
    process.stdout.write(`talos validation: ${report.checked} Talos config patches validated against talos/v1.12/config.schema.json\n`);
    expect(report.issues).toEqual([]);
    expect(report.checked).toBeGreaterThanOrEqual(5);
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
      const order = ['crds', 'controllers', 'configs', 'apps'];
      // each layer waits for the one before it (derived from references), and only for earlier layers
      expect(dependsOn('crds')).toEqual([]);
      for (let i = 1; i < order.length; i++) {
        expect(dependsOn(order[i])).toContain(order[i - 1]);
        for (const d of dependsOn(order[i])) expect(order.indexOf(d)).toBeLessThan(i);
      }
    }
  });
});
