import { DistributionKind } from '../../../lib/cluster/distribution';
import { controlPlaneDistribution } from '../../../lib/cluster/distributions';
import { machineHealthChecks } from '../../../lib/cluster/distributions/_strategy';
import { RKE2_CONTROL_PLANE } from '../../../lib/cluster/distributions/rke2-control-plane';
import { TALOS_CONTROL_PLANE } from '../../../lib/cluster/distributions/talos-control-plane';

describe('controlPlaneDistribution', () => {
  test('maps each distribution kind to the strategy that emits its control plane', () => {
    expect(controlPlaneDistribution(DistributionKind.TALOS)).toBe(TALOS_CONTROL_PLANE);
    expect(controlPlaneDistribution(DistributionKind.RKE2)).toBe(RKE2_CONTROL_PLANE);
  });
});

describe('machineHealthChecks', () => {
  test('startup timeout and Ready False/Unknown for the unhealthy time', () => {
    // GIVEN 600 s startup and 300 s unhealthy WHEN built THEN both conditions carry the timeout
    expect(machineHealthChecks(600, 300)).toEqual({
      nodeStartupTimeoutSeconds: 600,
      unhealthyNodeConditions: [
        { type: 'Ready', status: 'False', timeoutSeconds: 300 },
        { type: 'Ready', status: 'Unknown', timeoutSeconds: 300 },
      ],
    });
  });
});
