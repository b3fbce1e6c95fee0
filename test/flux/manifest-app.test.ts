import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ErrorCode } from '../../lib/core/errors';
import { FluxManifestApp, ManifestBackedConstruct } from '../../lib/flux/manifest-app';
import { PodSecurityLevel } from '../../lib/flux/pod-security';
import { thrownBy } from '../support/errors';
import { manifest, manifestsByFile, testCluster } from '../support/fleet';

describe('FluxManifestApp', () => {
  // GIVEN an app with one ConfigMap in its content
  const { fleet, cluster } = testCluster('mgmt');
  const app = new FluxManifestApp(cluster.apps, 'web');
  new ApiObject(app.content, 'Config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config' } });

  test('matches the snapshot', () => {
    // THEN
    expect(manifestsByFile(fleet)).toMatchSnapshot();
  });

  test('Namespace and Kustomization go to the layer folder, the content to releases/<name>/', () => {
    // THEN
    expect(app.name).toBe('web');
    expect(app.namespace).toBe('web');
    expect(app.content.folder).toBe('mgmt/releases/web');
    expect(manifest(fleet, 'mgmt/apps/namespace-web.yaml').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(manifest(fleet, 'mgmt/releases/web/configmap-web-config.yaml').kind).toBe('ConfigMap');
  });

  test('the Kustomization applies the release folder with wait', () => {
    // GIVEN
    const ks = manifest(fleet, 'mgmt/apps/kustomization-web.yaml');
    // THEN
    expect(ks.spec).toMatchObject({ path: './dist/mgmt/releases/web', wait: true, prune: true, interval: '10m', retryInterval: '1m', timeout: '5m' });
  });

  test('name, namespace and Pod Security level are props', () => {
    // GIVEN
    const { fleet: f, cluster: c } = testCluster('mgmt');
    new FluxManifestApp(c.apps, 'Web', { name: 'shop', namespace: 'shop-ns', podSecurity: PodSecurityLevel.BASELINE });
    // THEN
    expect(manifest(f, 'mgmt/apps/namespace-shop-ns.yaml').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(manifest(f, 'mgmt/apps/kustomization-shop.yaml').spec.path).toBe('./dist/mgmt/releases/shop');
  });

  test('addDependency orders the app after another app', () => {
    // GIVEN db and web WHEN web depends on db
    const { fleet: f, cluster: c } = testCluster('mgmt');
    const db = new FluxManifestApp(c.apps, 'db');
    const web = new FluxManifestApp(c.apps, 'web');
    web.addDependency(db);
    // THEN
    expect(manifest(f, 'mgmt/apps/kustomization-web.yaml').spec.dependsOn).toEqual([{ name: 'db', namespace: 'flux-system' }]);
    expect(manifest(f, 'mgmt/apps/kustomization-db.yaml').spec.dependsOn).toEqual([]);
  });

  test('fails on a name that is not a DNS-1123 label', () => {
    // GIVEN
    const { cluster: c } = testCluster('mgmt');
    // WHEN
    const err = thrownBy(() => new FluxManifestApp(c.apps, 'Web_App'));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toContain('name "Web_App" is not a DNS-1123 label');
  });

  test('fails on a namespace that is not a DNS-1123 label', () => {
    // GIVEN
    const { cluster: c } = testCluster('mgmt');
    // WHEN
    const err = thrownBy(() => new FluxManifestApp(c.apps, 'web', { namespace: 'Web' }));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toContain('namespace "Web" is not a DNS-1123 label');
  });

  test('may sit below a non-layer construct inside a layer', () => {
    // GIVEN a construct that groups apps inside the apps layer
    const { cluster: c } = testCluster('mgmt');
    const group = new Construct(c.apps, 'Group');
    // WHEN an app is created inside the group
    const app = new FluxManifestApp(group, 'web');
    // THEN it belongs to the apps layer
    expect(app.layer).toBe(c.apps);
  });

  test('fails when created outside every FluxLayer', () => {
    // GIVEN a scope inside the cluster but in no layer
    const { cluster: c } = testCluster('mgmt');
    // WHEN
    const err = thrownBy(() => new FluxManifestApp(new Construct(c, 'Loose') as never, 'web'));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toMatch(/Flux ?layer/i);
  });
});

describe('ManifestBackedConstruct', () => {
  /** A manifest-backed construct that creates its app only when asked (to read `app` before it). */
  class LateManifests extends ManifestBackedConstruct {
    public create(): void {
      this.createApp({ name: 'late' });
    }
  }

  test('forwards IFluxUnit to the app it created, which is a child of the construct itself', () => {
    // GIVEN a subclass that creates its app after super()
    const { cluster } = testCluster();
    const late = new LateManifests(cluster.apps, 'Late');
    // WHEN it creates the app
    late.create();
    // THEN the getters read the app, and its objects keep the construct's ids
    expect([late.name, late.namespace]).toEqual(['late', 'late']);
    expect(late.layer).toBe(cluster.apps);
    expect(late.kustomization.node.path).toBe('test/apps/Late/Kustomization');
    expect(late.content.node.path).toBe('test/apps/Late/Content');
  });

  test('fails with APP_NOT_CREATED when the app is read before createApp()', () => {
    // GIVEN a subclass that has not created its app yet
    const { cluster } = testCluster();
    const late = new LateManifests(cluster.apps, 'Late');
    // WHEN a getter reads it THEN the bug is named with the construct path
    const error = thrownBy(() => late.kustomization);
    expect(error.code).toBe(ErrorCode.APP_NOT_CREATED);
    expect(error.message).toMatch(/^\[test\/apps\/Late\] has no ManifestApp yet/);
  });
});
