import { Duration } from 'cdk8s';
import {
  ClusterSecretStore,
  CreationPolicy,
  DeletionPolicy,
  ErrorCode,
  ExternalSecret,
  ExternalSecretDataFrom,
  ExternalSecretsOperator,
  FluxApp,
  PasswordGenerator,
  RefreshPolicy,
  SecretProvenance,
  SecretStore,
  SecretStoreProvider,
  TemplateValue,
  VaultAuth,
} from '../../lib';
import { OAUTH2_PROXY_CHART } from '../../imports/helm/charts';
import { validateFleetManifests } from '../../lib/validation';
import { thrownBy } from '../support/errors';
import { manifest, manifestsByFile, testCluster } from '../support/fleet';

const provider = (): SecretStoreProvider => SecretStoreProvider.vault({ server: 'https://vault.example.com', auth: VaultAuth.kubernetes({ mountPath: 'kubernetes-test', role: 'eso' }) });

function setup() {
  const { fleet, cluster } = testCluster();
  const operator = new ExternalSecretsOperator(cluster.controllers, 'Eso');
  const store = new ClusterSecretStore(cluster.configs, 'Store', { name: 'fleet-secrets', operator, provider: provider() });
  return { fleet, cluster, operator, store };
}

const DATA = [
  { secretKey: 'username', remoteKey: 'app/db', property: 'user' },
  { secretKey: 'password', remoteKey: 'app/db', property: 'password', version: '3' },
];

