import { ApiObject, Duration, JsonPatch } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import * as capi from '../../imports/capi-core-cluster.x-k8s.io';
import { addCodedValidation, ErrorCode, InfraFluxError, invalidProp, validateDnsLabel } from '../core/errors';
import { GitOpsCluster } from '../flux/gitops-cluster';
import { ManifestBackedConstruct } from '../flux/manifest-app';
import { DEFAULT_TALOS_CNI_SETTINGS, TalosCniSettings, TalosConfigPatch, talosCiliumPatch } from '../talos/cilium-machine-config';
import { talosLoggingPatch } from '../talos/logging-machine-config';
import { VersionSet } from '../versions/version-set';
import { Cidr } from './cidr';
import { CiliumDatapath } from './cilium-datapath';
import { ClassPatch, ClusterProvider, NodeRole, TalosClusterClass } from './cluster-class';
import { Distribution, DistributionKind } from './distribution';
import { controlPlaneDistribution } from './distributions';
import { renderRke2ClusterClass } from './distributions/rke2-cluster-class';
import { ResolvedPool, machineHealthChecks } from './distributions/_strategy';
import { WorkerPoolProps } from './machine';
import { InfrastructureInputs, ObjectRef } from './providers';
import { ProviderContext, rotatingName } from './providers/_strategy';

/** Pod, service and node networks of a cluster. They must not overlap. */
export interface ClusterNetworkProps {
  /**
   * Pod CIDRs (Cluster `clusterNetwork.pods`, Talos `cluster.network.podSubnets`).
   * @default [Cidr.of('10.244.0.0/16')]
   */
  readonly pods?: readonly Cidr[];
  /**
   * Service CIDRs (Cluster `clusterNetwork.services`, Talos `cluster.network.serviceSubnets`).
   * @default [Cidr.of('10.96.0.0/12')]
   */
  readonly services?: readonly Cidr[];
  /** The node network (VPC / vnet / subnet / LAN) the machines get addresses from. */
  readonly nodes: Cidr;
  /**
   * Cluster DNS domain.
   * @default 'cluster.local'
   */
  readonly serviceDomain?: string;
}

