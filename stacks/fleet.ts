/**
 * The reference fleet: the management cluster `mgmt` and one Talos workload cluster per
 * infrastructure provider. Every cluster gets the same baseline (Gateway API CRDs → cert-manager →
 * an internal CA → podinfo), Cilium (stacks/networking.ts) and the edge (stacks/edge.ts); mgmt also
 * runs Cluster API (stacks/management.ts) and the workload clusters' definitions (stacks/clusters.ts).
 */
import { CertManager, Fleet, GatewayApiCrds, GitOpsCluster, InternalCaIssuer, Podinfo } from '../lib';
import { addCloudControllerManagers } from './cloud';
import { addWorkloadClusters } from './clusters';
import { addBackup } from './backup';
import { addCrossplane, REFERENCE_CROSSPLANE } from './crossplane';
import { addEdge } from './edge';
import { addExternalSecrets } from './external-secrets';
import { addStorage } from './storage';
import { addManagement, addWorkloadBootstraps } from './management';
import { addReferenceNetworking } from './networking';
import { declareClusterInputs, declareManagementInputs } from './external-inputs';
import { addSealedDeliveries, addSealedSecretsControllers, meshCaReference } from './sealed-secrets';
import { WorkloadCni } from '../lib/management';
import { FLEET_DNS_ZONE, FLEET_DOMAIN, FLEET_REPOSITORY, MANAGEMENT_CLUSTER, REFERENCE_CLUSTERS, type Baseline, type ReferenceCluster } from './config';

export { FLEET_DNS_ZONE, FLEET_DOMAIN, FLEET_REPOSITORY, MANAGEMENT_CLUSTER, REFERENCE_CLUSTERS } from './config';
export type { Baseline, ReferenceCluster } from './config';

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
  // First: every SealedSecret created after this finds its cluster's controller.
  addSealedSecretsControllers(baselines);
  // Cilium everywhere; on clusters Cluster API creates, the management cluster installs it.
  const { cilium, mesh } = addReferenceNetworking(fleet, baselines, { installedByManagementCluster: (name) => name !== MANAGEMENT_CLUSTER });
  for (const baseline of baselines) {
    const c = cilium[baseline.cluster.name];
    // Runtime secrets (the EXTERNAL route, decision 0062): the operator and the cluster's store;
    // the edge's SSO proxies get their credentials from it.
    const secrets = addExternalSecrets(baseline);
    const edge = addEdge(baseline, {
      zone: FLEET_DOMAIN,
      dnsZone: FLEET_DNS_ZONE,
      // oauth2-proxy trusts X-Forwarded-* only from the Gateway's proxies: pods and nodes of the cluster.
      trustedProxyCidrs: [c.podCidr, ...c.nodeCidrs],
      hubbleUi: c.hubbleUiService,
      ciliumController: c,
      ssoCredentials: secrets.ssoCredentials,
    });
    const storage = addStorage(baseline, { edge, zone: FLEET_DOMAIN, trustedProxyCidrs: [c.podCidr, ...c.nodeCidrs], ssoCredentials: secrets.ssoCredentials });
    // Velero snapshots the volumes of the drivers whose snapshot classes the storage labels for it.
    addBackup(baseline, secrets, storage);
    addCrossplane(baseline, { enabled: REFERENCE_CROSSPLANE[baseline.cluster.name] ?? false });
  }
  const management = addManagement(mgmt);
  // Each workload cluster's CIDRs and Talos CNI settings come from its CiliumNetworking.
  const workloads = addWorkloadClusters(mgmt, { management: management.providersApp, versions: management.versions, cilium });
  const ccms = addCloudControllerManagers(mgmt, workloads, byName, cilium);
  const bootstraps = addWorkloadBootstraps(
    management,
    workloads.map((capiCluster) => ({
      workload: byName.get(capiCluster.clusterName)!,
      capiCluster,
      cni: WorkloadCni.fromApp(cilium[capiCluster.clusterName]),
      cloudControllerManager: ccms[capiCluster.clusterName],
      ...(mesh.clusterNames.includes(capiCluster.clusterName) ? { meshCa: meshCaReference(capiCluster.clusterName) } : {}),
    })),
  );
  // The SEALED route: bootstrap credentials from committed sealed files (stacks/sealed-secrets.ts).
  addSealedDeliveries({ baselines, management, workloads, bootstraps });
  // What the fleet cannot produce itself: declared, checked by the reconcile model, listed in each README.
  for (const b of baselines) {
    declareClusterInputs(b.cluster, { repositoryUrl: FLEET_REPOSITORY, ...(b.cluster.name !== MANAGEMENT_CLUSTER ? { bootstrappedBy: MANAGEMENT_CLUSTER } : {}) });
  }
  declareManagementInputs(mgmt);
  return fleet;
}
