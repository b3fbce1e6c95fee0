/**
 * The props of CiliumNetworking, in a module of their own: lib/networking/_profile.ts resolves them
 * without importing the construct (docs/architecture.md, "Folder rules": no import cycles).
 */
import { IConstruct } from 'constructs';
import { CiliumValues } from '../../imports/helm/cilium';
import { IGatewayApiCrds } from '../gateway-api/gateway-api-crds';
import { ReconcileTiming } from '../flux/kustomization';
import { Cidr } from './addresses';
import { ClusterMeshExposure, DatapathMode, Encryption, FlowLogs, RoutingMode, XdpAcceleration } from './options';

/**
 * Props of {@link CiliumNetworking}. Every capability of the design's table is on unless switched
 * off here; settings with prerequisites are resolved as docs/cilium.md describes (on when their
 * prerequisites hold, off otherwise; an explicit `true` with an unmet prerequisite is an error).
 */
export interface CiliumNetworkingProps extends ReconcileTiming {
  /**
   * Cilium on a cluster that Cluster API creates is installed and upgraded by the management
   * cluster's Flux through the cluster's kubeconfig (`WorkloadClusterBootstrap` with
   * `WorkloadCni.fromApp(cilium)`): no Flux can run in a cluster before its CNI, and one release
   * must have exactly one owner. This construct stays the single source of the values and of the
   * Talos settings; it emits no HelmRelease in this cluster's tree, and Cilium's custom resources
   * (BGP, pools, policies) in the configs layer need not wait for it.
   * @default false - this cluster's own Flux installs Cilium
   */
  readonly installedByManagementCluster?: boolean;
  /**
   * The cluster's Gateway API CRDs: required while the Gateway API controller is on (Cilium
   * starts its Gateway controller only if the CRDs exist); Cilium then waits for them.
   * @default - none: set `gatewayApiController: false`
   * @see https://docs.cilium.io/en/stable/network/servicemesh/gateway-api/gateway-api/
   */
  readonly gatewayApi?: IGatewayApiCrds;
  /**
   * Cilium's Gateway API controller (GatewayClass `cilium`).
   * @default true
   */
  readonly gatewayApiController?: boolean;
  /**
   * Cilium's Ingress controller (shared load balancer, default IngressClass).
   * @default true
   * @see https://docs.cilium.io/en/stable/network/servicemesh/ingress/
   */
  readonly ingressController?: boolean;
  /**
   * Kube-proxy replacement (Talos then runs no kube-proxy).
   * @default true
   * @see https://docs.cilium.io/en/stable/network/kubernetes/kubeproxy-free/
   */
  readonly kubeProxyReplacement?: boolean;
  /**
   * L4 load balancing with Maglev, and DSR where the routing mode allows it.
   * @default true (with kube-proxy replacement)
   */
  readonly l4LoadBalancer?: boolean;
  /**
   * XDP acceleration of north-south load balancing: NIC-dependent, so opt in.
   * @default XdpAcceleration.DISABLED
   */
  readonly xdpAcceleration?: XdpAcceleration;
  /**
   * Routing mode.
   * @default RoutingMode.native() (auto direct node routes, the pod CIDR routed natively)
   */
  readonly routingMode?: RoutingMode;
  /**
   * Pod network device.
   * @default - netkit when eBPF host routing and native routing are on, else veth
   */
  readonly datapathMode?: DatapathMode;
  /**
   * IPv4 BIG TCP: needs mlx4/mlx5/ice NICs, native routing, eBPF host routing and no encryption.
   * @default false
   * @see https://docs.cilium.io/en/stable/operations/performance/tuning/#big-tcp
   */
  readonly bigTcp?: boolean;
  /**
   * Bandwidth manager (EDT, `kubernetes.io/egress-bandwidth`).
   * @default true (with kube-proxy replacement)
   */
  readonly bandwidthManager?: boolean;
  /**
   * BBR congestion control for Pods.
   * @default - on when the bandwidth manager and eBPF host routing are on
   */
  readonly bbr?: boolean;
  /**
   * Creation-time map tuning from the tuning guide: distributed LRU, `bpf.mapDynamicSizeRatio`
   * 0.08 and `bpfClockProbe`. Changing it on a running cluster interrupts connections.
   * @default true
   */
  readonly performanceTuning?: boolean;
  /**
   * Transparent encryption.
   * @default Encryption.wireguard()
   */
  readonly encryption?: Encryption;
  /**
   * Talos `machine.features.hostDNS.forwardKubeDNSToHost`. When true, Cilium must use legacy host
   * routing (siderolabs/talos#10002), which also turns netkit and BBR off.
   * @default false
   */
  readonly talosForwardKubeDnsToHost?: boolean;
  /**
   * Talos KubePrism port (`k8sServicePort`).
   * @default 7445
   */
  readonly kubePrismPort?: number;
  /**
   * The cluster's pod CIDR (Talos `cluster.network.podSubnets`): native routing CIDR, ClusterMesh
   * and LB pool overlap checks.
   * @default Cidr.of('10.244.0.0/16') (Talos default)
   */
  readonly podCidr?: Cidr;
  /**
   * The cluster's Service CIDR (Talos `cluster.network.serviceSubnets`), for overlap checks.
   * @default Cidr.of('10.96.0.0/12') (Talos default)
   */
  readonly serviceCidr?: Cidr;
  /**
   * Node network CIDRs, for overlap checks of LB pools.
   * @default []
   */
  readonly nodeCidrs?: readonly Cidr[];
  /**
   * ClusterMesh readiness: clustermesh-apiserver deployed, `cluster.name`/`cluster.id` set.
   * Join clusters with {@link CiliumClusterMesh}.
   * @default true
   */
  readonly clusterMesh?: boolean;
  /**
   * Cluster id, 1-255, unique in the mesh. Required while ClusterMesh is on.
   * @default - none
   */
  readonly clusterId?: number;
  /**
   * How the clustermesh-apiserver is exposed.
   * @default - ClusterMeshExposure.loadBalancer() when the cluster has load balancer IPs, else nodePort()
   */
  readonly clusterMeshExposure?: ClusterMeshExposure;
  /**
   * Egress gateway (`CiliumEgressGatewayPolicy`).
   * @default true (with kube-proxy replacement)
   */
  readonly egressGateway?: boolean;
  /**
   * CiliumEndpointSlice (beta). Not supported together with the egress gateway.
   * @default false
   */
  readonly ciliumEndpointSlice?: boolean;
  /**
   * Multicast (beta): needs VXLAN tunnel routing.
   * @default - on with VXLAN tunnel routing, else off
   */
  readonly multicast?: boolean;
  /**
   * Host firewall (host policies).
   * @default true
   */
  readonly hostFirewall?: boolean;
  /**
   * BGP control plane (configure with {@link CiliumNetworking.addBgp}).
   * @default true
   */
  readonly bgpControlPlane?: boolean;
  /**
   * LB IPAM: Cilium allocates LoadBalancer IPs from `CiliumLoadBalancerIPPool`s. Switch off on
   * clouds whose load balancer controller assigns them.
   * @default true
   */
  readonly loadBalancerIpam?: boolean;
  /**
   * L2 announcements (ARP/NDP) of LoadBalancer IPs.
   * @default false
   */
  readonly l2Announcements?: boolean;
  /**
   * Interfaces Cilium attaches to (`devices`); L2 announcements only announce on these.
   * @default - auto-detected
   */
  readonly devices?: readonly string[];
  /**
   * Hubble relay + UI (the service map). The UI Service is only ever exposed through an
   * authenticated route (see {@link CiliumNetworking.hubbleUiService}).
   * @default true
   */
  readonly hubbleUi?: boolean;
  /**
   * Prometheus/OpenMetrics metrics of the agent, operator, Envoy, relay, Hubble and the
   * clustermesh-apiserver, each with a metrics Service (`metricsServices`).
   * @default true
   */
  readonly metricsExport?: boolean;
  /**
   * The construct that installs the prometheus-operator CRDs in this cluster. When given,
   * ServiceMonitors are created for every metrics endpoint and Cilium waits for the CRDs.
   * @default - no ServiceMonitors
   */
  readonly prometheusOperatorCrds?: IConstruct;
  /**
   * Hubble flow log.
   * @default FlowLogs.aggregated(30)
   */
  readonly flowLogs?: FlowLogs;
  /**
   * L7 visibility (HTTP/gRPC and DNS flows and metrics).
   * @default true
   */
  readonly l7Visibility?: boolean;
  /**
   * InfraFlux's advanced policy constructs: the zero-trust default deny ({@link CiliumNetworking.addZeroTrust})
   * and L7/FQDN policies ({@link CiliumNetworking.addL7Policy}) refuse to be created while it is off,
   * and the L7 proxy is no longer kept on for them. Cilium's policy engine itself is not changed
   * (`enableNonDefaultDenyPolicies` keeps the chart default).
   * @default true
   */
  readonly advancedPolicy?: boolean;
  /**
   * Tetragon runtime security with the baseline TracingPolicies.
   * @default true
   */
  readonly tetragon?: boolean;
  /**
   * Extra chart values, merged over InfraFlux's (escape hatch; still validated against the chart).
   * @default {}
   */
  readonly values?: CiliumValues;
}
