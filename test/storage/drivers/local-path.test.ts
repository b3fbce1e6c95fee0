import { parse } from 'yaml';
import { ErrorCode } from '../../../lib/core/errors';
import { ClusterStorage } from '../../../lib/storage/cluster-storage';
import { LOCAL_PATH_NAMESPACE, LOCAL_PATH_PROVISIONER, LocalPathProvisioner } from '../../../lib/storage/drivers/local-path';
import { StorageBackend } from '../../../lib/storage/storage-backend';
import { StoragePlatform } from '../../../lib/storage/storage-platform';
import { thrownBy } from '../../support/errors';
import { manifest, manifestsByFile, testCluster } from '../../support/fleet';

describe('LocalPathProvisioner', () => {
  // GIVEN local-path on a dev cluster
  const { fleet, cluster } = testCluster('dev');
  new LocalPathProvisioner(cluster.controllers, 'LocalPath');
  const k = manifest(fleet, 'dev/controllers/kustomization-local-path-provisioner.yaml');

  test('matches the snapshot', () => {
    expect(manifestsByFile(fleet)).toMatchSnapshot();
  });

  test('the pinned tag\'s deploy/ kustomization, patched for Talos in the same apply', () => {
    expect(manifest(fleet, 'dev/controllers/gitrepository-local-path-provisioner.yaml').spec.ref).toEqual({ tag: 'v0.0.37' });
    expect(k.spec.path).toBe('./deploy');
    expect(k.spec.images).toEqual([{ name: 'rancher/local-path-provisioner', newTag: 'v0.0.37' }]);
    const [ns, cm] = k.spec.patches.map((p: { patch: string }) => parse(p.patch));
    expect(ns.metadata.labels).toEqual({ 'pod-security.kubernetes.io/enforce': 'privileged' });
    expect(JSON.parse(cm.data['config.json'])).toEqual({ nodePathMap: [{ node: 'DEFAULT_PATH_FOR_NON_LISTED_NODES', paths: ['/var/local-path-provisioner'] }] });
    expect(parse(cm.data['helperPod.yaml']).spec.containers[0].image).toBe('busybox:1.37.0');
    expect(k.spec.healthChecks).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'local-path-provisioner', namespace: LOCAL_PATH_NAMESPACE }]);
  });

  test('as a backend: default and gold classes, no snapshot class (not a CSI driver), clean replay', () => {
    const { fleet: f, cluster: c } = testCluster('lab');
    const storage = new ClusterStorage(c, 'Storage', { platform: StoragePlatform.PROXMOX, backend: StorageBackend.localPath() });
    expect(manifest(f, 'lab/configs/storageclass-default.yaml').provisioner).toBe(LOCAL_PATH_PROVISIONER);
    expect(storage.snapshotClasses).toEqual({});
    expect(() => f.checkReconcile()).not.toThrow();
  });

  test('fails for a path outside /var', () => {
    const { cluster: c } = testCluster('bad');
    const err = thrownBy(() => new LocalPathProvisioner(c.controllers, 'LocalPath', { path: '/opt/local-path-provisioner' }));
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.constructPath).toBe('bad/controllers/LocalPath');
  });

  test('fails outside the controllers layer', () => {
    const { cluster: c } = testCluster('layer');
    const err = thrownBy(() => new LocalPathProvisioner(c.apps, 'LocalPath'));
    expect(err.code).toBe(ErrorCode.WRONG_LAYER);
  });
});
