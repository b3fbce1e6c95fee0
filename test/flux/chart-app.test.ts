import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { parse } from 'yaml';
import { HelmRelease } from '../../imports/flux-helm.toolkit.fluxcd.io';
import { CERT_MANAGER_CHART } from '../../imports/helm/charts';
import { AcmeIssuer, canIssue } from '../../lib/certs/acme-issuer';
import { CertManager } from '../../lib/certs/cert-manager';
import { InternalCaIssuer } from '../../lib/certs/cluster-issuer';
import { TalosCluster } from '../../lib/cluster/talos-cluster';
import { ErrorCode, InfraFluxError } from '../../lib/core/errors';
import { DnsProvider, ExternalDns, ExternalDnsSource } from '../../lib/dns/external-dns';
import { SecretReference } from '../../lib/secrets/secret-reference';
import { GatewayApiChannel, GatewayApiCrds } from '../../lib/gateway-api/gateway-api-crds';
import { MetalLb, MetalLbAddresses } from '../../lib/edge/metallb';
import { Headlamp } from '../../lib/edge/platform-ui';
import { ChartApp, FluxApp, IFluxApp } from '../../lib/flux/flux-app';
import { FluxLayer } from '../../lib/flux/gitops-cluster';
import { FluxManifestApp, ManifestApp } from '../../lib/flux/manifest-app';
import { ManagementCluster } from '../../lib/management/management-cluster';
import { CiliumNetworking } from '../../lib/networking/cilium-networking';
import { Cidr } from '../../lib/networking/addresses';
import { ClusterProvider, TalosClusterClass } from '../../lib/cluster/cluster-class';
import { InfrastructureInputs } from '../../lib/cluster/providers';

import { manifest, testCluster } from '../support/fleet';

const CHART = { name: 'demo', version: '1.2.3', repository: 'https://charts.example.com' };
/** The demo chart registered with the fleet's synth-time validation (it is not in the spec pack). */
const DEMO_VALIDATION = { charts: [{ ...CHART, values: 'replicaCount: 1\na:\n  b: 0\n  c: []\nd: false\n' }] };
const TOKEN = SecretReference.fromSealedSecret('cloudflare-api-token', 'external-dns').key('api-token');

/** Runs `build` and returns the InfraFluxError it throws (fails the test when it throws none or another error). */
function errorOf(build: () => unknown): InfraFluxError {
  try {
    build();
  } catch (e) {
    expect(e).toBeInstanceOf(InfraFluxError);
    return e as InfraFluxError;
  }
  throw new Error('expected an InfraFluxError, got none');
}

/** The HelmRelease object of an app's release folder, by name. */
function isHelmReleaseNamed(c: IConstruct | undefined, name: string): boolean {
  return c instanceof ApiObject && c.kind === HelmRelease.GVK.kind && c.name === name;
}

