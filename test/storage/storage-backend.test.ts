import { StorageBackend } from '../../lib/storage/storage-backend';

describe('StorageBackend', () => {
  test('which platforms each backend fits, and which may opt in on a cloud', () => {
    // THEN cloud drivers fit their cloud only; Rook-Ceph fits on-prem and may opt in on a cloud
    expect(StorageBackend.awsEbs({ region: 'eu-central-1' }).platforms).toEqual(['aws']);
    expect(StorageBackend.rookCeph()).toMatchObject({ name: 'rook-ceph', platforms: ['proxmox', 'metal3'], cloudOptIn: true });
    expect(StorageBackend.longhorn()).toMatchObject({ name: 'longhorn', platforms: ['proxmox', 'metal3'], cloudOptIn: false });
  });
});
