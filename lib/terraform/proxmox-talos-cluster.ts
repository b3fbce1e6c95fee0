/**
 * The management cluster of the Proxmox path: Talos Linux VMs on Proxmox VE, configured and
 * bootstrapped by Terraform (bpg/proxmox 0.111.1 + siderolabs/talos 0.11.0, bindings generated into
 * imports/terraform/ from the pinned schemas).
 *
 * Flow (every step a Terraform reference, so `terraform apply` runs it in order):
 *   Image Factory schematic (extensions) → factory URLs (nocloud ISO, installer image) → ISO
 *   downloaded to each Proxmox node → VMs booting the ISO, addressed by cloud-init (DHCP or static)
 *   → machine secrets → machine configuration per role (Cilium patch from
 *   lib/talos/cilium-machine-config.ts, install image and disk; on control planes the shared VIP
 *   and, without workers, scheduling of workloads) → configuration apply per node → bootstrap on
 *   the first control plane → health (Talos-level) and kubeconfig; talosconfig from the client
 *   configuration.
 *
 * Endpoints: the Kubernetes API endpoint in the machine configs (and so in the kubeconfig Talos
 * issues) is the control planes' shared VIP, `https://<vip>:6443`, announced by one control plane at
 * a time. Everything that talks to the Talos API (apply, bootstrap, kubeconfig, health,
 * talosconfig) uses node addresses: the VIP only comes up once etcd elects a leader, and Talos
 * advises against it as a Talos API endpoint (docs/terraform.md cites the docs).
 *
 * Secrets (machine secrets, client key, kubeconfig, talosconfig) live in Terraform state — cdktf
 * 0.21.0 cannot express ephemeral resources or write-only inputs (NOTES.md) — and leave it only as
 * sensitive outputs.
 */
import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { stringify } from 'yaml';
import { DownloadFile } from '../../imports/terraform/proxmox/download-file';
import { VirtualEnvironmentVm } from '../../imports/terraform/proxmox/virtual-environment-vm';
import { ClusterKubeconfig } from '../../imports/terraform/talos/cluster-kubeconfig';
import { DataTalosClientConfiguration } from '../../imports/terraform/talos/data-talos-client-configuration';
import { DataTalosClusterHealth } from '../../imports/terraform/talos/data-talos-cluster-health';
import { DataTalosImageFactoryUrls } from '../../imports/terraform/talos/data-talos-image-factory-urls';
import {
  DataTalosMachineConfiguration,
  DataTalosMachineConfigurationMachineSecrets,
} from '../../imports/terraform/talos/data-talos-machine-configuration';
import { ImageFactorySchematic } from '../../imports/terraform/talos/image-factory-schematic';
import { MachineBootstrap, MachineBootstrapClientConfiguration } from '../../imports/terraform/talos/machine-bootstrap';
import { MachineConfigurationApply } from '../../imports/terraform/talos/machine-configuration-apply';
import { MachineSecrets } from '../../imports/terraform/talos/machine-secrets';
import { Cidr } from '../core/cidr';
import { ErrorCode, InfraFluxError, invalidProp, validateDnsLabel } from '../core/errors';
import { DEFAULT_TALOS_CNI_SETTINGS, TalosCniSettings, talosCiliumPatch } from '../talos/cilium-machine-config';
import { VersionSet } from '../versions/version-set';
import { ipv4NetworkOf, ipv4ToNumber, numberToIpv4, validateIpv4, validateIpv4Cidr } from './_net';

/** Talos release installed: the fleet's VersionSet pin (one source with the Cluster API path). */
export const DEFAULT_TALOS_VERSION = VersionSet.pinned().talos;
/** Kubernetes version: the fleet's VersionSet pin. */
export const DEFAULT_KUBERNETES_VERSION = VersionSet.pinned().kubernetes;

/**
 * System extensions baked into the Image Factory schematic: the QEMU guest agent (Proxmox reads
 * the VM's addresses through it), and iscsi-tools + util-linux-tools, which Longhorn's v1 data
 * engine needs on Talos (../shared/upstream/longhorn/NOTES.md). Cilium needs no extension.
 * @see https://factory.talos.dev
 */
