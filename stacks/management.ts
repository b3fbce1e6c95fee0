/**
 * The management cluster of the reference fleet: Cluster API with the Talos, RKE2 and five
 * infrastructure providers through cluster-api-operator, and the bootstrap of each workload
 * cluster (CNI, Flux, hand-off to the workload's own dist/ folder).
 *
 * The lead calls, from buildReferenceFleet():
 *   const management = addManagement(mgmtCluster, versions);
 *   addWorkloadBootstraps(management, workloadClusters);
 */
import { IConstruct } from 'constructs';
import { CertManager, GitOpsCluster } from '../lib';
import { ErrorCode, InfraFluxError } from '../lib/core/errors';
import { ICloudControllerManager } from '../lib/cloud';
import { ManagementCluster, WorkloadClusterBootstrap, WorkloadCni } from '../lib/management';
import { VersionSet } from '../lib/versions';
import { SecretReference } from '../lib/secrets/secret-reference';

/** The reference workload clusters, one per infrastructure provider. */
export const REFERENCE_WORKLOAD_CLUSTERS: readonly string[] = ['prod-aws', 'prod-azure', 'dev-gcp', 'dev-proxmox', 'edge-metal3'];

/**
 * Installs Cluster API on `mgmt` through cluster-api-operator, after the cluster's cert-manager.
 * @throws when `mgmt` has no CertManager (the operator's webhooks need it) or `versions` is unsupported
 */
export function addManagement(mgmt: GitOpsCluster, versions: VersionSet = VersionSet.pinned()): ManagementCluster {
  const certManager = mgmt.node.findAll().find((c): c is CertManager => c instanceof CertManager);
  if (!certManager) {
    throw new InfraFluxError(
      ErrorCode.MISSING_DEPENDENCY,
      mgmt,
      `addManagement needs a CertManager in cluster "${mgmt.name}" (cluster-api-operator's webhooks use cert-manager certificates); add one before calling it`,
    );
  }
  return new ManagementCluster(mgmt, 'ClusterApi', { certManager, versions });
}

/** Bootstrap options of one reference workload cluster. */
export interface WorkloadBootstrapSpec {
  readonly workload: GitOpsCluster;
  /** The construct emitting its Cluster API objects on the management cluster (when in mgmt.apps). */
  readonly capiCluster?: IConstruct;
  /**
   * The CNI the management cluster installs (e.g. `WorkloadCni.fromApp(cilium)`).
   * @default WorkloadCni.cilium()
   */
  readonly cni?: WorkloadCni;
  /**
   * The workload's cloud controller manager (stacks/cloud.ts), installed before Flux.
   * @default - none
   */
  readonly cloudControllerManager?: ICloudControllerManager;
  /** The ClusterMesh CA for a mesh member (a SealedSecret on mgmt, stacks/sealed-secrets.ts). @default - none */
  readonly meshCa?: SecretReference;
}

/**
 * Adds a WorkloadClusterBootstrap in `management.cluster.apps` for each workload (construct id =
 * the cluster name), with Cilium configured for Talos.
 */
export function addWorkloadBootstraps(management: ManagementCluster, workloads: readonly WorkloadBootstrapSpec[]): WorkloadClusterBootstrap[] {
  return workloads.map(
    ({ workload, capiCluster, cni, cloudControllerManager, meshCa }) =>
      new WorkloadClusterBootstrap(management.cluster.apps, `Bootstrap-${workload.name}`, {
        workload,
        versions: management.versions,
        cni: cni ?? WorkloadCni.cilium(),
        ...(capiCluster ? { capiCluster } : {}),
        ...(cloudControllerManager ? { cloudControllerManager } : {}),
        ...(meshCa ? { meshCa } : {}),
      }),
  );
}
