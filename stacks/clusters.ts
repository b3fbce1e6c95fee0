/**
 * The reference workload clusters, one per provider, created in the management cluster's GitOps
 * tree (each in its own Flux Kustomization `cluster-<name>` in mgmt's apps layer).
 */
import { IConstruct } from 'constructs';
import { ErrorCode, InfraFluxError } from '../lib/core/errors';
import {
  AwsIdentity,
  AzureIdentity,
  Cidr,
  CiliumDatapath,
  CiliumEncryption,
  CiliumTunnel,
  ClusterNetworkProps,
  ClusterProvider,
  InfrastructureInputs,
  NodeRole,
  SecretReference,
  TalosCluster,
  TalosClusterClass,
  TalosClusterProps,
} from '../lib/cluster';
import { CiliumNetworking, TunnelProtocol } from '../lib/networking';
import { GitOpsCluster } from '../lib/flux/gitops-cluster';
import { TalosCniSettings } from '../lib/talos/cilium-machine-config';
import { VersionSet } from '../lib/versions/version-set';

export interface WorkloadClusterOptions {
  /**
   * What installs Cluster API and the providers on mgmt (PART B's controllers construct).
   * @default - none recorded
   */
  readonly management?: IConstruct;
  /**
   * Talos settings from CiliumNetworking (`talosCniSettings`).
   * @default DEFAULT_TALOS_CNI_SETTINGS
   */
  readonly cni?: TalosCniSettings;
  /** @default VersionSet.pinned() */
  readonly versions?: VersionSet;
  /**
   * Each workload cluster's CiliumNetworking, by cluster name: the single source of its pod,
   * service and node CIDRs and of its Talos CNI settings.
   * @default - the CIDRs written below and `cni`
   */
  readonly cilium?: Readonly<Record<string, CiliumNetworking>>;
}

/** The network of cluster `name`: from its CiliumNetworking when given, else `fallback`. */
function networkOf(opts: WorkloadClusterOptions, name: string, fallback: ClusterNetworkProps): ClusterNetworkProps {
  const cilium = opts.cilium?.[name];
  if (!cilium) return fallback;
  const nodes = cilium.nodeCidrs[0];
  if (!nodes) {
    throw new InfraFluxError(ErrorCode.INVALID_PROP, cilium, `CiliumNetworking of "${name}" has no nodeCidrs; the workload cluster's node network comes from it: give nodeCidrs`);
  }
  return { pods: [cilium.podCidr], services: [cilium.serviceCidr], nodes };
}

/**
 * The Cilium datapath (routing + encryption) of a CiliumNetworking, as the node firewall needs it.
 * Exported for tests.
 */
export function datapathOf(cilium: CiliumNetworking): CiliumDatapath {
  const { routing, encryption } = cilium._profile;
  const tunnel = routing.isNative ? CiliumTunnel.NATIVE : routing.tunnelProtocol === TunnelProtocol.GENEVE ? CiliumTunnel.GENEVE : CiliumTunnel.VXLAN;
  const enc = encryption.type === 'wireguard' ? CiliumEncryption.WIREGUARD : encryption.type === 'ipsec' ? CiliumEncryption.IPSEC : CiliumEncryption.NONE;
  return CiliumDatapath.of({ tunnel, encryption: enc });
}

/** Common props of cluster `name`, the CNI settings and datapath from its CiliumNetworking when given. */
function commonOf(opts: WorkloadClusterOptions, name: string): Pick<TalosClusterProps, 'management' | 'cni' | 'versions' | 'ciliumDatapath'> {
  const cilium = opts.cilium?.[name];
  return {
    management: opts.management,
    cni: cilium?.talosCniSettings ?? opts.cni,
    versions: opts.versions,
    ...(cilium ? { ciliumDatapath: datapathOf(cilium) } : {}),
  };
}

/** Talos version of the reference images without the `v` (`1.12.11`), from the VersionSet. */
function talosImageVersion(opts: WorkloadClusterOptions): string {
  return (opts.versions ?? VersionSet.pinned()).talos.replace(/^v/, '');
}

/** Talos Image Factory schematic of the edge hosts (the Talos version is appended from the VersionSet). */
const TALOS_FACTORY_IMAGE = 'https://factory.talos.dev/image/376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba';

/** Example account/subscription ids of the reference fleet (placeholders, not secrets). */
const AZURE_SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';
const AZURE_TENANT = '11111111-1111-1111-1111-111111111111';
const AZURE_CLIENT = '22222222-2222-2222-2222-222222222222';

/**
 * Adds the five reference workload clusters to `mgmt`: prod-aws (prod, HA 3 control planes),
 * prod-azure (prod), dev-gcp (dev), dev-proxmox (dev) and edge-metal3 (edge). Pod, service and
 * node CIDRs are distinct across the fleet, so clusters can later be meshed.
 */
