/**
 * A per-namespace policy moves with the app that creates its namespace, so the fleet reconciles
 * (the podinfo deadlock of issue 11), and the app waits for Cilium (the policy CRDs).
 */
import { Podinfo } from '../../lib';
import { ZeroTrustScope } from '../../lib/networking';
import { reconcileFleet } from '../../lib/reconcile';
import { withCilium } from '../networking/_build';

describe('CiliumZeroTrust with namespaces an app creates', () => {
  test('puts the default deny in the app folder and makes the app wait for Cilium', () => {
    // GIVEN an app creating namespace podinfo in the apps layer, and a default deny for that namespace
    const { fleet, cluster, cilium } = withCilium();
    const podinfo = new Podinfo(cluster.apps, 'Podinfo', { hostname: 'podinfo.example.com' });
    cilium.addZeroTrust({ scope: ZeroTrustScope.namespaces([podinfo.app.namespace, 'kube-system']), allowFlux: false });
    const manifests = fleet.manifests();
    const files = manifests.map((m) => m.file);
    // THEN the podinfo policy is applied with podinfo, the kube-system one stays in configs
    expect(files).toContain('test/releases/podinfo/ciliumnetworkpolicy-infraflux-default-deny-podinfo.yaml');
    expect(files).toContain('test/configs/ciliumnetworkpolicy-infraflux-default-deny-kube-system.yaml');
    expect(files).not.toContain('test/configs/ciliumnetworkpolicy-infraflux-default-deny-podinfo.yaml');
    // AND the apps layer waits for the controllers layer (Cilium installs the policy CRDs)
    const apps = manifests.find((m) => m.file === 'test/flux-system/kustomization-apps.yaml')!.object as { spec: { dependsOn: Array<{ name: string }> } };
    expect(apps.spec.dependsOn.map((d) => d.name)).toContain('controllers');
    // AND the reconcile model finds no namespace or CRD problem with the policies
    const report = reconcileFleet([{ name: 'test', manifests }]);
    expect(report.violations.filter((v) => v.file.includes('ciliumnetworkpolicy'))).toEqual([]);
  });

  test('an L7 policy for an app-created namespace moves with the app too', () => {
    // GIVEN podinfo in the apps layer
    const { fleet, cluster, cilium } = withCilium();
    new Podinfo(cluster.apps, 'Podinfo', { hostname: 'podinfo.example.com' });
    // WHEN an L7 policy is added for its namespace
    const p = cilium.addL7Policy('podinfo-egress', { namespace: 'podinfo', podLabels: { app: 'podinfo' }, fqdnEgress: [{ name: 'api.example.com' }] });
    // THEN it is written to podinfo's release folder
    const files = fleet.manifests().map((m) => m.file);
    expect(files).toContain('test/releases/podinfo/ciliumnetworkpolicy-podinfo-egress.yaml');
    expect(p.resource.metadata.namespace).toBe('podinfo');
  });
});
