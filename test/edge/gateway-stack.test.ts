import { ApiObject, JsonPatch } from 'cdk8s';
import { ErrorCode } from '../../lib/core/errors';
import { thrownBy } from '../support/errors';
import { parseAllDocuments } from 'yaml';
import { UpstreamCache } from '../../lib/upstream/lock';
import { AcmeIssuer, AcmeServer, AcmeSolver, Capability, Cidr, claimCapability, FluxManifestApp, InternalCaIssuer, CertManager, type IFluxApp } from '../../lib';
import { ExternalDnsCloudflare, SecretReference, DnsProvider, ExternalDns, AwsCredentials, ExternalDnsSource } from '../../lib/dns';
import {
  EdgeImplementation,
  exposeHubbleUi,
  GatewayApiCrds,
  GatewayStack,
  GatewayStackProps,
  isCiliumGatewayObject,
  OAuth2ProxySso,
  IpRange,
  MetalLbAddresses,
  RouteProtocol,
  DEFAULT_GATEWAY_NAME,
  EnvoyGatewayCrds,
} from '../../lib/edge';
import { validateFleetManifests } from '../../lib/validation';
import { manifest, manifestsByFile, testCluster } from '../support/fleet';

const TOKEN = SecretReference.fromSealedSecret('cloudflare-api-token', 'external-dns').key('api-token');
const TRUSTED = [Cidr.of('10.244.0.0/16'), Cidr.of('192.168.0.0/24')];
const SSO = new OAuth2ProxySso({
  issuerUrl: 'https://auth.example.com/application/o/hubble/',
  credentials: (app: IFluxApp) => SecretReference.fromSealedSecret('oauth2-proxy', app.namespace),
  trustedProxyCidrs: TRUSTED,
  allowedGroups: ['platform-admins'],
});

function setup(extra: Partial<GatewayStackProps> = {}) {
  const { fleet, cluster } = testCluster();
  const gatewayApi = new GatewayApiCrds(cluster.crds, 'GatewayApi');
  const certManager = new CertManager(cluster.controllers, 'CertManager', { gatewayApi });
  const issuer = new InternalCaIssuer(cluster.configs, 'Ca', { certManager });
  // the Cloudflare zone is test.example.com: routed hosts are one label below it (Universal SSL)
  const dns = new ExternalDnsCloudflare(cluster.controllers, 'Dns', { apiToken: TOKEN, domainFilters: ['test.example.com'], gatewayApi });
  const web = new FluxManifestApp(cluster.apps, 'web');
  const stack = new GatewayStack(cluster, 'Edge', { gatewayApi, issuer, dns, domain: 'test.example.com', ...extra });
  return { fleet, cluster, stack, web, issuer, gatewayApi };
}

const WEB = (web: FluxManifestApp) => ({ namespace: 'web', name: 'web', port: 80, deployedBy: web });

