import { Construct } from 'constructs';
import { ErrorCode } from '../../lib/core/errors';
import { EdgeApi, EdgeImplementation, EnvoyGatewayCrds } from '../../lib/edge/edge-implementation';
import { thrownBy } from '../support/errors';
import { manifest, testCluster } from '../support/fleet';

describe('EdgeImplementation', () => {
  test.each<[string, EdgeImplementation, EdgeApi, string, string | undefined, number, number, boolean, boolean]>([
    ['cilium', EdgeImplementation.cilium(), EdgeApi.GATEWAY_API, 'cilium', 'io.cilium/gateway-controller', 80, 443, false, true],
    ['cilium-ingress', EdgeImplementation.ciliumIngress(), EdgeApi.INGRESS, 'cilium', undefined, 80, 443, false, true],
    ['envoy-gateway', EdgeImplementation.envoyGateway(), EdgeApi.GATEWAY_API, 'envoy-gateway', 'gateway.envoyproxy.io/gatewayclass-controller', 80, 443, false, false],
    ['traefik', EdgeImplementation.traefik(), EdgeApi.GATEWAY_API, 'traefik', 'traefik.io/gateway-controller', 8000, 8443, false, false],
    ['ingress-nginx', EdgeImplementation.ingressNginx(), EdgeApi.INGRESS, 'nginx', undefined, 80, 443, true, false],
  ])('%s: API, class, controller, ports, retirement', (name, impl, api, className, controllerName, httpPort, httpsPort, retired, isCilium) => {
    // GIVEN the factory THEN what GatewayStack builds on
    expect(impl.name).toBe(name);
    expect(impl.api).toBe(api);
    expect(impl.className).toBe(className);
    expect(impl.controllerName).toBe(controllerName);
    expect([impl.httpPort, impl.httpsPort]).toEqual([httpPort, httpsPort]);
    expect(impl.retired).toBe(retired);
    expect(impl.isCilium).toBe(isCilium);
  });
});

describe('EnvoyGatewayCrds', () => {
  // GIVEN Envoy Gateway's CRDs in the crds layer
  const { fleet, cluster } = testCluster('edge');
  new EnvoyGatewayCrds(cluster.crds, 'EnvoyCrds');
  const ks = manifest(fleet, 'edge/crds/kustomization-envoy-gateway-crds.yaml');
  const source = manifest(fleet, 'edge/crds/gitrepository-envoy-gateway.yaml');

  test('matches the snapshot', () => {
    // THEN
    expect({ ks, source }).toMatchSnapshot();
  });

  test('applied from the upstream tag of the pinned chart, never pruned, every CRD health-checked', () => {
    // THEN
    expect(source.spec.url).toBe('https://github.com/envoyproxy/gateway');
    expect(source.spec.ref.tag).toMatch(/^v\d+\.\d+\.\d+$/);
    expect(ks.spec.path).toBe('./charts/gateway-helm/charts/crds/crds/generated');
    expect(ks.spec.prune).toBe(false);
    expect(ks.spec.healthChecks.map((h: any) => h.name)).toEqual([
      'backends.gateway.envoyproxy.io',
      'backendtrafficpolicies.gateway.envoyproxy.io',
      'clienttrafficpolicies.gateway.envoyproxy.io',
      'envoyextensionpolicies.gateway.envoyproxy.io',
      'envoypatchpolicies.gateway.envoyproxy.io',
      'envoyproxies.gateway.envoyproxy.io',
      'httproutefilters.gateway.envoyproxy.io',
      'securitypolicies.gateway.envoyproxy.io',
    ]);
    expect(ks.spec.healthChecks.every((h: any) => h.kind === 'CustomResourceDefinition' && h.apiVersion === 'apiextensions.k8s.io/v1')).toBe(true);
  });

  test('fails outside the crds layer', () => {
    // GIVEN the controllers layer WHEN the CRDs are created there
    const { cluster: c } = testCluster('edge');
    const err = thrownBy(() => new EnvoyGatewayCrds(c.controllers, 'EnvoyCrds'));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toContain("EnvoyGatewayCrds must be created in a cluster's crds layer (cluster.crds)");
  });

  test('fails below a construct of the crds layer (not directly in it)', () => {
    // GIVEN
    const { cluster: c } = testCluster('edge');
    // WHEN
    const err = thrownBy(() => new EnvoyGatewayCrds(new Construct(c.crds, 'Group') as never, 'EnvoyCrds'));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
  });
});
