/**
 * The reference workload clusters added to the reference fleet: every object validates against
 * its pinned schema and every Talos patch against the pinned Talos v1.12 config schema.
 */
import { CertManager, Fleet } from '../../lib';
import { Cidr, TalosCluster, validateTalosPatchesInManifests } from '../../lib/cluster';
import { BaremetalOperator, CapiProvider } from '../../lib/management';
import { VersionSet } from '../../lib/versions';
import { CiliumNetworking } from '../../lib/networking';
import { talosCiliumPatch } from '../../lib/talos/cilium-machine-config';
import { validateFleetManifests } from '../../lib/validation';
import { addWorkloadClusters } from '../../stacks/clusters';
import { referenceFleet } from '../support/reference-fleet';
import { addManagement } from '../../stacks/management';
import { crdFilesByGroupKind } from '../support/upstream';

type Manifest = { file: string; object: Record<string, any> };

/** `owner/repo` of a raw.githubusercontent.com or github.com URL. */
function repoOf(url: string): string | undefined {
  return /^https:\/\/(?:raw\.githubusercontent\.com|github\.com)\/([^/]+\/[^/]+?)(?:\.git)?(?:\/|$)/.exec(url)?.[1];
}

/**
 * Every pinned CRD (group/kind → upstream repository) of the capi-* packs, from the schema index
 * of the verified upstream cache (served kinds: an unserved one has no schema to validate with).
 */
function pinnedCrds(): Map<string, string> {
  const files = crdFilesByGroupKind((path) => /\/crds\/[^/]+\.yaml$/.test(path) && /^capi-/.test(path));
  return new Map([...files].map(([groupKind, f]) => [groupKind, (f.url ? repoOf(f.url) : undefined) ?? f.path]));
}

/**
 * The upstream repositories whose CRDs something in the mgmt tree installs: each provider CR of
 * cluster-api-operator (its clusterctl repository, from the VersionSet's matrix) and each
 * GitRepository that a Kustomization applies (a CRD source such as baremetal-operator).
 */
function installedRepos(manifests: readonly Manifest[]): Set<string> {
  const mgmt = manifests.filter((m) => m.file.startsWith('mgmt/'));
  const matrix = new Map(VersionSet.pinned().entries().map((e) => [e.field, e.repository]));
  const providers = Object.values(CapiProvider).filter((p): p is CapiProvider => p instanceof CapiProvider);
  const repos = new Set<string>();
  for (const m of mgmt.filter((x) => x.object.apiVersion?.startsWith('operator.cluster.x-k8s.io/'))) {
    const p = providers.find((x) => x.type.kind === m.object.kind && x.name === m.object.metadata.name);
    if (p) repos.add(matrix.get(p.versionField.name)!);
  }
  const applied = new Set(mgmt.filter((x) => x.object.kind === 'Kustomization' && x.object.spec?.sourceRef?.kind === 'GitRepository').map((x) => x.object.spec.sourceRef.name));
  for (const m of mgmt.filter((x) => x.object.kind === 'GitRepository' && applied.has(x.object.metadata.name))) {
    const repo = repoOf(m.object.spec.url);
    if (repo) repos.add(repo);
  }
  return repos;
}

/** Kinds emitted under mgmt/releases/cluster-* whose CRD nothing in the mgmt tree installs. */
function uninstalledKinds(manifests: readonly Manifest[]): string[] {
  const crds = pinnedCrds();
  const repos = installedRepos(manifests);
  const missing = new Set<string>();
  for (const m of manifests.filter((x) => x.file.startsWith('mgmt/releases/cluster-'))) {
    const group = String(m.object.apiVersion).split('/')[0];
    const key = `${group}/${m.object.kind}`;
    const repo = crds.get(key);
    if (!repo || !repos.has(repo)) missing.add(`${key} (${repo ?? 'no pinned CRD'})`);
  }
  return [...missing].sort();
}

/** mgmt with cert-manager, Cluster API and the five workload clusters only (no edge/networking). */
function managementOnlyFleet(): { manifests: Manifest[] } {
  const fleet = new Fleet({ source: { url: 'ssh://git@example.com/fleet.git', secretName: 'flux-system' } });
  const mgmt = fleet.addCluster('mgmt', { name: 'mgmt' });
  new CertManager(mgmt.controllers, 'CertManager');
  const management = addManagement(mgmt);
  addWorkloadClusters(mgmt, { management: management.providersApp, versions: management.versions });
  return { manifests: fleet.manifests() as Manifest[] };
}

