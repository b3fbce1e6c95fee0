import { ApiObject } from 'cdk8s';
import { stringify } from 'yaml';
import * as talosbootstrap from '../../../imports/capi-talos-bootstrap.cluster.x-k8s.io';
import * as taloscp from '../../../imports/capi-talos-controlplane.cluster.x-k8s.io';
import { VersionSet } from '../../versions/version-set';
import { ControlPlaneDistribution, ControlPlaneInputs, WorkerBootstrapInputs } from './_strategy';

/**
 * @internal Talos: a `TalosControlPlane` (CACPPT v1alpha3) and one `TalosConfigTemplate` (CABPT)
 * per worker pool, each node role's machine config as strategic merge patches.
 * @see https://github.com/siderolabs/cluster-api-control-plane-provider-talos
 */
export const TALOS_CONTROL_PLANE: ControlPlaneDistribution = {
  renderControlPlane(i: ControlPlaneInputs): ApiObject {
    return new taloscp.TalosControlPlane(i.ctx.scope, 'ControlPlane', {
      metadata: { name: `${i.clusterName}-control-plane`, namespace: i.namespace, labels: { ...i.labels } },
      spec: {
        version: i.versions.kubernetes,
        replicas: i.replicas,
        infrastructureTemplate: { apiVersion: i.machineTemplate.apiVersion, kind: i.machineTemplate.kind, name: i.machineTemplate.name, namespace: i.namespace },
        controlPlaneConfig: {
          controlplane: { generateType: 'controlplane', talosVersion: i.versions.talos, strategicPatches: i.talosDocuments.map((d) => stringify(d)) },
        },
        rolloutStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: taloscp.TalosControlPlaneSpecRolloutStrategyRollingUpdateMaxSurge.fromNumber(1) } },
      },
    });
  },

  renderWorkerBootstrap(i: WorkerBootstrapInputs): ApiObject {
    const spec: talosbootstrap.TalosConfigTemplateV1Alpha3SpecTemplateSpec = {
      generateType: 'worker',
      talosVersion: i.versions.talos,
      strategicPatches: i.talosDocuments.map((d) => stringify(d)),
    };
    return new talosbootstrap.TalosConfigTemplateV1Alpha3(i.ctx.scope, `${i.poolId}-BootstrapTemplate`, {
      metadata: { name: i.ctx.templateName(talosbootstrap.TalosConfigTemplateV1Alpha3.GVK.kind, `${i.clusterName}-${i.pool.name}`, spec), namespace: i.namespace, labels: { ...i.labels } },
      spec: { template: { spec } },
    });
  },

  /** CACPPT takes the Kubernetes version. */
  machineVersion(versions: VersionSet): string {
    return versions.kubernetes;
  },
};