export interface TalosClusterProps {
  /**
   * Cluster name: the Cluster object, the namespace of the cluster's objects on the management
   * cluster and the prefix of every generated name. A DNS-1123 label, unique in the fleet.
   */
  readonly name: string;
  /** The class: provider, variant (dev / prod / edge) and class patches. */
  readonly clusterClass: TalosClusterClass;
  /** Provider inputs (region, images, endpoint, credentials by reference); must match the class's provider. */
  readonly infrastructure: InfrastructureInputs;
  /** Pod, service and node networks. */
  readonly network: ClusterNetworkProps;
  /**
   * Control-plane nodes. HA classes need an odd count of at least 3 (etcd quorum).
   * @default - the class variant's count (prod 3, dev 1, edge 1)
   */
  readonly controlPlaneCount?: number;
  /**
   * Worker pools.
   * @default - one pool `workers` with the class's size and count (none for edge)
   */
  readonly workers?: readonly WorkerPoolProps[];
  /**
   * What Talos must do for the CNI: pass `CiliumNetworking.talosCniSettings` so the Talos patches
   * and the Cilium values derive from the same settings.
   * @default DEFAULT_TALOS_CNI_SETTINGS
   */
  readonly cni?: TalosCniSettings;
  /**
   * The cluster's Cilium routing and encryption, from which the provider's node firewall rules are
   * derived (AWS security groups: tunnel port, WireGuard / IPsec). Pass the values of the cluster's
   * CiliumNetworking.
   * @default CiliumDatapath.of() - native routing with WireGuard (CiliumNetworking's defaults)
   * @see https://docs.cilium.io/en/stable/operations/system_requirements/#firewall-rules
   */
  readonly ciliumDatapath?: CiliumDatapath;
  /**
   * Talos, Kubernetes and provider versions; validated at construction.
   * @default VersionSet.pinned()
   */
  readonly versions?: VersionSet;
  /**
   * Distribution: Talos, or RKE2 behind this one prop.
   * @default Distribution.talos()
   */
  readonly distribution?: Distribution;
  /**
   * What installs Cluster API and the providers on the management cluster (its controllers
   * layer construct): the cluster's Flux Kustomization waits for it.
   * @default - no recorded dependency (the providers must already be installed)
   */
  readonly management?: IConstruct;
  /**
   * Patches for this cluster only, applied after the class's patches.
   * @default - none
   */
  readonly patches?: readonly ClassPatch[];
  /**
   * Run Kubernetes with an external cloud provider (Talos `cluster.externalCloudProvider.enabled`:
   * kubelet, kube-apiserver and kube-controller-manager get `--cloud-provider=external`). Nodes then
   * register with the taint `node.cloudprovider.kubernetes.io/uninitialized` until a cloud
   * controller manager initialises them, so the workload bootstrap must install one (lib/cloud,
   * `WorkloadClusterBootstrap` `cloudControllerManager`). On AWS, kubelet also registers with the
   * node's FQDN (`machine.kubelet.registerWithFQDN`), the private DNS name the AWS CCM expects.
   * @default - true for Talos on AWS, Azure, GCP and Proxmox (their CCMs set provider IDs, addresses and zones); false on Metal3, where CAPM3 sets the provider ID itself (`Metal3Cluster.cloudProviderEnabled: false`), and with Distribution.rke2()
   * @see ../shared/upstream/ccm-aws/NOTES.md "Talos / kubelet prerequisites"
   * @see docs/decisions/0070-cloud-controller-managers.md
   */
  readonly externalCloudProvider?: boolean;
}

/** Label on every object of a workload cluster (the Cluster API convention). */
export const CLUSTER_NAME_LABEL = 'cluster.x-k8s.io/cluster-name';
/** Label naming a worker pool; MachineDeployment and MachineHealthCheck select on it. */
export const POOL_LABEL = 'infraflux.io/pool';
/** Label naming the class of a cluster. */
export const CLASS_LABEL = 'infraflux.io/cluster-class';

/** Characters Cluster API appends to a MachineDeployment name for its Machines (`-<5>-<5>`). */
const MACHINE_SUFFIX = 12;

const SYMBOL = Symbol.for('infraflux.cluster.TalosCluster');
/** Marker of lib/management's BaremetalOperator (no import: lib/cluster does not depend on lib/management). */
const BAREMETAL_OPERATOR = Symbol.for('infraflux.management.BaremetalOperator');

/**
 * CEL health check of the `Cluster` (`cluster.x-k8s.io/v1beta2`) for the `cluster-<name>`
 * Kustomization: current when `InfrastructureReady` and `ControlPlaneInitialized` are `True` (the
 * control plane answers and Cluster API wrote `<name>-kubeconfig`, what the workload bootstrap
 * needs). v1beta2 conditions are `metav1.Condition`s; `Available` is not used on purpose: it needs
 * Ready nodes, i.e. the CNI the bootstrap installs after this Kustomization is Ready.
 * @see https://fluxcd.io/flux/components/kustomize/kustomizations/#health-check-expressions
 * @see https://cluster-api.sigs.k8s.io/developer/providers/contracts/control-plane (ControlPlaneInitialized)
 */
export const CLUSTER_HEALTH_CHECK_EXPRS: ReadonlyArray<{ readonly apiVersion: string; readonly kind: string; readonly current: string }> = [
  {
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'Cluster',
    current:
      "has(status.conditions) && status.conditions.exists(e, e.type == 'InfrastructureReady' && e.status == 'True') && status.conditions.exists(e, e.type == 'ControlPlaneInitialized' && e.status == 'True')",
  },
];

