/**
 * CiliumNetworking across the complete reference fleet (stacks/fleet.ts): every cluster runs it,
 * on-prem clusters announce LB IPs, three clusters form one mesh, and the workload clusters' Cilium
 * is installed by the management cluster with the values of their own CiliumNetworking.
 */
import { parse } from 'yaml';
import { Capability, capabilityOwners } from '../../lib/core/capabilities';
import { CiliumClusterMesh, CiliumNetworking } from '../../lib/networking';
import { validateFleetManifests } from '../../lib/validation';
import { MANAGEMENT_CLUSTER, REFERENCE_CLUSTERS } from '../../stacks/fleet';
import { referenceFleet } from '../support/reference-fleet';

describe('reference fleet networking', () => {
  const { fleet, manifests } = referenceFleet();
  const cilium = Object.fromEntries(
    fleet.node.findAll().filter((c): c is CiliumNetworking => c instanceof CiliumNetworking).map((c) => [c.clusterName, c]),
  );
  const byName = Object.fromEntries(fleet.clusters.map((c) => [c.name, c]));
  const files = manifests.map((m) => m.file);

  test('every cluster runs CiliumNetworking as its one CNI, and every object validates', () => {
    expect(Object.keys(cilium).sort()).toEqual(REFERENCE_CLUSTERS.map((c) => c.name).sort());
    for (const { name } of REFERENCE_CLUSTERS) expect(capabilityOwners(byName[name], Capability.CNI)).toEqual([cilium[name]]);
    expect(validateFleetManifests(manifests).issues).toEqual([]);
    expect(new Set(Object.values(cilium).map((c) => c.clusterId)).size).toBe(REFERENCE_CLUSTERS.length);
  });

  test('on-prem clusters claim LoadBalancer IPs (BGP + pools), cloud clusters do not', () => {
    expect(capabilityOwners(byName['dev-proxmox'], Capability.LOAD_BALANCER_IPS)).toEqual([cilium['dev-proxmox']]);
    expect(capabilityOwners(byName['prod-aws'], Capability.LOAD_BALANCER_IPS)).toEqual([]);
    expect(files).toEqual(
      expect.arrayContaining([
        'dev-proxmox/configs/ciliumbgpclusterconfig-infraflux.yaml',
        'dev-proxmox/configs/ciliumloadbalancerippool-main-pool.yaml',
        'dev-proxmox/configs/ciliumloadbalancerippool-critical-pool.yaml',
      ]),
    );
    expect(files).not.toContain('prod-aws/configs/ciliumbgpclusterconfig-infraflux.yaml');
    expect(cilium['edge-metal3'].isEnabled('bgp')).toBe(true);
    expect(cilium['dev-gcp'].isEnabled('bgp')).toBe(false);
  });

  test('mgmt, dev-proxmox and prod-aws form one ClusterMesh', () => {
    const mesh = fleet.node.findAll().find((c): c is CiliumClusterMesh => c instanceof CiliumClusterMesh)!;
    expect([...mesh.clusterNames].sort()).toEqual(['dev-proxmox', 'mgmt', 'prod-aws']);
  });

  test("the management cluster's Flux installs its own Cilium; each workload's Cilium comes from the management cluster", () => {
    // mgmt: its own Flux (a HelmRelease in its own tree)
    expect(files).toContain(`${MANAGEMENT_CLUSTER}/releases/cilium/helmrelease-cilium.yaml`);
    for (const name of REFERENCE_CLUSTERS.map((c) => c.name).filter((n) => n !== MANAGEMENT_CLUSTER)) {
      // no second owner in the workload's own tree
      expect(files.filter((f) => f.startsWith(`${name}/`) && /helmrelease-cilium\.yaml$/.test(f))).toEqual([]);
      // the management cluster's remote release carries exactly the workload CiliumNetworking's values
      const configMap = manifests.find((m) => m.file === `mgmt/releases/${name}-bootstrap/configmap-cilium-values.yaml`)!.object as { data: Record<string, string> };
      expect(parse(configMap.data['values.yaml'])).toEqual({ ...cilium[name].values, cluster: { ...(cilium[name].values as { cluster?: object }).cluster, name } });
      const release = manifests.find((m) => m.file === `mgmt/releases/${name}-bootstrap/helmrelease-cilium.yaml`)!.object as { spec: Record<string, any> };
      expect(release.spec.kubeConfig).toEqual({ secretRef: { name: `${name}-kubeconfig`, key: 'value' } });
      expect(release.spec.upgrade.remediation.strategy).toBe('rollback');
    }
  });
});