describe('ExternalSecret', () => {
  test('emits an external-secrets.io/v1 ExternalSecret with refresh, target policies and data, valid against the pinned CRD', () => {
    // GIVEN a ClusterSecretStore
    const { fleet, cluster, store } = setup();
    // WHEN an ExternalSecret reads two properties every 15 minutes
    const es = new ExternalSecret(cluster.apps, 'Db', { store, namespace: 'app', targetName: 'db-credentials', refreshInterval: Duration.minutes(15), data: DATA });
    // THEN
    const obj = manifest(fleet, 'test/apps/externalsecret-db-credentials.yaml');
    expect(obj.apiVersion).toBe('external-secrets.io/v1');
    expect(obj.spec).toEqual({
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'fleet-secrets' },
      refreshInterval: '15m',
      refreshPolicy: 'Periodic',
      target: { name: 'db-credentials', creationPolicy: 'Owner', deletionPolicy: 'Retain' },
      data: [
        { secretKey: 'username', remoteRef: { key: 'app/db', property: 'user' } },
        { secretKey: 'password', remoteRef: { key: 'app/db', property: 'password', version: '3' } },
      ],
    });
    // the Secret it writes, with provenance ExternalSecret and this construct as producer
    expect(es.secretRef).toMatchObject({ name: 'db-credentials', namespace: 'app', provenance: SecretProvenance.EXTERNAL, producer: es });
    expect(es.keys).toEqual(['password', 'username']);
    expect(es.key('password').toSelector()).toEqual({ name: 'db-credentials', key: 'password' });
    expect(es.node.defaultChild).toBe(es.resource);
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
    expect(manifestsByFile(fleet)).toMatchSnapshot();
  });

  test('templating: typed template data reading fetched keys, type and metadata; policies', () => {
    const { fleet, cluster, store } = setup();
    const es = new ExternalSecret(cluster.apps, 'Db', {
      store,
      namespace: 'app',
      name: 'db',
      targetName: 'db-url',
      refreshPolicy: RefreshPolicy.ON_CHANGE,
      creationPolicy: CreationPolicy.ORPHAN,
      deletionPolicy: DeletionPolicy.DELETE,
      data: DATA,
      template: {
        type: 'kubernetes.io/basic-auth',
        labels: { app: 'db' },
        annotations: { team: 'data' },
        data: {
          url: TemplateValue.template('postgres://{{ .username }}:{{ .password }}@db:5432/app', ['username', 'password']),
          username: TemplateValue.key('username'),
          note: TemplateValue.literal('not {{ a template'),
        },
      },
    });
    const obj = manifest(fleet, 'test/apps/externalsecret-db.yaml');
    expect(obj.spec.refreshPolicy).toBe('OnChange');
    expect(obj.spec.target).toEqual({
      name: 'db-url',
      creationPolicy: 'Orphan',
      deletionPolicy: 'Delete',
      template: {
        engineVersion: 'v2',
        type: 'kubernetes.io/basic-auth',
        metadata: { labels: { app: 'db' }, annotations: { team: 'data' } },
        data: { url: 'postgres://{{ .username }}:{{ .password }}@db:5432/app', username: '{{ index . "username" }}', note: 'not {{ "{{" }} a template' },
      },
    });
    // the Secret's keys are the template's
    expect(es.keys).toEqual(['note', 'url', 'username']);
    expect(thrownBy(() => es.key('password')).code).toBe(ErrorCode.SECRET_KEY_UNKNOWN);
  });

  test('dataFrom: extract a whole backend secret, or the keys of a generator (which it then waits for)', () => {
    const { fleet, cluster, store } = setup();
    const gen = new PasswordGenerator(cluster.apps, 'Cookie', { namespace: 'app' });
    const es = new ExternalSecret(cluster.apps, 'All', {
      store,
      namespace: 'app',
      targetName: 'all',
      refreshPolicy: RefreshPolicy.CREATED_ONCE,
      dataFrom: [ExternalSecretDataFrom.extract('app/config'), ExternalSecretDataFrom.generator(gen)],
    });
    expect(manifest(fleet, 'test/apps/externalsecret-all.yaml').spec.dataFrom).toEqual([
      { extract: { key: 'app/config' } },
      { sourceRef: { generatorRef: { apiVersion: 'generators.external-secrets.io/v1alpha1', kind: 'Password', name: 'cookie' } } },
    ]);
    // keys from dataFrom are known only at runtime
    expect(es.keys).toBeUndefined();
    expect(es.key('anything').key).toBe('anything');
  });

  test('forApp: applied with the app that reads it (its release folder and namespace), the app waits for the store', () => {
    // GIVEN an app in the apps layer and a store in configs
    const { fleet, cluster, store } = setup();
    const app = new FluxApp(cluster.apps, 'web', { chart: OAUTH2_PROXY_CHART });
    // WHEN its credentials come from the store
    const es = ExternalSecret.forApp(app, 'Creds', { store, targetName: 'web-creds', data: DATA });
    // THEN the ExternalSecret is in releases/web (applied by the app's Kustomization) in its namespace
    expect(manifest(fleet, 'test/releases/web/externalsecret-web-creds.yaml').metadata).toEqual({ name: 'web-creds', namespace: 'web' });
    expect(es.namespace).toBe('web');
    // and the apps layer waits for configs (the store)
    expect(manifest(fleet, 'test/flux-system/kustomization-apps.yaml').spec.dependsOn).toEqual(expect.arrayContaining([{ name: 'configs', namespace: 'flux-system' }]));
  });

  test('fails with a refresh interval that is not a positive whole number of seconds', () => {
    const { cluster, store } = setup();
    const e = thrownBy(() => new ExternalSecret(cluster.apps, 'Db', { store, namespace: 'app', targetName: 'db', refreshInterval: Duration.millis(500), data: DATA }));
    expect(e.code).toBe(ErrorCode.INVALID_DURATION);
    expect(e.constructPath).toBe('test/apps/Db');
  });

  test('fails with a target name that is not DNS-1123', () => {
    const { cluster, store } = setup();
    const e = thrownBy(() => new ExternalSecret(cluster.apps, 'Db', { store, namespace: 'app', targetName: 'DB_Credentials', data: DATA }));
    expect(e.code).toBe(ErrorCode.INVALID_PROP);
    expect(e.message).toMatch(/targetName "DB_Credentials" is not a DNS-1123 subdomain/);
  });

  test('fails without data and dataFrom', () => {
    const { cluster, store } = setup();
    expect(thrownBy(() => new ExternalSecret(cluster.apps, 'Db', { store, namespace: 'app', targetName: 'db' })).message).toMatch(/neither data nor dataFrom/);
  });

  test('fails without a namespace', () => {
    const { cluster, store } = setup();
    expect(thrownBy(() => new ExternalSecret(cluster.apps, 'Db', { store, targetName: 'db', data: DATA })).message).toMatch(/namespace is required/);
  });

  test('fails with a secretKey used twice', () => {
    const { cluster, store } = setup();
    expect(thrownBy(() => new ExternalSecret(cluster.apps, 'Db', { store, namespace: 'app', targetName: 'db', data: [DATA[0], DATA[0]] })).code).toBe(ErrorCode.DUPLICATE);
  });

  test('fails with a secretKey that is not a Secret key', () => {
    const { cluster, store } = setup();
    expect(thrownBy(() => new ExternalSecret(cluster.apps, 'Db', { store, namespace: 'app', targetName: 'db', data: [{ secretKey: 'a b', remoteKey: 'x' }] })).code).toBe(ErrorCode.INVALID_PROP);
  });

  test('fails with an empty remoteKey', () => {
    const { cluster, store } = setup();
    expect(thrownBy(() => new ExternalSecret(cluster.apps, 'Db', { store, namespace: 'app', targetName: 'db', data: [{ secretKey: 'a', remoteKey: ' ' }] })).message).toMatch(/empty remoteKey/);
  });

  test('fails with a template reading a key the data does not fetch', () => {
    const { cluster, store } = setup();
    const e = thrownBy(() => new ExternalSecret(cluster.apps, 'Db', { store, namespace: 'app', targetName: 'db', data: DATA, template: { data: { token: TemplateValue.key('token') } } }));
    expect(e.code).toBe(ErrorCode.INVALID_PROP);
    expect(e.message).toMatch(/reads "token", which is not a data secretKey/);
  });

  test('fails with a SecretStore of another namespace', () => {
    const { cluster, operator } = setup();
    const other = new SecretStore(cluster.apps, 'Other', { namespace: 'other', operator, provider: provider() });
    expect(thrownBy(() => new ExternalSecret(cluster.apps, 'Db', { store: other, namespace: 'app', targetName: 'db', data: DATA })).message).toMatch(/serves namespace "other" only/);
  });

  test('fails forApp with a namespace other than the app\'s', () => {
    const { cluster, store } = setup();
    const app = new FluxApp(cluster.apps, 'web', { chart: OAUTH2_PROXY_CHART });
    expect(thrownBy(() => ExternalSecret.forApp(app, 'Creds', { store, namespace: 'elsewhere', targetName: 'c', data: DATA })).message).toMatch(/differs from the app's namespace/);
  });

  test('fails with an empty dataFrom extract key', () => {
    const { cluster, store } = setup();
    expect(thrownBy(() => new ExternalSecret(cluster.apps, 'Db', { store, namespace: 'app', targetName: 'db', dataFrom: [ExternalSecretDataFrom.extract('')] })).message).toMatch(/dataFrom extract has an empty remoteKey/);
  });

  test('fails with a generator of another namespace', () => {
    const { cluster, store } = setup();
    const gen = new PasswordGenerator(cluster.apps, 'Cookie', { namespace: 'other' });
    expect(thrownBy(() => new ExternalSecret(cluster.apps, 'Db', { store, namespace: 'app', targetName: 'db', dataFrom: [ExternalSecretDataFrom.generator(gen)] })).message).toMatch(/generator other\/cookie is in another namespace/);
  });

  test('fails forApp for an app installed elsewhere (no folder in this tree)', () => {
    const { cluster, store } = setup();
    const app = new FluxApp(cluster.apps, 'web', { chart: OAUTH2_PROXY_CHART, installedElsewhere: true });
    expect(thrownBy(() => ExternalSecret.forApp(app, 'Creds', { store, targetName: 'c', data: DATA })).message).toMatch(/installed elsewhere/);
  });

  test('fails when its store sits in a later layer than the ExternalSecret (the consumer would wait on a later layer)', () => {
    // GIVEN a store in configs and an ExternalSecret in the controllers layer
    const { fleet, cluster, store } = setup();
    new ExternalSecret(cluster.controllers, 'Early', { store, namespace: 'app', targetName: 'early', data: DATA });
    // THEN synth refuses the dependency on a later layer
    expect(thrownBy(() => fleet.manifests()).problems.map((p) => p.code)).toContain(ErrorCode.LAYER_ORDER);
  });
});
