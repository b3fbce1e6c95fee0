import { ApiObject, JsonPatch } from 'cdk8s';
import { parse } from 'yaml';
import { Fleet, FluxApp, GatewayApiCrds, GitOpsCluster } from '../../lib';
import { Capability, claimCapability } from '../../lib/core/capabilities';
import {
  Cidr,
  CiliumNetworking,
  CiliumNetworkingProps,
  DatapathMode,
  Encryption,
  FlowLogs,
  RoutingMode,
  TunnelProtocol,
  XdpAcceleration,
} from '../../lib/networking';
import { talosCiliumPatch } from '../../lib/talos/cilium-machine-config';
import { validateFleetManifests } from '../../lib/validation';
import { UpstreamCache } from '../../lib/upstream/lock';
import { CILIUM_CHART, PROMETHEUS_OPERATOR_CRDS_CHART } from '../../imports/helm/charts';
import { manifest, manifestsByFile, testCluster } from '../support/fleet';
import { ErrorCode } from '../../lib/core/errors';
import { SecretReference } from '../../lib/secrets/secret-reference';
import { thrownBy } from '../support/errors';

function build(props: CiliumNetworkingProps = {}, withCrds = true): { fleet: Fleet; cluster: GitOpsCluster; cilium: CiliumNetworking } {
  const { fleet, cluster } = testCluster();
  const gatewayApi = withCrds ? new GatewayApiCrds(cluster.crds, 'GatewayApi') : undefined;
  const cilium = new CiliumNetworking(cluster.controllers, 'Cilium', { gatewayApi, clusterId: 1, ...props });
  return { fleet, cluster, cilium };
}

function values(fleet: Fleet): Record<string, any> {
  return parse(manifest(fleet, 'test/releases/cilium/configmap-cilium-values.yaml').data['values.yaml']);
}