/**
 * A workload cluster on Cluster API, created in the management cluster's GitOps tree: its own
 * Flux Kustomization `cluster-<name>` applies `Cluster` (`cluster.x-k8s.io/v1beta2`, no
 * topology), the provider's infrastructure cluster, the control plane (`TalosControlPlane`
 * v1alpha3 with its machine template), one MachineDeployment per worker pool with its
 * TalosConfigTemplate and machine template, and MachineHealthChecks, all in the namespace
 * `<name>`. Talos patches for Cilium come from the same {@link TalosCniSettings} the Cilium
 * construct uses.
 *
 * It owns its manifest app ({@link ManifestBackedConstruct}): `name` is the Kustomization name
 * `cluster-<name>`, `namespace` the workload cluster's namespace in the management cluster, and
 * `content` the scope of its objects (`dist/<mgmt>/releases/cluster-<name>/`).
 */
export class TalosCluster extends ManifestBackedConstruct {
  /** Whether `x` is a TalosCluster (works across copies of the library). */
  public static isTalosCluster(x: unknown): x is TalosCluster {
    return typeof x === 'object' && x !== null && SYMBOL in x;
  }

  /** The workload cluster's name. */
  public readonly clusterName: string;
  public readonly clusterClass: TalosClusterClass;
  public readonly distribution: Distribution;
  public readonly versions: VersionSet;
  /** The `Cluster` object (primary resource, id `Resource`). */
  public readonly resource: ApiObject;
  /** The provider's infrastructure cluster. */
  public readonly infrastructureCluster: ObjectRef;
  /**
   * The control-plane object (TalosControlPlane or RKE2ControlPlane); with
   * `Distribution.rke2({ clusterClass: true })` the class's RKE2ControlPlaneTemplate.
   */
  public readonly controlPlane: ApiObject;
  /** One MachineDeployment per worker pool, by pool name (empty for a topology cluster: Cluster API creates them). */
  public readonly machineDeployments: ReadonlyMap<string, ApiObject>;
  /** The Cluster API ClusterClass, with `Distribution.rke2({ clusterClass: true })`; otherwise undefined. */
  public readonly clusterClassObject: ApiObject | undefined;
  /** The networks, canonical. */
  public readonly podCidrs: readonly string[];
  public readonly serviceCidrs: readonly string[];
  public readonly nodeCidr: string;
  /** Whether the cluster runs with an external cloud provider (see {@link TalosClusterProps.externalCloudProvider}). */
  public readonly externalCloudProvider: boolean;
  private readonly talosDocs = new Map<string, TalosConfigPatch[]>();

