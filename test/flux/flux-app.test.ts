import { JsonPatch } from 'cdk8s';
import { parse } from 'yaml';
import { Construct } from 'constructs';
import { ChartBackedConstruct, ErrorCode, FluxApp, PodSecurityLevel } from '../../lib';
import { thrownBy } from '../support/errors';
import { repositoryName } from '../../lib/flux/flux-app';
import { manifest, manifestsByFile, testCluster } from '../support/fleet';

const CHART = { name: 'demo', version: '1.2.3', repository: 'https://charts.example.com' };
/** The test charts are not pinned: registered so synth-time validation knows their values. */
const CHARTS = { charts: [{ ...CHART, values: 'replicaCount: 1\nimage:\n  tag: latest\n' }, { ...CHART, name: 'other', values: '' }] };

describe('FluxApp', () => {
  test('produces the 5-file pattern', () => {
    // GIVEN a chart app in the controllers layer
    const { fleet, cluster } = testCluster('test', CHARTS);
    new FluxApp(cluster.controllers, 'demo', { chart: CHART, values: { replicaCount: 2 } });
    // THEN Namespace + Kustomization in the layer, HelmRepository shared, ConfigMap + HelmRelease in the release folder
    expect(Object.keys(manifestsByFile(fleet)).filter((f) => /demo|example/.test(f))).toEqual([
      'test/controllers/kustomization-demo.yaml',
      'test/controllers/namespace-demo.yaml',
      'test/flux-system/helmrepository-example.yaml',
      'test/releases/demo/configmap-demo-values.yaml',
      'test/releases/demo/helmrelease-demo.yaml',
    ]);
    expect(manifestsByFile(fleet)).toMatchSnapshot();
  });

  test('passes values only through the ConfigMap named in valuesFrom', () => {
    const { fleet, cluster } = testCluster('test', CHARTS);
    new FluxApp(cluster.controllers, 'demo', { chart: CHART, values: { replicaCount: 2, image: { tag: 'x' } } });
    const release = manifest(fleet, 'test/releases/demo/helmrelease-demo.yaml');
    const configMap = manifest(fleet, 'test/releases/demo/configmap-demo-values.yaml');
    expect(release.spec.values).toBeUndefined();
    expect(release.spec.valuesFrom).toEqual([{ kind: 'ConfigMap', name: 'demo-values', valuesKey: 'values.yaml' }]);
    // next to its HelmRelease in flux-system (decision 0094): valuesFrom reads the release's own namespace
    expect(configMap.metadata).toEqual({ name: 'demo-values', namespace: 'flux-system' });
    expect(parse(configMap.data['values.yaml'])).toEqual({ replicaCount: 2, image: { tag: 'x' } });
  });

  test('remediates failed installs and rolls back failed upgrades, never uninstalls', () => {
    const { fleet, cluster } = testCluster('test', CHARTS);
    new FluxApp(cluster.controllers, 'demo', { chart: CHART, remediationRetries: 5 });
    const spec = manifest(fleet, 'test/releases/demo/helmrelease-demo.yaml').spec;
    expect(spec.install.remediation).toEqual({ retries: 5 });
    expect(spec.upgrade.remediation).toEqual({ retries: 5, strategy: 'rollback' });
    expect(spec.chart.spec).toMatchObject({ chart: 'demo', version: '1.2.3', sourceRef: { kind: 'HelmRepository', name: 'example', namespace: 'flux-system' } });
  });

  test('its Kustomization health-checks the HelmRelease and applies only the release folder', () => {
    const { fleet, cluster } = testCluster('test', CHARTS);
    new FluxApp(cluster.controllers, 'demo', { chart: CHART, namespace: 'demo-system' });
    expect(manifest(fleet, 'test/controllers/kustomization-demo.yaml').spec).toMatchObject({
      path: './dist/test/releases/demo',
      // the HelmRelease lives in flux-system (decision 0094); it installs into demo-system
      healthChecks: [{ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', name: 'demo', namespace: 'flux-system' }],
    });
    expect(manifest(fleet, 'test/releases/demo/helmrelease-demo.yaml').spec.targetNamespace).toBe('demo-system');
  });

  test('enforces the restricted Pod Security level unless told otherwise', () => {
    const { fleet, cluster } = testCluster('test', CHARTS);
    new FluxApp(cluster.controllers, 'a', { chart: CHART });
    new FluxApp(cluster.controllers, 'b', { chart: CHART, podSecurity: PodSecurityLevel.PRIVILEGED });
    expect(manifest(fleet, 'test/controllers/namespace-a.yaml').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(manifest(fleet, 'test/controllers/namespace-b.yaml').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });

  test('shares one HelmRepository between apps of the same repository', () => {
    const { fleet, cluster } = testCluster('test', CHARTS);
    new FluxApp(cluster.controllers, 'a', { chart: CHART });
    new FluxApp(cluster.apps, 'b', { chart: { ...CHART, name: 'other' } });
    expect(fleet.manifests().filter((m) => m.object.kind === 'HelmRepository')).toHaveLength(1);
  });

  test('uses an OCIRepository and chartRef for oci:// charts', () => {
    const { fleet, cluster } = testCluster('test', { charts: [{ name: 'demo', version: '0.9.0', repository: 'oci://ghcr.io/example/charts', values: '' }] });
    new FluxApp(cluster.controllers, 'demo', { chart: { name: 'demo', version: '0.9.0', repository: 'oci://ghcr.io/example/charts' } });
    expect(manifest(fleet, 'test/controllers/ocirepository-demo.yaml').spec).toMatchObject({
      url: 'oci://ghcr.io/example/charts/demo',
      ref: { tag: '0.9.0' },
    });
    const spec = manifest(fleet, 'test/releases/demo/helmrelease-demo.yaml').spec;
    expect(spec.chartRef).toEqual({ kind: 'OCIRepository', name: 'demo', namespace: 'flux-system' });
    expect(spec.chart).toBeUndefined();
  });

  test('the HelmRelease is reachable for JSON patches', () => {
    const { fleet, cluster } = testCluster('test', CHARTS);
    const app = new FluxApp(cluster.controllers, 'demo', { chart: CHART });
    app.helmRelease!.addJsonPatch(JsonPatch.add('/spec/suspend', true));
    expect(manifest(fleet, 'test/releases/demo/helmrelease-demo.yaml').spec.suspend).toBe(true);
  });

  test.each([['>=1.14.0'], ['6.*'], ['~1.2'], ['latest'], ['']])('fails on chart version range %p', (version) => {
    const { cluster } = testCluster();
    expect(() => new FluxApp(cluster.controllers, 'demo', { chart: { ...CHART, version } })).toThrow(
      new RegExp(`\\[test/controllers/demo\\] chart demo version "${version.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" is not an exact version`),
    );
  });

  test('fails on a repository that is neither https nor oci', () => {
    const { cluster } = testCluster();
    expect(() => new FluxApp(cluster.controllers, 'demo', { chart: { ...CHART, repository: 'http://insecure.example.com' } })).toThrow(
      /\[test\/controllers\/demo\] chart demo repository "http:\/\/insecure.example.com" must start with https:\/\/ or oci:\/\//,
    );
  });

  test('fails on a name that is not a DNS-1123 label', () => {
    const { cluster } = testCluster();
    expect(() => new FluxApp(cluster.controllers, 'Demo_App', { chart: CHART })).toThrow(/\[test\/controllers\/Demo_App\] name "Demo_App" is not a DNS-1123 label/);
  });

  test('fails on negative remediation retries', () => {
    const { cluster } = testCluster();
    expect(() => new FluxApp(cluster.controllers, 'demo', { chart: CHART, remediationRetries: -1 })).toThrow(/remediationRetries -1 must be a whole number >= 0/);
  });

  test('fails outside a layer', () => {
    const { cluster } = testCluster();
    expect(() => new FluxApp(cluster as never, 'demo', { chart: CHART })).toThrow(/a FluxApp must be created in a FluxLayer or below one/);
  });

  test('fails on two apps with the same name in one cluster', () => {
    const { fleet, cluster } = testCluster('test', CHARTS);
    new FluxApp(cluster.controllers, 'a', { chart: CHART, name: 'same', namespace: 'x' });
    new FluxApp(cluster.apps, 'b', { chart: CHART, name: 'same', namespace: 'y' });
    expect(() => fleet.manifests()).toThrow(/\[test\/apps\/b\/Kustomization\] Kustomization name "same" is already used by test\/controllers\/a\/Kustomization/);
  });
});

describe('repositoryName', () => {
  test.each([
    ['https://charts.jetstack.io', 'jetstack'],
    ['https://helm.cilium.io/', 'cilium'],
    ['https://kubernetes-sigs.github.io/external-dns/', 'external-dns'],
    ['https://raw.githubusercontent.com/kubernetes-sigs/azuredisk-csi-driver/master/charts', 'azuredisk-csi-driver'],
    ['https://charts.external-secrets.io', 'external-secrets'],
  ])('%s → %s', (url, name) => expect(repositoryName(url)).toBe(name));
});

describe('ChartBackedConstruct', () => {
  /** A chart-backed construct that creates its app only when asked (to read `app` before it). */
  class LateApp extends ChartBackedConstruct {
    public constructor(scope: Construct, id: string) {
      super(scope, id);
    }
    public create(): void {
      this.createApp({ chart: CHART, name: 'late' });
    }
  }

  test('forwards IFluxApp to the app it created, which is a child of the construct itself', () => {
    // GIVEN a subclass that creates its app after super()
    const { cluster } = testCluster('test', CHARTS);
    const late = new LateApp(cluster.controllers, 'Late');
    // WHEN it creates the app
    late.create();
    // THEN the getters read the app, and the app's objects keep the construct's ids
    expect([late.name, late.namespace, late.layer, late.chart, late.installedElsewhere]).toEqual(['late', 'late', cluster.controllers, CHART, false]);
    expect(late.helmRelease?.node.path).toBe('test/controllers/Late/Release/Resource');
    expect(late.node.defaultChild).toBe(late.helmRelease);
    expect(late.kustomization?.node.path).toBe('test/controllers/Late/Kustomization');
  });

  test('fails with APP_NOT_CREATED when the app is read before createApp()', () => {
    // GIVEN a subclass that has not created its app yet
    const { cluster } = testCluster('test', CHARTS);
    const late = new LateApp(cluster.controllers, 'Late');
    // WHEN a getter reads it THEN the bug is named with the construct path
    const error = thrownBy(() => late.name);
    expect(error.code).toBe(ErrorCode.APP_NOT_CREATED);
    expect(error.message).toMatch(/^\[test\/controllers\/Late\] has no ChartApp yet/);
  });
});
