import { ErrorCode } from '../../lib/core/errors';
import { AWS_CCM_IMAGE_TAG, AwsCloudControllerManager, UNINITIALIZED_TAINT } from '../../lib/cloud';
import { validateFleetManifests } from '../../lib/validation';
import { thrownBy } from '../support/errors';
import { bootstrap, bootstrapFiles, file, remoteValues, setup } from './_setup';

describe('AwsCloudControllerManager', () => {
  test('snapshot of what the management cluster installs', () => {
    // GIVEN an AWS CCM in the workload's tree, bootstrapped from mgmt
    const { fleet, mgmt, workload } = setup();
    bootstrap(mgmt, workload, new AwsCloudControllerManager(workload.controllers, 'Ccm', { clusterName: 'prod-aws' }));
    // THEN the bootstrap folder holds its release
    expect(bootstrapFiles(fleet, 'prod-aws')).toMatchSnapshot();
  });

  test('Talos + Cilium values: host network through KubePrism, no cloud routes, no CIDR allocation, the taints tolerated', () => {
    const { fleet, mgmt, workload } = setup();
    bootstrap(mgmt, workload, new AwsCloudControllerManager(workload.controllers, 'Ccm', { clusterName: 'prod-aws' }));
    const v = remoteValues(fleet, 'prod-aws', 'aws-cloud-controller-manager');
    expect(v.args).toEqual(['--v=2', '--cloud-provider=aws', '--cluster-name=prod-aws', '--configure-cloud-routes=false', '--allocate-node-cidrs=false']);
    expect(v.image).toEqual({ tag: AWS_CCM_IMAGE_TAG });
    expect(v.hostNetworking).toBe(true);
    expect(v.env).toEqual([{ name: 'KUBERNETES_SERVICE_HOST', value: '127.0.0.1' }, { name: 'KUBERNETES_SERVICE_PORT', value: '7445' }]);
    expect(v.tolerations.map((t: { key: string }) => t.key)).toEqual([UNINITIALIZED_TAINT, 'node.kubernetes.io/not-ready', 'node-role.kubernetes.io/control-plane']);
    expect(v.nodeSelector).toEqual({ 'node-role.kubernetes.io/control-plane': '' });
  });

  test('emits nothing in the workload tree, and the remote release validates against the pinned chart', () => {
    const { fleet, mgmt, workload } = setup();
    const ccm = new AwsCloudControllerManager(workload.controllers, 'Ccm', { clusterName: 'prod-aws' });
    bootstrap(mgmt, workload, ccm);
    expect(ccm.installedElsewhere).toBe(true);
    expect(ccm.helmRelease).toBeUndefined();
    expect(fleet.manifests().filter((m) => m.file.startsWith('prod-aws/') && m.file.includes('cloud-controller'))).toEqual([]);
    const hr = file(fleet, 'mgmt/releases/prod-aws-bootstrap/helmrelease-aws-cloud-controller-manager.yaml');
    expect(hr.spec.kubeConfig.secretRef.name).toBe('prod-aws-kubeconfig');
    expect(hr.spec.targetNamespace).toBe('kube-system');
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
  });

  test('routes can be switched on; --controllers=*,-service means no load balancers', () => {
    const { workload } = setup();
    const ccm = new AwsCloudControllerManager(workload.controllers, 'Ccm', { clusterName: 'prod-aws', configureCloudRoutes: true, extraArgs: ['--controllers=*,-service'] });
    expect((ccm.values.args as string[]).includes('--configure-cloud-routes=true')).toBe(true);
    expect(ccm.providesLoadBalancers).toBe(false);
  });

  test('fails on an extra argument that overrides a flag InfraFlux sets', () => {
    const { workload } = setup();
    const e = thrownBy(() => new AwsCloudControllerManager(workload.controllers, 'Ccm', { clusterName: 'prod-aws', extraArgs: ['--allocate-node-cidrs=true'] }));
    expect(e.code).toBe(ErrorCode.INVALID_PROP);
    expect(e.constructPath).toBe('prod-aws/controllers/Ccm');
  });

  test('fails on an image tag that is not a release tag', () => {
    const { workload } = setup();
    const e = thrownBy(() => new AwsCloudControllerManager(workload.controllers, 'Ccm', { clusterName: 'prod-aws', imageTag: 'latest' }));
    expect(e.code).toBe(ErrorCode.INVALID_PROP);
    expect(e.message).toContain('latest');
  });
});
