import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { CILIUM_CHART } from '../../imports/helm/charts';
import { CiliumValues } from '../../imports/helm/cilium';
import { deepMerge } from '../core/_merge';
import { Capability, claimCapability } from '../core/capabilities';
import { invalidProp } from '../core/errors';
import { addClusterMonitor, MonitorKind } from '../flux/cluster-monitoring';
import { ChartBackedConstruct } from '../flux/flux-app';
import { FluxLayer, GitOpsCluster, LayerName } from '../flux/gitops-cluster';
import { TalosCniSettings } from '../talos/cilium-machine-config';
import { Cidr } from './addresses';
import { ProfileDecision, ResolvedProfile, resolveProfile } from './_profile';
import type { ClusterMeshPeer, ICiliumNetworkingInternals, MeshJoinOptions } from './_cilium-api';
import type { CiliumNetworkingProps } from './cilium-networking-props';
import { ClusterMeshExposure, ServiceReference } from './options';
import { ITetragon, Tetragon, TetragonBaselinePolicies, TetragonBaselinePoliciesProps } from './tetragon';
import { CiliumBgp, CiliumBgpProps, CRITICAL_POOL_LABEL, L2Announcement, L2AnnouncementProps, LoadBalancerPool, LoadBalancerPoolProps, SelectorOperator } from './load-balancing';
import { CiliumL7Policy, CiliumL7PolicyProps, CiliumZeroTrust, EgressGatewayPolicy, EgressGatewayPolicyProps, ZeroTrustProps } from './policies';

/** Props of an intent method: the construct's props without `cilium`. */
export type WithoutCilium<T> = Omit<T, 'cilium'>;

/** Namespace Cilium (and Tetragon) run in. Never a Flux-owned Namespace. */
export const CILIUM_NAMESPACE = 'kube-system';

/** Agent capabilities on Talos: Cilium's defaults without SYS_MODULE (Talos forbids loading modules). */
export const TALOS_CILIUM_AGENT_CAPABILITIES: readonly string[] = [
  'CHOWN', 'KILL', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'SYS_ADMIN', 'SYS_RESOURCE', 'DAC_OVERRIDE', 'FOWNER', 'SETGID', 'SETUID',
];
/** clean-cilium-state init container capabilities on Talos. */
export const TALOS_CLEAN_STATE_CAPABILITIES: readonly string[] = ['NET_ADMIN', 'SYS_ADMIN', 'SYS_RESOURCE'];

/** Hubble flow log file on every node (for an OpenTelemetry Collector `filelog` receiver). */
export const HUBBLE_FLOW_LOG_PATH = '/var/run/cilium/hubble/events.log';

export type { CiliumNetworkingProps } from './cilium-networking-props';
export type { ICiliumNetworking } from './_cilium-api';

/** One capability of the design's table and whether this cluster has it on. */
export interface CapabilityState {
  readonly capability: string;
  readonly enabled: boolean;
}

export type { ClusterMeshPeer, MeshJoinOptions } from './_cilium-api';

/**
 * Cilium 1.20 as the cluster's CNI, from the pinned chart in the `controllers` layer, namespace
 * kube-system (never created or pruned by Flux). Talos-correct values (KubePrism, no cgroup
 * automount, no SYS_MODULE, kubernetes IPAM) derived from the same {@link TalosCniSettings} the
 * cluster constructs apply with `talosCiliumPatch(cilium.talosCniSettings)`.
 *
 * Every capability of the design's table is on by default (docs/cilium.md); the conflicting ones are
 * resolved or rejected at construction. Cilium custom resources (BGP, LB pools, policies) go to the
 * `configs` layer through the `add*` intent methods and wait for this app.
 *
 * `values` are InfraFlux's, the props' and the mesh's, resolved now. With
 * `installedByManagementCluster`, `installedElsewhere` is true and the cluster's tree holds no
 * objects of the release (`helmRelease` and `kustomization` are undefined).
 */
