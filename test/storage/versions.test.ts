import { readFileSync } from 'fs';
import { join } from 'path';
import { STORAGE_VERSIONS } from '../../lib/storage/versions';

describe('STORAGE_VERSIONS', () => {
  // GIVEN the lock's component versions
  const lock = JSON.parse(readFileSync(join(__dirname, '../../upstream.lock.json'), 'utf8')) as { components: Record<string, string> };

  test('each non-chart storage version is the one the spec pack pins', () => {
    // THEN
    expect(lock.components['external-snapshotter']).toBe(STORAGE_VERSIONS.externalSnapshotter);
    expect(lock.components['gcp-compute-persistent-disk-csi-driver']).toBe(STORAGE_VERSIONS.gcpPdCsiDriver);
    expect(lock.components['local-path-provisioner']).toBe(STORAGE_VERSIONS.localPathProvisioner);
    // the helper image is pinned to an exact tag, never latest
    expect(STORAGE_VERSIONS.localPathHelperImage).toMatch(/^busybox:\d+\.\d+\.\d+$/);
  });
});