export const DEFAULT_TALOS_EXTENSIONS: readonly string[] = ['siderolabs/qemu-guest-agent', 'siderolabs/iscsi-tools', 'siderolabs/util-linux-tools'];

/** Proxmox node names are host names: letters, digits and '-', not starting or ending with '-'. */
const PROXMOX_NODE_NAME = /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;

/** How the VMs get their IPv4 address (cloud-init `ip_config`, read by Talos' nocloud platform). */
export class NodeAddressing {
  /** DHCP; the addresses are read back through the QEMU guest agent. */
  public static dhcp(): NodeAddressing {
    return new NodeAddressing(undefined);
  }

  /**
   * Fixed addresses, one per VM, as `address/prefix` (e.g. `192.168.10.21/24`).
   * @see https://www.talos.dev/v1.12/talos-guides/install/cloud-platforms/nocloud/
   */
  public static static(props: StaticAddressingProps): NodeAddressing {
    return new NodeAddressing(props);
  }

  private constructor(public readonly staticProps: StaticAddressingProps | undefined) {}
}

export interface StaticAddressingProps {
  /** One `address/prefix` per control-plane VM, in order. */
  readonly controlPlane: readonly string[];
  /**
   * One `address/prefix` per worker VM, in order.
   * @default - no workers addresses (only valid with zero workers)
   */
  readonly workers?: readonly string[];
  /** IPv4 default gateway. */
  readonly gateway: string;
  /**
   * DNS servers.
   * @default - the gateway
   */
  readonly dnsServers?: readonly string[];
}

export interface ProxmoxTalosNodePool {
  /** Number of VMs. Control planes: odd (1, 3, 5) so etcd keeps quorum. */
  readonly count: number;
  /**
   * vCPU cores per VM.
   * @default 2 for control planes, 4 for workers
   */
  readonly cpuCores?: number;
  /**
   * Memory per VM in MiB (no ballooning: Talos does not support memory hot-plug).
   * @default 4096 for control planes, 8192 for workers
   */
  readonly memoryMiB?: number;
  /**
   * System disk size in GiB.
   * @default 32 for control planes, 100 for workers
   */
  readonly diskGiB?: number;
  /**
   * First Proxmox VM id of the pool; VMs get consecutive ids.
   * @default - Proxmox picks the next free id
   */
  readonly firstVmId?: number;
}

