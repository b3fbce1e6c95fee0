/**
 * The reference fleet: the management cluster `mgmt` and one Talos workload cluster per
 * infrastructure provider. Every cluster gets the same baseline (Gateway API CRDs → cert-manager →
 * an internal CA → podinfo), Cilium (stacks/networking.ts) and the edge (stacks/edge.ts); mgmt also
 * runs Cluster API (stacks/management.ts) and the workload clusters' definitions (stacks/clusters.ts).
 */
import { CertManager, Fleet, GatewayApiCrds, GitOpsCluster, InternalCaIssuer, Podinfo } from '../lib';
import { addWorkloadClusters } from './clusters';
import { addEdge } from './edge';
import { addManagement, addWorkloadBootstraps } from './management';
import { addReferenceNetworking } from './networking';
import { declareClusterInputs, declareManagementInputs } from './external-inputs';
import { WorkloadCni } from '../lib/management';

/** Where Flux reads dist/ from; `flux bootstrap` creates the `flux-system` deploy-key secret. */
export const FLEET_REPOSITORY = 'ssh://git@github.com/infraflux/infraflux.git';
export const FLEET_DOMAIN = 'infraflux.example.com';
/** The Cloudflare zone (apex) the fleet's records live in; the Terraform stacks manage it. */
export const FLEET_DNS_ZONE = 'example.com';

export interface ReferenceCluster {
  /** Folder and cluster name. */
  readonly name: string;
  /** cert-manager controller replicas. */
  readonly certManagerReplicas: number;
}

/** The management cluster and one workload cluster per infrastructure provider. */
export const REFERENCE_CLUSTERS: readonly ReferenceCluster[] = [
  { name: 'mgmt', certManagerReplicas: 2 },
  { name: 'prod-aws', certManagerReplicas: 2 },
  { name: 'prod-azure', certManagerReplicas: 2 },
  { name: 'dev-gcp', certManagerReplicas: 1 },
  { name: 'dev-proxmox', certManagerReplicas: 1 },
  { name: 'edge-metal3', certManagerReplicas: 1 },
];

/** The cluster that runs Cluster API and creates every other cluster of the reference fleet. */
export const MANAGEMENT_CLUSTER = 'mgmt';

/** What the baseline of one cluster is made of, for the constructs that build on it. */
export interface Baseline {
  readonly cluster: GitOpsCluster;
  readonly spec: ReferenceCluster;
  readonly gatewayApi: GatewayApiCrds;
  readonly certManager: CertManager;
  readonly issuer: InternalCaIssuer;
  readonly podinfo: Podinfo;
}

/** Adds the baseline every cluster of the reference fleet runs. */
export function addBaseline(cluster: GitOpsCluster, spec: ReferenceCluster): Baseline {
  const gatewayApi = new GatewayApiCrds(cluster.crds, 'GatewayApi');
  const certManager = new CertManager(cluster.controllers, 'CertManager', { gatewayApi, replicas: spec.certManagerReplicas });
  const issuer = new InternalCaIssuer(cluster.configs, 'InternalCa', { certManager });
  const podinfo = new Podinfo(cluster.apps, 'Podinfo', { issuer, hostname: `podinfo.${spec.name}.${FLEET_DOMAIN}` });
  return { cluster, spec, gatewayApi, certManager, issuer, podinfo };
}

/** The reference fleet and each cluster's baseline, for stacks that add to it. */
export function buildReferenceFleetWithBaselines(outdir = 'dist'): { fleet: Fleet; baselines: Baseline[] } {
  const fleet = new Fleet({ outdir, source: { url: FLEET_REPOSITORY, branch: 'main', secretName: 'flux-system' } });
  const baselines = REFERENCE_CLUSTERS.map((spec) => addBaseline(fleet.addCluster(spec.name, { name: spec.name }), spec));
  return { fleet, baselines };
}

/**
 * The complete reference fleet: every cluster's baseline and edge (Gateway, DNS, TLS, platform
 * UIs); on the management cluster, Cluster API with its providers, the five workload clusters
 * (Talos on AWS, Azure, GCP, Proxmox, Metal3) and their bootstrap (CNI, Flux, then each workload's
 * own dist/<cluster>/).
 */
export function buildReferenceFleet(outdir = 'dist'): Fleet {
  const { fleet, baselines } = buildReferenceFleetWithBaselines(outdir);
  const byName = new Map(baselines.map((b) => [b.cluster.name, b.cluster]));
  const mgmt = byName.get(MANAGEMENT_CLUSTER)!;
  // Cilium everywhere; on clusters Cluster API creates, the management cluster installs it.
  const { cilium } = addReferenceNetworking(fleet, baselines, { installedByManagementCluster: (name) => name !== MANAGEMENT_CLUSTER });
  for (const baseline of baselines) {
    const c = cilium[baseline.cluster.name];
    addEdge(baseline, {
      zone: FLEET_DOMAIN,
      dnsZone: FLEET_DNS_ZONE,
      // oauth2-proxy trusts X-Forwarded-* only from the Gateway's proxies: pods and nodes of the cluster.
      trustedProxyCidrs: [c.podCidr, ...c.nodeCidrs],
      hubbleUi: c.hubbleUiService,
      ciliumController: c,
    });
  }
  const management = addManagement(mgmt);
  // Each workload cluster's CIDRs and Talos CNI settings come from its CiliumNetworking.
  const workloads = addWorkloadClusters(mgmt, { management: management.providersApp, versions: management.versions, cilium });
  addWorkloadBootstraps(
    management,
    workloads.map((capiCluster) => ({
      workload: byName.get(capiCluster.clusterName)!,
      capiCluster,
      cni: WorkloadCni.fromApp(cilium[capiCluster.clusterName]),
    })),
  );
  // What the fleet cannot produce itself: declared, checked by the reconcile model, listed in each README.
  for (const b of baselines) {
    declareClusterInputs(b.cluster, { repositoryUrl: FLEET_REPOSITORY, ...(b.cluster.name !== MANAGEMENT_CLUSTER ? { bootstrappedBy: MANAGEMENT_CLUSTER } : {}) });
  }
  declareManagementInputs(mgmt, workloads.map((w) => w.clusterName));
  return fleet;
}
