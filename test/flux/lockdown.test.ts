import { ApiObject } from 'cdk8s';
import { ErrorCode, InfraFluxError } from '../../lib/core/errors';
import { FLUX_LOCKDOWN_FLAGS, fluxLockdownPatches } from '../../lib/flux/lockdown';
import { FluxManifestApp } from '../../lib/flux/manifest-app';
import { CertManager, GatewayApiCrds } from '../../lib';
import { thrownBy } from '../support/errors';
import { manifest, testCluster } from '../support/fleet';
import { referenceFleet } from '../support/reference-fleet';

const crossNamespaceKustomization = (scope: FluxManifestApp): ApiObject =>
  new ApiObject(scope.content, 'Cross', {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: 'cross', namespace: 'web' },
    spec: { interval: '10m', path: './', prune: true, serviceAccountName: 'x', sourceRef: { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' } },
  });

describe('Flux multi-tenancy lockdown', () => {
  test('the patches add the three flags Flux documents to the right controllers', () => {
    // GIVEN / WHEN
    const patches = fluxLockdownPatches();
    // THEN
    expect(patches.map((p) => p.patch.trim().split('value: ')[1])).toEqual(['--no-cross-namespace-refs=true', '--no-remote-bases=true', '--default-service-account=default']);
    expect(patches[1].target).toEqual({ kind: 'Deployment', name: 'kustomize-controller' });
    expect(FLUX_LOCKDOWN_FLAGS['kustomize-controller']).toHaveLength(3);
  });

  test('platform HelmReleases live in flux-system and reconcile as helm-controller into their namespace', () => {
    // GIVEN
    const { fleet, cluster } = testCluster();
    const gatewayApi = new GatewayApiCrds(cluster.crds, 'GatewayApi');
    new CertManager(cluster.controllers, 'CertManager', { gatewayApi });
    // THEN
    const hr = manifest(fleet, 'test/releases/cert-manager/helmrelease-cert-manager.yaml');
    expect(hr.metadata.namespace).toBe('flux-system');
    expect(hr.spec).toMatchObject({ serviceAccountName: 'helm-controller', targetNamespace: 'cert-manager', storageNamespace: 'cert-manager', chart: { spec: { sourceRef: { namespace: 'flux-system' } } } });
    expect(manifest(fleet, 'test/releases/cert-manager/configmap-cert-manager-values.yaml').metadata.namespace).toBe('flux-system');
    expect(manifest(fleet, 'test/controllers/kustomization-cert-manager.yaml').spec.serviceAccountName).toBe('kustomize-controller');
  });

  test('fails at synth when a Flux object references a source in another namespace on a locked-down cluster', () => {
    // GIVEN
    const { fleet, cluster } = testCluster();
    crossNamespaceKustomization(new FluxManifestApp(cluster.apps, 'web'));
    // WHEN
    const err = thrownBy(() => fleet.manifests());
    // THEN
    const problems = (err as InfraFluxError & { problems: { code: string; message: string }[] }).problems;
    expect(problems.map((p) => p.code)).toEqual([ErrorCode.TENANCY_CROSS_NAMESPACE_REF]);
    expect(problems[0].message).toMatch(/Kustomization web\/cross references a source in namespace "flux-system" \(spec.sourceRef\)/);
  });

  test('fails at synth when a Flux object on a locked-down cluster names no service account', () => {
    // GIVEN a HelmRelease written by hand without serviceAccountName
    const { fleet, cluster } = testCluster();
    const app = new FluxManifestApp(cluster.apps, 'web');
    new ApiObject(app.content, 'NoIdentity', {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'raw', namespace: 'web' },
      spec: { interval: '10m', chart: { spec: { chart: 'x', version: '1.0.0', sourceRef: { kind: 'HelmRepository', name: 'r', namespace: 'web' } } } },
    });
    // WHEN
    const problems = (thrownBy(() => fleet.manifests()) as InfraFluxError & { problems: { code: string; message: string }[] }).problems;
    // THEN
    expect(problems.filter((p) => p.code === ErrorCode.TENANCY_IMPERSONATION).map((p) => p.message)).toEqual([
      expect.stringMatching(/HelmRelease web\/raw names no spec.serviceAccountName; under the lockdown \(--default-service-account=default\)/),
    ]);
  });

  test('a cluster with fluxLockdown: false accepts cross-namespace references', () => {
    // GIVEN
    const { fleet } = testCluster();
    const c = fleet.addCluster('open', { name: 'open', fluxLockdown: false });
    crossNamespaceKustomization(new FluxManifestApp(c.apps, 'web'));
    // THEN
    expect(c.fluxLockdown).toBe(false);
    expect(() => fleet.manifests()).not.toThrow();
  });

  describe('in the reference fleet', () => {
    const { manifests } = referenceFleet();
    const flux = manifests.filter((m) => ['Kustomization', 'HelmRelease'].includes(String(m.object.kind)) && String(m.object.apiVersion).includes('toolkit.fluxcd.io'));

    test('every workload cluster installs Flux with the lockdown patches', () => {
      // THEN
      const instances = manifests.filter((m) => m.object.kind === 'FluxInstance');
      expect(instances.map((m) => m.file).sort()).toEqual(['dev-gcp', 'dev-proxmox', 'edge-metal3', 'prod-aws', 'prod-azure'].map((c) => `${c}/bootstrap/fluxinstance-flux.yaml`));
      for (const i of instances) expect((i.object as any).spec.kustomize.patches).toEqual(fluxLockdownPatches());
    });

    test('every platform Kustomization and HelmRelease in flux-system has its own identity', () => {
      // THEN
      const platform = flux.filter((m) => (m.object as any).metadata.namespace === 'flux-system');
      expect(platform.length).toBeGreaterThan(100);
      const missing = platform.filter((m) => !['kustomize-controller', 'helm-controller'].includes((m.object as any).spec.serviceAccountName)).map((m) => m.file);
      expect(missing).toEqual([]);
    });

    test('every tenant Kustomization and HelmRelease impersonates its tenant', () => {
      // THEN
      const tenant = flux.filter((m) => (m.object as any).metadata.labels?.['toolkit.fluxcd.io/tenant']);
      expect(tenant.map((m) => m.file)).toEqual(['dev-gcp/releases/tenant-storefront-sync/kustomization-storefront.yaml']);
      for (const m of tenant) expect((m.object as any).spec).toMatchObject({ serviceAccountName: 'flux-tenant', sourceRef: { namespace: 'storefront' } });
    });
  });
});