describe('ChartApp (composition)', () => {
  test('a construct that owns a ChartApp keeps the app objects as its own children and exposes the HelmRelease as defaultChild', () => {
    // GIVEN a user construct owning a chart app, directly in a layer
    const { fleet, cluster } = testCluster('test', DEMO_VALIDATION);
    class Demo extends Construct {
      public readonly app: ChartApp<{ replicaCount?: number }>;
      public constructor(scope: Construct, id: string) {
        super(scope, id);
        this.app = new ChartApp(this, { chart: CHART, name: 'demo', values: { replicaCount: 1 } });
      }
    }
    const demo = new Demo(cluster.controllers, 'Demo');
    // THEN the objects are the owner's children (no extra path segment), and defaultChild is the HelmRelease
    expect(demo.node.children.map((c) => c.node.id).sort()).toEqual(['Kustomization', 'Namespace', 'Release']);
    expect(demo.node.defaultChild).toBe(demo.app.helmRelease);
    expect(isHelmReleaseNamed(demo.node.defaultChild, 'demo')).toBe(true);
    expect(fleet.manifests().find((m) => m.file === 'test/releases/demo/helmrelease-demo.yaml')?.constructPath).toBe('test/controllers/Demo/Release/Resource');
  });

  test('values added after construction are rendered at synth (no patch)', () => {
    // GIVEN an app whose owner learns more values after construction
    const { fleet, cluster } = testCluster('test', DEMO_VALIDATION);
    const app = new FluxApp<Record<string, unknown>>(cluster.controllers, 'demo', { chart: CHART, values: { a: { b: 1, c: [1, 2] } } });
    // WHEN values are added later
    app.addValues({ a: { c: [3] }, d: true });
    // THEN the ConfigMap carries the Helm-style merge, and the ConfigMap has no JSON patches
    expect(parse(manifest(fleet, 'test/releases/demo/configmap-demo-values.yaml').data['values.yaml'])).toEqual({ a: { b: 1, c: [3] }, d: true });
    expect(app.values).toEqual({ a: { b: 1, c: [3] }, d: true });
    expect((ApiObject.of(app.valuesConfigMap!) as unknown as { patches: unknown[] }).patches).toEqual([]);
  });

  test('an app can sit below a non-layer construct inside a layer', () => {
    // GIVEN a plain grouping construct in the apps layer and an app inside it
    const { fleet, cluster } = testCluster('test', DEMO_VALIDATION);
    const group = new Construct(cluster.apps, 'Group');
    const app = new FluxApp(group, 'demo', { chart: CHART });
    // THEN the layer is found by lookup and the app writes its files to the apps layer
    expect(app.layer).toBe(cluster.apps);
    expect(manifest(fleet, 'test/apps/kustomization-demo.yaml').metadata.name).toBe('demo');
    expect(manifest(fleet, 'test/releases/demo/helmrelease-demo.yaml').kind).toBe('HelmRelease');
  });

  test('FluxLayer.of finds the layer from a nested scope', () => {
    // GIVEN constructs nested two levels below the configs layer
    const { cluster } = testCluster();
    const deep = new Construct(new Construct(cluster.configs, 'A'), 'B');
    // THEN the lookup returns the layer, for the layer itself too
    expect(FluxLayer.of(deep)).toBe(cluster.configs);
    expect(FluxLayer.of(cluster.configs)).toBe(cluster.configs);
    expect(FluxLayer.tryOf(cluster)).toBeUndefined();
  });

  test('fails with INVALID_PROP naming the path when FluxLayer.of finds no layer', () => {
    const { cluster } = testCluster();
    const outside = new Construct(cluster, 'Outside');
    const error = errorOf(() => FluxLayer.of(outside));
    expect(error.code).toBe(ErrorCode.INVALID_PROP);
    expect(error.constructPath).toBe('test/Outside');
  });

  test('fails when a construct owns two chart apps', () => {
    const { cluster } = testCluster();
    const owner = new Construct(cluster.controllers, 'Owner');
    new ChartApp(owner, { chart: CHART, name: 'one' });
    const error = errorOf(() => new ChartApp(owner, { chart: CHART, name: 'two' }));
    expect(error.code).toBe(ErrorCode.INVALID_PROP);
    expect(error.message).toMatch(/\[test\/controllers\/Owner\] owns a ChartApp already/);
  });

  test('the HelmRelease escape hatch still works through defaultChild', () => {
    // GIVEN a chart-backed construct
    const { fleet, cluster } = testCluster();
    const cm = new CertManager(cluster.controllers, 'CertManager');
    // WHEN a user patches its default child
    (cm.node.defaultChild as ApiObject).addJsonPatch(JsonPatch.add('/spec/suspend', true));
    // THEN the HelmRelease carries it
    expect(manifest(fleet, 'test/releases/cert-manager/helmrelease-cert-manager.yaml').spec.suspend).toBe(true);
  });

  test('a manifest app is owned the same way and may sit below a non-layer construct', () => {
    const { fleet, cluster } = testCluster();
    const owner = new Construct(new Construct(cluster.apps, 'Group'), 'Web');
    const app = new ManifestApp(owner, { name: 'web' });
    expect(app.layer).toBe(cluster.apps);
    expect(owner.node.children.map((c) => c.node.id).sort()).toEqual(['Content', 'Kustomization', 'Namespace']);
    expect(manifest(fleet, 'test/apps/kustomization-web.yaml').spec.wait).toBe(true);
    expect(new FluxManifestApp(cluster.apps, 'other').layer).toBe(cluster.apps);
  });

  test('healthCheckExprs are typed props of the Kustomization of a manifest app', () => {
    const { fleet, cluster } = testCluster();
    const expr = { apiVersion: 'example.com/v1', kind: 'Thing', current: "status.phase == 'Ready'" };
    new FluxManifestApp(cluster.apps, 'things', { healthCheckExprs: [expr] });
    expect(manifest(fleet, 'test/apps/kustomization-things.yaml').spec.healthCheckExprs).toEqual([expr]);
  });
});

