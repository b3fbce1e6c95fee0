import { ApiObject } from 'cdk8s';
import * as capi from '../../../imports/capi-core-cluster.x-k8s.io';
import * as rke2cp from '../../../imports/capi-rke2-controlplane.cluster.x-k8s.io';
import { TalosCniSettings, TalosConfigPatch } from '../../talos/cilium-machine-config';
import { VersionSet } from '../../versions/version-set';
import { NodeRole, TalosClusterClass } from '../cluster-class';
import { InfrastructureInputs } from '../providers/infrastructure-inputs';
import { ObjectRef, ProviderContext } from '../providers/_strategy';
import { machineHealthChecks, ResolvedPool } from './_strategy';
import { rke2WorkerBootstrap } from './rke2-control-plane';

/** Label naming a worker pool (same value as POOL_LABEL of talos-cluster.ts, which imports this file). */
const POOL_LABEL = 'infraflux.io/pool';

/** @internal What the RKE2 ClusterClass path needs from TalosCluster. */
export interface Rke2ClusterClassInputs {
  readonly ctx: ProviderContext;
  readonly clusterName: string;
  readonly clusterClass: TalosClusterClass;
  readonly infra: InfrastructureInputs;
  readonly infrastructureCluster: ObjectRef;
  readonly className: string;
  readonly pools: readonly ResolvedPool[];
  readonly cpCount: number;
  readonly cpTemplate: ObjectRef;
  readonly common: readonly TalosConfigPatch[];
  readonly classPatches: (role: NodeRole) => TalosConfigPatch[];
  readonly labels: Readonly<Record<string, string>>;
  readonly namespace: string;
  readonly cni: TalosCniSettings;
  readonly serviceDomain: string;
  readonly versions: VersionSet;
  readonly podCidrs: readonly string[];
  readonly serviceCidrs: readonly string[];
  readonly nodeCidr: string;
  /** Receives the Talos documents of each worker pool (computed, not emitted, with RKE2). */
  readonly talosDocs: Map<string, TalosConfigPatch[]>;
}

/**
 * @internal The opt-in RKE2 ClusterClass path: a `ClusterClass` (v1beta2) with an RKE2ControlPlaneTemplate,
 * the provider's cluster template, one machine-deployment class per worker pool
 * (RKE2ConfigTemplate + machine template + health check), variables and patches; and a `Cluster`
 * with `spec.topology`. Cluster API's topology controller creates the RKE2ControlPlane, the
 * infrastructure cluster, the MachineDeployments and the MachineHealthChecks from it.
 */