  public constructor(scope: Construct, id: string, props: TalosClusterProps) {
    super(scope, id);
    this.checkName(props);
    this.createApp({
      name: `cluster-${props.name}`,
      namespace: props.name,
      timeout: Duration.minutes(30),
      // Flux reports cluster-<name> Ready once Cluster API has initialised the control plane (its
      // kubeconfig Secret exists): kstatus alone ignores the CAPI conditions. Not `Available`: that
      // needs Ready nodes, which need the CNI, which the bootstrap installs only after this.
      healthCheckExprs: CLUSTER_HEALTH_CHECK_EXPRS,
    });
    Object.defineProperty(this, SYMBOL, { value: true });
    this.clusterName = props.name;
    this.clusterClass = props.clusterClass;
    this.distribution = props.distribution ?? Distribution.talos();
    this.versions = props.versions ?? VersionSet.pinned();
    this.versions.validate(this);
    this.clusterClassObject = undefined;

    const cls = props.clusterClass;
    const infra = props.infrastructure;
    if (infra.provider !== cls.provider) {
      invalidProp(this, `infrastructure is for provider "${infra.provider.name}" but class "${cls.name}" is for "${cls.provider.name}"; give ${cls.provider.name} inputs or another class`);
    }
    infra._checkName(this, props.name);

    // --- networks
    const pods = (props.network.pods ?? [Cidr.of('10.244.0.0/16')]).map((c, i) => ({ what: `network.pods[${i}]`, cidr: c._parse(this, `network.pods[${i}]`) }));
    const services = (props.network.services ?? [Cidr.of('10.96.0.0/12')]).map((c, i) => ({ what: `network.services[${i}]`, cidr: c._parse(this, `network.services[${i}]`) }));
    const nodes = { what: 'network.nodes', cidr: props.network.nodes._parse(this, 'network.nodes') };
    if (pods.length === 0 || services.length === 0) invalidProp(this, 'network.pods and network.services need at least one CIDR each');
    const all = [...pods, ...services, nodes];
    for (let i = 0; i < all.length; i++) {
      for (let j = i + 1; j < all.length; j++) {
        if (Cidr._overlaps(all[i].cidr, all[j].cidr)) {
          throw new InfraFluxError(
            ErrorCode.CIDR_OVERLAP,
            this,
            `${all[j].what} ${Cidr._canonical(all[j].cidr)} overlaps ${all[i].what} ${Cidr._canonical(all[i].cidr)}; pod, service and node CIDRs must be disjoint`,
          );
        }
      }
    }
    this.podCidrs = pods.map((p) => Cidr._canonical(p.cidr));
    this.serviceCidrs = services.map((p) => Cidr._canonical(p.cidr));
    this.nodeCidr = Cidr._canonical(nodes.cidr);

    // --- control plane and pools
    const variant = cls.variant.props;
    const cpCount = props.controlPlaneCount ?? variant.controlPlaneCount;
    if (!Number.isInteger(cpCount) || cpCount < 1) throw new InfraFluxError(ErrorCode.INVALID_NODE_COUNT, this, `controlPlaneCount ${cpCount} is invalid; use 1 or more`);
    if (variant.highAvailability && (cpCount < 3 || cpCount % 2 === 0)) {
      throw new InfraFluxError(ErrorCode.INVALID_NODE_COUNT, this, `controlPlaneCount ${cpCount} is not allowed for the HA class "${cls.name}"; etcd needs an odd count of at least 3 (3, 5, 7)`);
    }
    const poolProps: readonly WorkerPoolProps[] =
      props.workers ??
      (variant.workerCount > 0 || variant.workerAutoscaling
        ? [{ name: 'workers', replicas: variant.workerCount, ...(variant.workerAutoscaling ? { autoscaling: variant.workerAutoscaling } : {}) }]
        : []);
    const pools: ResolvedPool[] = [];
    const poolNames = new Set<string>();
    for (const p of poolProps) {
      validateDnsLabel(this, 'worker pool name', p.name);
      if (poolNames.has(p.name)) invalidProp(this, `worker pool name "${p.name}" is used twice; pool names must be unique`);
      poolNames.add(p.name);
      if (p.autoscaling) {
        const { minReplicas: min, maxReplicas: max } = p.autoscaling;
        if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < Math.max(1, min)) {
          throw new InfraFluxError(ErrorCode.INVALID_NODE_COUNT, this, `worker pool "${p.name}" autoscaling ${min}-${max} is invalid; use 0 <= minReplicas <= maxReplicas, maxReplicas >= 1`);
        }
      }
      const replicas = p.autoscaling ? p.autoscaling.maxReplicas : (p.replicas ?? variant.workerCount);
      if (!Number.isInteger(replicas) || replicas < 0) throw new InfraFluxError(ErrorCode.INVALID_NODE_COUNT, this, `worker pool "${p.name}" replicas ${replicas} is invalid; use 0 or more`);
      const machineName = `${props.name}-${p.name}`;
      if (machineName.length + MACHINE_SUFFIX > infra._maxClusterNameLength) {
        throw new InfraFluxError(
          ErrorCode.NAME_TOO_LONG,
          this,
          `cluster name "${props.name}" with pool "${p.name}" is too long for ${infra.provider.name}: Machine names "${machineName}-xxxxx-xxxxx" would have ${machineName.length + MACHINE_SUFFIX} characters, the limit is ${infra._maxClusterNameLength}; shorten the cluster or pool name`,
        );
      }
      pools.push({ props: p, replicas });
    }
    if (pools.length === 0 && !variant.allowSchedulingOnControlPlanes) {
      invalidProp(this, `class "${cls.name}" has no worker pools and does not schedule on control planes; add a worker pool`);
    }

