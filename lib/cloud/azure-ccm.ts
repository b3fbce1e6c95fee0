import { Construct } from 'constructs';
import { CLOUD_PROVIDER_AZURE_CHART } from '../../imports/helm/charts';
import { CloudProviderAzureValues } from '../../imports/helm/cloud-provider-azure';
import { Cidr } from '../core/cidr';
import { ClusterProvider } from '../cluster/cluster-class';
import { invalidProp } from '../core/errors';
import { SecretReference } from '../secrets/secret-reference';
import { CCM_TOLERATIONS, ChartCloudControllerManager, CloudControllerManagerProps, CONTROL_PLANE_SELECTOR } from './cloud-controller-manager';

/** Images to run on Kubernetes 1.35 (both components): ccm-azure/NOTES.md. */
export const AZURE_CCM_IMAGE_TAG = 'v1.35.8';

/**
 * The Secret the Azure CCM reads its azure.json from when `cloudConfig` is empty and dynamic
 * reloading on: `kube-system/azure-cloud-provider`, key `cloud-config` (flag defaults the chart
 * does not expose, ccm-azure/chart/extra-keys.json `flagNotExposed`).
 */
export const AZURE_CLOUD_CONFIG_SECRET = { name: 'azure-cloud-provider', namespace: 'kube-system', key: 'cloud-config' } as const;

/** Props of {@link AzureCloudControllerManager}. */
export interface AzureCloudControllerManagerProps extends CloudControllerManagerProps {
  /**
   * The workload's `kube-system/azure-cloud-provider` Secret (key `cloud-config`: the azure.json).
   * InfraFlux recommends a user-assigned managed identity on the control-plane VMs
   * (`useManagedIdentityExtension: true`, `userAssignedIdentityID`; InfrastructureInputs.azure
   * `controlPlaneIdentity`): then the file holds no secret at all.
   */
  readonly cloudConfig: SecretReference;
  /**
   * The management cluster's Secret (type `addons.cluster.x-k8s.io/resource-set`, in the Cluster's
   * namespace) holding the manifest of {@link cloudConfig}: a ClusterResourceSet copies it into the
   * workload as soon as its API answers, before the CCM starts.
   */
  readonly cloudConfigResourceSet: SecretReference;
  /** The cluster's pod CIDR (`clusterCIDR`, used by the route and IPAM controllers). */
  readonly podCidr: Cidr;
  /**
   * Replicas of the CCM Deployment (leader election on); at most the control-plane count.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Run the route controller (a UDR per node pod CIDR). Off with Cilium tunnelling or its own routing.
   * @default false
   */
  readonly configureCloudRoutes?: boolean;
  /**
   * Extra chart values, merged over InfraFlux's.
   * @default {}
   */
  readonly values?: CloudProviderAzureValues;
}

/**
 * The Azure cloud provider (chart `cloud-provider-azure` 1.36.0): the cloud-controller-manager
 * Deployment (Standard LB for `type: LoadBalancer`, node lifecycle) and the cloud-node-manager
 * DaemonSet (provider IDs, addresses, zones, taint removal from IMDS). Its azure.json comes from
 * the Secret `kube-system/azure-cloud-provider`, copied from the management cluster.
 */
export class AzureCloudControllerManager extends ChartCloudControllerManager<CloudProviderAzureValues> {
  public readonly provider = ClusterProvider.AZURE;
  public readonly providesLoadBalancers = true;

  public constructor(scope: Construct, id: string, props: AzureCloudControllerManagerProps) {
    super(scope, id, props, CLOUD_PROVIDER_AZURE_CHART, 'cloud-provider-azure');
    const replicas = props.replicas ?? 1;
    if (!Number.isInteger(replicas) || replicas < 1) invalidProp(this, `replicas ${replicas} must be a whole number >= 1`);
    if (props.cloudConfig.name !== AZURE_CLOUD_CONFIG_SECRET.name) {
      invalidProp(this, `cloudConfig Secret "${props.cloudConfig.name}" must be named "${AZURE_CLOUD_CONFIG_SECRET.name}": chart 1.36.0 passes only --cloud-config-secret-name; the namespace and key are the flag defaults kube-system / cloud-config`);
    }
    if (props.cloudConfig.keys && !props.cloudConfig.keys.includes(AZURE_CLOUD_CONFIG_SECRET.key)) props.cloudConfig.key(AZURE_CLOUD_CONFIG_SECRET.key);
    this.addWorkloadSecret('Azure cloud config (azure.json)', { secret: props.cloudConfig, resourceSet: props.cloudConfigResourceSet });
    this.app.addValues({
      // LB names (`<name>`, `<name>-internal`) derive from it; CAPZ names the outbound LB the same.
      infra: { clusterName: this.clusterName },
      cloudControllerManager: {
        imageTag: AZURE_CCM_IMAGE_TAG,
        // Talos nodes have no /etc/kubernetes/azure.json: read the Secret instead (all three values).
        cloudConfig: '',
        enableDynamicReloading: 'true',
        cloudConfigSecretName: AZURE_CLOUD_CONFIG_SECRET.name,
        // Talos' kube-controller-manager allocates pod CIDRs (Cilium ipam.mode kubernetes): a second allocator conflicts.
        allocateNodeCidrs: 'false',
        // Cilium routes pod traffic; the route controller would write UDRs for it.
        configureCloudRoutes: String(props.configureCloudRoutes ?? false),
        clusterCIDR: props.podCidr.toString(),
        replicas,
        nodeSelector: { ...CONTROL_PLANE_SELECTOR },
        // The chart's list lacks the uninitialized taint: the Deployment would wait for the node manager.
        tolerations: CCM_TOLERATIONS.map((t) => ({ ...t })),
      },
      cloudNodeManager: { imageTag: AZURE_CCM_IMAGE_TAG },
    });
    if (props.values) this.app.addValues(props.values);
  }
}
