import { ApiObject } from 'cdk8s';
import * as capi from '../../../imports/capi-core-cluster.x-k8s.io';
import { TalosCniSettings, TalosConfigPatch } from '../../talos/cilium-machine-config';
import { VersionSet } from '../../versions/version-set';
import { WorkerPoolProps } from '../machine';
import { ObjectRef, ProviderContext } from '../providers/_strategy';

/** @internal What a distribution needs to emit a cluster's control plane. */
export interface ControlPlaneInputs {
  readonly ctx: ProviderContext;
  readonly clusterName: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly replicas: number;
  /** The provider's control-plane machine template. */
  readonly machineTemplate: ObjectRef;
  /** The control planes' Talos machine-config documents (used by Talos only). */
  readonly talosDocuments: readonly TalosConfigPatch[];
  readonly versions: VersionSet;
  readonly cni: TalosCniSettings;
  readonly serviceDomain: string;
}

/** @internal What a distribution needs to emit one worker pool's bootstrap template. */
export interface WorkerBootstrapInputs {
  readonly ctx: ProviderContext;
  /** Construct id prefix of the pool (`Pool-<name>`). */
  readonly poolId: string;
  readonly clusterName: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly pool: WorkerPoolProps;
  /** The pool's Talos machine-config documents (used by Talos only). */
  readonly talosDocuments: readonly TalosConfigPatch[];
  readonly versions: VersionSet;
}

/**
 * @internal The distribution strategy of an explicit (non-ClusterClass) cluster: the Cluster API
 * control-plane object and the bootstrap template of each worker pool. `TalosCluster` calls it;
 * the implementations (one file each) never import `TalosCluster`.
 */
export interface ControlPlaneDistribution {
  /** Emits the control-plane object (id `ControlPlane` in `ctx.scope`). */
  renderControlPlane(inputs: ControlPlaneInputs): ApiObject;
  /** Emits a worker pool's bootstrap config template (id `<poolId>-BootstrapTemplate`). */
  renderWorkerBootstrap(inputs: WorkerBootstrapInputs): ApiObject;
  /** The `version` of a worker Machine: what the control-plane provider expects. */
  machineVersion(versions: VersionSet): string;
}

/** @internal A worker pool with its resolved replica count (max when autoscaled). */
export interface ResolvedPool {
  readonly props: WorkerPoolProps;
  readonly replicas: number;
}

/**
 * @internal The node checks of every MachineHealthCheck (and ClusterClass health check): a node
 * that does not start in time, or is not Ready for `unhealthySeconds`, is remediated.
 */
export function machineHealthChecks(startupSeconds: number, unhealthySeconds: number): capi.MachineHealthCheckV1Beta2SpecChecks {
  return {
    nodeStartupTimeoutSeconds: startupSeconds,
    unhealthyNodeConditions: [
      { type: 'Ready', status: 'False', timeoutSeconds: unhealthySeconds },
      { type: 'Ready', status: 'Unknown', timeoutSeconds: unhealthySeconds },
    ],
  };
}
