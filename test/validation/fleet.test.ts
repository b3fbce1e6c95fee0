import { UpstreamCache } from '../../lib/upstream/lock';
import { validateFleetManifests, type FleetManifest } from '../../lib/validation/fleet';
import { ValidationRule } from '../../lib/validation/validate-objects';

const cm = (cluster: string, name: string, data: Record<string, string> = {}): FleetManifest => ({
  file: `${cluster}/configs/configmap-${name}.yaml`,
  object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'flux-system' }, data },
});

/** cert-manager at its pinned version, reading its values from the ConfigMap `cm-values`. */
function release(cluster: string): FleetManifest[] {
  const chart = UpstreamCache.default().lock.charts['cert-manager'];
  if (!chart) throw new Error('cert-manager is not pinned');
  return [
    {
      file: `${cluster}/controllers/helmrelease-cert-manager.yaml`,
      object: {
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        kind: 'HelmRelease',
        metadata: { name: 'cert-manager', namespace: 'flux-system' },
        spec: {
          interval: '1h',
          chart: { spec: { chart: 'cert-manager', version: chart.version, sourceRef: { kind: 'HelmRepository', name: 'repo' } } },
          valuesFrom: [{ kind: 'ConfigMap', name: 'cm-values', valuesKey: 'values.yaml' }],
        },
      },
    },
    {
      file: `${cluster}/flux-system/helmrepository-repo.yaml`,
      object: { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { name: 'repo', namespace: 'flux-system' }, spec: { interval: '1h', url: chart.repository } },
    },
  ];
}

describe('validateFleetManifests', () => {
  test('validates each cluster on its own: the same object in two clusters is no duplicate', () => {
    // GIVEN the same ConfigMap in clusters a and b
    const report = validateFleetManifests([cm('a', 'x'), cm('b', 'x'), cm('a', 'y')]);
    // THEN no issue, both clusters in order of appearance, every object counted once
    expect(report.issues).toEqual([]);
    expect(report.clusters).toEqual(['a', 'b']);
    expect(report.objectsValidated).toBe(3);
    expect(report.helmReleasesValidated).toBe(0);
  });

  test('fails a duplicate inside one cluster, with the dist/ source of each', () => {
    const report = validateFleetManifests([cm('a', 'x'), { ...cm('a', 'x'), file: 'a/apps/configmap-x.yaml' }]);
    expect(report.issues.map((i) => [i.rule, i.source])).toEqual([[ValidationRule.DUPLICATE, 'dist/a/apps/configmap-x.yaml']]);
    expect(report.issues[0]?.message).toBe('duplicate object: ConfigMap flux-system/x is also defined in dist/a/configs/configmap-x.yaml');
  });

  test('fails a HelmRelease whose valuesFrom ConfigMap exists only in another cluster', () => {
    // GIVEN cert-manager in cluster a, and its values ConfigMap in cluster b only
    const report = validateFleetManifests([...release('a'), cm('b', 'cm-values', { 'values.yaml': 'installCRDs: false\n' })]);
    // THEN cluster a's release does not see b's ConfigMap
    expect(report.helmReleasesValidated).toBe(1);
    expect(report.issues.map((i) => [i.rule, i.source, i.path])).toEqual([[ValidationRule.HELM_RELEASE, 'dist/a/controllers/helmrelease-cert-manager.yaml', '/spec/valuesFrom/0']]);
    expect(report.issues[0]?.message).toMatch(/ConfigMap flux-system\/cm-values is not in the synthesized objects/);
    // AND with the ConfigMap in its own cluster it validates
    expect(validateFleetManifests([...release('a'), cm('a', 'cm-values', { 'values.yaml': 'installCRDs: false\n' })]).issues).toEqual([]);
  });
});