    const namespace = props.name;
    const labels = { [CLUSTER_NAME_LABEL]: props.name, [CLASS_LABEL]: cls.name };
    const allPatches = [...cls.patches, ...(props.patches ?? [])];
    const ctx: ProviderContext = {
      scope: this.content,
      owner: this,
      clusterName: props.name,
      namespace,
      nodeCidr: nodes.cidr,
      nodeCidrText: this.nodeCidr,
      labels,
      variant: cls.variant,
      controlPlaneCount: cpCount,
      workerCounts: new Map(pools.map((p) => [p.props.name, p.replicas])),
      datapath: props.ciliumDatapath ?? CiliumDatapath.of(),
      templateName: (kind, base, spec) => rotatingName(base, { spec, patches: allPatches.filter((p) => p._kind === kind).map((p) => p._jsonPatches) }),
    };
    infra._validate(ctx);
    const cpMachine = cls.controlPlaneMachine ?? infra._defaultMachine(cls.variant, NodeRole.CONTROL_PLANE);
    infra._checkMachine(this, 'control-plane machine', cpMachine);
    for (const p of pools) infra._checkMachine(this, `worker pool "${p.props.name}" machine`, p.props.machine ?? cls.workerMachine ?? infra._defaultMachine(cls.variant, NodeRole.WORKER));

    // --- dependencies: the providers on the management cluster, the credential producers
    const mgmt = GitOpsCluster.of(this);
    if (props.management) mgmt.addDependency(this, props.management);
    // Metal3: the BareMetalHost CRDs come from baremetal-operator (not a clusterctl provider).
    if (infra.provider === ClusterProvider.METAL3) {
      const bmo = mgmt.node.findAll().find((c) => typeof c === 'object' && BAREMETAL_OPERATOR in c);
      if (bmo) mgmt.addDependency(this, bmo);
      else if (props.management) {
        invalidProp(this, `Metal3 needs baremetal-operator (the BareMetalHost CRDs) in cluster "${mgmt.name}", and none was found; create the ManagementCluster with InfrastructureProviderChoice.metal3() before this cluster`);
      }
    }
    for (const producer of infra._secretProducers()) mgmt.addDependency(this, producer);

    // --- objects
    const topology = this.distribution.clusterClass;
    const className = `${cls.name}-${this.distribution.name}`;
    if (topology) {
      validateDnsLabel(this, 'ClusterClass name (class name + distribution)', className);
      infra._validateForTemplate(ctx);
    }
    this.infrastructureCluster = infra._renderCluster(ctx, topology ? props.name : undefined);
    const cpTemplate = infra._renderMachineTemplate(ctx, 'ControlPlaneMachineTemplate', `${props.name}-control-plane`, NodeRole.CONTROL_PLANE, cpMachine);

