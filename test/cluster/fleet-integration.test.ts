/**
 * The reference workload clusters added to the reference fleet: every object validates against
 * its pinned schema and every Talos patch against the pinned Talos v1.12 config schema.
 */
import { TalosCluster, validateTalosPatchesInManifests } from '../../lib/cluster';
import { CiliumNetworking } from '../../lib/networking';
import { talosCiliumPatch } from '../../lib/talos/cilium-machine-config';
import { validateFleetManifests } from '../../lib/validation';
import { buildReferenceFleet } from '../../stacks/fleet';

describe('reference fleet with the workload clusters', () => {
  // GIVEN the complete reference fleet: the five workload clusters live in mgmt
  const fleet = buildReferenceFleet();
  const clusters = fleet.node.findAll().filter((c): c is TalosCluster => c instanceof TalosCluster);
  const manifests = fleet.manifests();

  test('every object validates against its pinned schema', () => {
    // WHEN the whole fleet is validated
    const report = validateFleetManifests(manifests);
    // THEN nothing is reported
    expect(report.issues).toEqual([]);
  });

  test('every Talos config patch validates against the pinned Talos v1.12 config schema', () => {
    const { checked, issues } = validateTalosPatchesInManifests(manifests);
    expect(issues).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(5 * 3);
  });

  test('has one workload cluster per provider, each in its own Kustomization in mgmt apps', () => {
    expect(clusters.map((c) => c.clusterName)).toEqual(['prod-aws', 'prod-azure', 'dev-gcp', 'dev-proxmox', 'edge-metal3']);
    const infraKinds = manifests.filter((m) => m.file.startsWith('mgmt/releases/cluster-')).map((m) => m.object.kind);
    for (const kind of ['AWSCluster', 'AzureCluster', 'GCPCluster', 'ProxmoxCluster', 'Metal3Cluster']) expect(infraKinds).toContain(kind);
    for (const c of clusters) expect(manifests.map((m) => m.file)).toContain(`mgmt/apps/kustomization-cluster-${c.clusterName}.yaml`);
  });

  test('no plaintext Secret is emitted for any workload cluster', () => {
    expect(manifests.filter((m) => m.file.startsWith('mgmt/releases/cluster-') && m.object.kind === 'Secret')).toEqual([]);
  });

  test('pod and node CIDRs are distinct across the workload clusters', () => {
    const all = clusters.flatMap((c) => [...c.podCidrs, c.nodeCidr]);
    expect(new Set(all).size).toBe(all.length);
  });

  test("each cluster's CIDRs and Talos CNI patch come from its own CiliumNetworking (one source)", () => {
    const cilium = Object.fromEntries(
      fleet.node.findAll().filter((c): c is CiliumNetworking => c instanceof CiliumNetworking).map((c) => [c.clusterName, c]),
    );
    for (const c of clusters) {
      const net = cilium[c.clusterName];
      expect(c.podCidrs).toEqual([net.podCidr.text]);
      expect(c.serviceCidrs).toEqual([net.serviceCidr.text]);
      expect(c.nodeCidr).toBe(net.nodeCidrs[0].text);
      for (const [role, patches] of c.talosDocuments()) {
        expect({ role, patches }).toEqual({ role, patches: expect.arrayContaining([talosCiliumPatch(net.talosCniSettings)]) });
      }
    }
  });
});

describe('reference fleet wiring between Cluster API objects and their bootstrap', () => {
  test('every workload Cluster carries the label its bootstrap ClusterResourceSet selects', () => {
    // GIVEN the complete reference fleet
    const { buildReferenceFleet } = require('../../stacks/fleet') as typeof import('../../stacks/fleet');
    const manifests = buildReferenceFleet().manifests();
    const clusters = manifests.filter((m) => m.object.kind === 'Cluster' && m.file.startsWith('mgmt/'));
    const resourceSets = manifests.filter((m) => m.object.kind === 'ClusterResourceSet');
    // THEN each ClusterResourceSet's selector matches exactly one Cluster's labels
    expect(resourceSets.length).toBe(5);
    for (const rs of resourceSets) {
      const selector = (rs.object as { spec: { clusterSelector: { matchLabels: Record<string, string> } } }).spec.clusterSelector.matchLabels;
      const matches = clusters.filter((c) => {
        const labels = ((c.object as { metadata: { labels?: Record<string, string> } }).metadata.labels ?? {});
        return Object.entries(selector).every(([k, v]) => labels[k] === v);
      });
      expect(matches).toHaveLength(1);
    }
  });
});
