import { Construct } from 'constructs';
import { ClusterProvider } from '../cluster/cluster-class';
import { gcpNodeTag } from '../cluster/providers/gcp';
import { invalidProp, validateDnsLabel } from '../core/errors';
import { CCM_NAMESPACE, CcmGitDelivery, CcmWorkloadSecret, CloudControllerManagerProps, ICloudControllerManager, KUBEPRISM_ENV, markCloudControllerManager, mergeArgs } from './cloud-controller-manager';

/** The pinned release (Kubernetes 1.35 line): ccm-gcp/NOTES.md. */
export const GCP_CCM_RELEASE = {
  url: 'https://github.com/kubernetes/cloud-provider-gcp',
  tag: 'v35.1.3',
  path: './deploy/packages/default',
  /** The placeholder image of the package and the promoted image it is replaced with. */
  upstreamImage: 'k8scloudprovidergcp/cloud-controller-manager',
  image: 'registry.k8s.io/cloud-provider-gcp/cloud-controller-manager',
} as const;

/** ConfigMap (kube-system) holding gce.conf, key `cloud.config`. */
export const GCP_CLOUD_CONFIG_MAP = 'gce-cloud-config';

/** Props of {@link GcpCloudControllerManager}. */
export interface GcpCloudControllerManagerProps extends CloudControllerManagerProps {
  /** GCP project of the cluster (gce.conf `project-id`). */
  readonly project: string;
  /**
   * VPC network name (gce.conf `network-name`).
   * @default - the cluster name (CAPG names the network after the cluster)
   */
  readonly networkName?: string;
  /**
   * Network tag every node carries (gce.conf `node-tags`): LB firewall rules target it. Without it
   * LB creation fails with "could not find any tag that is a prefix of instance name".
   * @default - `<cluster>-node`, which TalosCluster puts on every GCP machine
   */
  readonly nodeTag?: string;
  /**
   * Manage instances in every zone of the region (gce.conf `multizone`); off, only the CCM's own
   * zone is managed and nodes elsewhere are never load-balancer backends.
   * @default true
   */
  readonly multizone?: boolean;
  /**
   * More CCM flags. Flags InfraFlux sets (`--cloud-provider`, `--cloud-config`, `--cluster-name`,
   * `--controllers`, `--configure-cloud-routes`, `--allocate-node-cidrs`) are refused.
   * @default []
   */
  readonly extraArgs?: readonly string[];
}

/**
 * The GCP cloud controller manager (kubernetes/cloud-provider-gcp v35.1.3, no Helm chart
 * upstream): the kustomize package `deploy/packages/default` at the pinned tag, applied by the
 * management cluster from its own GitRepository with a remote Kustomization that patches what
 * the package leaves to tooling (image, args, the cloud config volume, the API endpoint). It
 * authenticates with the control-plane VMs' service account through the metadata server (CAPG's
 * default: the Compute Engine default account, scope cloud-platform).
 */
export class GcpCloudControllerManager extends Construct implements ICloudControllerManager {
  public readonly provider = ClusterProvider.GCP;
  public readonly providesLoadBalancers = true;
  public readonly workloadSecrets: readonly CcmWorkloadSecret[] = [];
  public readonly clusterName: string;
  /** The gce.conf it is configured with. */
  public readonly cloudConfig: string;
  public readonly args: readonly string[];

  public constructor(scope: Construct, id: string, props: GcpCloudControllerManagerProps) {
    super(scope, id);
    markCloudControllerManager(this);
    this.clusterName = validateDnsLabel(this, 'clusterName', props.clusterName);
    if (!/^[a-z][-a-z0-9]{4,28}[a-z0-9]$/.test(props.project)) invalidProp(this, `project "${props.project}" is not a GCP project ID (6-30 lowercase letters, digits and '-', starting with a letter)`);
    const network = validateDnsLabel(this, 'networkName', props.networkName ?? this.clusterName);
    const tag = validateDnsLabel(this, 'nodeTag', props.nodeTag ?? gcpNodeTag(this.clusterName));
    this.cloudConfig = ['[global]', `project-id = ${props.project}`, `network-name = ${network}`, `node-tags = ${tag}`, `multizone = ${props.multizone ?? true}`, ''].join('\n');
    this.args = mergeArgs(
      this,
      [
        '--cloud-provider=gce',
        '--cloud-config=/etc/kubernetes/cloud.config',
        `--cluster-name=${this.clusterName}`,
        '--use-service-account-credentials',
        '--leader-elect=true',
        // The manifest's liveness probe uses 10258.
        '--secure-port=10258',
        '--v=2',
        // nodeipam is on by default and exits without --allocate-node-cidrs; Talos' kube-controller-manager
        // allocates the pod CIDRs Cilium ipam.mode kubernetes reads.
        '--controllers=*,-nodeipam',
        '--allocate-node-cidrs=false',
        // Cilium routes pod traffic (no VPC route per node).
        '--configure-cloud-routes=false',
      ],
      props.extraArgs,
      ['--cloud-provider', '--cloud-config', '--cluster-name', '--controllers', '--configure-cloud-routes', '--allocate-node-cidrs'],
    );
  }

  public get delivery(): CcmGitDelivery {
    const target = { kind: 'DaemonSet', name: 'cloud-controller-manager', namespace: CCM_NAMESPACE };
    const ops = [
      { op: 'replace', path: '/spec/template/spec/containers/0/args', value: [...this.args] },
      // The manifest sets only the host; Talos serves the API on 6443 and KubePrism on 7445.
      { op: 'replace', path: '/spec/template/spec/containers/0/env', value: KUBEPRISM_ENV.map((e) => ({ ...e })) },
      // Talos has no /etc/kubernetes/cloud.config: gce.conf comes from a ConfigMap.
      { op: 'replace', path: '/spec/template/spec/volumes/0', value: { name: 'cloudconfig', configMap: { name: GCP_CLOUD_CONFIG_MAP } } },
      { op: 'replace', path: '/spec/template/spec/containers/0/volumeMounts/0', value: { name: 'cloudconfig', mountPath: '/etc/kubernetes/cloud.config', subPath: 'cloud.config', readOnly: true } },
    ];
    return {
      kind: 'git',
      sourceName: 'cloud-provider-gcp',
      url: GCP_CCM_RELEASE.url,
      tag: GCP_CCM_RELEASE.tag,
      path: GCP_CCM_RELEASE.path,
      kustomizationName: 'gcp-cloud-controller-manager',
      patches: [{ patch: JSON.stringify(ops), target }],
      images: [{ name: GCP_CCM_RELEASE.upstreamImage, newName: GCP_CCM_RELEASE.image, newTag: GCP_CCM_RELEASE.tag }],
      healthChecks: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'cloud-controller-manager', namespace: CCM_NAMESPACE }],
      prerequisites: [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: GCP_CLOUD_CONFIG_MAP, namespace: CCM_NAMESPACE },
          data: { 'cloud.config': this.cloudConfig },
        },
      ],
    };
  }
}