    // Talos config documents per role (strategic merge patches), generated from the same settings
    // the Cilium construct uses.
    const cni = props.cni ?? DEFAULT_TALOS_CNI_SETTINGS;
    const talos = this.distribution.kind === DistributionKind.TALOS;
    this.externalCloudProvider = props.externalCloudProvider ?? (talos && infra.provider !== ClusterProvider.METAL3);
    if (this.externalCloudProvider && !talos) {
      invalidProp(this, `externalCloudProvider true with Distribution.${this.distribution.name}(): InfraFlux switches the external cloud provider on through the Talos machine config only; leave it unset for ${this.distribution.name}`);
    }
    if (this.externalCloudProvider && infra.provider === ClusterProvider.METAL3) {
      invalidProp(this, 'externalCloudProvider true on Metal3: CAPM3 sets the nodes\' provider IDs itself (Metal3Cluster cloudProviderEnabled: false) and no cloud controller manager would initialise them; leave externalCloudProvider unset');
    }
    const common: TalosConfigPatch[] = [
      talosCiliumPatch(cni),
      // Node service logs to the node log collector on 127.0.0.1 (lib/telemetry NodeLogCollector, decision 0085).
      talosLoggingPatch({ extraTags: { cluster: props.name } }),
      {
        cluster: { network: { podSubnets: [...this.podCidrs], serviceSubnets: [...this.serviceCidrs], dnsDomain: props.network.serviceDomain ?? 'cluster.local' } },
        machine: { kubelet: { nodeIP: { validSubnets: [this.nodeCidr] } } },
      },
      // External cloud provider on every node (Talos v1.12 v1alpha1.ClusterConfig.externalCloudProvider,
      // an object with only `enabled` and `manifests`): no manifests here, the management cluster
      // installs the CCM (decision 0070). AWS also needs kubelet to register with the FQDN
      // (v1alpha1.KubeletConfig.registerWithFQDN: "required in clouds like AWS").
      ...(this.externalCloudProvider
        ? [{ cluster: { externalCloudProvider: { enabled: true } }, ...(infra.provider === ClusterProvider.AWS ? { machine: { kubelet: { registerWithFQDN: true } } } : {}) }]
        : []),
    ];
    const classPatches = (role: NodeRole): TalosConfigPatch[] => allPatches.filter((p) => p._talos && p._role._applies(role)).map((p) => p._talos as TalosConfigPatch);
    const cpDocs: TalosConfigPatch[] = [
      ...common,
      ...(variant.allowSchedulingOnControlPlanes ? [{ cluster: { allowSchedulingOnControlPlanes: true } }] : []),
      ...infra._controlPlaneDocuments(ctx),
      ...classPatches(NodeRole.CONTROL_PLANE),
    ];
    this.talosDocs.set('control-plane', cpDocs);