export interface ProxmoxTalosClusterProps {
  /** Cluster name (DNS label); VM names are `<clusterName>-cp-<n>` and `<clusterName>-worker-<n>`. */
  readonly clusterName: string;
  /** The Proxmox node that hosts the VMs and the Talos ISO. */
  readonly proxmoxNode: string;
  /** Control-plane VMs. */
  readonly controlPlane: ProxmoxTalosNodePool;
  /**
   * Worker VMs. With workers, the control planes stay tainted for workloads unless
   * `allowSchedulingOnControlPlanes` is set.
   * @default - no workers (control planes run workloads)
   */
  readonly workers?: ProxmoxTalosNodePool;
  /**
   * Let workloads run on the control-plane nodes (Talos `cluster.allowSchedulingOnControlPlanes`;
   * otherwise Talos taints them `node-role.kubernetes.io/control-plane:NoSchedule`). A cluster
   * without workers needs it, or nothing but static pods could run.
   * @default - true when the cluster has no workers, false otherwise
   * @see https://docs.siderolabs.com/talos/v1.12/reference/configuration/v1alpha1/config#Config.cluster
   */
  readonly allowSchedulingOnControlPlanes?: boolean;
  /**
   * Shared (virtual) IPv4 address of the control planes, the Kubernetes API endpoint
   * `https://<vip>:6443`. Talos announces it from one control plane at a time (gratuitous ARP,
   * leader elected through etcd), configured by a `Layer2VIPConfig` document on every control plane;
   * when that node goes away another one takes the address over. The control planes must share a
   * layer-2 network, so the VIP must lie in their network (static addressing) and be none of the
   * gateway, a node's address, the network or the broadcast address.
   * With more than one control plane, give a VIP or a `clusterEndpoint` that is shared (load
   * balancer, DNS); the first node's address would lose the API with that node.
   * @default - no VIP (only valid with one control plane or a `clusterEndpoint`)
   * @see https://docs.siderolabs.com/talos/v1.12/networking/vip
   * @see https://docs.siderolabs.com/talos/v1.12/reference/configuration/network/layer2vipconfig
   */
  readonly controlPlaneVip?: string;
  /**
   * Link (interface name) the VIP is assigned to on the control planes: Talos' predictable name of
   * the VM's virtio NIC.
   * @default 'ens18'
   */
  readonly vipLink?: string;
  /**
   * Addressing of the VMs.
   * @default NodeAddressing.dhcp()
   */
  readonly addressing?: NodeAddressing;
  /**
   * Kubernetes API endpoint (`https://host:6443`), e.g. a load balancer or a DNS name for the VIP.
   * @default - `https://<controlPlaneVip>:6443`; without a VIP, `https://<first control plane address>:6443` (one control plane only)
   * @see https://www.talos.dev/v1.12/introduction/prodnotes/#control-plane-endpoint
   */
  readonly clusterEndpoint?: string;
  /**
   * Talos release (exact).
   * @default DEFAULT_TALOS_VERSION
   */
  readonly talosVersion?: string;
  /**
   * Kubernetes version (exact).
   * @default DEFAULT_KUBERNETES_VERSION
   */
  readonly kubernetesVersion?: string;
  /**
   * Official system extensions of the Image Factory schematic.
   * @default DEFAULT_TALOS_EXTENSIONS
   */
  readonly extensions?: readonly string[];
  /**
   * What Talos must do for Cilium (the one source of truth shared with CiliumNetworking and the
   * Cluster API path).
   * @default DEFAULT_TALOS_CNI_SETTINGS
   */
  readonly cni?: TalosCniSettings;
  /**
   * Pod networks (Talos `cluster.network.podSubnets`): must equal the pod CIDR Cilium is configured
   * with (`CiliumNetworking.podCidr`).
   * @default - Talos' default (10.244.0.0/16)
   */
  readonly podCidrs?: readonly Cidr[];
  /**
   * Service networks (Talos `cluster.network.serviceSubnets`): must equal `CiliumNetworking.serviceCidr`.
   * @default - Talos' default (10.96.0.0/12)
   */
  readonly serviceCidrs?: readonly Cidr[];
  /**
   * Datastore of the VM disks and the cloud-init drive.
   * @default 'local-lvm'
   */
  readonly vmDatastore?: string;
  /**
   * Datastore (content type `iso`) the Talos ISO is downloaded to.
   * @default 'local'
   */
  readonly isoDatastore?: string;
  /**
   * Linux bridge of the VMs' network device.
   * @default 'vmbr0'
   */
  readonly bridge?: string;
  /**
   * VLAN tag of the VMs' network device.
   * @default - untagged
   */
  readonly vlanId?: number;
}

/**
 * The role of a Talos node; the value is Talos' machine type (`talos_machine_configuration.machine_type`).
 * @see https://registry.terraform.io/providers/siderolabs/talos/0.11.0/docs/data-sources/machine_configuration
 */
export enum TalosNodeRole {
  CONTROL_PLANE = 'controlplane',
  WORKER = 'worker',
}

/** One Talos VM and its configuration apply. */
export interface ProxmoxTalosNode {
  readonly name: string;
  readonly role: TalosNodeRole;
  readonly vm: VirtualEnvironmentVm;
  /** The node's IPv4 address: a literal (static) or a Terraform expression (DHCP). */
  readonly address: string;
  readonly apply: MachineConfigurationApply;
}

/**
 * Talos control-plane and worker VMs on Proxmox VE, configured and bootstrapped by Terraform.
 * Put it in a stack with the Proxmox and Talos providers ({@link ProxmoxTalosStack} does).
 */
