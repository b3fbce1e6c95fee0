/**
 * The reference fleet with the management cluster (Cluster API through cluster-api-operator) and
 * the bootstrap of one workload cluster per infrastructure provider: every object validates
 * against its pinned schema.
 */
import { validateFleetManifests } from '../../lib/validation';
import { addBaseline, buildReferenceFleetWithBaselines } from '../../stacks/fleet';
import { addManagement, addWorkloadBootstraps, REFERENCE_WORKLOAD_CLUSTERS } from '../../stacks/management';

function buildFleet() {
  const { fleet, baselines } = buildReferenceFleetWithBaselines();
  const byName = new Map(baselines.map((b) => [b.cluster.name, b.cluster]));
  // The reference fleet has mgmt, dev-proxmox and prod-aws; the lead adds the other three with
  // PART A's clusters. Here they get the same baseline so their dist/<cluster>/flux-system exists.
  for (const name of REFERENCE_WORKLOAD_CLUSTERS) {
    if (!byName.has(name)) {
      const cluster = fleet.addCluster(name, { name });
      addBaseline(cluster, { name, certManagerReplicas: 1 });
      byName.set(name, cluster);
    }
  }
  const management = addManagement(byName.get('mgmt')!);
  const bootstraps = addWorkloadBootstraps(
    management,
    REFERENCE_WORKLOAD_CLUSTERS.map((name) => ({ workload: byName.get(name)! })),
  );
  return { fleet, management, bootstraps };
}

describe('reference fleet with the management cluster', () => {
  const { fleet, management, bootstraps } = buildFleet();
  const manifests = fleet.manifests();

  test('every object and every HelmRelease validates against its pinned upstream schema', () => {
    // WHEN the whole fleet is validated
    const report = validateFleetManifests(manifests);
    // THEN nothing is reported, and the management objects were part of it
    expect(report.issues).toEqual([]);
    expect(report.objectsValidated).toBe(manifests.length);
    const mgmtKinds = new Set(manifests.filter((m) => m.file.startsWith('mgmt/')).map((m) => m.object.kind));
    for (const kind of ['CoreProvider', 'BootstrapProvider', 'ControlPlaneProvider', 'InfrastructureProvider', 'IPAMProvider', 'ClusterResourceSet']) {
      expect(mgmtKinds).toContain(kind);
    }
  });

  test('installs the five infrastructure providers and a bootstrap per reference workload cluster', () => {
    const infra = management.providers.filter((p) => p.provider.type.kind === 'InfrastructureProvider').map((p) => p.provider.name);
    expect(infra.sort()).toEqual(['aws', 'azure', 'gcp', 'metal3', 'proxmox']);
    expect(bootstraps.map((b) => b.clusterName)).toEqual([...REFERENCE_WORKLOAD_CLUSTERS]);
    for (const name of REFERENCE_WORKLOAD_CLUSTERS) {
      expect(manifests.map((m) => m.file)).toContain(`mgmt/releases/${name}-bootstrap/helmrelease-cilium.yaml`);
      expect(manifests.map((m) => m.file)).toContain(`${name}/bootstrap/fluxinstance-flux.yaml`);
    }
  });

  test('synthesis passes every construct validation (dependency graph included)', () => {
    expect(() => fleet.validateAll()).not.toThrow();
  });
});