export class CiliumNetworking extends ChartBackedConstruct<CiliumValues> implements ICiliumNetworkingInternals {
  /** What Talos must do for this Cilium: apply `talosCiliumPatch(talosCniSettings)` to every node. */
  public readonly talosCniSettings: TalosCniSettings;
  /** The resolved profile: every setting, on or off, and why. */
  public readonly decisions: readonly ProfileDecision[];
  public readonly clusterName: string;
  public readonly clusterId: number | undefined;
  public readonly podCidr: Cidr;
  public readonly serviceCidr: Cidr;
  public readonly nodeCidrs: readonly Cidr[];
  /** The hubble-ui Service for the edge route helper; undefined when the UI is off. Never exposed without authentication. */
  public readonly hubbleUiService: ServiceReference | undefined;
  /**
   * Metrics Services (Prometheus/OpenMetrics) an OpenTelemetry Collector or Prometheus scrapes:
   * exactly those the chart creates for the final values (headless Services; scrape their endpoints).
   */
  public get metricsServices(): readonly ServiceReference[] {
    return metricsServicesOf(this.values);
  }
  /** Host path of the Hubble flow log on every node; undefined when flow logs are off. */
  public readonly flowLogPath: string | undefined;
  /** The Tetragon app; undefined when Tetragon is off. */
  public readonly tetragon: ITetragon | undefined;
  /** @internal */
  public readonly _profile: ResolvedProfile;
  /** @internal LB pools of this cluster (overlap checks). */
  public readonly _pools: LoadBalancerPool[] = [];
  private readonly meshPeers: ClusterMeshPeer[] = [];
  private meshCaShared = false;

  public get valuesConfigMap(): kplus.ConfigMap | undefined {
    return this.app.valuesConfigMap;
  }