describe('GatewayStack (Cilium)', () => {
  test('emits a Gateway with HTTP→HTTPS redirect and a wildcard HTTPS listener', () => {
    // GIVEN a stack with one route
    const { fleet, stack, web } = setup();
    stack.exposeService('Web', WEB(web), { hostname: 'web.test.example.com' });
    // THEN
    const gw = manifest(fleet, 'test/releases/gateway/gateway-gateway.yaml');
    expect(gw.spec.gatewayClassName).toBe('cilium');
    expect(gw.spec.listeners.map((l: { name: string; port: number }) => [l.name, l.port])).toEqual([['http', 80], ['https', 443]]);
    expect(gw.spec.listeners[1]).toMatchObject({ hostname: '*.test.example.com', tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'gateway-wildcard-tls' }] } });
    expect(manifest(fleet, 'test/releases/gateway/httproute-gateway-https-redirect.yaml').spec.rules[0].filters[0]).toEqual({
      type: 'RequestRedirect',
      requestRedirect: { scheme: 'https', statusCode: 301 },
    });
    expect(manifest(fleet, 'test/releases/gateway/certificate-gateway-wildcard-tls.yaml').spec.dnsNames).toEqual(['*.test.example.com']);
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
    expect(manifestsByFile(fleet)).toMatchSnapshot();
  });

  test('routes carry ExternalDNS annotations and ReferenceGrants across namespaces', () => {
    const { fleet, stack, web } = setup();
    stack.exposeService('Web', WEB(web), { hostname: 'web.test.example.com' });
    stack.exposeService('Api', { namespace: 'web', name: 'api', port: 9000 }, { hostname: 'api.test.example.com', protocol: RouteProtocol.GRPC, cloudflareProxied: false, dnsTtlSeconds: 300 });
    const route = manifest(fleet, 'test/releases/gateway-routes/httproute-web.yaml');
    expect(route.metadata).toMatchObject({
      namespace: 'gateway',
      annotations: {
        'external-dns.alpha.kubernetes.io/hostname': 'web.test.example.com',
        'external-dns.alpha.kubernetes.io/ttl': '1',
        'external-dns.alpha.kubernetes.io/cloudflare-proxied': 'true',
      },
    });
    expect(route.spec.parentRefs[0]).toMatchObject({ name: 'gateway', sectionName: 'https' });
    expect(route.spec.rules[0].backendRefs).toEqual([{ group: '', kind: 'Service', name: 'web', namespace: 'web', port: 80 }]);
    const grpc = manifest(fleet, 'test/releases/gateway-routes/grpcroute-api.yaml');
    expect(grpc.metadata.annotations['external-dns.alpha.kubernetes.io/cloudflare-proxied']).toBe('false');
    expect(manifest(fleet, 'test/releases/gateway-routes/referencegrant-from-gateway-to-web.yaml').spec).toEqual({
      from: [
        { group: 'gateway.networking.k8s.io', kind: 'GRPCRoute', namespace: 'gateway' },
        { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'gateway' },
      ],
      to: [{ group: '', kind: 'Service', name: 'api' }, { group: '', kind: 'Service', name: 'web' }],
    });
    // routes are applied after the gateway and the backend's app; the gateway after its issuer's layer
    expect(manifest(fleet, 'test/apps/kustomization-gateway-routes.yaml').spec.dependsOn.map((d: { name: string }) => d.name)).toEqual(['gateway', 'web']);
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
  });

  test('a dedicated certificate adds its own listener; routes in the backend namespace need no grant', () => {
    const { fleet, stack, web } = setup();
    stack.exposeService('Web', WEB(web), { hostname: 'web.test.example.com', dedicatedCertificate: true, namespace: 'web' });
    const gw = manifest(fleet, 'test/releases/gateway/gateway-gateway.yaml');
    expect(gw.spec.listeners[2]).toMatchObject({ name: 'https-web.test.example.com', hostname: 'web.test.example.com', tls: { certificateRefs: [{ name: 'web-gateway-tls' }] } });
    expect(gw.spec.listeners[1].allowedRoutes.namespaces).toEqual({
      from: 'Selector',
      selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['gateway', 'web'] }] },
    });
    expect(fleet.manifests().some((m) => m.object.kind === 'ReferenceGrant')).toBe(false);
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
  });

  test('the GatewayClass name is a prop', () => {
    const { fleet } = setup({ gatewayClassName: 'cilium-public' });
    expect(manifest(fleet, 'test/releases/gateway/gateway-gateway.yaml').spec.gatewayClassName).toBe('cilium-public');
  });

  test('the Gateway is reachable through addJsonPatch', () => {
    const { fleet, stack } = setup();
    ApiObject.of(stack.gateway!).addJsonPatch(JsonPatch.add('/metadata/labels', { tier: 'edge' }));
    expect(manifest(fleet, 'test/releases/gateway/gateway-gateway.yaml').metadata.labels).toEqual({ tier: 'edge' });
  });

  test('Hubble UI is exposed through an oauth2-proxy', () => {
    const { fleet, stack } = setup();
    exposeHubbleUi(stack, { hostname: 'hubble.test.example.com', sso: SSO });
    expect(manifest(fleet, 'test/releases/gateway-routes/httproute-hubbleui.yaml').spec.rules[0].backendRefs[0]).toMatchObject({ name: 'oauth2-proxy-hubbleui', port: 80 });
    expect(manifest(fleet, 'test/releases/gateway-routes/referencegrant-from-gateway-to-oauth2-proxy-hubbleui.yaml')).toBeDefined();
    const values = manifest(fleet, 'test/releases/oauth2-proxy-hubbleui/configmap-oauth2-proxy-hubbleui-values.yaml').data['values.yaml'];
    expect(values).toContain('http://hubble-ui.kube-system.svc.cluster.local:80');
    expect(values).toContain('existingSecret: oauth2-proxy');
  });

  test('fails to expose a platform UI without SSO', () => {
    const { stack } = setup();
    expect(() => exposeHubbleUi(stack, { hostname: 'hubble.test.example.com', sso: undefined as never })).toThrow(/Hubble UI must not be exposed without SSO/);
  });

  test('fails on a route hostname outside every managed DNS zone', () => {
    // fixture: the zone is example.com, the host is in example.org
    const { fleet, stack, web } = setup({ zones: ['test.example.com'] });
    stack.exposeService('Web', WEB(web), { hostname: 'web.example.org', dedicatedCertificate: true });
    expect(() => fleet.manifests()).toThrow(/route Web hostname "web.example.org" lies in no managed DNS zone/);
  });

  test('fails on a route hostname no listener certificate covers', () => {
    // fixture: two labels below the wildcard's domain
    const { fleet, stack, web } = setup();
    stack.exposeService('Web', WEB(web), { hostname: 'a.web.test.example.com', cloudflareProxied: false });
    expect(() => fleet.manifests()).toThrow(/hostname "a.web.test.example.com" is not covered by a listener certificate/);
  });

  test('fails without any managed zone', () => {
    const { cluster } = testCluster();
    const gatewayApi = new GatewayApiCrds(cluster.crds, 'GatewayApi');
    const issuer = new InternalCaIssuer(cluster.configs, 'Ca', { certManager: new CertManager(cluster.controllers, 'CM') });
    expect(() => new GatewayStack(cluster, 'Edge', { gatewayApi, issuer, domain: 'test.example.com' })).toThrow(/no managed DNS zone/);
  });

  test('fails on a Cloudflare TTL under 120 that is not automatic', () => {
    const { stack, web } = setup();
    expect(() => stack.exposeService('Web', WEB(web), { hostname: 'web.test.example.com', cloudflareProxied: false, dnsTtlSeconds: 60 })).toThrow(/Cloudflare TTL 60 must be 1/);
  });

  test('fails on cloudflareProxied with a non-Cloudflare provider', () => {
    const { fleet, cluster } = testCluster();
    const gatewayApi = new GatewayApiCrds(cluster.crds, 'GatewayApi');
    const issuer = new InternalCaIssuer(cluster.configs, 'Ca', { certManager: new CertManager(cluster.controllers, 'CM') });
    const dns = new ExternalDns(cluster.controllers, 'Dns', {
      provider: DnsProvider.route53({ region: 'eu-central-1', credentials: AwsCredentials.serviceAccountRole('arn:aws:iam::123456789012:role/dns') }),
      domainFilters: ['example.com'],
      gatewayApi,
      sources: [ExternalDnsSource.GATEWAY_HTTPROUTE],
    });
    const stack = new GatewayStack(cluster, 'Edge', { gatewayApi, issuer, dns, domain: 'test.example.com' });
    expect(() => stack.exposeService('Web', { namespace: 'web', name: 'web', port: 80 }, { hostname: 'web.test.example.com', cloudflareProxied: true })).toThrow(/cloudflareProxied needs a Cloudflare ExternalDns/);
    expect(fleet).toBeDefined();
  });
});

