import { machineHealthChecks } from '../../../lib/cluster/distributions/_strategy';

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

  test('returns fresh objects: a caller patching one health check cannot change another', () => {
    // GIVEN two health checks built with different timeouts
    const a = machineHealthChecks(900, 600);
    const b = machineHealthChecks(900, 600);
    // WHEN one is modified
    (a.unhealthyNodeConditions as { timeoutSeconds: number }[])[0]!.timeoutSeconds = 1;
    // THEN the other keeps its values
    expect(b.unhealthyNodeConditions?.[0]?.timeoutSeconds).toBe(600);
    expect(machineHealthChecks(900, 60).unhealthyNodeConditions?.map((c) => c.timeoutSeconds)).toEqual([60, 60]);
  });
});