  public constructor(scope: Construct, id: string, props: CiliumNetworkingProps = {}) {
    super(scope, id);
    const clusterName = GitOpsCluster.of(this).name;
    const fail = (message: string): never => invalidProp(this, message);
    const profile = resolveProfile(props, fail);
    const kubePrismPort = props.kubePrismPort ?? 7445;
    if (!Number.isInteger(kubePrismPort) || kubePrismPort < 1 || kubePrismPort > 65535) fail(`kubePrismPort ${kubePrismPort} is not a TCP port; use 1-65535 (Talos default 7445)`);
    const podCidr = props.podCidr ?? Cidr.of('10.244.0.0/16');
    const serviceCidr = props.serviceCidr ?? Cidr.of('10.96.0.0/12');
    if (podCidr.overlaps(serviceCidr)) fail(`podCidr ${podCidr} overlaps serviceCidr ${serviceCidr}; use disjoint ranges`);
    if (profile.clusterMesh) {
      if (props.clusterId === undefined) fail('clusterMesh is on but no clusterId is given; set clusterId 1-255 (unique in the mesh) or clusterMesh: false');
      validateClusterId(props.clusterId as number, fail);
      if (clusterName.length > 32) fail(`cluster name "${clusterName}" is longer than 32 characters, which ClusterMesh does not allow; use a shorter cluster name or clusterMesh: false`);
    } else if (props.clusterId !== undefined) validateClusterId(props.clusterId, fail);
    if (profile.gatewayApi && !props.gatewayApi) {
      fail('the Gateway API controller is on but no Gateway API CRDs are given; pass gatewayApi (a GatewayApiCrds in the crds layer) or set gatewayApiController: false');
    }
    if (props.prometheusOperatorCrds && !profile.metrics) fail('prometheusOperatorCrds is given but metricsExport is off; ServiceMonitors need the metrics endpoints');
    const lbIps = profile.lbIpam || profile.bgp || profile.l2;
    const exposure = props.clusterMeshExposure ?? (lbIps ? ClusterMeshExposure.loadBalancer() : ClusterMeshExposure.nodePort());

    const talosCniSettings: TalosCniSettings = {
      kubePrismPort,
      kubeProxyDisabled: profile.kpr,
      forwardKubeDNSToHost: profile.forwardKubeDnsToHost,
    };
    const values = ciliumValues({
      profile,
      talos: talosCniSettings,
      clusterName,
      clusterId: props.clusterId ?? 0,
      podCidr,
      exposure,
      devices: props.devices,
      serviceMonitors: props.prometheusOperatorCrds !== undefined,
    });

    this.createApp({
      ...props,
      chart: CILIUM_CHART,
      name: 'cilium',
      namespace: CILIUM_NAMESPACE,
      createNamespace: false,
      installedElsewhere: props.installedByManagementCluster ?? false,
      values: deepMerge(values, props.values),
    });
    const layer = FluxLayer.of(this);
    if (layer.layerName !== LayerName.CONTROLLERS) invalidProp(this, `CiliumNetworking must be created in the controllers layer (cluster.controllers), not "${layer.layerName}"`);
    // Cilium reads the keys Secret from kube-system, key `keys`.
    profile.encryption.ipsecKeys?.key('keys').use(this, 'IPsec keys', 'kube-system');
    this._profile = profile;
    this.decisions = profile.decisions;
    this.talosCniSettings = talosCniSettings;
    this.clusterName = clusterName;
    this.clusterId = props.clusterId;
    this.podCidr = podCidr;
    this.serviceCidr = serviceCidr;
    this.nodeCidrs = props.nodeCidrs ?? [];

    const cluster = GitOpsCluster.of(this);
    claimCapability(cluster, Capability.CNI, this);
    if (lbIps) claimCapability(cluster, Capability.LOAD_BALANCER_IPS, this);
    if (props.gatewayApi && profile.gatewayApi) this.addDependency(props.gatewayApi);
    if (props.prometheusOperatorCrds) this.addDependency(props.prometheusOperatorCrds);

    this.hubbleUiService = profile.hubbleUi ? { namespace: CILIUM_NAMESPACE, name: 'hubble-ui', port: 80 } : undefined;
    this.flowLogPath = profile.flowLogs ? HUBBLE_FLOW_LOG_PATH : undefined;
    // Installed by the management cluster before this cluster has the monitoring CRDs: the chart's
    // own ServiceMonitors would fail that install, so this cluster's monitoring stack (if any)
    // renders the same monitors itself (decision 0080).
    if (this.installedElsewhere && profile.metrics) {
      for (const svc of metricsServicesOf(this.values)) {
        const m = METRICS_SERVICE_MONITORS[svc.name];
        if (m) addClusterMonitor(this, { kind: MonitorKind.SERVICE_MONITOR, name: svc.name, namespace: svc.namespace, matchLabels: m.matchLabels, endpoints: [{ port: m.port }], component: this });
      }
    }
    this.tetragon = profile.tetragon
      ? new Tetragon(scope, `${id}Tetragon`, { cilium: this, serviceMonitors: props.prometheusOperatorCrds !== undefined, metrics: profile.metrics })
      : undefined;
  }

  /** The chart's own ServiceMonitors when metrics are on (the cluster's monitoring capability, decision 0080). */
  protected monitoringValues(): CiliumValues | undefined {
    const p = this._profile as ResolvedProfile | undefined;
    return p?.metrics ? ciliumMonitoringValues(p) : undefined;
  }