export function renderRke2ClusterClass(args: Rke2ClusterClassInputs): { controlPlaneTemplate: ApiObject; cluster: ApiObject; clusterClass: ApiObject } {
  const { ctx, infra, className, pools, cpCount, cpTemplate, common, classPatches, labels, namespace, cni, serviceDomain, versions, infrastructureCluster } = args;
  const variant = args.clusterClass.variant.props;
  // The same checks as the explicit MachineHealthChecks, in the ClusterClass's own types.
  const mhc = machineHealthChecks(variant.nodeStartupSeconds, variant.unhealthySeconds);
  const checks = { nodeStartupTimeoutSeconds: mhc.nodeStartupTimeoutSeconds, unhealthyNodeConditions: mhc.unhealthyNodeConditions };

  // Control plane: what is fixed for the platform lives in the template (no CNI of RKE2's own:
  // Cilium is installed by the platform layers); what varies per cluster comes from variables.
  const cpSpec: rke2cp.Rke2ControlPlaneTemplateV1Beta2SpecTemplateSpec = {
    registrationMethod: rke2cp.Rke2ControlPlaneTemplateV1Beta2SpecTemplateSpecRegistrationMethod.CONTROL_HYPHEN_PLANE_HYPHEN_ENDPOINT,
    rolloutStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: rke2cp.Rke2ControlPlaneTemplateV1Beta2SpecTemplateSpecRolloutStrategyRollingUpdateMaxSurge.fromNumber(1) } },
    serverConfig: { cni: rke2cp.Rke2ControlPlaneTemplateV1Beta2SpecTemplateSpecServerConfigCni.NONE },
  };
  const controlPlaneTemplate = new rke2cp.Rke2ControlPlaneTemplateV1Beta2(ctx.scope, 'ControlPlane', {
    metadata: { name: ctx.templateName(rke2cp.Rke2ControlPlaneTemplateV1Beta2.GVK.kind, `${args.clusterName}-control-plane`, cpSpec), namespace, labels: { ...labels } },
    spec: { template: { spec: cpSpec } },
  });

  // Worker classes: one per pool, each with its own bootstrap and machine template.
  const machineDeploymentClasses: capi.ClusterClassV1Beta2SpecWorkersMachineDeployments[] = [];
  const machineDeploymentTopologies: capi.ClusterV1Beta2SpecTopologyWorkersMachineDeployments[] = [];
  for (const pool of pools) {
    const p = pool.props;
    const poolId = `Pool-${p.name}`;
    const machine = p.machine ?? args.clusterClass.workerMachine ?? infra._defaultMachine(args.clusterClass.variant, NodeRole.WORKER);
    const template = infra._renderMachineTemplate(ctx, `${poolId}-MachineTemplate`, `${args.clusterName}-${p.name}`, NodeRole.WORKER, machine, p.failureDomain);
    args.talosDocs.set(`worker/${p.name}`, [
      ...common,
      ...(p.nodeLabels && Object.keys(p.nodeLabels).length > 0 ? [{ machine: { nodeLabels: { ...p.nodeLabels } } }] : []),
      ...classPatches(NodeRole.WORKER),
    ]);
    const bootstrap = rke2WorkerBootstrap({ ctx, poolId, clusterName: args.clusterName, namespace, labels, pool: p, talosDocuments: [], versions: versions });
    machineDeploymentClasses.push({
      class: p.name,
      bootstrap: { templateRef: { apiVersion: bootstrap.apiVersion, kind: bootstrap.kind, name: bootstrap.name } },
      infrastructure: { templateRef: { apiVersion: template.apiVersion, kind: template.kind, name: template.name } },
      healthCheck: {
        checks,
        // Stop remediating when many nodes fail at once (a network outage, not broken machines).
        remediation: { triggerIf: { unhealthyLessThanOrEqualTo: capi.ClusterClassV1Beta2SpecWorkersMachineDeploymentsHealthCheckRemediationTriggerIfUnhealthyLessThanOrEqualTo.fromString('40%') } },
      },
      rollout: {
        strategy: {
          type: capi.ClusterClassV1Beta2SpecWorkersMachineDeploymentsRolloutStrategyType.ROLLING_UPDATE,
          rollingUpdate: {
            maxSurge: capi.ClusterClassV1Beta2SpecWorkersMachineDeploymentsRolloutStrategyRollingUpdateMaxSurge.fromNumber(1),
            maxUnavailable: capi.ClusterClassV1Beta2SpecWorkersMachineDeploymentsRolloutStrategyRollingUpdateMaxUnavailable.fromNumber(0),
          },
        },
      },
    });
    machineDeploymentTopologies.push({
      class: p.name,
      name: p.name,
      metadata: {
        labels: { [POOL_LABEL]: p.name },
        ...(p.autoscaling
          ? {
              annotations: {
                'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size': String(p.autoscaling.minReplicas),
                'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size': String(p.autoscaling.maxReplicas),
              },
            }
          : {}),
      },
      // With the autoscaler the replica count is its business (a fixed value would fight it).
      ...(p.autoscaling ? {} : { replicas: pool.replicas }),
      ...(p.failureDomain ? { failureDomain: p.failureDomain } : {}),
    });
  }

  // Variables (typed, validated by Cluster API against their schema) and the patches that use them.
  // The Kubernetes version and the replica counts are topology fields (builtin.cluster.topology.version,
  // builtin.controlPlane.replicas); pod and service CIDRs are the Cluster's clusterNetwork.
  const str = capi.ClusterClassV1Beta2SpecVariablesSchemaOpenApiv3SchemaType.STRING;
  const nodeCidrPaths = infra._nodeCidrTemplatePaths();
  const variables: capi.ClusterClassV1Beta2SpecVariables[] = [
    {
      name: 'clusterDomain',
      required: true,
      schema: { openApiv3Schema: { type: str, description: 'Cluster DNS domain (RKE2 serverConfig.clusterDomain).', default: 'cluster.local', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$' } },
    },
    {
      name: 'kubeProxyDisabled',
      required: true,
      schema: {
        openApiv3Schema: { type: capi.ClusterClassV1Beta2SpecVariablesSchemaOpenApiv3SchemaType.BOOLEAN, description: 'Disable kube-proxy (Cilium replaces it).', default: true },
      },
    },
    ...(nodeCidrPaths.length > 0
      ? [{ name: 'nodeCidr', required: true, schema: { openApiv3Schema: { type: str, description: 'Node network CIDR (the VPC / subnet of the infrastructure cluster).', format: 'cidr' } } }]
      : []),
  ];
  const add = capi.ClusterClassV1Beta2SpecPatchesDefinitionsJsonPatchesOp.ADD;
  const cpSelector = { apiVersion: controlPlaneTemplate.apiVersion, kind: controlPlaneTemplate.kind, matchResources: { controlPlane: true } };
  const patches: capi.ClusterClassV1Beta2SpecPatches[] = [
    {
      name: 'cluster-domain',
      description: 'Sets the RKE2 cluster domain from the clusterDomain variable.',
      definitions: [{ selector: cpSelector, jsonPatches: [{ op: add, path: '/spec/template/spec/serverConfig/clusterDomain', valueFrom: { variable: 'clusterDomain' } }] }],
    },
    {
      name: 'disable-kube-proxy',
      description: 'Disables kube-proxy when kubeProxyDisabled is true (Cilium kube-proxy replacement).',
      enabledIf: '{{ .kubeProxyDisabled }}',
      definitions: [{ selector: cpSelector, jsonPatches: [{ op: add, path: '/spec/template/spec/serverConfig/disableComponents', value: { kubernetesComponents: ['kubeProxy'] } }] }],
    },
    ...(nodeCidrPaths.length > 0
      ? [
          {
            name: 'node-cidr',
            description: 'Sets the node network of the infrastructure cluster from the nodeCidr variable.',
            definitions: [
              {
                selector: { apiVersion: infrastructureCluster.apiVersion, kind: infrastructureCluster.kind, matchResources: { infrastructureCluster: true } },
                jsonPatches: nodeCidrPaths.map((path) => ({ op: capi.ClusterClassV1Beta2SpecPatchesDefinitionsJsonPatchesOp.REPLACE, path, valueFrom: { variable: 'nodeCidr' } })),
              },
            ],
          },
        ]
      : []),
  ];

  const clusterClass = new capi.ClusterClassV1Beta2(ctx.scope, 'ClusterClass', {
    metadata: { name: className, namespace, labels: { ...labels } },
    spec: {
      infrastructure: { templateRef: { apiVersion: infrastructureCluster.apiVersion, kind: infrastructureCluster.kind, name: infrastructureCluster.name } },
      controlPlane: {
        templateRef: { apiVersion: controlPlaneTemplate.apiVersion, kind: controlPlaneTemplate.kind, name: controlPlaneTemplate.name },
        machineInfrastructure: { templateRef: { apiVersion: cpTemplate.apiVersion, kind: cpTemplate.kind, name: cpTemplate.name } },
        // Only for HA control planes, one machine at a time, so remediation never breaks etcd quorum.
        ...(cpCount >= 3
          ? {
              healthCheck: {
                checks,
                remediation: { triggerIf: { unhealthyLessThanOrEqualTo: capi.ClusterClassV1Beta2SpecControlPlaneHealthCheckRemediationTriggerIfUnhealthyLessThanOrEqualTo.fromNumber(1) } },
              },
            }
          : {}),
      },
      ...(machineDeploymentClasses.length > 0 ? { workers: { machineDeployments: machineDeploymentClasses } } : {}),
      variables,
      patches,
    },
  });

  const topologyVariables: capi.ClusterV1Beta2SpecTopologyVariables[] = [
    { name: 'clusterDomain', value: serviceDomain },
    { name: 'kubeProxyDisabled', value: cni.kubeProxyDisabled },
    ...(nodeCidrPaths.length > 0 ? [{ name: 'nodeCidr', value: args.nodeCidr }] : []),
  ];
  const cluster = new capi.ClusterV1Beta2(ctx.scope, 'Resource', {
    metadata: { name: args.clusterName, namespace, labels: { ...labels } },
    spec: {
      clusterNetwork: { pods: { cidrBlocks: [...args.podCidrs] }, services: { cidrBlocks: [...args.serviceCidrs] }, serviceDomain },
      topology: {
        classRef: { name: clusterClass.name, namespace },
        // CAPRKE2 takes the RKE2 release as the topology version (`v1.34.x+rke2rN`).
        version: versions.rke2,
        controlPlane: { replicas: cpCount },
        ...(machineDeploymentTopologies.length > 0 ? { workers: { machineDeployments: machineDeploymentTopologies } } : {}),
        variables: topologyVariables,
      },
    },
  });
  return { controlPlaneTemplate, cluster, clusterClass };
}
