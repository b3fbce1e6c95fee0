import { Construct } from 'constructs';
import { ErrorCode } from '../../lib/core/errors';
import { AwsCloudControllerManager, CCM_TOLERATIONS, GcpCloudControllerManager, isCloudControllerManager, mergeArgs, UNINITIALIZED_TAINT } from '../../lib/cloud';
import { FluxApp } from '../../lib/flux/flux-app';
import { thrownBy } from '../support/errors';
import { setup } from './_setup';

describe('cloud controller manager basics', () => {
  test('the tolerations cover the uninitialized, not-ready and control-plane taints', () => {
    expect(CCM_TOLERATIONS.map((t) => `${t.key}:${t.effect}`)).toEqual([`${UNINITIALIZED_TAINT}:NoSchedule`, 'node.kubernetes.io/not-ready:NoSchedule', 'node-role.kubernetes.io/control-plane:NoSchedule']);
  });

  test('chart CCMs are Flux apps; every CCM is recognised, a plain construct is not', () => {
    const { workload } = setup();
    const aws = new AwsCloudControllerManager(workload.controllers, 'Aws', { clusterName: 'prod-aws' });
    const gcp = new GcpCloudControllerManager(workload.controllers, 'Gcp', { clusterName: 'prod-aws', project: 'infraflux-dev' });
    expect(FluxApp.isFluxApp(aws)).toBe(true);
    expect(isCloudControllerManager(aws)).toBe(true);
    expect(isCloudControllerManager(gcp)).toBe(true);
    expect(isCloudControllerManager(new Construct(workload.controllers, 'Plain'))).toBe(false);
  });

  test('mergeArgs replaces a flag of the base list and appends new ones', () => {
    const { workload } = setup();
    expect(mergeArgs(workload, ['--v=2', '--a=1'], ['--v=4', '--b'], ['--a'])).toEqual(['--a=1', '--v=4', '--b']);
  });

  test('fails on an argument that is not a flag', () => {
    const { workload } = setup();
    expect(thrownBy(() => mergeArgs(workload, [], ['v=2'], [])).code).toBe(ErrorCode.INVALID_PROP);
  });

  test('fails on a cluster name that is not a DNS label', () => {
    const { workload } = setup();
    expect(thrownBy(() => new AwsCloudControllerManager(workload.controllers, 'Aws', { clusterName: 'Prod_AWS' })).code).toBe(ErrorCode.INVALID_PROP);
  });
});
