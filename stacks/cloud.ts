/**
 * The reference fleet's cloud controller managers (issue 13 point 1, decision 0070): one per
 * workload cluster that runs with an external cloud provider, created in the workload's own tree
 * and installed by the management cluster's bootstrap before Flux.
 *
 * - prod-aws: AWS CCM, instance profile of the control-plane VMs (no Secret);
 * - prod-azure: Azure cloud provider, user-assigned managed identity of the control-plane VMs;
 *   its azure.json (no secret in it) is copied from mgmt by a ClusterResourceSet (sealed on mgmt);
 * - dev-gcp: GCP CCM from the pinned upstream manifests, the VMs' service account;
 * - dev-proxmox: Proxmox CCM (CAPMOX provider IDs, zones = Proxmox nodes), its API token config
 *   copied from mgmt by a ClusterResourceSet (sealed on mgmt);
 * - edge-metal3: none (CAPM3 sets the provider IDs; Cilium LB IPAM serves LoadBalancers).
 */
import {
  AwsCloudControllerManager,
  AZURE_CLOUD_CONFIG_SECRET,
  AzureCloudControllerManager,
  GcpCloudControllerManager,
  ICloudControllerManager,
  PROXMOX_CCM_CONFIG_KEY,
  ProxmoxCloudControllerManager,
} from '../lib/cloud';
import { ClusterProvider, SecretReference, TalosCluster } from '../lib/cluster';
import { GitOpsCluster } from '../lib/flux/gitops-cluster';
import { CiliumNetworking } from '../lib/networking';
import { ccmResourceSetReference } from './sealed-secrets';

/** GCP project of dev-gcp (the same as in stacks/clusters.ts). */
export const DEV_GCP_PROJECT = 'infraflux-dev';

/** The sealed resource-set Secret on mgmt (in the Cluster's namespace) that carries `secret` into workload `w` (stacks/sealed-secrets.ts). */
function resourceSet(w: string, secret: string): SecretReference {
  return ccmResourceSetReference(w, secret);
}

/** The Secret the workload reads, declared on it as copied by the management cluster's ClusterResourceSet. */
function copiedSecret(workload: GitOpsCluster, mgmt: GitOpsCluster, name: string, key: string, consumer: string): SecretReference {
  workload.declareExternalInput({
    kind: 'Secret',
    namespace: 'kube-system',
    name,
    consumer,
    providedBy: `the ClusterResourceSet ${workload.name}/${workload.name}-${name} of cluster ${mgmt.name}, once Cluster API has created the cluster (decision 0070)`,
    command: `(none on ${workload.name}: copied from Secret ${workload.name}/${workload.name}-${name} on ${mgmt.name})`,
  });
  return SecretReference.fromExternalInput(name, 'kube-system', [key]);
}

/**
 * Creates the CCM of each workload cluster that runs with an external cloud provider, in the
 * workload's controllers layer; returns them by cluster name.
 */
export function addCloudControllerManagers(
  mgmt: GitOpsCluster,
  workloads: readonly TalosCluster[],
  clusters: ReadonlyMap<string, GitOpsCluster>,
  cilium: Readonly<Record<string, CiliumNetworking>>,
): Record<string, ICloudControllerManager> {
  const out: Record<string, ICloudControllerManager> = {};
  for (const w of workloads) {
    if (!w.externalCloudProvider) continue;
    const workload = clusters.get(w.clusterName)!;
    const clusterName = w.clusterName;
    switch (w.clusterClass.provider) {
      case ClusterProvider.AWS:
        out[clusterName] = new AwsCloudControllerManager(workload.controllers, 'CloudControllerManager', { clusterName });
        break;
      case ClusterProvider.AZURE:
        out[clusterName] = new AzureCloudControllerManager(workload.controllers, 'CloudControllerManager', {
          clusterName,
          podCidr: cilium[clusterName].podCidr,
          cloudConfig: copiedSecret(workload, mgmt, AZURE_CLOUD_CONFIG_SECRET.name, AZURE_CLOUD_CONFIG_SECRET.key, 'cloud-provider-azure (installed from mgmt, --cloud-config-secret-name)'),
          cloudConfigResourceSet: resourceSet(clusterName, AZURE_CLOUD_CONFIG_SECRET.name),
        });
        break;
      case ClusterProvider.GCP:
        out[clusterName] = new GcpCloudControllerManager(workload.controllers, 'CloudControllerManager', { clusterName, project: DEV_GCP_PROJECT });
        break;
      case ClusterProvider.PROXMOX:
        out[clusterName] = new ProxmoxCloudControllerManager(workload.controllers, 'CloudControllerManager', {
          clusterName,
          config: copiedSecret(workload, mgmt, 'proxmox-cloud-controller-manager', PROXMOX_CCM_CONFIG_KEY, 'proxmox-cloud-controller-manager (installed from mgmt, existingConfigSecret)'),
          configResourceSet: resourceSet(clusterName, 'proxmox-cloud-controller-manager'),
        });
        break;
      default:
        break;
    }
    // Cloud load balancers probe nodes on kube-proxy's health port: GCE L4 LBs always (shared node
    // health check :10256/healthz for externalTrafficPolicy Cluster), AWS and Azure in their
    // "shared" probe mode. Cilium's kube-proxy replacement serves it only when bound (empty by
    // default), else every backend is unhealthy (ccm-gcp/NOTES.md "Cilium interplay").
    if (out[clusterName]?.providesLoadBalancers) cilium[clusterName].app.addValues({ kubeProxyReplacementHealthzBindAddr: '0.0.0.0:10256' });
  }
  return out;
}