describe('GatewayStack alternatives (one switch each, no Cilium objects left behind)', () => {
  function noCilium(objects: Array<{ object: Record<string, any> }>) {
    return objects.filter((m) => isCiliumGatewayObject(m.object));
  }

  test('the Cilium default does emit Cilium Gateway objects (the check can fail)', () => {
    const { fleet } = setup();
    expect(noCilium(fleet.manifests()).length).toBeGreaterThan(0);
  });

  test('Envoy Gateway: its GatewayClass, chart without bundled Gateway API CRDs, CRDs from the tag', () => {
    const { fleet, stack, web } = setup({ implementation: EdgeImplementation.envoyGateway() });
    stack.exposeService('Web', WEB(web), { hostname: 'web.test.example.com' });
    const manifests = fleet.manifests();
    expect(noCilium(manifests)).toEqual([]);
    expect(manifest(fleet, 'test/releases/gateway/gateway-gateway.yaml').spec.gatewayClassName).toBe('envoy-gateway');
    expect(manifest(fleet, 'test/configs/gatewayclass-envoy-gateway.yaml').spec.controllerName).toBe('gateway.envoyproxy.io/gatewayclass-controller');
    expect(manifest(fleet, 'test/releases/envoy-gateway/configmap-envoy-gateway-values.yaml').data['values.yaml']).toBe('crds:\n  enabled: false\n');
    expect(manifest(fleet, 'test/crds/kustomization-envoy-gateway-crds.yaml').spec.path).toBe('./charts/gateway-helm/charts/crds/crds/generated');
  });

  test('Traefik: entry-point ports 8000/8443 and the traefik GatewayClass', () => {
    const { fleet } = setup({ implementation: EdgeImplementation.traefik() });
    const manifests = fleet.manifests();
    expect(noCilium(manifests)).toEqual([]);
    const gw = manifest(fleet, 'test/releases/gateway/gateway-gateway.yaml');
    expect(gw.spec.gatewayClassName).toBe('traefik');
    expect(gw.spec.listeners.map((l: { port: number }) => l.port)).toEqual([8000, 8443]);
    expect(validateFleetManifests(manifests).issues).toEqual([]);
  });

  test('ingress-nginx: Ingress objects, no Gateway, and a synth warning (retired upstream)', () => {
    const { fleet, stack, web } = setup({ implementation: EdgeImplementation.ingressNginx() });
    stack.exposeService('Web', { ...WEB(web) }, { hostname: 'web.test.example.com' });
    const manifests = fleet.manifests();
    expect(noCilium(manifests)).toEqual([]);
    expect(manifests.filter((m) => ['Gateway', 'HTTPRoute'].includes(m.object.kind as string))).toEqual([]);
    expect(manifest(fleet, 'test/releases/gateway-routes/ingress-web.yaml')).toMatchObject({
      metadata: { namespace: 'web', annotations: { 'external-dns.alpha.kubernetes.io/hostname': 'web.test.example.com' } },
      spec: { ingressClassName: 'nginx', tls: [{ hosts: ['web.test.example.com'], secretName: 'web-tls' }] },
    });
    expect(stack.warnings[0]).toMatch(/ingress-nginx is retired upstream/);
    expect(stack.node.metadata.some((m) => m.type === 'infraflux:warning')).toBe(true);
    expect(validateFleetManifests(manifests).issues).toEqual([]);
  });

  test('Cilium Ingress as the simple on-ramp', () => {
    const { fleet, stack, web } = setup({ implementation: EdgeImplementation.ciliumIngress() });
    stack.exposeService('Web', WEB(web), { hostname: 'web.test.example.com' });
    expect(manifest(fleet, 'test/releases/gateway-routes/ingress-web.yaml').spec.ingressClassName).toBe('cilium');
    expect(fleet.manifests().filter((m) => m.object.kind === 'Gateway')).toEqual([]);
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
  });

  test('MetalLB: pool and L2 advertisement after the chart', () => {
    const { fleet } = setup({ metalLb: { addresses: [MetalLbAddresses.cidr(Cidr.of('192.168.10.0/28')), MetalLbAddresses.range(IpRange.of('192.168.20.10', '192.168.20.20'))] } });
    expect(manifest(fleet, 'test/configs/ipaddresspool-default.yaml').spec.addresses).toEqual(['192.168.10.0/28', '192.168.20.10-192.168.20.20']);
    expect(manifest(fleet, 'test/configs/l2advertisement-default.yaml').spec.ipAddressPools).toEqual(['default']);
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
  });

  test('fails when MetalLB and Cilium LB IPAM both provide LoadBalancer IPs', () => {
    // GIVEN Cilium's claim (what CiliumNetworking does) and MetalLB on the same cluster
    const { fleet, cluster } = setup({ metalLb: { addresses: [MetalLbAddresses.cidr(Cidr.of('192.168.10.0/28'))] } });
    claimCapability(cluster, Capability.LOAD_BALANCER_IPS, cluster.controllers);
    expect(() => fleet.manifests()).toThrow(/claims "load-balancer-ips"/);
  });

  test('fails on a MetalLB CIDR with a prefix beyond the address length', () => {
    expect(() => setup({ metalLb: { addresses: [MetalLbAddresses.cidr(Cidr.of('192.168.10.0/33'))] } })).toThrow(/\[test\/EdgeMetalLb\] addresses "192.168.10.0\/33" is not a CIDR/);
  });

  test('fails on a MetalLB CIDR with host bits set', () => {
    expect(() => setup({ metalLb: { addresses: [MetalLbAddresses.cidr(Cidr.of('192.168.10.5/28'))] } })).toThrow(/addresses "192.168.10.5\/28" has host bits set; use the network address "192.168.10.0\/28"/);
  });

  test('fails on a MetalLB range end that is not an address', () => {
    expect(() => setup({ metalLb: { addresses: [MetalLbAddresses.range(IpRange.of('192.168.10.10', '192.168.10.300'))] } })).toThrow(/\[test\/EdgeMetalLb\] addresses "192.168.10.10-192.168.10.300": "192.168.10.300" is not an IP address/);
  });

  test('fails on a MetalLB range that mixes address families', () => {
    expect(() => setup({ metalLb: { addresses: [MetalLbAddresses.range(IpRange.of('192.168.10.10', 'fd00::10'))] } })).toThrow(/mixes IPv4 and IPv6/);
  });

  test('fails on a MetalLB range that starts after it ends', () => {
    expect(() => setup({ metalLb: { addresses: [MetalLbAddresses.range(IpRange.of('192.168.10.20', '192.168.10.10'))] } })).toThrow(/"192.168.10.20-192.168.10.10" starts after it ends/);
  });

  test('fails on an empty MetalLB address list', () => {
    expect(() => setup({ metalLb: { addresses: [] } })).toThrow(/\[test\/EdgeMetalLb\] addresses is empty/);
  });

  test('fails on gatewayClassName with a non-Cilium implementation', () => {
    expect(() => setup({ implementation: EdgeImplementation.traefik(), gatewayClassName: 'x' })).toThrow(/only applies to the Cilium implementation/);
  });
});


