import { Construct } from 'constructs';
import { Capability, claimCapability, ErrorCode, FluxKustomization } from '../../lib';
import { thrownBy } from '../support/errors';
import { testCluster } from '../support/fleet';

describe('Fleet: the aggregated synth error keeps each validation rule\'s code', () => {
  test('fails with one problem per rule, each with its own code (NO_HEALTH_CHECKS, DUPLICATE), and INVALID_PROP for a plain node.addValidation', () => {
    // GIVEN a Kustomization without health checks, two claimants of one capability, and a
    // third-party construct with a plain (uncoded) validation
    const { fleet, cluster } = testCluster();
    new FluxKustomization(cluster.apps, 'Blind', { name: 'blind', path: './x' });
    claimCapability(cluster, Capability.LOAD_BALANCER_IPS, new Construct(cluster, 'LbA'));
    claimCapability(cluster, Capability.LOAD_BALANCER_IPS, new Construct(cluster, 'LbB'));
    const vendor = new Construct(cluster, 'Vendor');
    vendor.node.addValidation({ validate: () => ['[test/Vendor] vendor check failed'] });
    // WHEN synthesized
    const error = thrownBy(() => fleet.manifests());
    // THEN every problem keeps the code of its rule, with the path of the construct it is attached to
    expect(error.code).toBe(ErrorCode.SYNTH_FAILED);
    expect(error.problems.map((p) => [p.code, p.constructPath]).sort()).toEqual(
      [
        [ErrorCode.DUPLICATE, 'test'],
        [ErrorCode.INVALID_PROP, 'test/Vendor'],
        [ErrorCode.NO_HEALTH_CHECKS, 'test/apps/Blind'],
      ].sort(),
    );
    expect(error.message).toContain(`${ErrorCode.DUPLICATE} [test/LbB] claims "load-balancer-ips", which test/LbA already provides in test`);
  });

  test('fails with the same codes on a second synth (codes come from the validations, not from remembered messages)', () => {
    // GIVEN a fleet whose Kustomization has no health checks
    const { fleet, cluster } = testCluster();
    new FluxKustomization(cluster.apps, 'Blind', { name: 'blind', path: './x' });
    // WHEN synthesized twice THEN the code is the rule's both times
    expect(thrownBy(() => fleet.manifests()).problems.map((p) => p.code)).toEqual([ErrorCode.NO_HEALTH_CHECKS]);
    expect(thrownBy(() => fleet.manifests()).problems.map((p) => p.code)).toEqual([ErrorCode.NO_HEALTH_CHECKS]);
  });
});