describe('node.defaultChild of every chart-backed construct is its HelmRelease', () => {
  function check(owner: IFluxApp | Construct, releaseName: string): void {
    expect(isHelmReleaseNamed(owner.node.defaultChild, releaseName)).toBe(true);
    if (FluxApp.isFluxApp(owner)) expect(owner.node.defaultChild).toBe(owner.helmRelease);
  }

  test('FluxApp', () => {
    const { cluster } = testCluster();
    check(new FluxApp(cluster.controllers, 'demo', { chart: CHART }), 'demo');
  });

  test('CertManager', () => {
    const { cluster } = testCluster();
    check(new CertManager(cluster.controllers, 'CertManager'), 'cert-manager');
  });

  test('CiliumNetworking and its Tetragon', () => {
    const { cluster } = testCluster();
    const cilium = new CiliumNetworking(cluster.controllers, 'Cilium', { gatewayApi: new GatewayApiCrds(cluster.crds, 'Gw'), clusterId: 1 });
    check(cilium, 'cilium');
    check(cilium.tetragon!, 'tetragon');
  });

  test('CiliumNetworking installed by the management cluster has no HelmRelease in its own tree', () => {
    const { cluster } = testCluster();
    const cilium = new CiliumNetworking(cluster.controllers, 'Cilium', { gatewayApi: new GatewayApiCrds(cluster.crds, 'Gw'), clusterId: 1, installedByManagementCluster: true });
    expect(cilium.node.defaultChild).toBeUndefined();
    expect(cilium.helmRelease).toBeUndefined();
  });

  test('ExternalDns', () => {
    const { cluster } = testCluster();
    check(new ExternalDns(cluster.controllers, 'Dns', { provider: DnsProvider.cloudflare({ apiToken: TOKEN }), domainFilters: ['example.com'], gatewayApi: new GatewayApiCrds(cluster.crds, 'Gw') }), 'external-dns');
  });

  test('Headlamp', () => {
    const { cluster } = testCluster();
    check(new Headlamp(cluster.apps, 'Headlamp'), 'headlamp');
  });

  test('MetalLb (spans two layers: its app is in controllers)', () => {
    const { cluster } = testCluster();
    check(new MetalLb(cluster, 'MetalLb', { addresses: [MetalLbAddresses.cidr(Cidr.of('192.168.10.0/28'))] }), 'metallb');
  });

  test("ManagementCluster's operator", () => {
    const { cluster } = testCluster('mgmt');
    const certManager = new CertManager(cluster.controllers, 'CertManager');
    check(new ManagementCluster(cluster, 'ClusterApi', { certManager }).operator, 'capi-operator');
  });
});

