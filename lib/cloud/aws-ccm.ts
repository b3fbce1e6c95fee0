import { Construct } from 'constructs';
import { AWS_CLOUD_CONTROLLER_MANAGER_CHART } from '../../imports/helm/charts';
import { AwsCloudControllerManagerValues } from '../../imports/helm/aws-cloud-controller-manager';
import { ClusterProvider } from '../cluster/cluster-class';
import { invalidProp } from '../core/errors';
import { CCM_TOLERATIONS, ChartCloudControllerManager, CloudControllerManagerProps, CONTROL_PLANE_SELECTOR, KUBEPRISM_ENV, mergeArgs } from './cloud-controller-manager';

/**
 * The image to run on Kubernetes 1.35: chart 0.0.11 defaults to v1.35.0; the CCM minor must equal
 * the Kubernetes minor (ccm-aws/NOTES.md "Compatibility").
 */
export const AWS_CCM_IMAGE_TAG = 'v1.35.2';

/** Props of {@link AwsCloudControllerManager}. */
export interface AwsCloudControllerManagerProps extends CloudControllerManagerProps {
  /**
   * Run the `route` controller (one VPC route per node pod CIDR). Off: Cilium routes pod traffic
   * itself (tunnel, or native routing with its own route distribution), and with several route
   * tables (multi-AZ CAPA VPCs) the controller fails ("found multiple matching AWS route tables").
   * @default false
   * @see ../shared/upstream/ccm-aws/NOTES.md "Flags"
   */
  readonly configureCloudRoutes?: boolean;
  /**
   * Image tag of `registry.k8s.io/provider-aws/cloud-controller-manager`; its minor must be the
   * cluster's Kubernetes minor.
   * @default AWS_CCM_IMAGE_TAG
   */
  readonly imageTag?: string;
  /**
   * More CCM flags (e.g. `--controllers=*,-service`). Flags InfraFlux sets for Talos + Cilium
   * (`--cloud-provider`, `--cluster-name`, `--configure-cloud-routes`, `--allocate-node-cidrs`) are refused.
   * @default []
   */
  readonly extraArgs?: readonly string[];
  /**
   * Extra chart values, merged over InfraFlux's.
   * @default {}
   */
  readonly values?: AwsCloudControllerManagerValues;
}

/**
 * The AWS cloud controller manager (chart `aws-cloud-controller-manager` 0.0.11): provider IDs
 * `aws:///<az>/<instance>`, node addresses and zones, node lifecycle, and Classic ELB/NLB for
 * `type: LoadBalancer`. No credentials Secret: it authenticates with the control-plane instance
 * profile CAPA attaches (`control-plane.cluster-api-provider-aws.sigs.k8s.io`, created by
 * `clusterawsadm bootstrap`), through IMDS from the host network. Created in the workload
 * cluster's tree; the management cluster installs it (decision 0070).
 */
export class AwsCloudControllerManager extends ChartCloudControllerManager<AwsCloudControllerManagerValues> {
  public readonly provider = ClusterProvider.AWS;
  public readonly providesLoadBalancers: boolean;

  public constructor(scope: Construct, id: string, props: AwsCloudControllerManagerProps) {
    super(scope, id, props, AWS_CLOUD_CONTROLLER_MANAGER_CHART, 'aws-cloud-controller-manager');
    const tag = props.imageTag ?? AWS_CCM_IMAGE_TAG;
    if (!/^v1\.\d+\.\d+$/.test(tag)) invalidProp(this, `imageTag "${tag}" is not a release tag like ${AWS_CCM_IMAGE_TAG}`);
    const args = mergeArgs(
      this,
      [
        // The chart's `args` replaces its default list: repeat --v and --cloud-provider.
        '--v=2',
        '--cloud-provider=aws',
        `--cluster-name=${this.clusterName}`,
        // Cilium owns pod routing; see configureCloudRoutes.
        `--configure-cloud-routes=${props.configureCloudRoutes ?? false}`,
        // Talos' kube-controller-manager allocates the node pod CIDRs Cilium `ipam.mode: kubernetes` reads.
        '--allocate-node-cidrs=false',
      ],
      props.extraArgs,
      ['--cloud-provider', '--cluster-name', '--configure-cloud-routes', '--allocate-node-cidrs'],
    );
    this.providesLoadBalancers = !args.some((a) => /^--controllers=.*-service\b/.test(a));
    this.app.addValues({
      args,
      image: { tag },
      // Host network: IMDS and the API (through KubePrism) without waiting for the CNI.
      hostNetworking: true,
      env: [...KUBEPRISM_ENV],
      nodeSelector: { ...CONTROL_PLANE_SELECTOR },
      tolerations: CCM_TOLERATIONS.map((t) => ({ ...t })),
      dnsPolicy: 'Default',
    });
    if (props.values) this.app.addValues(props.values);
  }
}
