import { UPSTREAM_VERSIONS } from '../../lib';
import { PINNED_CHARTS } from '../../imports/helm/charts';
import { readLock } from '../../lib/upstream/lock';

describe('pinned versions', () => {
  const lock = readLock();

  test('Gateway API matches the spec pack', () => {
    expect(UPSTREAM_VERSIONS.gatewayApi).toBe(`v${lock.components['gateway-api']}`);
  });

  test('generated chart pins equal the lock', () => {
    for (const [name, chart] of Object.entries(lock.charts)) {
      expect(Object.values(PINNED_CHARTS).find((c) => c.name === name)).toMatchObject({ version: chart.version, repository: chart.repository });
    }
  });

  test('every pin is exact: no ranges', () => {
    // local-path-provisioner is the one chart the spec pack pins no version for (kustomize install).
    const chartVersions = Object.values(PINNED_CHARTS)
      .map((c) => c.version as string | null)
      .filter((v): v is string => v !== null);
    expect(chartVersions.length).toBe(Object.keys(PINNED_CHARTS).length - 1);
    for (const v of [...Object.values(UPSTREAM_VERSIONS), ...chartVersions]) {
      expect(v).toMatch(/^v?\d+\.\d+\.\d+$/);
    }
  });
});
