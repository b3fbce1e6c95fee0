/**
 * The reference fleet's settings and the shape of one cluster's baseline, shared by
 * stacks/fleet.ts, stacks/edge.ts and stacks/networking.ts. It imports no other stacks/ module, so
 * those modules depend on it and never on each other in a cycle.
 */
import type { CertManager, GatewayApiCrds, GitOpsCluster, InternalCaIssuer, Podinfo } from '../lib';

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