export class ProxmoxTalosCluster extends Construct {
  public readonly schematic: ImageFactorySchematic;
  public readonly imageUrls: DataTalosImageFactoryUrls;
  public readonly iso: DownloadFile;
  public readonly secrets: MachineSecrets;
  public readonly controlPlaneConfig: DataTalosMachineConfiguration;
  public readonly workerConfig: DataTalosMachineConfiguration;
  public readonly nodes: readonly ProxmoxTalosNode[];
  public readonly bootstrap: MachineBootstrap;
  /** Talos-level health of every node (etcd, apid, kubelet, boot finished), read after bootstrap. */
  public readonly health: DataTalosClusterHealth;
  public readonly kubeconfig: ClusterKubeconfig;
  public readonly clientConfiguration: DataTalosClientConfiguration;
  /** The Kubernetes API endpoint the machine configs carry. */
  public readonly clusterEndpoint: string;
  /** The control planes' shared VIP, if any. */
  public readonly controlPlaneVip?: string;
  /** Whether workloads may run on the control planes (`cluster.allowSchedulingOnControlPlanes`). */
  public readonly schedulableControlPlanes: boolean;
  public readonly kubeconfigOutput: TerraformOutput;
  public readonly talosconfigOutput: TerraformOutput;

  public constructor(scope: Construct, id: string, props: ProxmoxTalosClusterProps) {
    super(scope, id);
    const clusterName = validateDnsLabel(this, 'clusterName', props.clusterName);
    if (!PROXMOX_NODE_NAME.test(props.proxmoxNode)) {
      invalidProp(this, `proxmoxNode "${props.proxmoxNode}" is not a Proxmox node name; use a host name of letters, digits and '-' (e.g. pve1)`);
    }
    const cp = props.controlPlane;
    const workers = props.workers ?? { count: 0 };
    this.validatePool('controlPlane', cp, 1);
    this.validatePool('workers', workers, 0);
    if (cp.count % 2 === 0) {
      invalidProp(this, `controlPlane.count ${cp.count} is even; etcd needs an odd number of members for quorum: use 1 (no HA), 3 or 5`);
    }
    const talosVersion = this.exactVersion('talosVersion', props.talosVersion ?? DEFAULT_TALOS_VERSION);
    const kubernetesVersion = this.exactVersion('kubernetesVersion', props.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION);
    const addressing = props.addressing ?? NodeAddressing.dhcp();
    const fixed = addressing.staticProps;
    if (fixed) this.validateStatic(fixed, cp.count, workers.count);
    if (props.vlanId !== undefined && (!Number.isInteger(props.vlanId) || props.vlanId < 1 || props.vlanId > 4094)) {
      invalidProp(this, `vlanId ${props.vlanId}; use 1-4094`);
    }
    const extensions = [...(props.extensions ?? DEFAULT_TALOS_EXTENSIONS)];
    extensions.forEach((e, i) => {
      if (!/^[a-z0-9-]+\/[a-z0-9-]+$/.test(e)) invalidProp(this, `extensions[${i}] "${e}" is not an official extension name like siderolabs/iscsi-tools`);
    });

    // Image Factory: schematic with the extensions, URLs of the nocloud ISO and installer image.
    this.schematic = new ImageFactorySchematic(this, 'Schematic', {
      schematic: stringify({ customization: { systemExtensions: { officialExtensions: extensions } } }),
    });
    this.imageUrls = new DataTalosImageFactoryUrls(this, 'ImageUrls', {
      talosVersion,
      schematicId: this.schematic.id,
      platform: 'nocloud',
      architecture: 'amd64',
    });
    // The factory's disk images are .raw.xz and download_file cannot decompress xz (NOTES.md), so
    // the VMs boot the ISO and Talos installs itself to the disk (machine.install).
    this.iso = new DownloadFile(this, 'Iso', {
      contentType: 'iso',
      datastoreId: props.isoDatastore ?? 'local',
      nodeName: props.proxmoxNode,
      url: this.imageUrls.urls.iso,
      fileName: `${clusterName}-talos-${talosVersion}-nocloud-amd64.iso`,
      overwrite: false,
    });

    // VMs.
    const vmFor = (role: TalosNodeRole, index: number, pool: ProxmoxTalosNodePool): { name: string; vm: VirtualEnvironmentVm; address: string } => {
      const isCp = role === TalosNodeRole.CONTROL_PLANE;
      const name = `${clusterName}-${isCp ? 'cp' : 'worker'}-${index + 1}`;
      const staticAddress = fixed ? (isCp ? fixed.controlPlane : (fixed.workers ?? []))[index] : undefined;
      const vm = new VirtualEnvironmentVm(this, name, {
        name,
        nodeName: props.proxmoxNode,
        vmId: pool.firstVmId !== undefined ? pool.firstVmId + index : undefined,
        description: `Talos ${talosVersion} ${role} of ${clusterName} (InfraFlux)`,
        tags: ['infraflux', 'talos', clusterName, role],
        machine: 'q35',
        bios: 'seabios',
        onBoot: true,
        started: true,
        stopOnDestroy: true,
        scsiHardware: 'virtio-scsi-single',
        operatingSystem: { type: 'l26' },
        agent: { enabled: true },
        cpu: { cores: pool.cpuCores ?? (isCp ? 2 : 4), sockets: 1, type: 'x86-64-v2-AES' },
        memory: { dedicated: pool.memoryMiB ?? (isCp ? 4096 : 8192), floating: 0 },
        disk: [
          {
            interface: 'scsi0',
            datastoreId: props.vmDatastore ?? 'local-lvm',
            size: pool.diskGiB ?? (isCp ? 32 : 100),
            fileFormat: 'raw',
            discard: 'on',
            ssd: true,
            iothread: true,
          },
        ],
        cdrom: { fileId: this.iso.id, interface: 'ide2' },
        bootOrder: ['scsi0', 'ide2'],
        networkDevice: [{ bridge: props.bridge ?? 'vmbr0', model: 'virtio', vlanId: props.vlanId }],
        initialization: {
          datastoreId: props.vmDatastore ?? 'local-lvm',
          ipConfig: [{ ipv4: staticAddress ? { address: staticAddress, gateway: fixed?.gateway } : { address: 'dhcp' } }],
          dns: fixed ? { servers: [...(fixed.dnsServers ?? [fixed.gateway])] } : undefined,
        },
      });
      // DHCP: the first non-loopback IPv4 the guest agent reports.
      const address = staticAddress
        ? (staticAddress.split('/')[0] as string)
        : `\${[for ip in flatten(${vm.fqn}.ipv4_addresses) : ip if ip != "127.0.0.1"][0]}`;
      return { name, vm, address };
    };
    const cpVms = Array.from({ length: cp.count }, (_, i) => vmFor(TalosNodeRole.CONTROL_PLANE, i, cp));
    const workerVms = Array.from({ length: workers.count }, (_, i) => vmFor(TalosNodeRole.WORKER, i, workers));
    const firstCp = cpVms[0]!;
    if (props.clusterEndpoint !== undefined && !/^https:\/\/[^/\s]+:\d+$/.test(props.clusterEndpoint)) {
      invalidProp(this, `clusterEndpoint "${props.clusterEndpoint}" is not https://<host>:<port>`);
    }
    const vip = props.controlPlaneVip !== undefined ? this.validateVip(props.controlPlaneVip, fixed) : undefined;
    this.controlPlaneVip = vip;
    const vipLink = props.vipLink ?? 'ens18';
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,14}$/.test(vipLink)) {
      invalidProp(this, `vipLink "${vipLink}" is not a Linux interface name; use 1-15 letters, digits, '.', '_' or '-' (e.g. ens18)`);
    }
    if (cp.count > 1 && vip === undefined && props.clusterEndpoint === undefined) {
      throw new InfraFluxError(
        ErrorCode.ENDPOINT_NOT_HA,
        this,
        `controlPlane.count ${cp.count} with the API endpoint on the first node's address ${firstCp.address}: losing that node loses the API; give controlPlaneVip (a free address in the control planes' network) or a shared clusterEndpoint (load balancer, DNS)`,
      );
    }
    this.clusterEndpoint = props.clusterEndpoint ?? `https://${vip ?? firstCp.address}:6443`;
    this.schedulableControlPlanes = props.allowSchedulingOnControlPlanes ?? workers.count === 0;
    if (workers.count === 0 && !this.schedulableControlPlanes) {
      throw new InfraFluxError(
        ErrorCode.NO_SCHEDULABLE_NODES,
        this,
        'allowSchedulingOnControlPlanes false with workers.count 0: Talos taints the control planes, so no workload (Flux, cert-manager, Cluster API) could be scheduled; set it true (the default) or add workers',
      );
    }

    // Talos machine secrets and configuration.
    this.secrets = new MachineSecrets(this, 'Secrets', { talosVersion: contract(talosVersion) });
    const machineSecrets = this.secrets.interpolationForAttribute('machine_secrets') as unknown as DataTalosMachineConfigurationMachineSecrets;
    const clientConfiguration = this.secrets.interpolationForAttribute('client_configuration') as unknown as MachineBootstrapClientConfiguration;
    const subnets = {
      ...(props.podCidrs?.length ? { podSubnets: props.podCidrs.map((c, i) => Cidr._canonical(c._parse(this, `podCidrs[${i}]`))) } : {}),
      ...(props.serviceCidrs?.length ? { serviceSubnets: props.serviceCidrs.map((c, i) => Cidr._canonical(c._parse(this, `serviceCidrs[${i}]`))) } : {}),
    };
    const patches = [
      stringify(talosCiliumPatch(props.cni ?? DEFAULT_TALOS_CNI_SETTINGS)),
      ...(Object.keys(subnets).length > 0 ? [stringify({ cluster: { network: subnets } })] : []),
      stringify({ machine: { install: { disk: '/dev/sda', image: this.imageUrls.urls.installer, wipe: false } } }),
    ];
    // Control planes only: the VIP (Talos: "should be used only on controlplane nodes") and whether
    // they take workloads (the taint is set by each control plane's own config).
    const controlPlanePatches = [
      ...(vip !== undefined ? [stringify({ apiVersion: 'v1alpha1', kind: 'Layer2VIPConfig', name: vip, link: vipLink })] : []),
      ...(this.schedulableControlPlanes ? [stringify({ cluster: { allowSchedulingOnControlPlanes: true } })] : []),
    ];
    const machineConfig = (role: TalosNodeRole, cid: string): DataTalosMachineConfiguration =>
      new DataTalosMachineConfiguration(this, cid, {
        clusterName,
        clusterEndpoint: this.clusterEndpoint,
        machineType: role,
        machineSecrets,
        talosVersion: contract(talosVersion),
        kubernetesVersion: kubernetesVersion.replace(/^v/, ''),
        configPatches: role === TalosNodeRole.CONTROL_PLANE ? [...patches, ...controlPlanePatches] : patches,
        docs: false,
        examples: false,
      });
    this.controlPlaneConfig = machineConfig(TalosNodeRole.CONTROL_PLANE, 'ControlPlaneConfig');
    this.workerConfig = machineConfig(TalosNodeRole.WORKER, 'WorkerConfig');

    const applyFor = (role: TalosNodeRole, node: { name: string; vm: VirtualEnvironmentVm; address: string }): ProxmoxTalosNode => {
      const config = role === TalosNodeRole.CONTROL_PLANE ? this.controlPlaneConfig : this.workerConfig;
      const apply = new MachineConfigurationApply(this, `${node.name}-apply`, {
        nodeAttribute: node.address,
        clientConfiguration,
        machineConfigurationInput: config.machineConfiguration,
        configPatches: [hostnamePatch(node.name)],
        dependsOn: [node.vm],
      });
      return { ...node, role, apply };
    };
    const cpNodes = cpVms.map((n) => applyFor(TalosNodeRole.CONTROL_PLANE, n));
    const workerNodes = workerVms.map((n) => applyFor(TalosNodeRole.WORKER, n));
    this.nodes = [...cpNodes, ...workerNodes];

    // Bootstrap etcd once, on the first control plane; then the kubeconfig.
    this.bootstrap = new MachineBootstrap(this, 'Bootstrap', {
      nodeAttribute: firstCp.address,
      clientConfiguration,
      dependsOn: cpNodes.map((n) => n.apply),
    });
    // Talos-level checks only: the CNI (Cilium) is installed after Terraform, so Kubernetes checks
    // (nodes Ready) could not pass here.
    this.health = new DataTalosClusterHealth(this, 'Health', {
      endpoints: cpNodes.map((n) => n.address),
      controlPlaneNodes: cpNodes.map((n) => n.address),
      workerNodes: workerNodes.length > 0 ? workerNodes.map((n) => n.address) : undefined,
      skipKubernetesChecks: true,
      clientConfiguration,
      dependsOn: [this.bootstrap, ...workerNodes.map((n) => n.apply)],
    });
    this.kubeconfig = new ClusterKubeconfig(this, 'Kubeconfig', {
      nodeAttribute: firstCp.address,
      clientConfiguration,
      dependsOn: [this.bootstrap],
    });
    this.clientConfiguration = new DataTalosClientConfiguration(this, 'ClientConfiguration', {
      clusterName,
      clientConfiguration,
      endpoints: cpNodes.map((n) => n.address),
      nodes: this.nodes.map((n) => n.address),
    });

    this.kubeconfigOutput = new TerraformOutput(this, 'kubeconfig', {
      value: this.kubeconfig.kubeconfigRaw,
      sensitive: true,
      description: `kubeconfig (cluster admin) of ${clusterName}`,
    });
    this.kubeconfigOutput.overrideLogicalId(`${clusterName.replace(/-/g, '_')}_kubeconfig`);
    this.talosconfigOutput = new TerraformOutput(this, 'talosconfig', {
      value: this.clientConfiguration.talosConfig,
      sensitive: true,
      description: `talosconfig of ${clusterName}`,
    });
    this.talosconfigOutput.overrideLogicalId(`${clusterName.replace(/-/g, '_')}_talosconfig`);
    new TerraformOutput(this, 'endpoint', { value: this.clusterEndpoint, description: `Kubernetes API endpoint of ${clusterName}` }).overrideLogicalId(
      `${clusterName.replace(/-/g, '_')}_endpoint`,
    );
  }

  private validatePool(what: string, pool: ProxmoxTalosNodePool, min: number): void {
    if (!Number.isInteger(pool.count) || pool.count < min || pool.count > 50) {
      invalidProp(this, `${what}.count ${pool.count}; ${min === 1 ? 'a cluster needs at least one control-plane VM: use 1, 3 or 5' : 'use 0-50'}`);
    }
    const positive = (field: string, value: number | undefined, lo: number, hi: number): void => {
      if (value !== undefined && (!Number.isInteger(value) || value < lo || value > hi)) invalidProp(this, `${what}.${field} ${value}; use ${lo}-${hi}`);
    };
    positive('cpuCores', pool.cpuCores, 1, 512);
    positive('memoryMiB', pool.memoryMiB, 2048, 4_194_304);
    positive('diskGiB', pool.diskGiB, 10, 65_536);
    positive('firstVmId', pool.firstVmId, 100, 999_999_999);
  }

  private validateStatic(props: StaticAddressingProps, cpCount: number, workerCount: number): void {
    const cps = props.controlPlane.map((a, i) => validateIpv4Cidr(this, `addressing.controlPlane[${i}]`, a));
    const ws = (props.workers ?? []).map((a, i) => validateIpv4Cidr(this, `addressing.workers[${i}]`, a));
    validateIpv4(this, 'addressing.gateway', props.gateway);
    (props.dnsServers ?? []).forEach((d, i) => validateIpv4(this, `addressing.dnsServers[${i}]`, d));
    if (cps.length !== cpCount) invalidProp(this, `addressing.controlPlane has ${cps.length} addresses for ${cpCount} control-plane VMs; give one per VM`);
    if (ws.length !== workerCount) invalidProp(this, `addressing.workers has ${ws.length} addresses for ${workerCount} worker VMs; give one per VM`);
    const hosts = [...cps, ...ws].map((a) => a.split('/')[0]);
    const dup = hosts.find((h, i) => hosts.indexOf(h) !== i);
    if (dup) invalidProp(this, `addressing: ${dup} is used by two VMs; every VM needs its own address`);
  }

  /**
   * The VIP must be a free host address of the control planes' layer-2 network: inside every
   * control plane's `address/prefix` network, not its network or broadcast address, not the
   * gateway, not a node's address.
   */
  private validateVip(vip: string, fixed: StaticAddressingProps | undefined): string {
    validateIpv4(this, 'controlPlaneVip', vip);
    if (!fixed) {
      throw new InfraFluxError(
        ErrorCode.VIP_NEEDS_STATIC_ADDRESSING,
        this,
        `controlPlaneVip ${vip} with DHCP addressing: the node network is unknown at synth, so the VIP cannot be checked (and DHCP could lease it); use NodeAddressing.static()`,
      );
    }
    const value = ipv4ToNumber(vip);
    fixed.controlPlane.forEach((cidr, i) => {
      const net = ipv4NetworkOf(cidr);
      const range = `${numberToIpv4(net.network)}/${net.prefix}`;
      if (value < net.network || value > net.broadcast) {
        throw new InfraFluxError(
          ErrorCode.VIP_OUTSIDE_NODE_NETWORK,
          this,
          `controlPlaneVip ${vip} is outside ${range}, the network of addressing.controlPlane[${i}] ${cidr}; a layer-2 VIP must be a free address in the control planes' network`,
        );
      }
      if (net.prefix <= 30 && (value === net.network || value === net.broadcast)) {
        throw new InfraFluxError(
          ErrorCode.VIP_NOT_HOST_ADDRESS,
          this,
          `controlPlaneVip ${vip} is the ${value === net.network ? 'network' : 'broadcast'} address of ${range}; use a host address from ${numberToIpv4(net.network + 1)} to ${numberToIpv4(net.broadcast - 1)}`,
        );
      }
    });
    if (vip === fixed.gateway) {
      throw new InfraFluxError(ErrorCode.VIP_IS_GATEWAY, this, `controlPlaneVip ${vip} is addressing.gateway; use a free address of the node network, not the router's`);
    }
    const nodes = [
      ...fixed.controlPlane.map((a, i) => ({ what: `addressing.controlPlane[${i}]`, cidr: a })),
      ...(fixed.workers ?? []).map((a, i) => ({ what: `addressing.workers[${i}]`, cidr: a })),
    ];
    const taken = nodes.find((n) => n.cidr.split('/')[0] === vip);
    if (taken) {
      throw new InfraFluxError(
        ErrorCode.VIP_IS_NODE_ADDRESS,
        this,
        `controlPlaneVip ${vip} is the address of ${taken.what} (${taken.cidr}); the VIP moves between control planes and must be an address no node owns`,
      );
    }
    return vip;
  }

  private exactVersion(what: string, value: string): string {
    if (!/^v\d+\.\d+\.\d+$/.test(value)) throw new InfraFluxError(ErrorCode.UNSUPPORTED_VERSION, this, `${what} "${value}" is not an exact version like v1.12.11`);
    return value;
  }
}

/**
 * The node's static hostname as a Talos `HostnameConfig` document. Talos ≥ 1.12 generates
 * `HostnameConfig { auto: stable }` and removed `machine.network.hostname` from the schema (setting
 * both is rejected), so the patch switches `auto` off and sets the name.
 * @see https://docs.siderolabs.com/talos/v1.12/reference/configuration/network/hostnameconfig
 */
function hostnamePatch(hostname: string): string {
  return stringify({ apiVersion: 'v1alpha1', kind: 'HostnameConfig', auto: 'off', hostname });
}

/** Talos config contract (`v1.12`) of a release (`v1.12.11`). */
function contract(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}