describe('GatewayStack DNS publication and Cloudflare proxying', () => {
  function withDns(sources: ExternalDnsSource[], extra: Partial<GatewayStackProps> = {}) {
    const { fleet, cluster } = testCluster();
    const gatewayApi = new GatewayApiCrds(cluster.crds, 'GatewayApi');
    const issuer = new InternalCaIssuer(cluster.configs, 'Ca', { certManager: new CertManager(cluster.controllers, 'CM') });
    const dns = new ExternalDnsCloudflare(cluster.controllers, 'Dns', { apiToken: TOKEN, domainFilters: ['test.example.com'], gatewayApi, sources });
    const stack = new GatewayStack(cluster, 'Edge', { gatewayApi, issuer, dns, domain: 'test.example.com', ...extra });
    return { fleet, stack };
  }

  test('fails on an HTTP route the ExternalDNS does not read (no gateway-httproute source)', () => {
    const { stack } = withDns([ExternalDnsSource.GATEWAY_GRPCROUTE]);
    expect(() => stack.exposeService('Web', { namespace: 'web', name: 'web', port: 80 }, { hostname: 'web.test.example.com' })).toThrow(
      /\[test\/Edge\] route Web: ExternalDns test\/controllers\/Dns does not read gateway-httproute .* would never be published/,
    );
  });

  test('fails on a GRPC route the ExternalDNS does not read (no gateway-grpcroute source)', () => {
    const { stack } = withDns([ExternalDnsSource.GATEWAY_HTTPROUTE]);
    expect(() => stack.exposeService('Api', { namespace: 'web', name: 'api', port: 9000 }, { hostname: 'api.test.example.com', protocol: RouteProtocol.GRPC })).toThrow(
      /route Api: ExternalDns test\/controllers\/Dns does not read gateway-grpcroute/,
    );
  });

  test('fails on an Ingress route the ExternalDNS does not read (no ingress source)', () => {
    const { stack } = withDns([ExternalDnsSource.GATEWAY_HTTPROUTE], { implementation: EdgeImplementation.ciliumIngress() });
    expect(() => stack.exposeService('Web', { namespace: 'web', name: 'web', port: 80 }, { hostname: 'web.test.example.com' })).toThrow(/route Web: ExternalDns test\/controllers\/Dns does not read ingress/);
  });

  test('a route whose kind the ExternalDNS reads is accepted (the check can pass)', () => {
    const { stack } = withDns([ExternalDnsSource.INGRESS], { implementation: EdgeImplementation.ciliumIngress() });
    expect(() => stack.exposeService('Web', { namespace: 'web', name: 'web', port: 80 }, { hostname: 'web.test.example.com' })).not.toThrow();
  });

  test('a proxied host one label below the Cloudflare zone is accepted; DNS-only deeper hosts too', () => {
    // GIVEN the Cloudflare zone example.com and the gateway domain test.example.com
    const { fleet, stack, web } = setup({ zones: [] });
    const dns = stack.dns!;
    expect(dns.zoneOf('web.test.example.com')).toBe('test.example.com');
    stack.exposeService('Web', WEB(web), { hostname: 'web.test.example.com' });
    expect(manifest(fleet, 'test/releases/gateway-routes/httproute-web.yaml').metadata.annotations['external-dns.alpha.kubernetes.io/cloudflare-proxied']).toBe('true');
  });

  test('fails on a proxied host more than one label below the Cloudflare zone (Universal SSL)', () => {
    // GIVEN the Cloudflare zone example.com (apex filter) and hosts <app>.test.example.com
    const { cluster } = testCluster();
    const gatewayApi = new GatewayApiCrds(cluster.crds, 'GatewayApi');
    const issuer = new InternalCaIssuer(cluster.configs, 'Ca', { certManager: new CertManager(cluster.controllers, 'CM') });
    const dns = new ExternalDnsCloudflare(cluster.controllers, 'Dns', { apiToken: TOKEN, domainFilters: ['example.com'], gatewayApi });
    const stack = new GatewayStack(cluster, 'Edge', { gatewayApi, issuer, dns, domain: 'test.example.com' });
    // THEN proxied (the provider default) is refused, DNS-only is accepted
    expect(() => stack.exposeService('Web', { namespace: 'web', name: 'web', port: 80 }, { hostname: 'web.test.example.com' })).toThrow(
      /\[test\/Edge\] route Web: "web.test.example.com" is 2 labels below the Cloudflare zone example.com; Cloudflare Universal SSL covers only example.com and \*.example.com/,
    );
    expect(() => stack.exposeService('Web2', { namespace: 'web', name: 'web', port: 80 }, { hostname: 'web2.test.example.com', cloudflareProxied: false })).not.toThrow();
  });
});

