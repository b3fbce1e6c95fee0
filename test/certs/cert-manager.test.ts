import { parse } from 'yaml';
import { CertManager, GatewayApiCrds } from '../../lib';
import { CERT_MANAGER_CHART } from '../../imports/helm/charts';
import { UpstreamCache } from '../../lib/upstream/lock';
import { manifest, manifestsByFile, testCluster } from '../support/fleet';

function values(fleet: Parameters<typeof manifest>[0]): Record<string, any> {
  return parse(manifest(fleet, 'test/releases/cert-manager/configmap-cert-manager-values.yaml').data['values.yaml']);
}

describe('CertManager', () => {
  test('installs the pinned chart with its CRDs, kept on uninstall', () => {
    const { fleet, cluster } = testCluster();
    new CertManager(cluster.controllers, 'CM');
    expect(manifest(fleet, 'test/releases/cert-manager/helmrelease-cert-manager.yaml').spec.chart.spec).toMatchObject({
      chart: 'cert-manager',
      version: CERT_MANAGER_CHART.version,
      sourceRef: { kind: 'HelmRepository', name: 'jetstack' },
    });
    expect(values(fleet)).toEqual({ crds: { enabled: true, keep: true }, replicaCount: 1 });
    expect(manifestsByFile(fleet)).toMatchSnapshot();
  });

  test('turns Gateway API support on and waits for the CRDs when given them', () => {
    const { fleet, cluster } = testCluster();
    const gatewayApi = new GatewayApiCrds(cluster.crds, 'Gw');
    new CertManager(cluster.controllers, 'CM', { gatewayApi });
    expect(values(fleet).config).toEqual({
      apiVersion: 'controller.config.cert-manager.io/v1alpha1',
      kind: 'ControllerConfiguration',
      gatewayAPI: { enabled: true },
    });
    expect(values(fleet).config).not.toHaveProperty('enableGatewayAPI');
    expect(manifest(fleet, 'test/flux-system/kustomization-controllers.yaml').spec.dependsOn).toEqual([{ name: 'crds', namespace: 'flux-system' }]);
  });

  test('the pinned chart documents the Gateway API switch as config.gatewayAPI.enabled (cert-manager#8732)', () => {
    // GIVEN the pinned values.yaml: its commented ControllerConfiguration example under `config:`
    const cache = UpstreamCache.default();
    const text = cache.read(cache.chart('cert-manager').valuesPath!);
    const lines = text.split('\n');
    const start = lines.findIndex((l) => /^#\s+config:\s*$/.test(l));
    expect(start).toBeGreaterThanOrEqual(0);
    const example = lines.slice(start, start + 40);
    // THEN the switch is `gatewayAPI:` with `enabled: true` directly below it, and the old key is gone
    const at = example.findIndex((l) => /^#\s{4}gatewayAPI:\s*$/.test(l));
    expect(at).toBeGreaterThan(0);
    expect(example[at + 1]).toMatch(/^#\s{6}enabled: true\s*$/);
    expect(text).not.toMatch(/enableGatewayAPI/);
  });

  test('merges extra values over its own', () => {
    const { fleet, cluster } = testCluster();
    new CertManager(cluster.controllers, 'CM', { replicas: 2, values: { crds: { keep: false }, podDisruptionBudget: { enabled: true } } });
    expect(values(fleet)).toMatchObject({ crds: { enabled: true, keep: false }, replicaCount: 2, podDisruptionBudget: { enabled: true } });
  });

  test('fails on zero replicas', () => {
    const { cluster } = testCluster();
    expect(() => new CertManager(cluster.controllers, 'CM', { replicas: 0 })).toThrow(/\[test\/controllers\/CM\] replicas 0 must be a whole number >= 1/);
  });
});
