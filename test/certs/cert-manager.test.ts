import { parse } from 'yaml';
import { CertManager, GatewayApiCrds } from '../../lib';
import { CERT_MANAGER_CHART } from '../../imports/helm/charts';
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
      enableGatewayAPI: true,
    });
    expect(manifest(fleet, 'test/flux-system/kustomization-controllers.yaml').spec.dependsOn).toEqual([{ name: 'crds', namespace: 'flux-system' }]);
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