  /** Whether each of the design's capabilities is on (the rows of docs/cilium.md). */
  public get capabilities(): readonly CapabilityState[] {
    const p = this._profile;
    return [
      { capability: 'cni', enabled: true },
      { capability: 'kubeProxyReplacement', enabled: p.kpr },
      { capability: 'l4LoadBalancer', enabled: p.l4LoadBalancer },
      { capability: 'gatewayApi', enabled: p.gatewayApi },
      { capability: 'ingress', enabled: p.ingress },
      { capability: 'clusterMesh', enabled: p.clusterMesh },
      { capability: 'bandwidthManager', enabled: p.bandwidthManager },
      { capability: 'bgp', enabled: p.bgp },
      { capability: 'egressGateway', enabled: p.egressGateway },
      { capability: 'multicast', enabled: p.multicast },
      { capability: 'hostFirewall', enabled: p.hostFirewall },
      { capability: 'serviceMap', enabled: p.hubbleUi },
      { capability: 'metricsTracing', enabled: p.metrics },
      { capability: 'flowLogs', enabled: p.flowLogs !== undefined },
      { capability: 'l7Visibility', enabled: p.l7Visibility },
      { capability: 'encryption', enabled: p.encryption.enabled },
      { capability: 'tetragon', enabled: p.tetragon },
      { capability: 'advancedPolicy', enabled: p.advancedPolicy },
    ];
  }

  /** Whether `capability` (a name of {@link capabilities}) is on. */
  public isEnabled(capability: string): boolean {
    const found = this.capabilities.find((c) => c.capability === capability);
    if (!found) invalidProp(this, `unknown capability "${capability}"; use one of ${this.capabilities.map((c) => c.capability).join(', ')}`);
    return found.enabled;
  }

  /**
   * @internal Called by CiliumClusterMesh: connect to `peers` with the shared CA. Adds the mesh
   * values to the app (rendered at synth).
   */
  public _joinMesh(peers: readonly ClusterMeshPeer[], options: MeshJoinOptions): void {
    this.meshPeers.splice(0, this.meshPeers.length, ...peers);
    this.meshCaShared = options.sharedCa;
    const annotations = { ...options.serviceAnnotations };
    const update: CiliumValues = {
      clustermesh: {
        config: {
          enabled: true,
          clusters: this.meshPeers.map((p) => ({
            name: p.name,
            ...(p.address !== undefined ? { address: p.address } : {}),
            ...(p.ips !== undefined ? { ips: [...p.ips] } : {}),
            port: p.port,
          })),
        },
        apiserver: {
          ...(Object.keys(annotations).length > 0 ? { service: { annotations } } : {}),
          // certgen (CronJob) reuses the pre-created kube-system/cilium-ca: the shared CA. The server
          // certificate covers *.mesh.cilium.io (IP peers) plus the DNS names peers dial.
          ...(this.meshCaShared || options.serverDnsNames.length > 0
            ? {
                tls: {
                  auto: {
                    ...(this.meshCaShared ? { enabled: true, method: 'cronJob' } : {}),
                    ...(options.serverDnsNames.length > 0 ? { server: { extraDnsNames: [...options.serverDnsNames] } } : {}),
                  },
                },
              }
            : {}),
        },
      },
      ...(this.meshCaShared ? { hubble: { tls: { auto: { enabled: true, method: 'cronJob' } } } } : {}),
    };
    this.app.addValues(update);
  }

  /** BGP peering and advertisements (configs layer). */
  public addBgp(props: WithoutCilium<CiliumBgpProps>): CiliumBgp {
    return new CiliumBgp(this.configsLayer, `${this.node.id}Bgp`, { ...props, cilium: this });
  }

  /** An LB IPAM pool (configs layer); its name defaults to `id`. */
  public addLoadBalancerPool(id: string, props: WithoutCilium<LoadBalancerPoolProps>): LoadBalancerPool {
    return new LoadBalancerPool(this.configsLayer, `${this.node.id}Pool-${id}`, { ...props, name: props.name ?? id, cilium: this });
  }

