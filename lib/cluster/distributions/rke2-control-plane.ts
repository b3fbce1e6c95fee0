import { ApiObject } from 'cdk8s';
import * as rke2bootstrap from '../../../imports/capi-rke2-bootstrap.cluster.x-k8s.io';
import * as rke2cp from '../../../imports/capi-rke2-controlplane.cluster.x-k8s.io';
import { VersionSet } from '../../versions/version-set';
import { ControlPlaneDistribution, ControlPlaneInputs, WorkerBootstrapInputs } from './_strategy';

/**
 * @internal The worker bootstrap of RKE2 (`RKE2ConfigTemplate`, CAPRKE2): pool node labels as
 * agent `nodeLabels`. Shared by the explicit path and the ClusterClass path.
 */
export function rke2WorkerBootstrap(i: WorkerBootstrapInputs): ApiObject {
  const p = i.pool;
  const spec: rke2bootstrap.Rke2ConfigTemplateV1Beta2SpecTemplateSpec = {
    agentConfig: p.nodeLabels ? { nodeLabels: Object.entries(p.nodeLabels).map(([k, v]) => `${k}=${v}`) } : {},
  };
  return new rke2bootstrap.Rke2ConfigTemplateV1Beta2(i.ctx.scope, `${i.poolId}-BootstrapTemplate`, {
    metadata: { name: i.ctx.templateName(rke2bootstrap.Rke2ConfigTemplateV1Beta2.GVK.kind, `${i.clusterName}-${p.name}`, spec), namespace: i.namespace, labels: { ...i.labels } },
    spec: { template: { spec } },
  });
}

/**
 * @internal RKE2: an `RKE2ControlPlane` and one `RKE2ConfigTemplate` per worker pool (CAPRKE2
 * v1beta2), with no CNI of RKE2's own (Cilium is installed by the platform layers).
 * @see https://github.com/rancher/cluster-api-provider-rke2
 */
export const RKE2_CONTROL_PLANE: ControlPlaneDistribution = {
  renderControlPlane(i: ControlPlaneInputs): ApiObject {
    return new rke2cp.Rke2ControlPlaneV1Beta2(i.ctx.scope, 'ControlPlane', {
      metadata: { name: `${i.clusterName}-control-plane`, namespace: i.namespace, labels: { ...i.labels } },
      spec: {
        version: i.versions.rke2,
        replicas: i.replicas,
        machineTemplate: { spec: { infrastructureRef: { apiGroup: i.machineTemplate.apiGroup, kind: i.machineTemplate.kind, name: i.machineTemplate.name } } },
        registrationMethod: rke2cp.Rke2ControlPlaneV1Beta2SpecRegistrationMethod.CONTROL_HYPHEN_PLANE_HYPHEN_ENDPOINT,
        rolloutStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: rke2cp.Rke2ControlPlaneV1Beta2SpecRolloutStrategyRollingUpdateMaxSurge.fromNumber(1) } },
        serverConfig: {
          // Cilium is installed by the platform layers, as with Talos; RKE2 must not bring its own.
          cni: rke2cp.Rke2ControlPlaneV1Beta2SpecServerConfigCni.NONE,
          ...(i.cni.kubeProxyDisabled ? { disableComponents: { kubernetesComponents: [rke2cp.Rke2ControlPlaneV1Beta2SpecServerConfigDisableComponentsKubernetesComponents.KUBE_PROXY] } } : {}),
          clusterDomain: i.serviceDomain,
        },
      },
    });
  },

  renderWorkerBootstrap: rke2WorkerBootstrap,

  /** CAPRKE2 takes the RKE2 release (`v1.34.x+rke2rN`). */
  machineVersion(versions: VersionSet): string {
    return versions.rke2;
  },
};