    const deployments = new Map<string, ApiObject>();
    if (topology) {
      const rendered = renderRke2ClusterClass({
        ctx,
        clusterName: props.name,
        clusterClass: cls,
        infra,
        infrastructureCluster: this.infrastructureCluster,
        className,
        pools,
        cpCount,
        cpTemplate,
        common,
        classPatches,
        labels,
        namespace,
        cni,
        serviceDomain: props.network.serviceDomain ?? 'cluster.local',
        versions: this.versions,
        podCidrs: this.podCidrs,
        serviceCidrs: this.serviceCidrs,
        nodeCidr: this.nodeCidr,
        talosDocs: this.talosDocs,
      });
      this.controlPlane = rendered.controlPlaneTemplate;
      this.resource = rendered.cluster;
      this.clusterClassObject = rendered.clusterClass;
    } else {
      // The distribution strategy (lib/cluster/distributions/) emits the control plane and the
      // worker bootstrap templates; everything else is the same for Talos and RKE2.
      const controlPlane = controlPlaneDistribution(this.distribution.kind);
      this.controlPlane = controlPlane.renderControlPlane({
        ctx,
        clusterName: props.name,
        namespace,
        labels,
        replicas: cpCount,
        machineTemplate: cpTemplate,
        talosDocuments: cpDocs,
        versions: this.versions,
        cni,
        serviceDomain: props.network.serviceDomain ?? 'cluster.local',
      });

      const cluster = new capi.ClusterV1Beta2(this.content, 'Resource', {
        metadata: { name: props.name, namespace, labels: { ...labels } },
        spec: {
          clusterNetwork: {
            pods: { cidrBlocks: [...this.podCidrs] },
            services: { cidrBlocks: [...this.serviceCidrs] },
            serviceDomain: props.network.serviceDomain ?? 'cluster.local',
          },
          infrastructureRef: { apiGroup: this.infrastructureCluster.apiGroup, kind: this.infrastructureCluster.kind, name: this.infrastructureCluster.name },
          controlPlaneRef: { apiGroup: this.controlPlane.apiVersion.split('/')[0], kind: this.controlPlane.kind, name: this.controlPlane.name },
        },
      });
      this.resource = cluster;

      // Control-plane health check: only for HA control planes, one machine at a time, so a
      // remediation can never take etcd below quorum.
      if (cpCount >= 3) {
        new capi.MachineHealthCheckV1Beta2(this.content, 'ControlPlaneHealthCheck', {
          metadata: { name: `${props.name}-control-plane`, namespace, labels: { ...labels } },
          spec: {
            clusterName: props.name,
            selector: { matchLabels: { [CLUSTER_NAME_LABEL]: props.name, 'cluster.x-k8s.io/control-plane': '' } },
            checks: this.checks(variant.nodeStartupSeconds, variant.unhealthySeconds),
            remediation: { triggerIf: { unhealthyLessThanOrEqualTo: capi.MachineHealthCheckV1Beta2SpecRemediationTriggerIfUnhealthyLessThanOrEqualTo.fromNumber(1) } },
          },
        });
      }

      for (const pool of pools) {
        const p = pool.props;
        const poolId = `Pool-${p.name}`;
        const machine = p.machine ?? cls.workerMachine ?? infra._defaultMachine(cls.variant, NodeRole.WORKER);
        const template = infra._renderMachineTemplate(ctx, `${poolId}-MachineTemplate`, `${props.name}-${p.name}`, NodeRole.WORKER, machine, p.failureDomain);
        const workerDocs: TalosConfigPatch[] = [
          ...common,
          ...(p.nodeLabels && Object.keys(p.nodeLabels).length > 0 ? [{ machine: { nodeLabels: { ...p.nodeLabels } } }] : []),
          ...classPatches(NodeRole.WORKER),
        ];
        this.talosDocs.set(`worker/${p.name}`, workerDocs);
        const bootstrap = controlPlane.renderWorkerBootstrap({ ctx, poolId, clusterName: props.name, namespace, labels, pool: p, talosDocuments: workerDocs, versions: this.versions });
        const selector = { [CLUSTER_NAME_LABEL]: props.name, [POOL_LABEL]: p.name };
        const md = new capi.MachineDeploymentV1Beta2(this.content, `${poolId}-MachineDeployment`, {
          metadata: {
            name: `${props.name}-${p.name}`,
            namespace,
            labels: { ...labels, [POOL_LABEL]: p.name },
            ...(p.autoscaling
              ? {
                  annotations: {
                    'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size': String(p.autoscaling.minReplicas),
                    'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size': String(p.autoscaling.maxReplicas),
                  },
                }
              : {}),
          },
          spec: {
            clusterName: props.name,
            // With the autoscaler the replica count is its business (a fixed value would fight it).
            ...(p.autoscaling ? {} : { replicas: pool.replicas }),
            selector: { matchLabels: selector },
            rollout: {
              strategy: {
                type: capi.MachineDeploymentV1Beta2SpecRolloutStrategyType.ROLLING_UPDATE,
                rollingUpdate: {
                  maxSurge: capi.MachineDeploymentV1Beta2SpecRolloutStrategyRollingUpdateMaxSurge.fromNumber(1),
                  maxUnavailable: capi.MachineDeploymentV1Beta2SpecRolloutStrategyRollingUpdateMaxUnavailable.fromNumber(0),
                },
              },
            },
            template: {
              metadata: { labels: { ...selector } },
              spec: {
                clusterName: props.name,
                // Same version as the control plane: CAPRKE2 takes the RKE2 release, CACPPT the Kubernetes version.
                version: controlPlane.machineVersion(this.versions),
                bootstrap: { configRef: { apiGroup: bootstrap.apiVersion.split('/')[0], kind: bootstrap.kind, name: bootstrap.name } },
                infrastructureRef: { apiGroup: template.apiGroup, kind: template.kind, name: template.name },
                ...(p.failureDomain ? { failureDomain: p.failureDomain } : {}),
              },
            },
          },
        });
        deployments.set(p.name, md);
        new capi.MachineHealthCheckV1Beta2(this.content, `${poolId}-HealthCheck`, {
          metadata: { name: `${props.name}-${p.name}`, namespace, labels: { ...labels, [POOL_LABEL]: p.name } },
          spec: {
            clusterName: props.name,
            selector: { matchLabels: selector },
            checks: this.checks(variant.nodeStartupSeconds, variant.unhealthySeconds),
            // Stop remediating when many nodes fail at once (a network outage, not broken machines).
            remediation: { triggerIf: { unhealthyLessThanOrEqualTo: capi.MachineHealthCheckV1Beta2SpecRemediationTriggerIfUnhealthyLessThanOrEqualTo.fromString('40%') } },
          },
        });
      }
    }
    this.machineDeployments = deployments;

