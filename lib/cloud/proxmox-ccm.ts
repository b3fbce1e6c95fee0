import { Construct } from 'constructs';
import { PROXMOX_CLOUD_CONTROLLER_MANAGER_CHART } from '../../imports/helm/charts';
import { ProxmoxCloudControllerManagerValues } from '../../imports/helm/proxmox-cloud-controller-manager';
import { ClusterProvider } from '../cluster/cluster-class';
import { SecretReference } from '../secrets/secret-reference';
import { CCM_TOLERATIONS, ChartCloudControllerManager, CloudControllerManagerProps, CONTROL_PLANE_SELECTOR, KUBEPRISM_ENV } from './cloud-controller-manager';

/** Key of the config file in the CCM's Secret (the chart's `existingConfigSecretKey` default). */
export const PROXMOX_CCM_CONFIG_KEY = 'config.yaml';

/** Props of {@link ProxmoxCloudControllerManager}. */
export interface ProxmoxCloudControllerManagerProps extends CloudControllerManagerProps {
  /**
   * The workload's Secret (kube-system) holding the CCM config (`config.yaml`:
   * `features.provider: capmox` and `clusters[]` with url, token_id, token_secret, region;
   * proxmox-ccm/config-format.schema.json). `features.provider: capmox` is required with CAPMOX:
   * otherwise the CCM writes `proxmox://<region>/<vmid>`, which never equals the Machines'
   * `proxmox://<SystemUUID>`, and the Machines never get a nodeRef.
   */
  readonly config: SecretReference;
  /** The management cluster's resource-set Secret (in the Cluster's namespace) holding the manifest of {@link config}. */
  readonly configResourceSet: SecretReference;
  /**
   * Extra chart values, merged over InfraFlux's.
   * @default {}
   */
  readonly values?: ProxmoxCloudControllerManagerValues;
}

/**
 * The Proxmox cloud controller manager (chart `proxmox-cloud-controller-manager` 0.2.27, app
 * v0.13.1): `cloud-node` (provider ID in CAPMOX format, addresses, `topology.kubernetes.io/region`
 * = the Proxmox cluster, `topology.kubernetes.io/zone` = the Proxmox node) and
 * `cloud-node-lifecycle` (deletes Nodes whose VM is gone). No service or route controller: Cilium
 * LB IPAM stays the load balancer. Runs as a host-network DaemonSet on the control planes, so it
 * starts before the CNI and resolves the Proxmox API with the node's DNS.
 */
export class ProxmoxCloudControllerManager extends ChartCloudControllerManager<ProxmoxCloudControllerManagerValues> {
  public readonly provider = ClusterProvider.PROXMOX;
  public readonly providesLoadBalancers = false;

  public constructor(scope: Construct, id: string, props: ProxmoxCloudControllerManagerProps) {
    super(scope, id, props, PROXMOX_CLOUD_CONTROLLER_MANAGER_CHART, 'proxmox-cloud-controller-manager');
    if (props.config.keys && !props.config.keys.includes(PROXMOX_CCM_CONFIG_KEY)) props.config.key(PROXMOX_CCM_CONFIG_KEY);
    this.addWorkloadSecret('Proxmox CCM config', { secret: props.config, resourceSet: props.configResourceSet });
    this.app.addValues({
      enabledControllers: ['cloud-node', 'cloud-node-lifecycle'],
      // The token stays out of the values: the chart mounts this Secret (config.clusters stays empty).
      existingConfigSecret: props.config.name,
      existingConfigSecretKey: PROXMOX_CCM_CONFIG_KEY,
      useDaemonSet: true,
      nodeSelector: { ...CONTROL_PLANE_SELECTOR },
      tolerations: CCM_TOLERATIONS.map((t) => ({ ...t })),
      extraEnvs: [...KUBEPRISM_ENV],
    });
    if (props.values) this.app.addValues(props.values);
  }
}