describe('validation with a real `this` (formerly path strings before super())', () => {
  test('fails on CiliumNetworking props with the construct path and INVALID_PROP (formerly failEarly)', () => {
    // GIVEN Cilium below a grouping construct, so a path built from (scope, id) would differ from the real one only if computed by hand
    const { cluster } = testCluster();
    const group = new Construct(cluster.controllers, 'Net');
    const error = errorOf(() => new CiliumNetworking(group, 'Cilium', { gatewayApi: new GatewayApiCrds(cluster.crds, 'Gw'), clusterId: 0 }));
    expect(error.code).toBe(ErrorCode.INVALID_PROP);
    expect(error.constructPath).toBe('test/controllers/Net/Cilium');
    expect(error.message).toMatch(/clusterId 0 is invalid; use 1-255/);
  });

  test('fails on a kube-prism port with the construct path and INVALID_PROP', () => {
    const { cluster } = testCluster();
    const error = errorOf(() => new CiliumNetworking(cluster.controllers, 'Cilium', { gatewayApi: new GatewayApiCrds(cluster.crds, 'Gw'), clusterId: 1, kubePrismPort: 70000 }));
    expect(error.code).toBe(ErrorCode.INVALID_PROP);
    expect(error.constructPath).toBe('test/controllers/Cilium');
  });

  test('fails on ExternalDns props with the construct path and INVALID_PROP (formerly pathScope)', () => {
    const { cluster } = testCluster();
    const group = new Construct(cluster.controllers, 'Dns');
    const error = errorOf(() => new ExternalDns(group, 'Public', { provider: DnsProvider.cloudflare({ apiToken: TOKEN }), domainFilters: [], gatewayApi: new GatewayApiCrds(cluster.crds, 'Gw') }));
    expect(error.code).toBe(ErrorCode.INVALID_PROP);
    expect(error.constructPath).toBe('test/controllers/Dns/Public');
    expect(error.message).toMatch(/domainFilters is empty/);
  });

  test('fails on an ExternalDns outside the controllers layer with its path', () => {
    const { cluster } = testCluster();
    const error = errorOf(() => new ExternalDns(cluster.apps, 'Dns', { provider: DnsProvider.cloudflare({ apiToken: TOKEN }), domainFilters: ['example.com'], gatewayApi: new GatewayApiCrds(cluster.crds, 'Gw') }));
    expect(error.code).toBe(ErrorCode.WRONG_LAYER);
    expect(error.constructPath).toBe('test/apps/Dns');
  });

  test('fails on a TalosCluster name with the construct path and INVALID_PROP (formerly checkName(path))', () => {
    const { cluster } = testCluster('mgmt');
    const error = errorOf(
      () =>
        new TalosCluster(new Construct(cluster.apps, 'Clusters'), 'Prod', {
          name: 'Prod_AWS',
          clusterClass: TalosClusterClass.prod(ClusterProvider.AWS),
          infrastructure: InfrastructureInputs.aws({ region: 'eu-central-1', amiId: 'ami-0123456789abcdef0' }),
          network: { pods: [Cidr.of('10.16.0.0/16')], services: [Cidr.of('10.17.0.0/20')], nodes: Cidr.of('10.18.0.0/16') },
        }),
    );
    expect(error.code).toBe(ErrorCode.INVALID_PROP);
    expect(error.constructPath).toBe('mgmt/apps/Clusters/Prod');
    expect(error.message).toMatch(/cluster name "Prod_AWS" is not a DNS-1123 label/);
  });

  test('fails on a FluxApp outside any layer with INVALID_PROP', () => {
    const { cluster } = testCluster();
    const error = errorOf(() => new FluxApp(cluster, 'demo', { chart: CHART }));
    expect(error.code).toBe(ErrorCode.INVALID_PROP);
    expect(error.constructPath).toBe('test/demo');
  });
});

