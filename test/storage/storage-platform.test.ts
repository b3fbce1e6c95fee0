import { SecretReference } from '../../lib/secrets/secret-reference';
import { StoragePlatform } from '../../lib/storage/storage-platform';

describe('StoragePlatform', () => {
  const key = (name: string, ns: string, k: string) => SecretReference.fromExternalInput(name, ns).key(k);

  test.each([
    ['aws', StoragePlatform.aws('eu-central-1'), 'aws-ebs', true],
    ['azure', StoragePlatform.azure(key('azure-cloud-provider', 'kube-system', 'cloud-config')), 'azure-disk', true],
    ['gcp', StoragePlatform.gcp(key('cloud-sa', 'gce-pd-csi-driver', 'cloud-sa.json')), 'gcp-pd', true],
    ['proxmox', StoragePlatform.PROXMOX, 'rook-ceph', false],
    ['metal3', StoragePlatform.METAL3, 'rook-ceph', false],
  ])('%s defaults to its backend', (name, platform, backend, cloud) => {
    // THEN
    expect(platform.name).toBe(name);
    expect(platform.isCloud).toBe(cloud);
    expect(platform.defaultBackend().name).toBe(backend);
  });
});
