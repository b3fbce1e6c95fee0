import { ApiObject } from 'cdk8s';
import { ErrorCode, InfraFluxError } from '../../lib/core/errors';
import { declaredOwners, OWNER_LABEL } from '../../lib/core/owner';
import { FluxManifestApp } from '../../lib/flux/manifest-app';
import { Tenant, TENANT_LABEL } from '../../lib/tenancy';
import { thrownBy } from '../support/errors';

/** The fleet's files, synthesized once (every `manifest()` call would synthesize and validate again). */
function filesOf(fleet: Parameters<typeof manifestsByFile>[0]): ((file: string) => Record<string, any>) & { all: () => Record<string, Record<string, unknown>> } {
  let files: Record<string, Record<string, unknown>> | undefined;
  const all = (): Record<string, Record<string, unknown>> => (files ??= manifestsByFile(fleet));
  return Object.assign(
    (file: string): Record<string, any> => {
      const found = all()[file];
      if (!found) throw new Error(`no manifest ${file}`);
      return found as Record<string, any>;
    },
    { all },
  );
}
import { manifestsByFile, testCluster } from '../support/fleet';

/** The codes of the problems synthesis reports. */
function synthCodes(fn: () => unknown): string[] {
  const err = thrownBy(fn);
  expect(err.code).toBe(ErrorCode.SYNTH_FAILED);
  return (err as InfraFluxError & { problems: { code: string }[] }).problems.map((p) => p.code);
}

