import { parse } from 'yaml';
import { CertManager, InternalCaIssuer } from '../../lib';
import { ExternalDnsCloudflare, SecretKeyReference } from '../../lib/dns';
import { exposeAuthentik, exposeHeadlamp, exposeStorageUi, GatewayApiCrds, GatewayStack, Headlamp, OAuth2ProxySso, StorageUi } from '../../lib/edge';
import { validateFleetManifests } from '../../lib/validation';
import { manifest, testCluster } from '../support/fleet';

const SSO = new OAuth2ProxySso({ issuerUrl: 'https://auth.example.com/application/o/ui/', credentialsSecretName: 'oauth2-proxy' });

function setup() {
  const { fleet, cluster } = testCluster();
  const gatewayApi = new GatewayApiCrds(cluster.crds, 'GatewayApi');
  const certManager = new CertManager(cluster.controllers, 'CertManager', { gatewayApi });
  const issuer = new InternalCaIssuer(cluster.configs, 'Ca', { certManager });
  const dns = new ExternalDnsCloudflare(cluster.controllers, 'Dns', {
    apiToken: SecretKeyReference.fromSecret('cloudflare-api-token', 'api-token'),
    domainFilters: ['test.example.com'],
    gatewayApi,
  });
  const stack = new GatewayStack(cluster, 'Edge', { gatewayApi, issuer, dns, domain: 'test.example.com' });
  return { fleet, cluster, stack };
}

function backend(fleet: Parameters<typeof manifest>[0], route: string): Record<string, unknown> {
  return manifest(fleet, `test/releases/gateway-routes/httproute-${route}.yaml`).spec.rules[0].backendRefs[0];
}

describe('platform UI helpers', () => {
  test('Headlamp installs without the cluster-admin binding and is exposed only through SSO', () => {
    // GIVEN Headlamp exposed through the gateway
    const { fleet, cluster, stack } = setup();
    const headlamp = new Headlamp(cluster.apps, 'Headlamp');
    exposeHeadlamp(stack, headlamp, { hostname: 'headlamp.test.example.com', sso: SSO });
    // THEN the chart's cluster-admin binding is off and the route goes to the SSO proxy
    expect(parse(manifest(fleet, 'test/releases/headlamp/configmap-headlamp-values.yaml').data['values.yaml'])).toEqual({ clusterRoleBinding: { create: false } });
    expect(backend(fleet, 'headlamp')).toMatchObject({ name: 'oauth2-proxy-headlamp' });
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
  });

  test('the storage UI is exposed only through SSO', () => {
    const { fleet, stack } = setup();
    exposeStorageUi(stack, StorageUi.LONGHORN, { hostname: 'storage.test.example.com', sso: SSO });
    expect(backend(fleet, 'storageui')).toMatchObject({ name: 'oauth2-proxy-storageui' });
    const values = manifest(fleet, 'test/releases/oauth2-proxy-storageui/configmap-oauth2-proxy-storageui-values.yaml').data['values.yaml'];
    expect(values).toContain('http://longhorn-frontend.longhorn-system.svc.cluster.local:80');
  });

  test('authentik is exposed directly: it is the identity provider', () => {
    const { fleet, stack } = setup();
    exposeAuthentik(stack, { hostname: 'auth.test.example.com' });
    expect(backend(fleet, 'authentik')).toMatchObject({ name: 'authentik-server', namespace: 'authentik', port: 80 });
  });

  test('fails to expose Headlamp or the storage UI without SSO', () => {
    const { cluster, stack } = setup();
    const headlamp = new Headlamp(cluster.apps, 'Headlamp');
    expect(() => exposeHeadlamp(stack, headlamp, { hostname: 'headlamp.test.example.com', sso: undefined as never })).toThrow(/Headlamp must not be exposed without SSO/);
    expect(() => exposeStorageUi(stack, StorageUi.CEPH_DASHBOARD, { hostname: 's.test.example.com', sso: undefined as never })).toThrow(/the storage UI must not be exposed without SSO/);
  });
});
