/**
 * Cilium for the reference fleet: every cluster gets CiliumNetworking (all capabilities on), its
 * Talos settings, Tetragon's baseline policies and a zero-trust baseline for podinfo; on-prem
 * clusters (Proxmox, Metal3) announce LoadBalancer IPs from two LB IPAM pools (main + critical)
 * over BGP, cloud clusters keep their cloud load balancer (LB IPAM, BGP and L2 off, tunnel
 * routing because the cloud network does not route pod CIDRs). mgmt, dev-proxmox and prod-aws
 * form one ClusterMesh with a shared CA (kube-system/cilium-ca, delivered by reference).
 */
import { Construct } from 'constructs';
import { Asn, Cidr, CiliumClusterMesh, CiliumNetworking, ClusterMeshCa, ClusterMeshExposure, RoutingMode, TunnelProtocol, ZeroTrustScope } from '../lib/networking';
import type { Baseline } from './config';
import { FLEET_DOMAIN, MANAGEMENT_CLUSTER } from './config';
import { ErrorCode, InfraFluxError } from '../lib/core/errors';

/** Where a cluster runs: decides how LoadBalancer IPs are provided. */
export enum NetworkPlatform {
  PROXMOX = 'proxmox',
  METAL3 = 'metal3',
  AWS = 'aws',
  AZURE = 'azure',
  GCP = 'gcp',
}

/** The networking plan of one reference cluster. */
export interface ReferenceNetworking {
  readonly platform: NetworkPlatform;
  /** ClusterMesh id (1-255, unique in the fleet). */
  readonly clusterId: number;
  readonly podCidr: string;
  readonly serviceCidr: string;
  readonly nodeCidr: string;
  /** On-prem only: LB IPAM pools and BGP. */
  readonly onPrem?: {
    readonly mainPool: string;
    readonly criticalPool: string;
    readonly localAsn: number;
    readonly routers: ReadonlyArray<{ readonly name: string; readonly address: string; readonly asn: number }>;
    /** LB IP of the clustermesh-apiserver (from the main pool). */
    readonly meshIp: string;
  };
  /** Join the fleet's ClusterMesh. */
  readonly mesh: boolean;
}

/**
 * The plan per cluster name. Pod CIDRs are disjoint across the fleet (ClusterMesh needs it);
 * LB pools sit outside node, pod and Service ranges and are announced by BGP to the routers.
 */
export const REFERENCE_NETWORKING: Readonly<Record<string, ReferenceNetworking>> = {
  mgmt: {
    platform: NetworkPlatform.PROXMOX,
    clusterId: 1,
    podCidr: '10.240.0.0/16',
    serviceCidr: '10.96.0.0/12',
    nodeCidr: '192.168.10.0/24',
    onPrem: {
      mainPool: '10.10.80.0/28',
      criticalPool: '10.10.96.0/28',
      localAsn: 65010,
      routers: [{ name: 'gw1', address: '192.168.10.1', asn: 65000 }],
      meshIp: '10.10.80.10',
    },
    mesh: true,
  },
  'dev-proxmox': {
    platform: NetworkPlatform.PROXMOX,
    clusterId: 2,
    podCidr: '10.241.0.0/16',
    serviceCidr: '10.96.0.0/12',
    nodeCidr: '192.168.10.0/24',
    onPrem: {
      mainPool: '10.20.80.0/28',
      criticalPool: '10.20.96.0/28',
      localAsn: 65001,
      routers: [
        { name: 'gw1', address: '192.168.10.1', asn: 65000 },
        { name: 'gw2', address: '192.168.10.2', asn: 65000 },
      ],
      meshIp: '10.20.80.10',
    },
    mesh: true,
  },
  'prod-aws': { platform: NetworkPlatform.AWS, clusterId: 3, podCidr: '10.242.0.0/16', serviceCidr: '10.96.0.0/12', nodeCidr: '10.18.0.0/16', mesh: true },
  'prod-azure': { platform: NetworkPlatform.AZURE, clusterId: 4, podCidr: '10.243.0.0/16', serviceCidr: '10.96.0.0/12', nodeCidr: '10.34.0.0/16', mesh: false },
  'dev-gcp': { platform: NetworkPlatform.GCP, clusterId: 5, podCidr: '10.245.0.0/16', serviceCidr: '10.96.0.0/12', nodeCidr: '10.50.0.0/20', mesh: false },
  'edge-metal3': {
    platform: NetworkPlatform.METAL3,
    clusterId: 6,
    podCidr: '10.246.0.0/16',
    serviceCidr: '10.96.0.0/12',
    nodeCidr: '192.168.30.0/24',
    onPrem: {
      mainPool: '10.30.80.0/28',
      criticalPool: '10.30.96.0/28',
      localAsn: 65030,
      routers: [{ name: 'gw1', address: '192.168.30.1', asn: 65000 }],
      meshIp: '10.30.80.10',
    },
    mesh: false,
  },
};