  /**
   * The design's two pools: `main` for every LoadBalancer Service without the label
   * `priority: critical`, and `critical` for those with it.
   */
  public addDefaultPools(main: readonly Cidr[], critical: readonly Cidr[]): { main: LoadBalancerPool; critical: LoadBalancerPool } {
    return {
      main: this.addLoadBalancerPool('main', {
        name: 'main-pool',
        blocks: main,
        serviceSelector: { matchExpressions: [{ key: CRITICAL_POOL_LABEL, operator: SelectorOperator.NOT_IN, values: ['critical'] }] },
      }),
      critical: this.addLoadBalancerPool('critical', {
        name: 'critical-pool',
        blocks: critical,
        serviceSelector: { matchLabels: { [CRITICAL_POOL_LABEL]: 'critical' } },
      }),
    };
  }

  /** An L2 announcement policy (configs layer); needs `l2Announcements: true`. */
  public addL2Announcement(id: string, props: WithoutCilium<L2AnnouncementProps> = {}): L2Announcement {
    return new L2Announcement(this.configsLayer, `${this.node.id}L2-${id}`, { ...props, name: props.name ?? id, cilium: this });
  }

  /** An egress gateway policy (configs layer). */
  public addEgressGatewayPolicy(id: string, props: WithoutCilium<EgressGatewayPolicyProps>): EgressGatewayPolicy {
    return new EgressGatewayPolicy(this.configsLayer, `${this.node.id}Egress-${id}`, { ...props, name: props.name ?? id, cilium: this });
  }

  /** The zero-trust baseline (configs layer). */
  public addZeroTrust(props: WithoutCilium<ZeroTrustProps> = {}): CiliumZeroTrust {
    return new CiliumZeroTrust(this.configsLayer, `${this.node.id}ZeroTrust`, { ...props, cilium: this });
  }

  /** A policy with typed L7 rules (configs layer). */
  public addL7Policy(id: string, props: WithoutCilium<CiliumL7PolicyProps>): CiliumL7Policy {
    return new CiliumL7Policy(this.configsLayer, `${this.node.id}L7-${id}`, { ...props, name: props.name ?? id, cilium: this });
  }

  /** Tetragon's baseline TracingPolicies (configs layer); needs `tetragon` on. */
  public addTetragonBaseline(props: Omit<TetragonBaselinePoliciesProps, 'tetragon'> = {}): TetragonBaselinePolicies {
    if (!this.tetragon) invalidProp(this, 'Tetragon is off on this cluster (tetragon: false); switch it on to add its baseline policies');
    return new TetragonBaselinePolicies(this.configsLayer, `${this.node.id}TetragonBaseline`, { ...props, tetragon: this.tetragon });
  }

  private get configsLayer(): FluxLayer {
    return GitOpsCluster.of(this).configs;
  }

  /** The peers this cluster connects to in its mesh. */
  public get clusterMeshPeers(): readonly ClusterMeshPeer[] {
    return [...this.meshPeers];
  }
}

function validateClusterId(id: number, fail: (m: string) => never): void {
  if (!Number.isInteger(id) || id < 1 || id > 255) {
    fail(`clusterId ${id} is invalid; use 1-255 (0 is reserved for clusters outside a mesh)`);
  }
}

interface ValuesInput {
  readonly profile: ResolvedProfile;
  readonly talos: TalosCniSettings;
  readonly clusterName: string;
  readonly clusterId: number;
  readonly podCidr: Cidr;
  readonly exposure: ClusterMeshExposure;
  readonly devices?: readonly string[];
  readonly serviceMonitors: boolean;
}

