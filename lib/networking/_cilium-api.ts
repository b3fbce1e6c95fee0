/**
 * The cluster's Cilium as the other constructs of lib/networking see it: {@link ICiliumNetworking}
 * (public) and {@link ICiliumNetworkingInternals}, what the configs-layer constructs
 * (load-balancing.ts, policies.ts) read. CiliumNetworking implements both; this module sits below
 * it, so those constructs never import cilium-networking.ts (no import cycle).
 */
import { CiliumValues } from '../../imports/helm/cilium';
import { IFluxApp } from '../flux/flux-app';
import { TalosCniSettings } from '../talos/cilium-machine-config';
import { Cidr } from './addresses';
import type { ResolvedProfile } from './_profile';
import { ServiceReference } from './options';

/** The cluster's Cilium as other constructs see it (props take this, not the class). */
export interface ICiliumNetworking extends IFluxApp<CiliumValues> {
  readonly clusterName: string;
  readonly clusterId: number | undefined;
  readonly podCidr: Cidr;
  readonly serviceCidr: Cidr;
  readonly nodeCidrs: readonly Cidr[];
  /** What Talos must do for this Cilium. */
  readonly talosCniSettings: TalosCniSettings;
  /** The hubble-ui Service; undefined when the UI is off. */
  readonly hubbleUiService: ServiceReference | undefined;
  /** Metrics Services the chart creates for the final values. */
  readonly metricsServices: readonly ServiceReference[];
  /** Whether `capability` (a row of docs/cilium.md) is on. */
  isEnabled(capability: string): boolean;
}

/** A load-balancer IP pool as the overlap check of the next pool sees it. */
export interface CiliumPoolBlocks {
  readonly poolName: string;
  readonly blocks: readonly Cidr[];
  readonly node: { readonly path: string };
}

/**
 * {@link ICiliumNetworking} plus the state the configs-layer constructs of lib/networking read and
 * record (the resolved profile, the cluster's LB pools). Implemented by CiliumNetworking; props of
 * those constructs take this interface, so they need not import the class.
 */
export interface ICiliumNetworkingInternals extends ICiliumNetworking {
  /** @internal The resolved feature profile. */
  readonly _profile: ResolvedProfile;
  /** @internal LB pools of this cluster (overlap checks). */
  readonly _pools: CiliumPoolBlocks[];
  /** @internal Called by CiliumClusterMesh: connect to `peers` with the shared CA. */
  _joinMesh(peers: readonly ClusterMeshPeer[], options: MeshJoinOptions): void;
}

/**
 * Where another cluster reaches this cluster's clustermesh-apiserver: one item of the chart's
 * `clustermesh.config.clusters` (fields `name`, `address`, `port`, `ips`; pinned values.yaml). With
 * `ips` the agent dials `<name>.mesh.cilium.io` (a host alias to the IPs, covered by the server
 * certificate's `*.mesh.cilium.io`); with `address` it dials that DNS name, which the peer's
 * certificate must carry in `clustermesh.apiserver.tls.auto.server.extraDnsNames`.
 */
export interface ClusterMeshPeer {
  /** The peer's cluster name. */
  readonly name: string;
  /** DNS name of the peer's clustermesh-apiserver. @default - none: `ips` is given */
  readonly address?: string;
  /** IP addresses of the peer's clustermesh-apiserver. @default - none: `address` is given */
  readonly ips?: readonly string[];
  readonly port: number;
}

/** How this cluster's own clustermesh-apiserver is set up for its mesh. */
export interface MeshJoinOptions {
  /** Certgen (CronJob) reuses the pre-created shared CA kube-system/cilium-ca. */
  readonly sharedCa: boolean;
  /** Annotations of the clustermesh-apiserver Service. */
  readonly serviceAnnotations: Readonly<Record<string, string>>;
  /** DNS names the peers dial: added to the server certificate. */
  readonly serverDnsNames: readonly string[];
}
