import { parse } from 'yaml';
import { CertManager, Cidr, InternalCaIssuer, type IFluxApp } from '../../lib';
import { ExternalDnsCloudflare, SecretReference } from '../../lib/dns';
import { exposeAuthentik, exposeHeadlamp, exposeStorageUi, GatewayApiCrds, GatewayStack, Headlamp, OAuth2ProxySso, StorageUi } from '../../lib/edge';
import { validateFleetManifests } from '../../lib/validation';
import { manifest, testCluster } from '../support/fleet';
import { thrownBy } from '../support/errors';
import { ErrorCode } from '../../lib/core/errors';

const TRUSTED = [Cidr.of('10.244.0.0/16'), Cidr.of('192.168.0.0/24')];
const SSO_PROPS = { issuerUrl: 'https://auth.example.com/application/o/ui/', credentials: (app: IFluxApp) => SecretReference.fromSealedSecret('oauth2-proxy', app.namespace), trustedProxyCidrs: TRUSTED, allowedGroups: ['platform-admins'] };
const SSO = new OAuth2ProxySso(SSO_PROPS);

function ssoArgs(fleet: Parameters<typeof manifest>[0], id: string): Record<string, string> {
  return parse(manifest(fleet, `test/releases/oauth2-proxy-${id}/configmap-oauth2-proxy-${id}-values.yaml`).data['values.yaml']).extraArgs;
}

