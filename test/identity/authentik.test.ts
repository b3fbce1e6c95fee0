import { parse } from 'yaml';
import { ErrorCode } from '../../lib/core/errors';
import { FluxApp } from '../../lib/flux/flux-app';
import { Authentik, clientSecretEnv, fleetSsoClients } from '../../lib/identity';
import { ClusterSecretStore, SecretStoreProvider } from '../../lib/secrets/secret-store';
import { ExternalSecretsOperator } from '../../lib/secrets/external-secrets-operator';
import { VaultAuth } from '../../lib/secrets/stores/vault';
import { OAUTH2_PROXY_CHART } from '../../imports/helm/charts';
import { thrownBy } from '../support/errors';
import { manifestsByFile, testCluster } from '../support/fleet';

/** The fleet's files, synthesized once (every `manifest()` call would synthesize and validate again). */
function filesOf(fleet: Parameters<typeof manifestsByFile>[0]): ((file: string) => Record<string, any>) & { all: () => Record<string, Record<string, unknown>> } {
  let files: Record<string, Record<string, unknown>> | undefined;
  const all = (): Record<string, Record<string, unknown>> => (files ??= manifestsByFile(fleet));
  return Object.assign(
    (file: string): Record<string, any> => {
      const found = all()[file];
      if (!found) throw new Error(`no manifest ${file}`);
      return found as Record<string, any>;
    },
    { all },
  );
}
import { referenceFleet } from '../support/reference-fleet';

function setup() {
  const { fleet, cluster } = testCluster('mgmt');
  const operator = new ExternalSecretsOperator(cluster.controllers, 'Eso');
  const store = new ClusterSecretStore(cluster.configs, 'Store', {
    name: 'fleet-secrets',
    operator,
    provider: SecretStoreProvider.vault({ server: 'https://vault.example.com', auth: VaultAuth.kubernetes({ mountPath: 'kubernetes-mgmt', role: 'eso' }) }),
  });
  return { fleet, cluster, store };
}

describe('Authentik', () => {
  // GIVEN authentik and one oauth2-proxy whose issuer is on its host (and one that is not)
  const { fleet, cluster, store } = setup();
  const file = filesOf(fleet);
  new FluxApp(cluster.apps, 'Proxy', {
    chart: OAUTH2_PROXY_CHART,
    name: 'oauth2-proxy-ui',
    values: { extraArgs: { 'oidc-issuer-url': 'https://auth.example.com/application/o/ui-mgmt/', 'redirect-url': 'https://ui.example.com/oauth2/callback' } },
  });
  new FluxApp(cluster.apps, 'Other', {
    chart: OAUTH2_PROXY_CHART,
    name: 'oauth2-proxy-other',
    values: { extraArgs: { 'oidc-issuer-url': 'https://login.elsewhere.com/', 'redirect-url': 'https://other.example.com/oauth2/callback' } },
  });
  const authentik = new Authentik(cluster.apps, 'Authentik', { hostname: 'auth.example.com', store, clientSecretsKey: 'infraflux/mgmt/authentik-oidc-clients' });

  test('matches the snapshot', () => {
    // THEN
    expect(file.all()).toMatchSnapshot();
  });

  test('the secret key is generated once in the cluster, never in Git', () => {
    // THEN
    const es = file('mgmt/releases/authentik/externalsecret-authentik-secret-key.yaml');
    expect(es.spec).toMatchObject({ refreshPolicy: 'CreatedOnce', dataFrom: [{ sourceRef: { generatorRef: { kind: 'Password', name: 'authentik-secret-key' } } }] });
    expect(es.spec.target.template.data).toEqual({ AUTHENTIK_SECRET_KEY: '{{ index . "password" }}' });
    const values = parse(file('mgmt/releases/authentik/configmap-authentik-values.yaml').data['values.yaml']);
    expect(values.authentik.existingSecret.secretName).toBe('authentik-secret-key');
    expect(values.authentik.secret_key).toBeUndefined();
    expect(values.postgresql).toEqual({ enabled: true, auth: { username: 'authentik', database: 'authentik' } });
  });

  test('one OIDC provider and application per oauth2-proxy on its host, the secret from the environment', () => {
    // THEN
    expect(authentik.clients()).toEqual([{ slug: 'ui-mgmt', redirectUri: 'https://ui.example.com/oauth2/callback', consumer: 'mgmt/apps/Proxy' }]);
    const text = file('mgmt/releases/authentik/configmap-authentik-blueprints.yaml').data['infraflux-oidc-clients.yaml'];
    expect(text).toContain(`client_secret: !Env ${clientSecretEnv('ui-mgmt')}`);
    expect(text).toContain('url: https://ui.example.com/oauth2/callback');
    expect(text).not.toContain('other.example.com');
    expect(authentik.issuerUrl('ui-mgmt')).toBe('https://auth.example.com/application/o/ui-mgmt/');
    expect(file('mgmt/releases/authentik/externalsecret-authentik-oidc-clients.yaml').spec.dataFrom).toEqual([{ extract: { key: 'infraflux/mgmt/authentik-oidc-clients' } }]);
  });

  test('fails on a bad hostname, replicas or an empty client-secrets key', () => {
    // GIVEN
    const s = setup();
    // THEN
    expect(thrownBy(() => new Authentik(s.cluster.apps, 'A', { hostname: 'not a host', store: s.store, clientSecretsKey: 'k' })).code).toBe(ErrorCode.INVALID_PROP);
    expect(thrownBy(() => new Authentik(s.cluster.apps, 'B', { hostname: 'auth.example.com', store: s.store, clientSecretsKey: 'k', replicas: 0 })).message).toMatch(/replicas 0/);
    expect(thrownBy(() => new Authentik(s.cluster.apps, 'C', { hostname: 'auth.example.com', store: s.store, clientSecretsKey: ' ' })).message).toMatch(/clientSecretsKey is empty/);
  });

  test('in the reference fleet: every SSO-guarded route has its client, and authentik is on auth.<domain>', () => {
    // GIVEN
    const { fleet: ref, manifests } = referenceFleet();
    const mgmt = ref.clusters.find((c) => c.name === 'mgmt')!;
    // WHEN
    const proxies = manifests.filter((m) => m.object.kind === 'HelmRelease' && (m.object as any).spec.chart?.spec?.chart === 'oauth2-proxy');
    const clients = fleetSsoClients(mgmt, 'auth.infraflux.example.com');
    // THEN one client per oauth2-proxy release of the fleet
    expect(proxies.length).toBeGreaterThan(0);
    expect(clients).toHaveLength(proxies.length);
    const blueprint = manifests.find((m) => m.file === 'mgmt/releases/authentik/configmap-authentik-blueprints.yaml')!;
    for (const c of clients) expect((blueprint.object as any).data['infraflux-oidc-clients.yaml']).toContain(`slug: ${c.slug}`);
    const route = manifests.find((m) => m.file === 'mgmt/releases/gateway-routes/httproute-authentik.yaml')!;
    expect((route.object as any).spec.hostnames).toEqual(['auth.infraflux.example.com']);
  });
});
