import { parse } from 'yaml';
import { ErrorCode } from '../../../lib/core/errors';
import { Fleet } from '../../../lib/platform/fleet';
import { SecretReference } from '../../../lib/secrets/secret-reference';
import { ClusterStorage } from '../../../lib/storage/cluster-storage';
import { PROXMOX_CSI_DRIVER, ProxmoxCsi } from '../../../lib/storage/drivers/proxmox-csi';
import { SnapshotController, SnapshotCrds } from '../../../lib/storage/snapshot-controller';
import { StorageBackend } from '../../../lib/storage/storage-backend';
import { StoragePlatform } from '../../../lib/storage/storage-platform';
import { thrownBy } from '../../support/errors';
import { manifest, manifestsByFile } from '../../support/fleet';

const config = () => SecretReference.fromExternalInput('proxmox-csi-config', 'csi-proxmox').key('config.yaml');

const bare = (name: string) => {
  const fleet = new Fleet({ source: { url: 'https://example.com/org/repo.git' } });
  return { fleet, cluster: fleet.addCluster(name, { name }) };
};
const setup = (name: string) => {
  const { fleet, cluster } = bare(name);
  const snapshotController = new SnapshotController(cluster.controllers, 'Snap', { crds: new SnapshotCrds(cluster.crds, 'Crds') });
  return { fleet, cluster, snapshotController };
};

describe('ProxmoxCsi', () => {
  // GIVEN the plugin on local-lvm with an SSD pool for gold
  const { fleet, cluster, snapshotController } = setup('pve');
  const csi = new ProxmoxCsi(cluster.controllers, 'Csi', { config: config(), storage: 'local-lvm', goldStorage: 'nvme-zfs', snapshotController });
  const values = parse(manifest(fleet, 'pve/releases/proxmox-csi-plugin/configmap-proxmox-csi-plugin-values.yaml').data['values.yaml']);

  test('matches the snapshot (and every value key exists in the pinned chart)', () => {
    expect(manifestsByFile(fleet)).toMatchSnapshot();
  });

  test('config by reference, snapshotter on, chart classes off, privileged namespace, OCI source', () => {
    expect(values).toEqual({ existingConfigSecret: 'proxmox-csi-config', existingConfigSecretKey: 'config.yaml', storageClass: [], controller: { snapshotter: { enabled: true } } });
    expect(manifest(fleet, 'pve/controllers/namespace-csi-proxmox.yaml').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(manifest(fleet, 'pve/controllers/ocirepository-proxmox-csi-plugin.yaml').spec).toMatchObject({ url: 'oci://ghcr.io/sergelogvinov/charts/proxmox-csi-plugin', ref: { tag: '0.5.9' } });
    expect(csi.node.defaultChild).toBe(csi.helmRelease);
    expect(cluster.secretUses.map((u) => `${u.namespace}/${u.name}`)).toContain('csi-proxmox/proxmox-csi-config');
  });

  test('as the backend of a Proxmox cluster: default on local-lvm, gold on the SSD storage', () => {
    const s = bare('alt');
    const storage = new ClusterStorage(s.cluster, 'Storage', { platform: StoragePlatform.PROXMOX, backend: StorageBackend.proxmoxCsi({ config: config(), storage: 'local-lvm', goldStorage: 'nvme-zfs' }) });
    expect(storage.drivers).toEqual([PROXMOX_CSI_DRIVER]);
    expect(manifest(s.fleet, 'alt/configs/storageclass-default.yaml').parameters.storage).toBe('local-lvm');
    expect(manifest(s.fleet, 'alt/configs/storageclass-gold.yaml').parameters).toMatchObject({ storage: 'nvme-zfs', ssd: 'true' });
  });

  test('fails for a storage id Proxmox does not accept', () => {
    const s = setup('bad');
    const err = thrownBy(() => new ProxmoxCsi(s.cluster.controllers, 'Csi', { config: config(), storage: 'local lvm', snapshotController: s.snapshotController }));
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.constructPath).toBe('bad/controllers/Csi');
  });

  test('fails off Proxmox', () => {
    const s = bare('bm');
    const err = thrownBy(() => new ClusterStorage(s.cluster, 'Storage', { platform: StoragePlatform.METAL3, backend: StorageBackend.proxmoxCsi({ config: config(), storage: 'local-lvm' }) }));
    expect(err.code).toBe(ErrorCode.STORAGE_BACKEND_PLATFORM);
  });

  test('fails outside the controllers layer', () => {
    const s = setup('layer');
    const err = thrownBy(() => new ProxmoxCsi(s.cluster.apps, 'Csi', { config: config(), storage: 'local-lvm', snapshotController: s.snapshotController }));
    expect(err.code).toBe(ErrorCode.WRONG_LAYER);
  });

  test('fails at synth for a value key the pinned chart does not know', () => {
    const s = setup('keys');
    new ProxmoxCsi(s.cluster.controllers, 'Csi', { config: config(), storage: 'local-lvm', snapshotController: s.snapshotController, values: { notAKey: true } as never });
    const err = thrownBy(() => s.fleet.manifests());
    expect(err.problems.map((p) => p.code)).toContain(ErrorCode.INVALID_HELM_VALUES);
  });
});
