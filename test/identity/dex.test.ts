import { parse } from 'yaml';
import { ErrorCode } from '../../lib/core/errors';
import { Dex, DEX_IMAGE_TAG } from '../../lib/identity';
import { ClusterSecretStore, SecretStoreProvider } from '../../lib/secrets/secret-store';
import { ExternalSecretsOperator } from '../../lib/secrets/external-secrets-operator';
import { VaultAuth } from '../../lib/secrets/stores/vault';
import { thrownBy } from '../support/errors';

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
import { manifestsByFile, testCluster } from '../support/fleet';

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

const CONNECTORS = [{ type: 'github', id: 'github', name: 'GitHub', config: { clientID: '$GITHUB_CLIENT_ID', clientSecret: '$GITHUB_CLIENT_SECRET', redirectURI: 'https://auth.example.com/dex/callback' } }];
const CLIENTS = [{ slug: 'hubble-mgmt', redirectUri: 'https://hubble.example.com/oauth2/callback', consumer: 'x' }];

describe('Dex', () => {
  // GIVEN Dex with one connector and one static client
  const { fleet, cluster, store } = setup();
  const file = filesOf(fleet);
  new Dex(cluster.apps, 'Dex', { issuerUrl: 'https://auth.example.com/dex', store, clientSecretsKey: 'infraflux/mgmt/dex-clients', clients: CLIENTS, connectors: CONNECTORS });

  test('matches the snapshot', () => {
    // THEN
    expect(file.all()).toMatchSnapshot();
  });

  test('the config is rendered by the secret operator, with the client secrets from the store, never in values', () => {
    // THEN
    const values = parse(file('mgmt/releases/dex/configmap-dex-values.yaml').data['values.yaml']);
    expect(values.configSecret).toEqual({ create: false, name: 'dex-config' });
    expect(values.config).toBeUndefined();
    expect(values.image.tag).toBe(DEX_IMAGE_TAG);
    expect(values.podSecurityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1001 });
    const es = file('mgmt/releases/dex/externalsecret-dex-config.yaml');
    expect(es.spec.dataFrom).toEqual([{ extract: { key: 'infraflux/mgmt/dex-clients' } }]);
    const config = es.spec.target.template.data['config.yaml'] as string;
    expect(config).toContain('"issuer": "https://auth.example.com/dex"');
    expect(config).toContain('"secret": {{ index . "HUBBLE_MGMT_CLIENT_SECRET" | toJson }}');
    expect(config).toContain('"redirectURIs": [\n        "https://hubble.example.com/oauth2/callback"');
  });

  test('fails without connectors, with a plain-http issuer or zero replicas', () => {
    // GIVEN
    const s = setup();
    const base = { store: s.store, clientSecretsKey: 'k', clients: CLIENTS, connectors: CONNECTORS };
    // THEN
    expect(thrownBy(() => new Dex(s.cluster.apps, 'A', { ...base, issuerUrl: 'http://auth.example.com' })).code).toBe(ErrorCode.INVALID_PROP);
    expect(thrownBy(() => new Dex(s.cluster.apps, 'B', { ...base, issuerUrl: 'https://auth.example.com', connectors: [] })).message).toMatch(/connectors is empty/);
    expect(thrownBy(() => new Dex(s.cluster.apps, 'C', { ...base, issuerUrl: 'https://auth.example.com', replicas: 0 })).message).toMatch(/replicas 0/);
  });
});
