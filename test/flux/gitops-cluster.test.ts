import { Construct } from 'constructs';
import { CertManager, ErrorCode, Fleet, FluxManifestApp, GatewayApiCrds, GitOpsCluster, InfraFluxError, InternalCaIssuer } from '../../lib';
import { manifest, testCluster } from '../support/fleet';

function dependsOn(fleet: Fleet, file: string): string[] {
  return (manifest(fleet, file).spec.dependsOn as Array<{ name: string }>).map((d) => d.name);
}

function synthError(fleet: Fleet): InfraFluxError {
  try {
    fleet.manifests();
  } catch (e) {
    return e as InfraFluxError;
  }
  throw new Error('synth succeeded');
}

describe('GitOpsCluster', () => {
  test('writes the flux-system entry: GitRepository for this repository and the root Kustomization', () => {
    // GIVEN an empty cluster
    const { fleet } = testCluster('edge');
    // THEN the GitRepository reads this repository and the root applies flux-system/
    expect(manifest(fleet, 'edge/flux-system/gitrepository-flux-system.yaml').spec).toMatchObject({
      url: 'https://example.com/org/repo.git',
      ref: { branch: 'main' },
      interval: '1m',
    });
    expect(manifest(fleet, 'edge/flux-system/kustomization-flux-system.yaml').spec).toMatchObject({
      path: './dist/edge/flux-system',
      prune: true,
      healthChecks: [{ kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' }],
    });
  });

  test('has one wait:true Kustomization per layer, each on its own folder', () => {
    const { fleet } = testCluster();
    for (const layer of ['crds', 'controllers', 'configs', 'apps']) {
      expect(manifest(fleet, `test/flux-system/kustomization-${layer}.yaml`).spec).toMatchObject({
        path: `./dist/test/${layer}`,
        wait: true,
        prune: true,
        interval: '10m',
        retryInterval: '1m',
        timeout: '15m',
      });
    }
  });

  test('derives layer dependsOn from construct references, never from strings', () => {
    // GIVEN CRDs, cert-manager using them, an issuer using cert-manager and an app using the issuer
    const { fleet, cluster } = testCluster();
    const gatewayApi = new GatewayApiCrds(cluster.crds, 'Gw');
    const certManager = new CertManager(cluster.controllers, 'CM', { gatewayApi });
    const issuer = new InternalCaIssuer(cluster.configs, 'CA', { certManager });
    const app = new FluxManifestApp(cluster.apps, 'web');
    issuer.issueCertificate(app.content, 'web-tls', { namespace: 'web', dnsNames: ['web.example.com'] });
    // THEN each layer waits for exactly the layer it uses
    expect(dependsOn(fleet, 'test/flux-system/kustomization-crds.yaml')).toEqual([]);
    expect(dependsOn(fleet, 'test/flux-system/kustomization-controllers.yaml')).toEqual(['crds']);
    expect(dependsOn(fleet, 'test/flux-system/kustomization-configs.yaml')).toEqual(['controllers']);
    expect(dependsOn(fleet, 'test/flux-system/kustomization-apps.yaml')).toEqual(['configs']);
  });

  test('a layer without references depends on nothing', () => {
    const { fleet, cluster } = testCluster();
    new FluxManifestApp(cluster.apps, 'lonely');
    expect(dependsOn(fleet, 'test/flux-system/kustomization-apps.yaml')).toEqual([]);
  });

  test('apps of the same layer depend on each other at app level', () => {
    const { fleet, cluster } = testCluster();
    const db = new FluxManifestApp(cluster.apps, 'db');
    const web = new FluxManifestApp(cluster.apps, 'web');
    web.addDependency(db);
    expect(dependsOn(fleet, 'test/apps/kustomization-web.yaml')).toEqual(['db']);
    expect(dependsOn(fleet, 'test/flux-system/kustomization-apps.yaml')).toEqual([]);
  });

  test('fails on a dependency target in another cluster', () => {
    // GIVEN an app that uses an app of another cluster
    const fleet = new Fleet({ source: { url: 'https://example.com/r.git' } });
    const a = fleet.addCluster('a', { name: 'a' });
    const b = fleet.addCluster('b', { name: 'b' });
    const remote = new FluxManifestApp(b.apps, 'remote');
    new FluxManifestApp(a.apps, 'local').addDependency(remote);
    // THEN synth names the dependent, the target and the cluster
    const err = synthError(fleet);
    expect(err.code).toBe(ErrorCode.SYNTH_FAILED);
    expect(err.message).toContain('[a/apps/local] depends on b/apps/remote, which no Flux Kustomization of cluster "a" deploys');
  });

  test('fails on a dependency target outside every layer', () => {
    const { fleet, cluster } = testCluster();
    const stray = new Construct(cluster, 'Stray');
    new FluxManifestApp(cluster.apps, 'web').addDependency(stray);
    expect(() => fleet.manifests()).toThrow(/\[test\/apps\/web\] depends on test\/Stray, which no Flux Kustomization of cluster "test" deploys/);
  });

  test('fails on a dependency cycle and prints it', () => {
    // GIVEN two apps of one layer that use each other
    const { fleet, cluster } = testCluster();
    const a = new FluxManifestApp(cluster.apps, 'a');
    const b = new FluxManifestApp(cluster.apps, 'b');
    a.addDependency(b);
    b.addDependency(a);
    // THEN synth reports the cycle
    expect(() => fleet.manifests()).toThrow(/Flux Kustomizations depend on each other in a cycle: (a → b → a|b → a → b)/);
  });

  test('fails on a dependency on a later layer', () => {
    const { fleet, cluster } = testCluster();
    const later = new FluxManifestApp(cluster.apps, 'later');
    new FluxManifestApp(cluster.controllers, 'early').addDependency(later);
    expect(() => fleet.manifests()).toThrow(/\[test\/controllers\/early\] in layer "controllers" depends on test\/apps\/later in the later layer "apps"/);
  });

  test('fails when a layer object depends on an app of its own layer', () => {
    const { fleet, cluster } = testCluster();
    const app = new FluxManifestApp(cluster.configs, 'operator');
    const direct = new Construct(cluster.configs, 'Direct');
    GitOpsCluster.of(direct).addDependency(direct, app);
    expect(() => fleet.manifests()).toThrow(/\[test\/configs\/Direct\] depends on test\/configs\/operator in the same layer "configs"/);
  });

  test('fails on duplicate Kustomization names', () => {
    const { fleet, cluster } = testCluster();
    new FluxManifestApp(cluster.apps, 'A', { name: 'twin' });
    new FluxManifestApp(cluster.apps, 'B', { name: 'twin' });
    expect(() => fleet.manifests()).toThrow(/Kustomization name "twin" is already used by test\/apps\/A/);
  });

  test('reports every error of one synth at once', () => {
    const { fleet, cluster } = testCluster();
    const a = new FluxManifestApp(cluster.apps, 'a');
    const b = new FluxManifestApp(cluster.apps, 'b');
    a.addDependency(b);
    b.addDependency(a);
    new FluxManifestApp(cluster.controllers, 'early').addDependency(a);
    expect(synthError(fleet).message).toMatch(/synth found 2 error\(s\)/);
  });

  test('fails on a cluster name that is not a DNS-1123 label', () => {
    expect(() => testCluster('Prod_AWS')).toThrow(/\[Prod_AWS\] cluster name "Prod_AWS" is not a DNS-1123 label/);
  });

  test('fails on a source URL that is neither https nor ssh', () => {
    const fleet = new Fleet({ source: { url: 'git@github.com:org/repo.git' } });
    expect(() => fleet.addCluster('x', { name: 'x' })).toThrow(/\[x\] source url "git@github.com:org\/repo.git" must start with https:\/\/ or ssh:\/\//);
  });

  test('uses the Git secret when one is given', () => {
    const fleet = new Fleet({ source: { url: 'ssh://git@github.com/org/repo.git', secretName: 'flux-system', branch: 'release' } });
    fleet.addCluster('x', { name: 'x' });
    expect(manifest(fleet, 'x/flux-system/gitrepository-flux-system.yaml').spec).toMatchObject({
      secretRef: { name: 'flux-system' },
      ref: { branch: 'release' },
    });
  });
});

describe('GitOpsCluster.of', () => {
  test('fails with NOT_IN_CLUSTER for a construct outside every cluster', () => {
    // GIVEN a construct directly under the fleet, in no GitOpsCluster
    const fleet = new Fleet({ source: { url: 'https://example.com/org/repo.git' } });
    const outside = new Construct(fleet, 'Outside');
    // WHEN its cluster is looked up
    let error: unknown;
    try {
      GitOpsCluster.of(outside);
    } catch (e) {
      error = e;
    }
    // THEN the error names the construct and says where it belongs
    expect(error).toBeInstanceOf(InfraFluxError);
    expect((error as InfraFluxError).code).toBe(ErrorCode.NOT_IN_CLUSTER);
    expect((error as InfraFluxError).message).toMatch(/^\[Outside\] is not inside a GitOpsCluster; create it in a cluster's layer/);
  });
});
