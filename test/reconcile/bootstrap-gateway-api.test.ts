/**
 * Decision 0030 step 0, found by the reconcile model: a workload's Cilium with Gateway API is
 * installed only after the management cluster has put the Gateway API CRDs on the workload.
 */
import { Fleet, GatewayApiCrds, GitOpsCluster } from '../../lib';
import { WorkloadClusterBootstrap, WorkloadCni } from '../../lib/management';
import { reconcileFleet } from '../../lib/reconcile';

function setup(withMgmtCrds: boolean): { fleet: Fleet; mgmt: GitOpsCluster; prod: GitOpsCluster } {
  const fleet = new Fleet({ source: { url: 'ssh://git@example.com/fleet.git' } });
  const mgmt = fleet.addCluster('mgmt', { name: 'mgmt', fluxLockdown: false /* bootstraps read flux-system sources (decision 0094) */ });
  const prod = fleet.addCluster('prod', { name: 'prod' });
  if (withMgmtCrds) new GatewayApiCrds(mgmt.crds, 'GatewayApi');
  new GatewayApiCrds(prod.crds, 'GatewayApi');
  return { fleet, mgmt, prod };
}

const GATEWAY_CNI = (): WorkloadCni => WorkloadCni.cilium({ values: { gatewayAPI: { enabled: true } } });

describe('WorkloadClusterBootstrap with Gateway API', () => {
  test('installs the Gateway API CRDs on the workload before Cilium', () => {
    // GIVEN a workload whose CNI enables Gateway API
    const { fleet, mgmt, prod } = setup(true);
    const b = new WorkloadClusterBootstrap(mgmt.apps, 'B', { workload: prod, cni: GATEWAY_CNI() });
    const manifests = fleet.manifests();
    const get = (file: string) => manifests.find((m) => m.file === file)?.object as any;
    // THEN <cluster>-bootstrap depends on <cluster>-gateway-api, which applies a remote, never-pruned Kustomization
    expect(get('mgmt/apps/kustomization-prod-bootstrap.yaml').spec.dependsOn).toContainEqual({ name: 'prod-gateway-api', namespace: 'flux-system' });
    const remote = get('mgmt/releases/prod-gateway-api/kustomization-gateway-api.yaml');
    expect(remote.metadata.namespace).toBe('prod');
    expect(remote.spec).toMatchObject({ kubeConfig: { secretRef: { name: 'prod-kubeconfig', key: 'value' } }, sourceRef: { name: 'gateway-api', namespace: 'flux-system' }, path: './config/crd/standard', prune: false });
    expect(b.gatewayApiKustomization?.name).toBe('prod-gateway-api');
    // AND the reconcile model sees the GatewayClass CRD on prod before the Cilium release is applied
    const report = reconcileFleet(fleet.clusters.map((c) => ({ name: c.name, manifests: manifests.filter((m) => m.file.startsWith(`${c.name}/`)) })));
    const bootstrap = report.model.byName.get('mgmt')!.kustomizations.find((k) => k.id === 'flux-system/prod-bootstrap')!;
    expect(bootstrap.before!.has('prod|gateway.networking.k8s.io/GatewayClass|*served*')).toBe(true);
    expect(bootstrap.after!.has('prod|gateway.networking.k8s.io/GatewayClass|/cilium')).toBe(true);
  });

  test('without the step, the model finds no GatewayClass cilium for the workload', () => {
    // GIVEN the same fleet with the bootstrap's dependency on <cluster>-gateway-api removed
    const { fleet, mgmt, prod } = setup(true);
    new WorkloadClusterBootstrap(mgmt.apps, 'B', { workload: prod, cni: GATEWAY_CNI() });
    const manifests = fleet.manifests().map((m) =>
      m.file === 'mgmt/apps/kustomization-prod-bootstrap.yaml'
        ? { ...m, object: { ...m.object, spec: { ...(m.object.spec as object), dependsOn: [] } } }
        : m,
    );
    const report = reconcileFleet(fleet.clusters.map((c) => ({ name: c.name, manifests: manifests.filter((m) => m.file.startsWith(`${c.name}/`)) })));
    const bootstrap = report.model.byName.get('mgmt')!.kustomizations.find((k) => k.id === 'flux-system/prod-bootstrap')!;
    // THEN Cilium is installed while the CRD is missing: no GatewayClass once Ready
    expect(bootstrap.after!.has('prod|gateway.networking.k8s.io/GatewayClass|/cilium')).toBe(false);
  });

  test('fails when the management cluster has no Gateway API source to reuse', () => {
    const { mgmt, prod } = setup(false);
    expect(() => new WorkloadClusterBootstrap(mgmt.apps, 'B', { workload: prod, cni: GATEWAY_CNI() })).toThrow(
      /\[mgmt\/apps\/B\] the CNI of "prod" enables Gateway API, so the management cluster must install the Gateway API CRDs on it before Cilium: add GatewayApiCrds to the crds layer of "mgmt"/,
    );
  });
});
