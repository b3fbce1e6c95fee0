import { DistributionKind } from '../../../lib/cluster/distribution';
import { controlPlaneDistribution } from '../../../lib/cluster/distributions';
import { RKE2_CONTROL_PLANE } from '../../../lib/cluster/distributions/rke2-control-plane';
import { TALOS_CONTROL_PLANE } from '../../../lib/cluster/distributions/talos-control-plane';

describe('controlPlaneDistribution', () => {
  test('maps each distribution kind to the strategy that emits its control plane', () => {
    expect(controlPlaneDistribution(DistributionKind.TALOS)).toBe(TALOS_CONTROL_PLANE);
    expect(controlPlaneDistribution(DistributionKind.RKE2)).toBe(RKE2_CONTROL_PLANE);
  });
});