describe('GatewayStack with Ingress implementations', () => {
  test('Ingress implementations get no wildcard certificate by default', () => {
    const { fleet, stack } = setup({ implementation: EdgeImplementation.ciliumIngress() });
    expect(stack.wildcardSecretName).toBeUndefined();
    expect(fleet.manifests().filter((m) => m.object.kind === 'Certificate' && m.file.startsWith('test/releases/gateway/'))).toEqual([]);
    expect(fleet.manifests().some((m) => m.file === 'test/releases/gateway/certificate-gateway-wildcard-tls.yaml')).toBe(false);
  });

  test('fails on wildcardCertificate: true with an Ingress implementation', () => {
    expect(() => setup({ implementation: EdgeImplementation.ciliumIngress(), wildcardCertificate: true })).toThrow(
      /\[test\/Edge\] wildcardCertificate: true needs a Gateway API implementation; cilium-ingress serves Ingresses/,
    );
  });

  test('fails on an Ingress route with more than one backend', () => {
    const { stack } = setup({ implementation: EdgeImplementation.ciliumIngress() });
    expect(() =>
      stack.addRoute('Web', { hostname: 'web.test.example.com', backends: [{ namespace: 'web', name: 'a', port: 80 }, { namespace: 'web', name: 'b', port: 80 }] }),
    ).toThrow(/route Web: an Ingress cannot split traffic over 2 backends/);
  });

  test('fails on an Ingress route to a Service in another namespace', () => {
    const { stack } = setup({ implementation: EdgeImplementation.ciliumIngress() });
    expect(() => stack.exposeService('Web', { namespace: 'web', name: 'web', port: 80 }, { hostname: 'web.test.example.com', namespace: 'other' })).toThrow(
      /route Web: an Ingress can only reach Services in its own namespace \(other\)/,
    );
  });

  test('fails on a GRPC route with an Ingress implementation', () => {
    const { stack } = setup({ implementation: EdgeImplementation.ciliumIngress() });
    expect(() => stack.exposeService('Api', { namespace: 'web', name: 'api', port: 9000 }, { hostname: 'api.test.example.com', protocol: RouteProtocol.GRPC })).toThrow(
      /route Api: GRPC routes need a Gateway API implementation/,
    );
  });
});

