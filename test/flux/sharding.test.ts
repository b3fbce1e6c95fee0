/**
 * Flux sharding (decision 0114): sizing from the Flux benchmark, shard labels on a sharded
 * cluster's apps, the FluxInstance fields valid against the pinned CRD.
 */
import { FluxManifestApp, FluxSharding, SHARD_LABEL, sizeFlux } from '../../lib';
import { validateObjects } from '../../lib/validation';
import { thrownBy } from '../support/errors';
import { manifestsByFile } from '../support/fleet';
import { Fleet } from '../../lib';

describe('sizeFlux', () => {
  test('sizes controllers from the benchmark: ~250 HelmReleases per minute at concurrency 10', () => {
    // GIVEN a reference-fleet-sized cluster THEN one controller set, the default concurrency, 10m intervals
    expect(sizeFlux({ kustomizations: 25, helmReleases: 12 })).toEqual({ shards: [], concurrent: 10, fullPassMinutes: 1, minIntervalMinutes: 10 });
    // GIVEN 1,000 HelmReleases THEN still one set (4 min per pass), concurrency 20 above 500 per set
    expect(sizeFlux({ kustomizations: 0, helmReleases: 1000 })).toEqual({ shards: [], concurrent: 20, fullPassMinutes: 2, minIntervalMinutes: 10 });
    // GIVEN 5,000 HelmReleases and 5,000 Kustomizations THEN four shards besides the main set
    expect(sizeFlux({ kustomizations: 5000, helmReleases: 5000 })).toEqual({ shards: ['shard1', 'shard2', 'shard3', 'shard4'], concurrent: 20, fullPassMinutes: 4, minIntervalMinutes: 10 });
  });

  test('fails on a count that is not a whole number and on shards out of range', () => {
    expect(thrownBy(() => sizeFlux({ kustomizations: -1, helmReleases: 0 })).message).toMatch(/kustomizations -1 is not a count/);
    expect(thrownBy(() => FluxSharding.byLabel(0)).message).toMatch(/shards 0 is out of range; use 1-32/);
    expect(thrownBy(() => FluxSharding.byLabel(2, 0)).message).toMatch(/concurrent 0 is out of range/);
  });
});

describe('FluxSharding on a cluster', () => {
  function fleet(sharding?: FluxSharding) {
    const f = new Fleet({ source: { url: 'https://example.com/org/repo.git' } });
    const cluster = f.addCluster('c', { name: 'c', ...(sharding ? { sharding } : {}) });
    for (const name of ['a', 'b', 'd', 'e', 'f']) new FluxManifestApp(cluster.apps, name);
    return f;
  }

  test('labels each app Kustomization with its shard (stable hash), never the layers or the root', () => {
    const files = manifestsByFile(fleet(FluxSharding.byLabel(2)));
    const labels = Object.fromEntries(
      Object.entries(files)
        .filter(([, o]) => o.kind === 'Kustomization')
        .map(([f, o]) => [f, ((o.metadata as { labels?: Record<string, string> }).labels ?? {})[SHARD_LABEL] ?? 'main']),
    );
    expect(labels['c/flux-system/kustomization-apps.yaml']).toBe('main');
    expect(labels['c/flux-system/kustomization-flux-system.yaml']).toBe('main');
    expect(labels).toMatchSnapshot();
    expect(new Set(Object.values(labels)).size).toBeGreaterThan(1);
  });

  test('an unsharded cluster has no shard label', () => {
    expect(JSON.stringify(manifestsByFile(fleet()))).not.toContain(SHARD_LABEL);
  });

  test('the FluxInstance fields validate against the pinned CRD', () => {
    const spec = FluxSharding.byLabel(2, 20).instanceSpec();
    expect(spec.sharding).toEqual({ key: SHARD_LABEL, shards: ['shard1', 'shard2'] });
    const report = validateObjects([
      {
        source: 'test',
        object: { apiVersion: 'fluxcd.controlplane.io/v1', kind: 'FluxInstance', metadata: { name: 'flux', namespace: 'flux-system' }, spec: { distribution: { version: '2.9.4', registry: 'ghcr.io/fluxcd' }, ...spec } },
      },
    ]);
    expect(report.issues).toEqual([]);
    expect(FluxSharding.none().instanceSpec()).toEqual({});
  });
});
