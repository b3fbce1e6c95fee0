import { alertFamiliesOf } from '../../../stacks/alerts';
import { referenceFleet } from '../../support/reference-fleet';

/** The families stacks/alerts.ts derives from each reference cluster's construct tree (read-only). */
const families = (name: string): string[] => {
  const cluster = referenceFleet().fleet.clusters.find((c) => c.name === name)!;
  return alertFamiliesOf(cluster).map((f) => f.name);
};

describe('stacks/alerts.ts families per reference cluster', () => {
  test('mgmt: BGP, Rook-Ceph and Cluster API besides the baseline families', () => {
    expect(families('mgmt')).toEqual(['flux', 'cert-manager', 'cilium', 'nodes', 'bgp', 'tetragon', 'velero', 'ceph', 'cluster-api', 'external-secrets', 'sealed-secrets']);
  });

  test('a cloud workload cluster: no Cluster API, no Ceph', () => {
    const f = families('prod-aws');
    expect(f).toEqual(expect.arrayContaining(['flux', 'cert-manager', 'cilium', 'nodes', 'velero', 'external-secrets', 'sealed-secrets']));
    expect(f).not.toContain('cluster-api');
    expect(f).not.toContain('ceph');
  });
});