/** The workload clusters of the reference fleet that join the ClusterMesh (their CA comes with their CNI from mgmt). */
export const REFERENCE_MESH_WORKLOADS: readonly string[] = Object.entries(REFERENCE_NETWORKING)
  .filter(([name, plan]) => plan.mesh && name !== MANAGEMENT_CLUSTER)
  .map(([name]) => name);

export interface AddNetworkingOptions {
  /** The fleet's ClusterMesh; the cluster joins it when its plan says so. @default - no mesh */
  readonly mesh?: CiliumClusterMesh;
  /**
   * Cilium of a cluster that Cluster API creates: installed by the management cluster.
   * @default false
   */
  readonly installedByManagementCluster?: boolean;
  /** @default REFERENCE_NETWORKING[cluster name] */
  readonly plan?: ReferenceNetworking;
}

/** Adds Cilium (and its configs) to one reference cluster. */
export function addNetworking(baseline: Baseline, opts: AddNetworkingOptions = {}): CiliumNetworking {
  const name = baseline.cluster.name;
  const plan = opts.plan ?? REFERENCE_NETWORKING[name];
  if (!plan) throw new InfraFluxError(ErrorCode.REFERENCE_FLEET_INCOMPLETE, baseline.cluster, `no networking plan for cluster "${name}"; add it to REFERENCE_NETWORKING (stacks/networking.ts) or pass opts.plan`);
  const onPrem = plan.onPrem;
  const cilium = new CiliumNetworking(baseline.cluster.controllers, 'Cilium', {
    installedByManagementCluster: opts.installedByManagementCluster ?? false,
    gatewayApi: baseline.gatewayApi,
    clusterId: plan.clusterId,
    podCidr: Cidr.of(plan.podCidr),
    serviceCidr: Cidr.of(plan.serviceCidr),
    nodeCidrs: [Cidr.of(plan.nodeCidr)],
    ...(onPrem
      ? { routingMode: RoutingMode.native() }
      : {
          // Cloud: the VPC does not route pod CIDRs across subnets; the cloud LB gives LoadBalancer IPs.
          routingMode: RoutingMode.tunnel(TunnelProtocol.VXLAN),
          loadBalancerIpam: false,
          bgpControlPlane: false,
          clusterMeshExposure: ClusterMeshExposure.loadBalancer(),
        }),
  });
  if (onPrem) {
    cilium.addDefaultPools([Cidr.of(onPrem.mainPool)], [Cidr.of(onPrem.criticalPool)]);
    cilium.addBgp({
      localAsn: Asn.of(onPrem.localAsn),
      peers: onPrem.routers.map((r) => ({ name: r.name, address: r.address, asn: Asn.of(r.asn), timers: { holdTimeSeconds: 90, keepAliveTimeSeconds: 30, connectRetryTimeSeconds: 120 } })),
    });
  }
  cilium.addTetragonBaseline();
  cilium.addZeroTrust({ scope: ZeroTrustScope.namespaces([baseline.podinfo.app.namespace]), allowFlux: false });
  if (opts.mesh && plan.mesh) {
    opts.mesh.addCluster(cilium, { address: onPrem ? onPrem.meshIp : `clustermesh.${name}.${FLEET_DOMAIN}` });
  }
  return cilium;
}

/**
 * Adds networking to every cluster of the reference fleet and the fleet's ClusterMesh; returns
 * each cluster's CiliumNetworking by name. Call it from buildReferenceFleet after the baselines.
 */
export function addReferenceNetworking(
  fleet: Construct,
  baselines: readonly Baseline[],
  opts: { readonly installedByManagementCluster?: (clusterName: string) => boolean } = {},
): { mesh: CiliumClusterMesh; cilium: Record<string, CiliumNetworking> } {
  const mesh = new CiliumClusterMesh(fleet, 'ClusterMesh', { ca: ClusterMeshCa.fromSecret() });
  const cilium: Record<string, CiliumNetworking> = {};
  for (const b of baselines) {
    cilium[b.cluster.name] = addNetworking(b, { mesh, installedByManagementCluster: opts.installedByManagementCluster?.(b.cluster.name) ?? false });
  }
  return { mesh, cilium };
}