describe('imports of objects the tree does not own', () => {
  test('an existing cert-manager and CA issuer: dependents wait for nothing', () => {
    // GIVEN a cert-manager and an issuer installed by someone else
    const { fleet, cluster } = testCluster();
    const certManager = CertManager.fromNamespace(cluster, 'PlatformCertManager', 'platform-certs');
    const issuer = InternalCaIssuer.fromName(cluster, 'PlatformCa', 'platform-ca');
    // WHEN an app uses them
    const ca = new InternalCaIssuer(cluster.configs, 'Ca', { certManager });
    const app = new FluxManifestApp(cluster.apps, 'web');
    // THEN the objects reference them and synth adds no dependsOn on them
    expect(manifest(fleet, 'test/configs/certificate-internal-ca-root.yaml').metadata.namespace).toBe('platform-certs');
    expect(manifest(fleet, 'test/flux-system/kustomization-configs.yaml').spec.dependsOn).toEqual([]);
    expect(canIssue(issuer, '*.example.com')).toBe(true);
    expect(ca.supportsWildcards).toBe(true);
    expect(app.kustomization.dependsOn).toEqual([]);
  });

  test('an existing ACME issuer issues no wildcards unless told so', () => {
    const { cluster } = testCluster();
    expect(canIssue(AcmeIssuer.fromName(cluster, 'Le', 'letsencrypt'), '*.example.com')).toBe(false);
    expect(canIssue(AcmeIssuer.fromName(cluster, 'LeDns', 'letsencrypt-dns', { supportsWildcards: true }), '*.example.com')).toBe(true);
    expect(canIssue(AcmeIssuer.fromName(cluster, 'Le2', 'letsencrypt-2'), 'www.example.com')).toBe(true);
  });

  test('fails on an imported issuer name that is not a DNS-1123 subdomain', () => {
    const { cluster } = testCluster();
    const error = errorOf(() => InternalCaIssuer.fromName(cluster, 'Bad', 'Bad_Name'));
    expect(error.code).toBe(ErrorCode.INVALID_PROP);
    expect(error.constructPath).toBe('test/Bad');
  });

  test('existing Gateway API CRDs: cert-manager turns Gateway API support on and waits for nothing', () => {
    const { fleet, cluster } = testCluster();
    const gatewayApi = GatewayApiCrds.fromChannel(cluster, 'ManagedGatewayApi', GatewayApiChannel.STANDARD);
    new CertManager(cluster.controllers, 'CertManager', { gatewayApi });
    const values = parse(manifest(fleet, 'test/releases/cert-manager/configmap-cert-manager-values.yaml').data['values.yaml']);
    expect(values.config.gatewayAPI).toEqual({ enabled: true });
    expect(manifest(fleet, 'test/flux-system/kustomization-controllers.yaml').spec.dependsOn).toEqual([]);
    expect(FluxApp.isFluxApp(gatewayApi)).toBe(false);
  });

  test('an existing ExternalDNS: zones and sources from its attributes', () => {
    // GIVEN an ExternalDNS run by someone else
    const { cluster } = testCluster();
    const dns = ExternalDns.fromAttributes(cluster, 'PlatformDns', { domainFilters: ['example.com'], sources: [ExternalDnsSource.GATEWAY_HTTPROUTE] });
    // THEN it answers like an owned one
    expect(dns.manages('app.example.com')).toBe(true);
    expect(dns.zoneOf('app.example.org')).toBeUndefined();
    expect(dns.reads(ExternalDnsSource.GATEWAY_HTTPROUTE)).toBe(true);
    expect(dns.reads(ExternalDnsSource.SERVICE)).toBe(false);
  });

  test('fails on an existing ExternalDNS without zones', () => {
    const { cluster } = testCluster();
    const error = errorOf(() => ExternalDns.fromAttributes(cluster, 'PlatformDns', { domainFilters: [] }));
    expect(error.code).toBe(ErrorCode.INVALID_PROP);
    expect(error.constructPath).toBe('test/PlatformDns');
  });

  test('the plain FluxApp stays usable for a chart without a construct of its own', () => {
    const { fleet, cluster } = testCluster();
    new FluxApp(cluster.controllers, 'cm', { chart: CERT_MANAGER_CHART, name: 'cert-manager', namespace: 'cert-manager' });
    expect(manifest(fleet, 'test/releases/cert-manager/helmrelease-cert-manager.yaml').spec.chart.spec.version).toBe(CERT_MANAGER_CHART.version);
  });
});