describe('CiliumNetworking', () => {
  test('installs the pinned chart in kube-system without owning the namespace', () => {
    // GIVEN / WHEN
    const { fleet } = build();
    // THEN
    const release = manifest(fleet, 'test/releases/cilium/helmrelease-cilium.yaml');
    // the release lives in flux-system (decision 0094) and installs into kube-system
    expect(release.metadata).toMatchObject({ name: 'cilium', namespace: 'flux-system' });
    expect(release.spec).toMatchObject({ targetNamespace: 'kube-system', storageNamespace: 'kube-system' });
    expect(release.spec.chart.spec).toMatchObject({ chart: 'cilium', version: CILIUM_CHART.version });
    expect(fleet.manifests().filter((m) => (m.object as { kind: string }).kind === 'Namespace')).toEqual([]);
    expect(manifestsByFile(fleet)).toMatchSnapshot();
  });

  test('every synthesized object and the chart values validate against the pinned schemas', () => {
    const { fleet } = build();
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
  });

  test('sets the Talos values from the same settings it hands to talosCiliumPatch', () => {
    const { fleet, cilium } = build({ kubePrismPort: 7446 });
    const v = values(fleet);
    expect(v).toMatchObject({
      k8sServiceHost: 'localhost',
      k8sServicePort: 7446,
      kubeProxyReplacement: true,
      ipam: { mode: 'kubernetes' },
      cgroup: { autoMount: { enabled: false }, hostRoot: '/sys/fs/cgroup' },
    });
    expect(v.securityContext.capabilities.ciliumAgent).not.toContain('SYS_MODULE');
    expect(cilium.talosCniSettings).toEqual({ kubePrismPort: 7446, kubeProxyDisabled: true, forwardKubeDNSToHost: false });
    const patch = talosCiliumPatch(cilium.talosCniSettings) as any;
    expect(patch.machine.features.kubePrism.port).toBe(v.k8sServicePort);
    expect(patch.cluster.proxy.disabled).toBe(v.kubeProxyReplacement);
    expect(patch.machine.features.hostDNS.forwardKubeDNSToHost).toBe(false);
    expect(v.bpf.hostLegacyRouting).toBe(false);
  });

  test('keeps Talos forwardKubeDNSToHost working by switching to legacy host routing (and netkit/BBR off)', () => {
    const { fleet, cilium } = build({ talosForwardKubeDnsToHost: true });
    const v = values(fleet);
    expect(v.bpf.hostLegacyRouting).toBe(true);
    expect(v.bpf.datapathMode).toBe('veth');
    expect(v.bandwidthManager.bbr).toBe(false);
    expect(cilium.talosCniSettings.forwardKubeDNSToHost).toBe(true);
  });

  test('without kube-proxy replacement Talos keeps kube-proxy', () => {
    const { fleet, cilium } = build({ kubeProxyReplacement: false, gatewayApiController: false, ingressController: false }, false);
    expect(values(fleet).kubeProxyReplacement).toBe(false);
    expect(cilium.talosCniSettings.kubeProxyDisabled).toBe(false);
    expect((talosCiliumPatch(cilium.talosCniSettings) as any).cluster.proxy.disabled).toBe(false);
  });

  test('claims the CNI and LoadBalancer IP capabilities, so MetalLB conflicts at synth', () => {
    const { fleet, cluster } = build();
    const metallb = new ApiObject(cluster.controllers, 'MetalLB', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' } });
    claimCapability(cluster, Capability.LOAD_BALANCER_IPS, metallb);
    expect(() => fleet.manifests()).toThrow(/claims "load-balancer-ips", which test\/controllers\/Cilium already provides/);
  });

  test('does not claim LoadBalancer IPs when LB IPAM, BGP and L2 are off', () => {
    const { fleet, cluster } = build({ loadBalancerIpam: false, bgpControlPlane: false });
    claimCapability(cluster, Capability.LOAD_BALANCER_IPS, cluster.controllers);
    expect(() => fleet.manifests()).not.toThrow();
  });

  test('waits for the Gateway API CRDs', () => {
    const { fleet } = build();
    expect(manifest(fleet, 'test/flux-system/kustomization-controllers.yaml').spec.dependsOn).toEqual([{ name: 'crds', namespace: 'flux-system' }]);
  });

  test('creates ServiceMonitors only when the prometheus-operator CRDs are given, and waits for them', () => {
    // GIVEN: no Gateway API, so the crds layer dependency can only come from prometheusOperatorCrds
    const noGateway: CiliumNetworkingProps = { gatewayApiController: false };
    const without = build(noGateway, false);
    const off = values(without.fleet);
    expect(off.prometheus.serviceMonitor.enabled).toBe(false);
    expect(off.hubble.metrics.serviceMonitor.enabled).toBe(false);
    expect(manifest(without.fleet, 'test/flux-system/kustomization-controllers.yaml').spec.dependsOn ?? []).not.toContainEqual({ name: 'crds', namespace: 'flux-system' });
    // WHEN
    const { fleet, cluster } = testCluster();
    const crds = new FluxApp(cluster.crds, 'PromCrds', { chart: PROMETHEUS_OPERATOR_CRDS_CHART, name: 'prometheus-operator-crds', namespace: 'monitoring' });
    new CiliumNetworking(cluster.controllers, 'Cilium', { ...noGateway, clusterId: 1, prometheusOperatorCrds: crds });
    // THEN
    const on = values(fleet);
    expect(on.prometheus.serviceMonitor.enabled).toBe(true);
    expect(on.operator.prometheus.serviceMonitor.enabled).toBe(true);
    expect(on.hubble.metrics.serviceMonitor.enabled).toBe(true);
    expect(on.hubble.relay.prometheus.serviceMonitor.enabled).toBe(true);
    expect(on.envoy.prometheus.serviceMonitor.enabled).toBe(true);
    expect(on.clustermesh.apiserver.metrics.serviceMonitor.enabled).toBe(true);
    expect(manifest(fleet, 'test/flux-system/kustomization-controllers.yaml').spec.dependsOn).toEqual([{ name: 'crds', namespace: 'flux-system' }]);
  });

  test('lists exactly the metrics Services the chart creates for its values', () => {
    // The chart's conditions (cilium 1.20 templates: cilium-agent/service.yaml, cilium-operator/service.yaml,
    // cilium-envoy/service.yaml + envoyDaemonSetEnabled, hubble/metrics-service.yaml,
    // hubble-relay/metrics-service.yaml, clustermesh-apiserver/metrics-service.yaml) and their ports
    // (pinned values.yaml defaults unless set).
    const chartDefaults = parse(UpstreamCache.default().read('cilium/chart/values.yaml'));
    const get = (v: Record<string, any>, path: string): any => path.split('.').reduce((o, k) => (o === undefined || o === null ? undefined : o[k]), v as any);
    const val = (v: Record<string, any>, path: string): any => get(v, path) ?? get(chartDefaults, path);
    const chartServices = (v: Record<string, any>): Array<{ name: string; port: number }> =>
      [
        { name: 'cilium-agent', created: val(v, 'prometheus.enabled') && (val(v, 'prometheus.serviceMonitor.enabled') || val(v, 'prometheus.metricsService')), port: val(v, 'prometheus.port') },
        { name: 'cilium-operator', created: val(v, 'operator.enabled') && val(v, 'operator.prometheus.enabled') && (val(v, 'operator.prometheus.serviceMonitor.enabled') || val(v, 'operator.prometheus.metricsService')), port: val(v, 'operator.prometheus.port') },
        { name: 'cilium-envoy', created: val(v, 'l7Proxy') && get(v, 'envoy.enabled') !== false && val(v, 'envoy.prometheus.enabled'), port: val(v, 'envoy.prometheus.port') },
        { name: 'hubble-metrics', created: val(v, 'hubble.enabled') && (val(v, 'hubble.metrics.enabled') ?? []).length > 0, port: val(v, 'hubble.metrics.port') },
        { name: 'hubble-relay-metrics', created: val(v, 'hubble.enabled') && val(v, 'hubble.relay.enabled') && val(v, 'hubble.relay.prometheus.enabled'), port: val(v, 'hubble.relay.prometheus.port') },
        { name: 'clustermesh-apiserver-metrics', created: val(v, 'clustermesh.useAPIServer') && val(v, 'clustermesh.apiserver.metrics.enabled'), port: val(v, 'clustermesh.apiserver.metrics.port') },
      ]
        .filter((x) => x.created)
        .map((x) => ({ name: x.name, port: Number(x.port) }));
    const cases: CiliumNetworkingProps[] = [
      {},
      { metricsExport: false },
      { clusterMesh: false, clusterId: undefined },
      { l7Visibility: false, advancedPolicy: false, gatewayApiController: false, ingressController: false },
      { values: { envoy: { enabled: false }, hubble: { relay: { enabled: false } } } },
    ];
    for (const props of cases) {
      const { fleet, cilium } = build(props);
      const v = values(fleet);
      expect(cilium.metricsServices.map((x) => ({ name: x.name, port: x.port }))).toEqual(chartServices(v));
      expect(cilium.metricsServices.every((x) => x.namespace === 'kube-system')).toBe(true);
    }
    // Everything on by default: the agent and operator Services exist without ServiceMonitors (metricsService).
    const { fleet, cilium } = build();
    expect(values(fleet).prometheus.metricsService).toBe(true);
    expect(values(fleet).operator.prometheus.metricsService).toBe(true);
    expect(cilium.metricsServices).toEqual([
      { namespace: 'kube-system', name: 'cilium-agent', port: 9962 },
      { namespace: 'kube-system', name: 'cilium-operator', port: 9963 },
      { namespace: 'kube-system', name: 'cilium-envoy', port: 9964 },
      { namespace: 'kube-system', name: 'hubble-metrics', port: 9965 },
      { namespace: 'kube-system', name: 'hubble-relay-metrics', port: 9966 },
      { namespace: 'kube-system', name: 'clustermesh-apiserver-metrics', port: 9962 },
    ]);
    expect(build({ metricsExport: false }).cilium.metricsServices).toEqual([]);
  });

  test('exposes typed references for the edge and OpenTelemetry, and creates no route', () => {
    const { fleet, cilium } = build();
    expect(cilium.hubbleUiService).toEqual({ namespace: 'kube-system', name: 'hubble-ui', port: 80 });
    expect(cilium.flowLogPath).toBe('/var/run/cilium/hubble/events.log');
    expect(cilium.metricsServices.map((s) => s.name)).toContain('hubble-metrics');
    expect(fleet.manifests().map((m) => (m.object as { kind: string }).kind)).not.toContain('HTTPRoute');
    expect(build({ hubbleUi: false }).cilium.hubbleUiService).toBeUndefined();
  });

  test('merges extra values over its own, and the HelmRelease stays patchable', () => {
    const { fleet, cilium } = build({ values: { operator: { replicas: 3 } } });
    ApiObject.of(cilium.helmRelease!).addJsonPatch(JsonPatch.add('/spec/timeout', '10m'));
    expect(values(fleet).operator).toMatchObject({ replicas: 3, prometheus: { enabled: true } });
    expect(manifest(fleet, 'test/releases/cilium/helmrelease-cilium.yaml').spec.timeout).toBe('10m');
  });

  test('IPsec takes its keys by Secret reference', () => {
    const { fleet } = build({ encryption: Encryption.ipsec({ keys: SecretReference.fromSealedSecret('cilium-ipsec-keys', 'kube-system') }) });
    expect(values(fleet).encryption).toEqual({ enabled: true, type: 'ipsec', ipsec: { secretName: 'cilium-ipsec-keys' } });
  });

  test('flow logs: aggregated by default, drops only, or off', () => {
    expect(values(build().fleet).hubble.export.static).toMatchObject({ enabled: true, aggregationInterval: '30s', filePath: '/var/run/cilium/hubble/events.log' });
    expect(values(build({ flowLogs: FlowLogs.dropsOnly() }).fleet).hubble.export.static.allowList).toEqual(['{"verdict":["DROPPED","ERROR"]}']);
    expect(values(build({ flowLogs: FlowLogs.disabled() }).fleet).hubble.export).toBeUndefined();
  });
});

describe('CiliumNetworking validation', () => {
  test('fails when the Gateway API controller is on without the CRDs', () => {
    expect(() => build({}, false)).toThrow(/\[test\/controllers\/Cilium\] the Gateway API controller is on but no Gateway API CRDs are given/);
  });
  test('fails when ClusterMesh is on without a clusterId', () => {
    expect(() => build({ clusterId: undefined })).toThrow(/clusterMesh is on but no clusterId is given/);
  });
  test('fails on clusterId 0', () => {
    expect(() => build({ clusterId: 0 })).toThrow(/clusterId 0 is invalid; use 1-255/);
  });
  test('fails on clusterId above 255', () => {
    expect(() => build({ clusterId: 256 })).toThrow(/clusterId 256 is invalid; use 1-255/);
  });
  test('fails on overlapping pod and service CIDRs', () => {
    expect(() => build({ podCidr: Cidr.of('10.96.0.0/16') })).toThrow(/podCidr 10.96.0.0\/16 overlaps serviceCidr 10.96.0.0\/12/);
  });
  test('fails outside the controllers layer', () => {
    const { cluster } = testCluster();
    const gatewayApi = new GatewayApiCrds(cluster.crds, 'GatewayApi');
    expect(() => new CiliumNetworking(cluster.configs, 'Cilium', { gatewayApi, clusterId: 1 })).toThrow(/must be created in the controllers layer/);
  });
  test('fails on an invalid KubePrism port', () => {
    expect(() => build({ kubePrismPort: 0 })).toThrow(/kubePrismPort 0 is not a TCP port/);
  });
  test('fails on a cluster name longer than 32 characters while ClusterMesh is on', () => {
    const { cluster } = testCluster('a-very-long-cluster-name-for-the-mesh');
    const gatewayApi = new GatewayApiCrds(cluster.crds, 'GatewayApi');
    expect(() => new CiliumNetworking(cluster.controllers, 'Cilium', { gatewayApi, clusterId: 1 })).toThrow(/cluster name "a-very-long-cluster-name-for-the-mesh" is longer than 32 characters/);
  });
  test('fails on an IPsec key Secret name that is not a DNS name', () => {
    expect(() => build({ encryption: Encryption.ipsec({ keys: SecretReference.fromSealedSecret('Bad_Secret', 'kube-system') }) })).toThrow(/IPsec keys secret name "Bad_Secret" is not a DNS-1123 subdomain/);
  });
  test('fails on an IPsec key Secret outside kube-system', () => {
    const error = thrownBy(() => build({ encryption: Encryption.ipsec({ keys: SecretReference.fromSealedSecret('cilium-ipsec-keys', 'cilium') }) }));
    expect(error.code).toBe(ErrorCode.SECRET_NAMESPACE_MISMATCH);
    expect(error.message).toContain('IPsec keys Secret cilium/cilium-ipsec-keys is in namespace "cilium", but the consumer reads Secrets only from "kube-system"');
  });
  test('fails on an unknown capability name in isEnabled', () => {
    const { cilium } = build();
    expect(() => cilium.isEnabled('teleport')).toThrow(/unknown capability "teleport"; use one of cni, kubeProxyReplacement/);
  });
  test('fails on ServiceMonitors without metrics', () => {
    const { cluster } = testCluster();
    const gatewayApi = new GatewayApiCrds(cluster.crds, 'GatewayApi');
    expect(() => new CiliumNetworking(cluster.controllers, 'Cilium', { gatewayApi, clusterId: 1, metricsExport: false, prometheusOperatorCrds: gatewayApi })).toThrow(/ServiceMonitors need the metrics endpoints/);
  });
});

describe('CiliumNetworking conflict rules', () => {
  test('fails on BIG TCP with WireGuard', () => {
    expect(() => build({ bigTcp: true })).toThrow(/bigTcp cannot be combined with wireguard encryption/);
  });
  test('fails on BIG TCP with IPsec', () => {
    expect(() => build({ bigTcp: true, encryption: Encryption.ipsec({ keys: SecretReference.fromSealedSecret('k', 'kube-system') }) })).toThrow(/bigTcp cannot be combined with ipsec encryption/);
  });
  test('fails on BIG TCP with tunnelling', () => {
    expect(() => build({ bigTcp: true, encryption: Encryption.none(), routingMode: RoutingMode.tunnel() })).toThrow(/bigTcp cannot be combined with tunnel routing/);
  });
  test('fails on BIG TCP without eBPF host routing', () => {
    expect(() => build({ bigTcp: true, encryption: Encryption.none(), talosForwardKubeDnsToHost: true })).toThrow(/bigTcp needs eBPF host routing/);
  });
  test('allows BIG TCP with native routing, eBPF host routing and no encryption', () => {
    expect(values(build({ bigTcp: true, encryption: Encryption.none() }).fleet).enableIPv4BIGTCP).toBe(true);
  });
  test('fails on netkit with Talos forwardKubeDNSToHost (legacy host routing)', () => {
    expect(() => build({ datapathMode: DatapathMode.NETKIT, talosForwardKubeDnsToHost: true })).toThrow(/datapathMode netkit needs eBPF host routing/);
  });
  test('fails on netkit with tunnel routing', () => {
    expect(() => build({ datapathMode: DatapathMode.NETKIT, routingMode: RoutingMode.tunnel() })).toThrow(/datapathMode netkit needs eBPF host routing .* and native routing/);
  });
  test('fails on the egress gateway with CiliumEndpointSlice', () => {
    expect(() => build({ ciliumEndpointSlice: true })).toThrow(/ciliumEndpointSlice cannot be combined with the egress gateway/);
  });
  test('allows CiliumEndpointSlice once the egress gateway is off', () => {
    const v = values(build({ ciliumEndpointSlice: true, egressGateway: false }).fleet);
    expect(v.ciliumEndpointSlice.enabled).toBe(true);
    expect(v.egressGateway.enabled).toBe(false);
  });
  test('fails on multicast with native routing', () => {
    expect(() => build({ multicast: true })).toThrow(/multicast is on but multicast needs VXLAN tunnel routing/);
  });
  test('fails on multicast with Geneve tunnelling', () => {
    expect(() => build({ multicast: true, routingMode: RoutingMode.tunnel(TunnelProtocol.GENEVE) })).toThrow(/multicast needs VXLAN tunnel routing/);
  });
  test('fails on XDP acceleration without the L4 load balancer', () => {
    expect(() => build({ xdpAcceleration: XdpAcceleration.NATIVE, l4LoadBalancer: false })).toThrow(/xdpAcceleration native needs the L4 load balancer/);
  });
  test('fails on L2 announcements without kube-proxy replacement', () => {
    expect(() => build({ l2Announcements: true, kubeProxyReplacement: false, gatewayApiController: false, ingressController: false })).toThrow(/l2Announcements need kube-proxy replacement/);
  });
  test('fails on the egress gateway forced on without kube-proxy replacement', () => {
    expect(() => build({ egressGateway: true, kubeProxyReplacement: false, gatewayApiController: false, ingressController: false })).toThrow(/egressGateway is on but the egress gateway needs kube-proxy replacement/);
  });
  test('fails on the Gateway API controller forced on without kube-proxy replacement', () => {
    expect(() => build({ gatewayApiController: true, kubeProxyReplacement: false })).toThrow(/gatewayApi is on but the Gateway API controller needs kube-proxy replacement/);
  });
  test('resolves egress gateway + ClusterMesh automatically (both on; policies scoped to the local cluster)', () => {
    const { cilium } = build();
    expect(cilium.isEnabled('egressGateway')).toBe(true);
    expect(cilium.isEnabled('clusterMesh')).toBe(true);
    expect(cilium.decisions.find((d) => d.setting === 'egressGateway')?.reason).toMatch(/select only this cluster's pods/);
  });
  test('"everything on" yields a valid configuration', () => {
    const { fleet, cilium } = build({ l2Announcements: true, xdpAcceleration: XdpAcceleration.BEST_EFFORT });
    expect(cilium.capabilities.filter((c) => !c.enabled).map((c) => c.capability)).toEqual(['multicast']);
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
    const tunnel = build({ routingMode: RoutingMode.tunnel(TunnelProtocol.VXLAN), l2Announcements: true });
    expect(tunnel.cilium.capabilities.every((c) => c.enabled)).toBe(true);
    expect(validateFleetManifests(tunnel.fleet.manifests()).issues).toEqual([]);
  });
});