export function addWorkloadClusters(mgmt: GitOpsCluster, opts: WorkloadClusterOptions = {}): TalosCluster[] {
  const clusters: TalosCluster[] = [];

  clusters.push(
    new TalosCluster(mgmt.apps, 'ProdAws', {
      ...commonOf(opts, 'prod-aws'),
      name: 'prod-aws',
      clusterClass: TalosClusterClass.prod(ClusterProvider.AWS),
      controlPlaneCount: 3,
      network: networkOf(opts, 'prod-aws', { pods: [Cidr.of('10.16.0.0/16')], services: [Cidr.of('10.17.0.0/20')], nodes: Cidr.of('10.18.0.0/16') }),
      infrastructure: InfrastructureInputs.aws({
        region: 'eu-central-1',
        amiId: 'ami-0a1b2c3d4e5f60718',
        identity: AwsIdentity.staticCredentials(SecretReference.fromSealedSecret('prod-aws-credentials', 'capa-system')),
      }),
    }),
  );

  clusters.push(
    new TalosCluster(mgmt.apps, 'ProdAzure', {
      ...commonOf(opts, 'prod-azure'),
      name: 'prod-azure',
      clusterClass: TalosClusterClass.prod(ClusterProvider.AZURE),
      network: networkOf(opts, 'prod-azure', { pods: [Cidr.of('10.32.0.0/16')], services: [Cidr.of('10.33.0.0/20')], nodes: Cidr.of('10.34.0.0/16') }),
      infrastructure: InfrastructureInputs.azure({
        location: 'westeurope',
        subscriptionId: AZURE_SUBSCRIPTION,
        identity: AzureIdentity.workloadIdentity({ clientId: AZURE_CLIENT, tenantId: AZURE_TENANT }),
        imageId: `/subscriptions/${AZURE_SUBSCRIPTION}/resourceGroups/talos-images/providers/Microsoft.Compute/galleries/talos/images/talos/versions/${talosImageVersion(opts)}`,
        // The Azure CCM authenticates as this identity (decision 0070).
        controlPlaneIdentity: `/subscriptions/${AZURE_SUBSCRIPTION}/resourceGroups/prod-azure/providers/Microsoft.ManagedIdentity/userAssignedIdentities/prod-azure-ccm`,
      }),
    }),
  );

  clusters.push(
    new TalosCluster(mgmt.apps, 'DevGcp', {
      ...commonOf(opts, 'dev-gcp'),
      name: 'dev-gcp',
      clusterClass: TalosClusterClass.dev(ClusterProvider.GCP),
      network: networkOf(opts, 'dev-gcp', { pods: [Cidr.of('10.48.0.0/16')], services: [Cidr.of('10.49.0.0/20')], nodes: Cidr.of('10.50.0.0/20') }),
      infrastructure: InfrastructureInputs.gcp({
        project: 'infraflux-dev',
        region: 'europe-west4',
        image: `projects/infraflux-dev/global/images/talos-v${talosImageVersion(opts).replace(/\./g, '-')}`,
        credentials: SecretReference.fromSealedSecret('dev-gcp-credentials', 'dev-gcp'),
      }),
    }),
  );

  clusters.push(
    new TalosCluster(mgmt.apps, 'DevProxmox', {
      ...commonOf(opts, 'dev-proxmox'),
      name: 'dev-proxmox',
      clusterClass: TalosClusterClass.dev(ClusterProvider.PROXMOX),
      network: networkOf(opts, 'dev-proxmox', { pods: [Cidr.of('10.64.0.0/16')], services: [Cidr.of('10.65.0.0/20')], nodes: Cidr.of('192.168.10.0/24') }),
      infrastructure: InfrastructureInputs.proxmox({
        nodes: ['pve1', 'pve2', 'pve3'],
        templateId: 9000,
        controlPlaneEndpoint: '192.168.10.10',
        nodeAddresses: ['192.168.10.100-192.168.10.150'],
        gateway: '192.168.10.1',
        dnsServers: ['192.168.10.1'],
        credentials: SecretReference.fromSealedSecret('dev-proxmox-credentials', 'dev-proxmox'),
        secondaryNetwork: { bridge: 'vmbr1', vlan: 20, addresses: ['192.168.20.100-192.168.20.150'], prefix: 24 },
      }),
    }),
  );

  const bmc = (host: string): SecretReference => SecretReference.fromSealedSecret(`${host}-bmc`, 'edge-metal3');
  clusters.push(
    new TalosCluster(mgmt.apps, 'EdgeMetal3', {
      ...commonOf(opts, 'edge-metal3'),
      name: 'edge-metal3',
      clusterClass: TalosClusterClass.edge(ClusterProvider.METAL3),
      network: networkOf(opts, 'edge-metal3', { pods: [Cidr.of('10.80.0.0/16')], services: [Cidr.of('10.81.0.0/20')], nodes: Cidr.of('192.168.30.0/24') }),
      infrastructure: InfrastructureInputs.metal3({
        hosts: [
          { name: 'edge-01', role: NodeRole.CONTROL_PLANE, bmcAddress: 'redfish-virtualmedia://192.168.31.11/redfish/v1/Systems/1', bootMacAddress: '52:54:00:00:30:11', bmcCredentials: bmc('edge-01') },
          { name: 'edge-02', role: NodeRole.CONTROL_PLANE, bmcAddress: 'redfish-virtualmedia://192.168.31.12/redfish/v1/Systems/1', bootMacAddress: '52:54:00:00:30:12', bmcCredentials: bmc('edge-02') },
        ],
        image: {
          url: `${TALOS_FACTORY_IMAGE}/v${talosImageVersion(opts)}/metal-amd64.raw.zst`,
          checksum: `${TALOS_FACTORY_IMAGE}/v${talosImageVersion(opts)}/metal-amd64.raw.zst.sha256`,
        },
        controlPlaneEndpoint: '192.168.30.10',
        vipLink: 'eno1',
      }),
    }),
  );
  return clusters;
}
