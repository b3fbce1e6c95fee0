import { ErrorCode } from '../../lib/core/errors';
import { ProxmoxCloudControllerManager, SecretReference } from '../../lib';
import { validateFleetManifests } from '../../lib/validation';
import { thrownBy } from '../support/errors';
import { bootstrap, bootstrapFiles, file, remoteValues, setup } from './_setup';

const config = SecretReference.fromExternalInput('proxmox-cloud-controller-manager', 'kube-system', ['config.yaml']);
const configResourceSet = SecretReference.fromExternalInput('dev-proxmox-proxmox-cloud-controller-manager', 'dev-proxmox');

describe('ProxmoxCloudControllerManager', () => {
  test('snapshot of what the management cluster installs', () => {
    const { fleet, mgmt, workload } = setup('dev-proxmox');
    bootstrap(mgmt, workload, new ProxmoxCloudControllerManager(workload.controllers, 'Ccm', { clusterName: 'dev-proxmox', config, configResourceSet }));
    expect(bootstrapFiles(fleet, 'dev-proxmox')).toMatchSnapshot();
  });

  test('node and lifecycle controllers only, the token from an existing Secret, a host-network DaemonSet from an OCI chart', () => {
    const { fleet, mgmt, workload } = setup('dev-proxmox');
    const ccm = new ProxmoxCloudControllerManager(workload.controllers, 'Ccm', { clusterName: 'dev-proxmox', config, configResourceSet });
    bootstrap(mgmt, workload, ccm);
    const v = remoteValues(fleet, 'dev-proxmox', 'proxmox-cloud-controller-manager');
    expect(v.enabledControllers).toEqual(['cloud-node', 'cloud-node-lifecycle']);
    expect(v.existingConfigSecret).toBe('proxmox-cloud-controller-manager');
    expect(v.config).toBeUndefined();
    expect(v.useDaemonSet).toBe(true);
    expect(ccm.providesLoadBalancers).toBe(false);
    const hr = file(fleet, 'mgmt/releases/dev-proxmox-bootstrap/helmrelease-proxmox-cloud-controller-manager.yaml');
    expect(hr.spec.chartRef).toEqual({ kind: 'OCIRepository', name: 'proxmox-cloud-controller-manager', namespace: 'dev-proxmox' });
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
  });

  test('fails on a config Secret without config.yaml', () => {
    const { workload } = setup('dev-proxmox');
    const bad = SecretReference.fromExternalInput('proxmox-cloud-controller-manager', 'kube-system', ['token']);
    const e = thrownBy(() => new ProxmoxCloudControllerManager(workload.controllers, 'Ccm', { clusterName: 'dev-proxmox', config: bad, configResourceSet }));
    expect(e.code).toBe(ErrorCode.SECRET_KEY_UNKNOWN);
  });

  test('fails when the resource-set Secret is the workload Secret itself', () => {
    const { workload } = setup('dev-proxmox');
    const e = thrownBy(() => new ProxmoxCloudControllerManager(workload.controllers, 'Ccm', { clusterName: 'dev-proxmox', config, configResourceSet: config }));
    expect(e.code).toBe(ErrorCode.INVALID_PROP);
    expect(e.constructPath).toBe('dev-proxmox/controllers/Ccm');
  });
});
