import { Duration } from 'cdk8s';
import { UpstreamGitRelease } from '../../lib/flux/upstream-release';
import { manifest, testCluster } from '../support/fleet';

describe('UpstreamGitRelease', () => {
  // GIVEN a release of a CRD bundle with one extra health check
  const { fleet, cluster } = testCluster('mgmt');
  const release = new UpstreamGitRelease(cluster.crds, 'GatewayApi', {
    sourceName: 'gateway-api',
    url: 'https://github.com/kubernetes-sigs/gateway-api',
    tag: 'v1.4.1',
    path: './config/crd/standard/',
    kustomizationName: 'gateway-api-crds',
    crdNames: ['gateways.gateway.networking.k8s.io', 'httproutes.gateway.networking.k8s.io'],
    healthChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'x', namespace: 'y' }],
    timeout: Duration.minutes(7),
  });
  const source = manifest(fleet, 'mgmt/crds/gitrepository-gateway-api.yaml');
  const ks = manifest(fleet, 'mgmt/crds/kustomization-gateway-api-crds.yaml');

  test('matches the snapshot', () => {
    // THEN
    expect({ source, ks }).toMatchSnapshot();
  });

  test('the GitRepository pins the tag and fetches only the path', () => {
    // THEN
    expect(source.metadata).toEqual({ name: 'gateway-api', namespace: 'flux-system' });
    expect(source.spec).toEqual({ interval: '12h', url: 'https://github.com/kubernetes-sigs/gateway-api', ref: { tag: 'v1.4.1' }, ignore: '/*\n!/config/crd/standard/\n' });
    expect(release.source.name).toBe('gateway-api');
  });

  test('the Kustomization never prunes and health-checks every CRD, then the extra checks', () => {
    // THEN
    expect(ks.spec.prune).toBe(false);
    expect(ks.spec.path).toBe('./config/crd/standard');
    expect(ks.spec.sourceRef).toEqual({ kind: 'GitRepository', name: 'gateway-api', namespace: 'flux-system' });
    expect(ks.spec.timeout).toBe('7m');
    expect(ks.spec.healthChecks.map((h: any) => `${h.kind}/${h.name}`)).toEqual([
      'CustomResourceDefinition/gateways.gateway.networking.k8s.io',
      'CustomResourceDefinition/httproutes.gateway.networking.k8s.io',
      'Deployment/x',
    ]);
    expect(release.kustomization.name).toBe('gateway-api-crds');
  });

  test('targetNamespace and patches reach the Kustomization (upstream manifests written for another namespace)', () => {
    // GIVEN a release moved to kube-system with one patch
    const { fleet: f, cluster: c } = testCluster('t');
    new UpstreamGitRelease(c.controllers, 'Ctl', {
      sourceName: 'snap',
      url: 'https://github.com/kubernetes-csi/external-snapshotter',
      tag: 'v8.6.0',
      path: './deploy/kubernetes/snapshot-controller',
      kustomizationName: 'snapshot-controller',
      crdNames: [],
      targetNamespace: 'kube-system',
      patches: [{ patch: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n', target: { kind: 'Namespace', name: 'x' } }],
      healthChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'snapshot-controller', namespace: 'kube-system' }],
    });
    // THEN
    const spec = manifest(f, 't/controllers/kustomization-snapshot-controller.yaml').spec;
    expect(spec.targetNamespace).toBe('kube-system');
    expect(spec.patches).toEqual([{ patch: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n', target: { kind: 'Namespace', name: 'x' } }]);
    // and stay absent when not given
    expect(ks.spec.targetNamespace).toBeUndefined();
    expect(ks.spec.patches).toBeUndefined();
  });
});
