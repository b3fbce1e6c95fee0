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
}
