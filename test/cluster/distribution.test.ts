import { Distribution, DistributionKind } from '../../lib/cluster';

describe('Distribution', () => {
  test('talos: Talos kind, never a ClusterClass', () => {
    // GIVEN / WHEN
    const d = Distribution.talos();
    // THEN
    expect(d.kind).toBe(DistributionKind.TALOS);
    expect(d.name).toBe('talos');
    expect(d.clusterClass).toBe(false);
  });

  test('rke2: explicit objects by default, a ClusterClass when asked', () => {
    // THEN
    expect(Distribution.rke2().kind).toBe(DistributionKind.RKE2);
    expect(Distribution.rke2().name).toBe('rke2');
    expect(Distribution.rke2().clusterClass).toBe(false);
    expect(Distribution.rke2({ clusterClass: true }).clusterClass).toBe(true);
  });

  test('kinds are singletons with their short name as string form', () => {
    // THEN
    expect(Distribution.talos().kind).toBe(Distribution.talos().kind);
    expect(`${DistributionKind.RKE2}`).toBe('rke2');
    expect(DistributionKind.TALOS.toString()).toBe('talos');
  });
});