describe('GatewayStack validation rules', () => {
  const SVC = { namespace: 'web', name: 'web', port: 80 };

  test('fails when the ExternalDns belongs to another cluster', () => {
    const { fleet, cluster } = testCluster();
    const other = fleet.addCluster('other', { name: 'other' });
    const gatewayApi = new GatewayApiCrds(cluster.crds, 'GatewayApi');
    const issuer = new InternalCaIssuer(cluster.configs, 'Ca', { certManager: new CertManager(cluster.controllers, 'CM') });
    const dns = new ExternalDnsCloudflare(other.controllers, 'Dns', { apiToken: TOKEN, domainFilters: ['test.example.com'], sources: [ExternalDnsSource.SERVICE] });
    expect(() => new GatewayStack(cluster, 'Edge', { gatewayApi, issuer, dns, domain: 'test.example.com' })).toThrow(/\[test\/Edge\] dns other\/controllers\/Dns belongs to another cluster/);
  });

  test('fails when the Gateway API CRDs belong to another cluster', () => {
    const { fleet, cluster } = testCluster();
    const other = fleet.addCluster('other', { name: 'other' });
    const gatewayApi = new GatewayApiCrds(other.crds, 'GatewayApi');
    const issuer = new InternalCaIssuer(cluster.configs, 'Ca', { certManager: new CertManager(cluster.controllers, 'CM') });
    expect(() => new GatewayStack(cluster, 'Edge', { gatewayApi, issuer, zones: ['test.example.com'], domain: 'test.example.com' })).toThrow(
      /\[test\/Edge\] gatewayApi other\/crds\/GatewayApi belongs to another cluster/,
    );
  });

  test('fails on a domain outside every managed zone', () => {
    expect(() => setup({ domain: 'test.example.org' })).toThrow(/\[test\/Edge\] domain "test.example.org" lies in none of the managed zones test.example.com/);
  });

  test('fails on a wildcard certificate from an HTTP-01-only ACME issuer', () => {
    const { cluster } = testCluster();
    const gatewayApi = new GatewayApiCrds(cluster.crds, 'GatewayApi');
    const certManager = new CertManager(cluster.controllers, 'CM', { gatewayApi });
    const issuer = new AcmeIssuer(cluster.configs, 'Acme', {
      certManager,
      server: AcmeServer.LETSENCRYPT_STAGING,
      email: 'platform@example.com',
      solvers: [AcmeSolver.http01Gateway(GatewayStack.httpListenerOf())],
    });
    expect(() => new GatewayStack(cluster, 'Edge', { gatewayApi, issuer, zones: ['test.example.com'], domain: 'test.example.com' })).toThrow(
      /issuer letsencrypt-staging cannot issue the wildcard \*.test.example.com \(ACME HTTP-01 only\)/,
    );
  });

  test('the HTTP-01 listener reference of a stack and of the shared default name agree', () => {
    const { stack } = setup();
    expect(stack.httpListener).toEqual(GatewayStack.httpListenerOf(DEFAULT_GATEWAY_NAME));
    expect(stack.httpListener).toEqual({ name: 'gateway', namespace: 'gateway', sectionName: 'http' });
  });

  test('fails on a hostname routed twice', () => {
    const { stack } = setup();
    stack.exposeService('Web', SVC, { hostname: 'web.test.example.com' });
    expect(() => stack.exposeService('Web2', SVC, { hostname: 'web.test.example.com' })).toThrow(/route Web2: hostname "web.test.example.com" is already routed by this gateway/);
  });

  test('fails on a route id used twice', () => {
    const { stack } = setup();
    stack.exposeService('Web', SVC, { hostname: 'web.test.example.com' });
    expect(() => stack.exposeService('Web', SVC, { hostname: 'web2.test.example.com' })).toThrow(/route id "Web" is already used/);
  });

  test('fails on a route without backends', () => {
    const { stack } = setup();
    expect(() => stack.addRoute('Web', { hostname: 'web.test.example.com', backends: [] })).toThrow(/route Web has no backends/);
  });

  test('fails on a pathPrefix without a leading slash', () => {
    const { stack } = setup();
    expect(() => stack.exposeService('Web', SVC, { hostname: 'web.test.example.com', pathPrefix: 'api' })).toThrow(/route Web pathPrefix "api" must start with '\/'/);
  });

  test('fails on a pathPrefix for a GRPC route', () => {
    const { stack } = setup();
    expect(() => stack.exposeService('Api', SVC, { hostname: 'api.test.example.com', protocol: RouteProtocol.GRPC, pathPrefix: '/x' })).toThrow(/route Api: pathPrefix applies to HTTP routes only/);
  });

  test('fails on SSO in front of more than one backend', () => {
    const { stack } = setup();
    expect(() => stack.addRoute('Web', { hostname: 'web.test.example.com', backends: [SVC, { ...SVC, name: 'web2' }], sso: SSO })).toThrow(/route Web: SSO protects exactly one backend, got 2/);
  });

  test('fails on cloudflareProxied or dnsTtlSeconds without an ExternalDns', () => {
    const { cluster } = testCluster();
    const gatewayApi = new GatewayApiCrds(cluster.crds, 'GatewayApi');
    const issuer = new InternalCaIssuer(cluster.configs, 'Ca', { certManager: new CertManager(cluster.controllers, 'CM') });
    const stack = new GatewayStack(cluster, 'Edge', { gatewayApi, issuer, zones: ['test.example.com'], domain: 'test.example.com' });
    expect(() => stack.exposeService('Web', SVC, { hostname: 'web.test.example.com', dnsTtlSeconds: 300 })).toThrow(/route Web: cloudflareProxied\/dnsTtlSeconds need an ExternalDns \(dns prop\)/);
    expect(() => stack.exposeService('Web2', SVC, { hostname: 'web2.test.example.com', cloudflareProxied: false })).toThrow(/route Web2: cloudflareProxied\/dnsTtlSeconds need an ExternalDns/);
  });

  test('fails on a proxied Cloudflare record with a TTL other than automatic', () => {
    const { stack } = setup();
    expect(() => stack.exposeService('Web', SVC, { hostname: 'web.test.example.com', cloudflareProxied: true, dnsTtlSeconds: 300 })).toThrow(/route Web: proxied Cloudflare records use TTL 1 \(automatic\), got 300/);
  });

  test.each([
    ['a proxied record with a fixed TTL', { cloudflareProxied: true, dnsTtlSeconds: 300 }],
    ['a Cloudflare TTL under 120 that is not automatic', { cloudflareProxied: false, dnsTtlSeconds: 60 }],
    ['a TTL that is not a whole number', { cloudflareProxied: false, dnsTtlSeconds: 120.5 }],
  ])('fails on %s with INVALID_DNS_TTL', (_what, options) => {
    // GIVEN a route TTL outside what Cloudflare allows WHEN exposed THEN the TTL family code
    const { stack } = setup();
    expect(thrownBy(() => stack.exposeService('Web', SVC, { hostname: 'web.test.example.com', ...options })).code).toBe(ErrorCode.INVALID_DNS_TTL);
  });

  test('fails on more than 64 Gateway listeners', () => {
    // GIVEN http + https + 63 dedicated-certificate listeners = 65
    const { fleet, stack } = setup();
    for (let i = 0; i < 63; i++) stack.exposeService(`H${i}`, SVC, { hostname: `h${i}.test.example.com`, dedicatedCertificate: true });
    expect(() => fleet.manifests()).toThrow(/\[test\/Edge\] Gateway has 65 listeners; Gateway API allows 64/);
  });
});