function setup() {
  const { fleet, cluster } = testCluster();
  const gatewayApi = new GatewayApiCrds(cluster.crds, 'GatewayApi');
  const certManager = new CertManager(cluster.controllers, 'CertManager', { gatewayApi });
  const issuer = new InternalCaIssuer(cluster.configs, 'Ca', { certManager });
  const dns = new ExternalDnsCloudflare(cluster.controllers, 'Dns', {
    apiToken: SecretReference.fromSealedSecret('cloudflare-api-token', 'external-dns').key('api-token'),
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

  test('oauth2-proxy trusts X-Forwarded-* only from the given proxy CIDRs and admits only the given groups', () => {
    const { fleet, stack } = setup();
    exposeStorageUi(stack, StorageUi.LONGHORN, { hostname: 'storage.test.example.com', sso: SSO });
    expect(ssoArgs(fleet, 'storageui')).toMatchObject({
      'reverse-proxy': 'true',
      'trusted-proxy-ip': '10.244.0.0/16,192.168.0.0/24',
      'allowed-group': 'platform-admins',
    });
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
  });

  test('each proxy gets its credentials from the delivery function, in its own namespace, recorded with their provenance', () => {
    // GIVEN a guard whose credentials are delivered per proxy
    const { fleet, cluster, stack } = setup();
    const asked: string[] = [];
    const sso = new OAuth2ProxySso({ ...SSO_PROPS, credentials: (app) => (asked.push(app.namespace), SecretReference.fromExternalSecret(`creds-${app.name}`, app.namespace)) });
    // WHEN two UIs are protected
    exposeStorageUi(stack, StorageUi.LONGHORN, { hostname: 'storage.test.example.com', sso });
    exposeHeadlamp(stack, new Headlamp(cluster.apps, 'Headlamp'), { hostname: 'headlamp.test.example.com', sso });
    // THEN the function ran once per proxy, each proxy reads its own Secret, and the use is recorded
    expect(asked).toEqual(['oauth2-proxy-storageui', 'oauth2-proxy-headlamp']);
    const values = parse(manifest(fleet, 'test/releases/oauth2-proxy-storageui/configmap-oauth2-proxy-storageui-values.yaml').data['values.yaml']);
    expect(values.config.existingSecret).toBe('creds-oauth2-proxy-storageui');
    expect(cluster.secretUses.filter((u) => u.name === 'creds-oauth2-proxy-storageui').map((u) => u.provenance)).toEqual(['external']);
  });

  test('fails when the delivered credentials are in another namespace than the proxy', () => {
    const { stack } = setup();
    const sso = new OAuth2ProxySso({ ...SSO_PROPS, credentials: () => SecretReference.fromSealedSecret('oauth2-proxy', 'elsewhere') });
    const error = thrownBy(() => exposeStorageUi(stack, StorageUi.LONGHORN, { hostname: 'storage.test.example.com', sso }));
    expect(error.code).toBe(ErrorCode.SECRET_NAMESPACE_MISMATCH);
    expect(error.message).toContain('SSO credentials Secret elsewhere/oauth2-proxy is in namespace "elsewhere", but the consumer reads Secrets only from "oauth2-proxy-storageui"');
  });

  test('fails on SSO without trustedProxyCidrs', () => {
    const { stack } = setup();
    const sso = new OAuth2ProxySso({ ...SSO_PROPS, trustedProxyCidrs: [] });
    expect(() => exposeStorageUi(stack, StorageUi.LONGHORN, { hostname: 's.test.example.com', sso })).toThrow(/\[test\/Edge\] SSO trustedProxyCidrs is empty/);
  });

  test('fails on an SSO trusted proxy range that is no CIDR', () => {
    const { stack } = setup();
    const sso = new OAuth2ProxySso({ ...SSO_PROPS, trustedProxyCidrs: [Cidr.of('10.244.0.1/16')] });
    expect(() => exposeStorageUi(stack, StorageUi.LONGHORN, { hostname: 's.test.example.com', sso })).toThrow(/SSO trustedProxyCidrs "10.244.0.1\/16" has host bits set/);
  });

  test('fails to expose a platform UI through SSO without allowedGroups', () => {
    const { cluster, stack } = setup();
    const open = new OAuth2ProxySso({ ...SSO_PROPS, allowedGroups: undefined });
    const headlamp = new Headlamp(cluster.apps, 'Headlamp');
    expect(() => exposeHeadlamp(stack, headlamp, { hostname: 'headlamp.test.example.com', sso: open })).toThrow(/\[test\/Edge\] Headlamp must be restricted to identity-provider groups/);
    expect(() => exposeStorageUi(stack, StorageUi.LONGHORN, { hostname: 's.test.example.com', sso: new OAuth2ProxySso({ ...SSO_PROPS, allowedGroups: [] }) })).toThrow(
      /the storage UI must be restricted to identity-provider groups/,
    );
  });

  test('fails on an empty or comma-joined SSO group name', () => {
    const { stack } = setup();
    const sso = new OAuth2ProxySso({ ...SSO_PROPS, allowedGroups: ['a,b'] });
    expect(() => exposeStorageUi(stack, StorageUi.LONGHORN, { hostname: 's.test.example.com', sso })).toThrow(/SSO allowedGroups entry "a,b" must be a non-empty group name without ','/);
  });

  test('fails on an SSO issuer URL that is not https', () => {
    const { stack } = setup();
    const sso = new OAuth2ProxySso({ ...SSO_PROPS, issuerUrl: 'http://auth.example.com/application/o/ui/' });
    expect(() => exposeStorageUi(stack, StorageUi.LONGHORN, { hostname: 's.test.example.com', sso })).toThrow(/\[test\/Edge\] SSO issuerUrl "http:\/\/auth.example.com\/application\/o\/ui\/" must be https:\/\//);
  });

  test('fails to expose Headlamp or the storage UI without SSO', () => {
    const { cluster, stack } = setup();
    const headlamp = new Headlamp(cluster.apps, 'Headlamp');
    expect(() => exposeHeadlamp(stack, headlamp, { hostname: 'headlamp.test.example.com', sso: undefined as never })).toThrow(/Headlamp must not be exposed without SSO/);
    expect(() => exposeStorageUi(stack, StorageUi.CEPH_DASHBOARD, { hostname: 's.test.example.com', sso: undefined as never })).toThrow(/the storage UI must not be exposed without SSO/);
  });
});