/** The chart values for a resolved profile (every key exists in the pinned values.yaml or the allow-list). */
function ciliumValues(input: ValuesInput): CiliumValues {
  const { profile: p, talos } = input;
  const sm = input.serviceMonitors;
  const hubbleMetrics = [
    'drop',
    'tcp',
    'flow',
    'port-distribution',
    'icmp',
    'policy:sourceContext=app|workload-name|pod|reserved-identity;destinationContext=app|workload-name|pod|dns|reserved-identity;labelsContext=source_namespace,destination_namespace',
    ...(p.l7Visibility
      ? [
          'dns:query;ignoreAAAA',
          'httpV2:exemplars=true;labelsContext=source_ip,source_namespace,source_workload,destination_ip,destination_namespace,destination_workload,traffic_direction',
        ]
      : []),
  ];
  const values: CiliumValues = {
    // --- Talos (derived from TalosCniSettings: one source of truth with talosCiliumPatch)
    k8sServiceHost: 'localhost',
    k8sServicePort: talos.kubePrismPort,
    kubeProxyReplacement: talos.kubeProxyDisabled,
    ipam: { mode: 'kubernetes' },
    cgroup: { autoMount: { enabled: false }, hostRoot: '/sys/fs/cgroup' },
    securityContext: {
      capabilities: {
        ciliumAgent: [...TALOS_CILIUM_AGENT_CAPABILITIES],
        cleanCiliumState: [...TALOS_CLEAN_STATE_CAPABILITIES],
      },
    },
    cluster: { name: input.clusterName, id: input.clusterId },
    rollOutCiliumPods: true,
    // --- routing and datapath
    routingMode: p.routing.mode,
    ...(p.routing.isNative
      ? { ipv4NativeRoutingCIDR: (p.routing.nativeRoutingCidr ?? input.podCidr).text, autoDirectNodeRoutes: p.routing.autoDirectNodeRoutes }
      : { tunnelProtocol: p.routing.tunnelProtocol }),
    ...(input.devices ? { devices: input.devices.join(' ') } : {}),
    bpf: {
      masquerade: p.bpfMasquerade,
      hostLegacyRouting: !p.ebpfHostRouting,
      datapathMode: p.datapathMode.value,
      ...(p.performanceTuning ? { distributedLRU: { enabled: true }, mapDynamicSizeRatio: 0.08 } : {}),
    },
    bpfClockProbe: p.performanceTuning,
    enableIPv4BIGTCP: p.bigTcp,
    bandwidthManager: { enabled: p.bandwidthManager, bbr: p.bbr },
    // --- L4 load balancing
    ...(p.l4LoadBalancer
      ? {
          loadBalancer: {
            algorithm: 'maglev',
            mode: p.lbMode,
            ...(p.dsrDispatch ? { dsrDispatch: p.dsrDispatch } : {}),
            acceleration: p.xdp.value,
          },
        }
      : { loadBalancer: { acceleration: p.xdp.value } }),
    // --- LB IPs
    enableLBIPAM: p.lbIpam,
    defaultLBServiceIPAM: p.lbIpam ? 'lbipam' : 'none',
    bgpControlPlane: { enabled: p.bgp },
    l2announcements: { enabled: p.l2 },
    ...(p.l2 ? { k8sClientRateLimit: { qps: 50, burst: 100 } } : {}),
    // --- edge
    gatewayAPI: { enabled: p.gatewayApi },
    ingressController: p.ingress ? { enabled: true, loadbalancerMode: 'shared', default: true } : { enabled: false },
    l7Proxy: p.l7Proxy,
    // --- multi-cluster
    clustermesh: {
      useAPIServer: p.clusterMesh,
      ...(p.clusterMesh
        ? { apiserver: { service: { type: input.exposure.serviceType, ...(input.exposure.nodePort ? { nodePort: input.exposure.nodePort } : {}) } } }
        : {}),
    },
    // --- egress, multicast, host firewall, policy
    egressGateway: { enabled: p.egressGateway },
    ciliumEndpointSlice: { enabled: p.ciliumEndpointSlice },
    ...(p.multicast ? { extraConfig: { 'multicast-enabled': 'true' } } : {}),
    hostFirewall: { enabled: p.hostFirewall },
    // advancedPolicy gates InfraFlux's policy constructs only; enableNonDefaultDenyPolicies (which
    // governs policies that do not default-deny) keeps the chart default.
    policyEnforcementMode: 'default',
    // --- encryption
    encryption: p.encryption.enabled
      ? {
          enabled: true,
          type: p.encryption.type,
          ...(p.encryption.type === 'wireguard' ? { nodeEncryption: p.encryption.nodeEncryption } : {}),
          ...(p.encryption.type === 'ipsec' ? { ipsec: { secretName: p.encryption.ipsecKeys?.name } } : {}),
        }
      : { enabled: false },
    // --- observability
    // metricsService: the agent (hostNetwork) and operator metrics Services exist without ServiceMonitors too.
    // The cluster's monitoring capability turns the ServiceMonitors on (monitoringValues(), merged over these).
    prometheus: { enabled: p.metrics, metricsService: p.metrics, serviceMonitor: { enabled: sm } },
    operator: { prometheus: { enabled: p.metrics, metricsService: p.metrics, serviceMonitor: { enabled: sm } } },
    envoy: { prometheus: { enabled: p.metrics, serviceMonitor: { enabled: sm } } },
    hubble: {
      enabled: true,
      metrics: p.metrics
        ? { enabled: hubbleMetrics, enableOpenMetrics: true, serviceMonitor: { enabled: sm } }
        : { enabled: null },
      relay: {
        enabled: true,
        ...(p.metrics ? { prometheus: { enabled: true, serviceMonitor: { enabled: sm } } } : {}),
      },
      ui: { enabled: p.hubbleUi },
      ...(p.flowLogs
        ? {
            export: {
              static: {
                enabled: true,
                filePath: HUBBLE_FLOW_LOG_PATH,
                allowList: [...p.flowLogs.allowList],
                ...(p.flowLogs.aggregationSeconds > 0
                  ? {
                      fieldAggregate: ['source.namespace', 'source.workloads', 'destination.namespace', 'destination.workloads', 'l4', 'verdict', 'drop_reason_desc'],
                      aggregationInterval: `${p.flowLogs.aggregationSeconds}s`,
                    }
                  : {}),
              },
            },
          }
        : {}),
      redact: { enabled: true, http: { urlQuery: true, userInfo: true } },
    },
  };
  if (p.clusterMesh) {
    (values as Record<string, any>).clustermesh.apiserver.metrics = {
      enabled: p.metrics,
      etcd: { enabled: p.metrics },
      kvstoremesh: { enabled: p.metrics },
      ...(sm ? { serviceMonitor: { enabled: true } } : {}),
    };
  }
  return values;
}