describe('Tenant', () => {
  // GIVEN a tenant with two namespaces, its own Git source, a Kustomization and a HelmRelease
  const { fleet, cluster } = testCluster('work');
  const file = filesOf(fleet);
  const tenant = new Tenant(cluster.apps, 'Shop', {
    name: 'shop',
    contact: 'shop@example.com',
    namespaces: ['shop', 'shop-batch'],
    gitSource: { url: 'https://example.com/shop/deploy.git' },
    quota: { pods: 20 },
  });
  tenant.addKustomization('Apps', { name: 'shop', path: './deploy/work' });
  // (a pinned chart, so the fleet can validate the tenant's values too)
  tenant.addHelmRepository('Charts', { name: 'shop-charts', url: 'https://oauth2-proxy.github.io/manifests' });
  tenant.addHelmRelease('Api', { name: 'api', chart: 'oauth2-proxy', version: '10.7.0', source: { kind: 'HelmRepository', name: 'shop-charts' }, values: { replicaCount: 2 } });

  test('matches the snapshot', () => {
    // THEN
    expect(file.all()).toMatchSnapshot();
  });

  test('every Kustomization and HelmRelease of the tenant impersonates its ServiceAccount', () => {
    // THEN
    const ks = file('work/releases/tenant-shop-sync/kustomization-shop.yaml');
    const hr = file('work/releases/tenant-shop-sync/helmrelease-api.yaml');
    expect(ks.spec).toMatchObject({ serviceAccountName: 'flux-tenant', sourceRef: { kind: 'GitRepository', name: 'shop', namespace: 'shop' }, targetNamespace: 'shop' });
    expect(hr.spec).toMatchObject({ serviceAccountName: 'flux-tenant', chart: { spec: { sourceRef: { name: 'shop-charts', namespace: 'shop' } } } });
    expect(file('work/releases/tenant-shop/shop/serviceaccount-flux-tenant.yaml').metadata.namespace).toBe('shop');
  });

  test('RBAC is a RoleBinding to admin in each tenant namespace only', () => {
    // THEN
    for (const ns of ['shop', 'shop-batch']) {
      const rb = file(`work/releases/tenant-shop/${ns}/rolebinding-tenant-shop-reconciler.yaml`);
      expect(rb).toMatchObject({ kind: 'RoleBinding', metadata: { namespace: ns }, roleRef: { kind: 'ClusterRole', name: 'admin' }, subjects: [{ kind: 'ServiceAccount', name: 'flux-tenant', namespace: 'shop' }] });
    }
    expect(Object.values(file.all()).some((o) => o.kind === 'ClusterRoleBinding' && JSON.stringify(o).includes('flux-tenant'))).toBe(false);
  });

  test('default deny with DNS allowed, quota and limits per namespace', () => {
    // THEN
    const np = file('work/releases/tenant-shop/shop-batch/ciliumnetworkpolicy-tenant-shop-default-deny.yaml');
    expect(np.spec.enableDefaultDeny).toEqual({ ingress: true, egress: true });
    expect(np.spec.egress[0].toPorts[0].ports).toEqual([{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }]);
    const quota = file('work/releases/tenant-shop/shop-batch/resourcequota-tenant-shop.yaml');
    expect(quota.spec.hard).toMatchObject({ pods: '20', 'requests.cpu': '4', 'services.loadbalancers': '0' });
    expect(file('work/releases/tenant-shop/shop/limitrange-tenant-shop.yaml').spec.limits[0].defaultRequest).toEqual({ cpu: '100m', memory: '128Mi' });
  });

  test('declares its owner and labels its namespaces', () => {
    // THEN
    expect(declaredOwners(cluster)).toContainEqual({ team: 'shop', contact: 'shop@example.com' });
    const ns = file('work/releases/tenant-shop/namespace-shop-batch.yaml'.replace('releases/tenant-shop/', 'apps/'));
    expect(ns.metadata.labels).toMatchObject({ [OWNER_LABEL]: 'shop', [TENANT_LABEL]: 'shop', 'pod-security.kubernetes.io/enforce': 'restricted' });
  });

  test('the platform applies the tenant sync as kustomize-controller, without waiting for the tenant', () => {
    // THEN
    const sync = file('work/apps/kustomization-tenant-shop-sync.yaml');
    expect(sync.spec).toMatchObject({ serviceAccountName: 'kustomize-controller', wait: false, dependsOn: [{ name: 'tenant-shop', namespace: 'flux-system' }] });
  });

  test('fails when a tenant Kustomization references a source in another namespace', () => {
    // GIVEN
    const { cluster: c } = testCluster();
    const t = new Tenant(c.apps, 'T', { name: 'team', gitSource: { url: 'https://example.com/t.git' } });
    // WHEN / THEN
    const err = thrownBy(() => t.addKustomization('X', { name: 'x', path: './', source: { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' } }));
    expect(err.code).toBe(ErrorCode.TENANCY_CROSS_NAMESPACE_REF);
    expect(err.message).toMatch(/flux-system\/flux-system in another namespace/);
  });

  test('fails when a tenant HelmRelease references a chart source in another namespace', () => {
    // GIVEN
    const { cluster: c } = testCluster();
    const t = new Tenant(c.apps, 'T', { name: 'team' });
    // WHEN / THEN
    expect(thrownBy(() => t.addHelmRelease('X', { name: 'x', chart: 'x', version: '1.0.0', source: { kind: 'HelmRepository', name: 'jetstack', namespace: 'flux-system' } })).code).toBe(ErrorCode.TENANCY_CROSS_NAMESPACE_REF);
  });

  test('fails at synth when a raw Flux object in a tenant namespace crosses namespaces or impersonates nobody', () => {
    // GIVEN a Kustomization written by hand into the tenant's namespace
    const { fleet: f, cluster: c } = testCluster();
    const t = new Tenant(c.apps, 'T', { name: 'team' });
    new ApiObject(t.sync, 'Raw', {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'raw', namespace: 'team' },
      spec: { interval: '10m', path: './', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' } },
    });
    // WHEN / THEN
    const codes = synthCodes(() => f.manifests());
    expect(codes).toContain(ErrorCode.TENANCY_CROSS_NAMESPACE_REF);
    expect(codes).toContain(ErrorCode.TENANCY_IMPERSONATION);
  });

  test('fails when an object is placed in a namespace the tenant does not own', () => {
    // GIVEN
    const { cluster: c } = testCluster();
    const t = new Tenant(c.apps, 'T', { name: 'team', gitSource: { url: 'https://example.com/t.git' } });
    // WHEN / THEN
    expect(thrownBy(() => t.addKustomization('X', { name: 'x', path: './', namespace: 'other' })).code).toBe(ErrorCode.TENANCY_IMPERSONATION);
  });

  test('fails when two tenants, or a tenant and a platform app, claim one namespace', () => {
    // GIVEN
    const { fleet: f, cluster: c } = testCluster();
    new Tenant(c.apps, 'A', { name: 'a', namespaces: ['shared'] });
    new Tenant(c.apps, 'B', { name: 'b', namespaces: ['shared'] });
    new FluxManifestApp(c.apps, 'web');
    new Tenant(c.apps, 'C', { name: 'c', namespaces: ['web'] });
    // WHEN / THEN
    expect(synthCodes(() => f.manifests()).filter((x) => x === ErrorCode.TENANCY_NAMESPACE_CONFLICT)).toHaveLength(2);
  });

  test('fails on platform namespaces, the default account and bad quota or limits', () => {
    // GIVEN
    const { cluster: c } = testCluster();
    // THEN
    expect(thrownBy(() => new Tenant(c.apps, 'K', { name: 'k', namespaces: ['kube-public'] })).code).toBe(ErrorCode.TENANCY_NAMESPACE_CONFLICT);
    expect(thrownBy(() => new Tenant(c.apps, 'D', { name: 'd', serviceAccountName: 'default' })).code).toBe(ErrorCode.INVALID_PROP);
    expect(thrownBy(() => new Tenant(c.apps, 'Q', { name: 'q', quota: { requestsCpuCores: 10, limitsCpuCores: 2 } })).message).toMatch(/requestsCpuCores 10 exceeds/);
    expect(thrownBy(() => new Tenant(c.apps, 'L', { name: 'l', limits: { defaultLimitMemoryMiB: 64 } })).message).toMatch(/memory must satisfy/);
    expect(thrownBy(() => new Tenant(c.apps, 'V', { name: 'v' }).addHelmRelease('X', { name: 'x', chart: 'x', version: '^1.0', source: { kind: 'HelmRepository', name: 'r' } })).message).toMatch(/not an exact version/);
  });
});