    // Class and cluster JSON patches on emitted objects, applied at synth by cdk8s.
    for (const patch of allPatches.filter((p) => p._kind)) {
      const targets = this.content.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && c.kind === patch._kind);
      if (targets.length === 0) invalidProp(this, `class patch targets kind "${patch._kind}", which this cluster does not emit; emitted kinds: ${this.emittedKinds().join(', ')}`);
      for (const t of targets) t.addJsonPatch(...(patch._jsonPatches as JsonPatch[]));
    }

    // Cluster names are unique across the fleet (every management cluster).
    addCodedValidation(this, () => {
      const same = this.node.root.node.findAll().filter((c): c is TalosCluster => TalosCluster.isTalosCluster(c) && c.clusterName === this.clusterName);
      return same.length > 1 && same[0] !== this
        ? [new InfraFluxError(ErrorCode.DUPLICATE, this, `cluster name "${this.clusterName}" is already used by ${same[0].node.path}; workload cluster names must be unique in the fleet`)]
        : [];
    });
  }

  /**
   * The Talos machine-config documents of each node role, as emitted in `strategicPatches`
   * (`control-plane`, `worker/<pool>`). With RKE2 they are still computed but not emitted.
   */
  public talosDocuments(): ReadonlyMap<string, readonly TalosConfigPatch[]> {
    return this.talosDocs;
  }

  private emittedKinds(): string[] {
    return [...new Set(this.content.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject).map((o) => o.kind))].sort();
  }

  private checks(startupSeconds: number, unhealthySeconds: number): capi.MachineHealthCheckV1Beta2SpecChecks {
    return machineHealthChecks(startupSeconds, unhealthySeconds);
  }

  private checkName(props: TalosClusterProps): void {
    const name = props.name;
    if (typeof name !== 'string' || name.length > 63 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
      throw new InfraFluxError(
        ErrorCode.INVALID_PROP,
        this,
        `cluster name "${String(name)}" is not a DNS-1123 label; use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit`,
      );
    }
    const max = props.infrastructure?._maxClusterNameLength;
    const longest = `${name}-control-plane`.length + 6; // CACPPT names machines `<control plane>-<5>`
    if (max !== undefined && longest > max) {
      throw new InfraFluxError(
        ErrorCode.NAME_TOO_LONG,
        this,
        `cluster name "${name}" (${name.length} characters) is too long for ${props.infrastructure.provider.name}: control-plane Machine names "${name}-control-plane-xxxxx" would have ${longest} characters, the limit is ${max}; use at most ${max - longest + name.length} characters`,
      );
    }
  }
}