function monitor(on: boolean): { serviceMonitor?: { enabled: boolean } } {
  return on ? { serviceMonitor: { enabled: true } } : {};
}

/**
 * The chart's ServiceMonitors (templates/cilium-agent/servicemonitor.yaml, cilium-operator/,
 * cilium-envoy/, hubble/, hubble-relay/, clustermesh-apiserver/servicemonitor.yaml) for a profile
 * with metrics: what the cluster's monitoring capability turns on.
 */
function ciliumMonitoringValues(p: ResolvedProfile): CiliumValues {
  const on = monitor(true);
  return {
    prometheus: on,
    operator: { prometheus: on },
    envoy: { prometheus: on },
    hubble: { metrics: on, relay: { prometheus: on } },
    ...(p.clusterMesh ? { clustermesh: { apiserver: { metrics: on } } } : {}),
  } as CiliumValues;
}

/**
 * Selector and port of each metrics Service the chart creates (the `spec.selector.matchLabels` and
 * endpoint `port` of its ServiceMonitor templates, cilium/cilium install/kubernetes/cilium/templates/*\/servicemonitor.yaml),
 * for the monitors the workload's stack renders when the management cluster installs Cilium.
 */
const METRICS_SERVICE_MONITORS: Readonly<Record<string, { readonly matchLabels: Record<string, string>; readonly port: string }>> = {
  'cilium-agent': { matchLabels: { 'k8s-app': 'cilium' }, port: 'metrics' },
  'cilium-operator': { matchLabels: { 'io.cilium/app': 'operator', name: 'cilium-operator' }, port: 'metrics' },
  'cilium-envoy': { matchLabels: { 'k8s-app': 'cilium-envoy' }, port: 'metrics' },
  'hubble-metrics': { matchLabels: { 'k8s-app': 'hubble' }, port: 'hubble-metrics' },
  'hubble-relay-metrics': { matchLabels: { 'k8s-app': 'hubble-relay' }, port: 'metrics' },
};

