import { Construct } from 'constructs';
import { ErrorCode } from '../../lib/core/errors';
import { requireConfigsOrLater } from '../../lib/networking/_layer-rules';
import { thrownBy } from '../support/errors';
import { testCluster } from '../support/fleet';

describe('requireConfigsOrLater', () => {
  test('accepts a construct anywhere inside the configs or apps layer', () => {
    // GIVEN constructs in the configs layer, nested in the apps layer
    const { cluster } = testCluster();
    const nested = new Construct(new Construct(cluster.apps, 'Group'), 'Policy');
    // WHEN checked THEN nothing is thrown
    expect(() => requireConfigsOrLater(new Construct(cluster.configs, 'Pool'), 'LoadBalancerPool')).not.toThrow();
    expect(() => requireConfigsOrLater(nested, 'EgressGatewayPolicy')).not.toThrow();
  });

  test('fails in the crds or controllers layer, naming the construct, the cluster and why', () => {
    // GIVEN constructs in the two layers before the CRDs are installed
    const { cluster } = testCluster('edge');
    for (const layer of [cluster.crds, cluster.controllers]) {
      const scope = new Construct(layer, 'Pool');
      // WHEN checked THEN INVALID_PROP with the construct path and the allowed layers
      const e = thrownBy(() => requireConfigsOrLater(scope, 'LoadBalancerPool'));
      expect(e.code).toBe(ErrorCode.INVALID_PROP);
      expect(e.constructPath).toBe(scope.node.path);
      expect(e.message).toContain('LoadBalancerPool must be created in the configs or apps layer of cluster "edge" (it needs CRDs that the controllers layer installs)');
    }
  });

  test('fails directly under the cluster, outside any layer', () => {
    const { cluster } = testCluster();
    expect(() => requireConfigsOrLater(new Construct(cluster, 'Loose'), 'L2Announcement')).toThrow(/L2Announcement must be created in the configs or apps layer/);
  });

  test('fails outside any GitOpsCluster', () => {
    // GIVEN a construct with no cluster above it THEN the cluster lookup refuses it
    const { fleet } = testCluster();
    expect(() => requireConfigsOrLater(new Construct(fleet, 'Orphan'), 'CiliumBgp')).toThrow(/is not inside a GitOpsCluster/);
  });
});