describe('EnvoyGatewayCrds', () => {
  test('health-checks exactly the pinned envoy-gateway/crds/ CRDs', () => {
    const cache = UpstreamCache.default();
    const pinned = cache
      .files((f) => f.path.startsWith('envoy-gateway/crds/'))
      .flatMap((f) => parseAllDocuments(cache.read(f.path)).map((d) => d.toJSON() as { kind?: string; metadata?: { name: string } }))
      .filter((d) => d?.kind === 'CustomResourceDefinition')
      .map((d) => d.metadata!.name)
      .sort();
    expect(pinned.length).toBeGreaterThan(0);
    expect(EnvoyGatewayCrds.PLURALS.map((p) => `${p}.gateway.envoyproxy.io`).sort()).toEqual(pinned);
  });

  test('fails outside the crds layer', () => {
    const { cluster } = testCluster();
    expect(() => new EnvoyGatewayCrds(cluster.controllers, 'Egc')).toThrow(/\[test\/controllers\/Egc\] EnvoyGatewayCrds must be created in a cluster's crds layer/);
  });
});

describe('GatewayStack takes its DNS and Gateway API CRDs by interface', () => {
  function importedSetup(provider?: DnsProvider) {
    const { fleet, cluster } = testCluster();
    const gatewayApi = new GatewayApiCrds(cluster.crds, 'GatewayApi');
    const issuer = new InternalCaIssuer(cluster.configs, 'Ca', { certManager: new CertManager(cluster.controllers, 'CertManager', { gatewayApi }) });
    // an ExternalDNS this tree does not install (IExternalDns, not the ExternalDns class)
    const dns = ExternalDns.fromAttributes(cluster.controllers, 'PlatformDns', { domainFilters: ['test.example.com'], ...(provider ? { provider } : {}) });
    const web = new FluxManifestApp(cluster.apps, 'web');
    const stack = new GatewayStack(cluster, 'Edge', { gatewayApi, issuer, dns, domain: 'test.example.com' });
    return { fleet, stack, web };
  }

  test('an imported ExternalDNS with a Cloudflare provider publishes proxied records', () => {
    // GIVEN an imported Cloudflare ExternalDNS WHEN a route is exposed
    const { fleet, stack, web } = importedSetup(DnsProvider.cloudflare({ apiToken: TOKEN }));
    stack.exposeService('Web', WEB(web), { hostname: 'web.test.example.com' });
    // THEN the route carries the Cloudflare-proxied annotation, as with an owned ExternalDns
    expect(manifest(fleet, 'test/releases/gateway-routes/httproute-web.yaml').metadata.annotations['external-dns.alpha.kubernetes.io/cloudflare-proxied']).toBe('true');
  });

  test('an imported ExternalDNS of unknown provider publishes records without Cloudflare proxying', () => {
    // GIVEN an imported ExternalDNS without provider WHEN a route is exposed
    const { fleet, stack, web } = importedSetup();
    stack.exposeService('Web', WEB(web), { hostname: 'web.test.example.com' });
    // THEN no proxied annotation
    expect(manifest(fleet, 'test/releases/gateway-routes/httproute-web.yaml').metadata.annotations?.['external-dns.alpha.kubernetes.io/cloudflare-proxied']).toBeUndefined();
  });

  test('fails on cloudflareProxied with an imported ExternalDNS of unknown provider', () => {
    // GIVEN an imported ExternalDNS without provider WHEN a route asks for proxying THEN a clear error
    const { stack, web } = importedSetup();
    expect(() => stack.exposeService('Web', WEB(web), { hostname: 'web.test.example.com', cloudflareProxied: true })).toThrow(
      /\[test\/Edge\] route Web: cloudflareProxied needs a Cloudflare ExternalDns, not one of unknown provider/,
    );
  });
});

describe('GatewayStack synth-time checks keep their code in the aggregated error', () => {
  test('fails with ROUTE_NOT_SERVABLE for a hostname outside every managed zone, listed in problems', () => {
    // GIVEN a route whose host lies in example.org while the zone is test.example.com
    const { fleet, stack, web } = setup({ zones: ['test.example.com'] });
    stack.exposeService('Web', WEB(web), { hostname: 'web.example.org', dedicatedCertificate: true });
    // WHEN synthesized
    const error = thrownBy(() => fleet.manifests());
    // THEN the aggregated error lists the problem with the rule's own code and the stack's path
    expect(error.code).toBe(ErrorCode.SYNTH_FAILED);
    expect(error.problems).toEqual([
      expect.objectContaining({ code: ErrorCode.ROUTE_NOT_SERVABLE, constructPath: 'test/Edge', message: expect.stringContaining('route Web hostname "web.example.org" lies in no managed DNS zone') }),
    ]);
  });

  test('fails with ROUTE_NOT_SERVABLE for a hostname no listener certificate covers', () => {
    // GIVEN a host two labels below the wildcard's domain
    const { fleet, stack, web } = setup();
    stack.exposeService('Web', WEB(web), { hostname: 'a.web.test.example.com', cloudflareProxied: false });
    // WHEN synthesized THEN
    expect(thrownBy(() => fleet.manifests()).problems.map((p) => p.code)).toEqual([ErrorCode.ROUTE_NOT_SERVABLE]);
  });
});