describe('CRDs of the workload-cluster objects (management only, independent of edge/networking)', () => {
  const { manifests } = managementOnlyFleet();

  test('every kind under mgmt/releases/cluster-* has its CRD installed by a provider CR or a CRD source in mgmt', () => {
    expect(manifests.some((m) => m.file.startsWith('mgmt/releases/cluster-edge-metal3/') && m.object.kind === 'BareMetalHost')).toBe(true);
    expect(uninstalledKinds(manifests)).toEqual([]);
  });

  test('the check fails without baremetal-operator (BareMetalHost has no installer)', () => {
    const withoutBmo = manifests.filter((m) => !(m.object.kind === 'GitRepository' && m.object.metadata.name === 'baremetal-operator'));
    expect(uninstalledKinds(withoutBmo)).toEqual(['metal3.io/BareMetalHost (metal3-io/baremetal-operator)']);
  });

  test('the Metal3 cluster is applied after baremetal-operator, the others do not wait for it', () => {
    // GIVEN baremetal-operator in the same layer as the clusters, so the edge is a Kustomization dependsOn
    const f = new Fleet({ source: { url: 'ssh://git@example.com/fleet.git', secretName: 'flux-system' } });
    const mgmt = f.addCluster('mgmt', { name: 'mgmt' });
    const certManager = new CertManager(mgmt.controllers, 'CertManager');
    new BaremetalOperator(mgmt.apps, 'Bmo', { certManager });
    // WHEN the reference workload clusters are added
    addWorkloadClusters(mgmt);
    f.validateAll();
    const ks = (name: string) => f.manifests().find((m) => m.file === `mgmt/apps/kustomization-${name}.yaml`)!.object as Record<string, any>;
    // THEN only cluster-edge-metal3 waits for baremetal-operator
    expect(ks('cluster-edge-metal3').spec.dependsOn).toContainEqual({ name: 'baremetal-operator', namespace: 'flux-system' });
    expect(ks('cluster-prod-aws').spec.dependsOn ?? []).not.toContainEqual({ name: 'baremetal-operator', namespace: 'flux-system' });
  });

  test('fails on a Metal3 cluster whose management cluster has no baremetal-operator', () => {
    const f = new Fleet({ source: { url: 'ssh://git@example.com/fleet.git', secretName: 'flux-system' } });
    const mgmt = f.addCluster('mgmt', { name: 'mgmt' });
    const certManager = new CertManager(mgmt.controllers, 'CertManager');
    expect(() => addWorkloadClusters(mgmt, { management: certManager })).toThrow(
      /\[mgmt\/apps\/EdgeMetal3\] Metal3 needs baremetal-operator \(the BareMetalHost CRDs\) in cluster "mgmt", and none was found/,
    );
  });

  test('every cluster-<name> Kustomization health-checks its Cluster with CEL', () => {
    const ks = manifests.filter((m) => /^mgmt\/apps\/kustomization-cluster-/.test(m.file));
    expect(ks).toHaveLength(5);
    for (const k of ks) {
      expect(k.object.spec.wait).toBe(true);
      expect(k.object.spec.healthCheckExprs).toEqual([expect.objectContaining({ apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster' })]);
    }
  });
});

describe('reference fleet with the workload clusters', () => {
  // GIVEN the complete reference fleet: the five workload clusters live in mgmt
  const { fleet, manifests } = referenceFleet();
  const clusters = fleet.node.findAll().filter((c): c is TalosCluster => c instanceof TalosCluster);

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

  test('pod and node CIDRs do not overlap across the workload clusters', () => {
    // (ClusterMesh needs disjoint pod CIDRs and routable nodes; service CIDRs may repeat across clusters)
    const all = clusters.flatMap((c) => [...c.podCidrs, c.nodeCidr].map((text) => ({ owner: c.clusterName, cidr: Cidr.of(text) })));
    const overlaps: string[] = [];
    for (let i = 0; i < all.length; i++) {
      for (let j = i + 1; j < all.length; j++) {
        if (all[i].owner !== all[j].owner && all[i].cidr.overlaps(all[j].cidr)) overlaps.push(`${all[i].owner} ${all[i].cidr} / ${all[j].owner} ${all[j].cidr}`);
      }
    }
    expect(overlaps).toEqual([]);
  });

  test('every kind under mgmt/releases/cluster-* has its CRD installed in mgmt', () => {
    expect(uninstalledKinds(manifests as Manifest[])).toEqual([]);
  });

  test("each AWS cluster's security-group rules follow its CiliumNetworking datapath", () => {
    const aws = (manifests as Manifest[]).find((m) => m.file.startsWith('mgmt/releases/cluster-prod-aws/') && m.object.kind === 'AWSCluster')!.object;
    const net = fleet.node.findAll().find((c): c is CiliumNetworking => c instanceof CiliumNetworking && c.clusterName === 'prod-aws')!;
    const { datapathOf } = require('../../stacks/clusters') as typeof import('../../stacks/clusters');
    expect(aws.spec.network.cni.cniIngressRules).toEqual(datapathOf(net).nodeRules());
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
    const { manifests } = referenceFleet();
    const clusters = manifests.filter((m) => m.object.kind === 'Cluster' && m.file.startsWith('mgmt/'));
    const resourceSets = manifests.filter((m) => m.object.kind === 'ClusterResourceSet');
    // THEN each ClusterResourceSet's selector matches exactly one Cluster's labels
    // (five for the Flux Git credentials, two for the CCM Secrets of prod-azure and dev-proxmox)
    expect(resourceSets.length).toBe(7);
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