/** Chart defaults (pinned values.yaml) of the metrics ports. */
const DEFAULT_METRICS_PORTS = { agent: 9962, operator: 9963, envoy: 9964, hubble: 9965, relay: 9966, clustermeshApiserver: 9962 } as const;

/**
 * @internal The metrics Services the chart creates for `values`, mirroring the conditions of its
 * templates (cilium-agent/service.yaml, cilium-operator/service.yaml, cilium-envoy/service.yaml,
 * hubble/metrics-service.yaml, hubble-relay/metrics-service.yaml, clustermesh-apiserver/metrics-service.yaml).
 * @see https://github.com/cilium/cilium/pull/36013 (metricsService decouples the agent/operator Services from ServiceMonitors)
 */
export function metricsServicesOf(values: CiliumValues): ServiceReference[] {
  const v = values as Record<string, any>;
  const on = (x: unknown): boolean => x === true;
  const port = (x: unknown, fallback: number): number => (x === undefined || x === null ? fallback : Number(x));
  const out: ServiceReference[] = [];
  const add = (name: string, p: number) => out.push({ namespace: CILIUM_NAMESPACE, name, port: p });
  const prom = v.prometheus ?? {};
  if (on(prom.enabled) && (on(prom.serviceMonitor?.enabled) || on(prom.metricsService))) add('cilium-agent', port(prom.port, DEFAULT_METRICS_PORTS.agent));
  const op = v.operator?.prometheus ?? {};
  if (v.operator?.enabled !== false && (op.enabled ?? true) === true && (on(op.serviceMonitor?.enabled) || on(op.metricsService))) {
    add('cilium-operator', port(op.port, DEFAULT_METRICS_PORTS.operator));
  }
  // envoyDaemonSetEnabled: l7Proxy on and envoy.enabled not false (default on for new installations).
  const envoy = v.envoy ?? {};
  if ((v.l7Proxy ?? true) === true && envoy.enabled !== false && (envoy.prometheus?.enabled ?? true) === true) {
    add('cilium-envoy', port(envoy.prometheus?.port, DEFAULT_METRICS_PORTS.envoy));
  }
  const hubble = v.hubble ?? {};
  const hubbleOn = (hubble.enabled ?? true) === true;
  if (hubbleOn && Array.isArray(hubble.metrics?.enabled) && hubble.metrics.enabled.length > 0) add('hubble-metrics', port(hubble.metrics.port, DEFAULT_METRICS_PORTS.hubble));
  if (hubbleOn && on(hubble.relay?.enabled) && on(hubble.relay?.prometheus?.enabled)) add('hubble-relay-metrics', port(hubble.relay.prometheus.port, DEFAULT_METRICS_PORTS.relay));
  const cm = v.clustermesh ?? {};
  const cmMetrics = cm.apiserver?.metrics ?? {};
  if (on(cm.useAPIServer) && (cmMetrics.enabled ?? true) === true) {
    add('clustermesh-apiserver-metrics', port(cmMetrics.port, DEFAULT_METRICS_PORTS.clustermeshApiserver));
  }
  return out;
}

/** @internal For tests: the profile decisions of a props set without building a construct. */
export function _resolve(props: CiliumNetworkingProps): readonly ProfileDecision[] {
  return resolveProfile(props, (m) => invalidProp('CiliumNetworking', m)).decisions;
}
