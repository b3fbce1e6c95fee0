import { ErrorCode } from '../../lib/core/errors';
import type { Baseline } from '../../stacks/config';
import { addNetworking } from '../../stacks/networking';
import { thrownBy } from '../support/errors';
import { testCluster } from '../support/fleet';

describe('stacks/networking addNetworking', () => {
  test('fails with REFERENCE_FLEET_INCOMPLETE for a cluster without a networking plan', () => {
    // GIVEN a baseline of a cluster the reference fleet has no networking plan for
    const { cluster } = testCluster('nowhere');
    const baseline = { cluster } as unknown as Baseline;
    // WHEN its networking is added THEN the error names the cluster and where plans live
    const error = thrownBy(() => addNetworking(baseline));
    expect(error.code).toBe(ErrorCode.REFERENCE_FLEET_INCOMPLETE);
    expect(error.constructPath).toBe('nowhere');
    expect(error.message).toContain('no networking plan for cluster "nowhere"; add it to REFERENCE_NETWORKING');
  });
});
