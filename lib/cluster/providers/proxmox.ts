import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import * as ipam from '../../../imports/capi-ipam-ipam.cluster.x-k8s.io';
import * as proxmox from '../../../imports/capi-proxmox-infrastructure.cluster.x-k8s.io';
import { invalidProp } from '../../core/errors';
import { TalosConfigPatch } from '../../talos/cilium-machine-config';
import { ClassVariant, ClusterProvider, NodeRole } from '../cluster-class';
import { SecretReference } from '../../secrets/secret-reference';
import { MachineSize } from '../machine';
import { addressInside, ObjectRef, ProviderContext, ProviderStrategy, refOf, requireKind, requireText } from './_strategy';

/** A second node network (e.g. storage), addressed from an `InClusterIPPool`. */
export interface ProxmoxSecondaryNetworkProps {
  /** Proxmox bridge, e.g. `vmbr1`. */
  readonly bridge: string;
  /** @default - untagged */
  readonly vlan?: number;
  /** Addresses (single IPs, `a-b` ranges or CIDRs) the pool hands out. */
  readonly addresses: readonly string[];
  /** Prefix length of the network. */
  readonly prefix: number;
}

export interface ProxmoxInputsProps {
  /** Proxmox nodes VMs may be placed on. */
  readonly nodes: readonly string[];
  /** VM id of the Talos (nocloud) template to clone. */
  readonly templateId: number;
  /**
   * Node that holds the template.
   * @default - the first of `nodes`
   */
  readonly sourceNode?: string;
  /**
   * Control-plane endpoint: a free address in the node CIDR, announced by Talos as a layer-2 VIP.
   */
  readonly controlPlaneEndpoint: string;
  /** Node addresses CAPMOX assigns (single IPs, `a-b` ranges or CIDRs inside the node CIDR). */
  readonly nodeAddresses: readonly string[];
  /** Default gateway of the node network. */
  readonly gateway: string;
  /** DNS servers of the nodes. */
  readonly dnsServers: readonly string[];
  /** Proxmox credentials Secret (`url`, `token`, `secret`) created by a SealedSecret or ExternalSecret. */
  readonly credentials: SecretReference;
  /**
   * Bridge of the node network.
   * @default 'vmbr0'
   */
  readonly bridge?: string;
  /**
   * Link that carries the VIP on control-plane nodes (Talos predictable name of the first virtio NIC).
   * @default 'ens18'
   */
  readonly vipLink?: string;
  /**
   * A second network with its own `InClusterIPPool` (storage, replication).
   * @default - none
   */
  readonly secondaryNetwork?: ProxmoxSecondaryNetworkProps;
}

/** @internal The Proxmox provider strategy behind `InfrastructureInputs.proxmox()`. */
export class ProxmoxProviderStrategy extends ProviderStrategy {
  public readonly provider = ClusterProvider.PROXMOX;
  // VM names are the Machine names (`<cluster>-<pool>-<hash>-<random>`), which Proxmox and Talos
  // use as hostnames (63).
  public readonly _maxClusterNameLength = 63;
  public constructor(private readonly props: ProxmoxInputsProps) {
    super();
  }
  public _validate(ctx: ProviderContext): void {
    if (!this.props.nodes || this.props.nodes.length === 0) {
      invalidProp(ctx.owner, 'Proxmox input "nodes" is missing; name at least one Proxmox node VMs may run on');
    }
    if (this.props.templateId === undefined || !Number.isInteger(this.props.templateId) || this.props.templateId < 100) {
      invalidProp(ctx.owner, `Proxmox input "templateId" ${String(this.props.templateId)} is missing or invalid; give the VM id (>= 100) of the Talos template`);
    }
    requireText(ctx.owner, 'Proxmox', 'controlPlaneEndpoint', this.props.controlPlaneEndpoint);
    addressInside(ctx.owner, 'Proxmox controlPlaneEndpoint', this.props.controlPlaneEndpoint, ctx.nodeCidr, ctx.nodeCidrText);
    addressInside(ctx.owner, 'Proxmox gateway', this.props.gateway, ctx.nodeCidr, ctx.nodeCidrText);
    if (!this.props.nodeAddresses || this.props.nodeAddresses.length === 0) invalidProp(ctx.owner, 'Proxmox input "nodeAddresses" is missing; give the addresses CAPMOX may assign');
    for (const range of this.props.nodeAddresses) {
      for (const end of range.includes('/') ? [] : range.split('-')) addressInside(ctx.owner, 'Proxmox nodeAddresses entry', end, ctx.nodeCidr, ctx.nodeCidrText);
    }
    if (!this.props.dnsServers || this.props.dnsServers.length === 0) invalidProp(ctx.owner, 'Proxmox input "dnsServers" is missing; give at least one DNS server');
    if (!this.props.credentials) invalidProp(ctx.owner, 'Proxmox input "credentials" is missing; give a SealedSecret or ExternalSecret reference');
    this.props.credentials.use(ctx.owner, 'Proxmox credentials');
  }
  public _checkMachine(owner: IConstruct, what: string, machine: MachineSize): void {
    requireKind(owner, 'Proxmox', machine, 'virtual', what, 'MachineSize.virtual({ cores, memoryMiB, diskGiB })');
    const vm = machine.vm!;
    if (!Number.isInteger(vm.cores) || vm.cores < 1) invalidProp(owner, `${what} cores ${vm.cores} is invalid; use 1 or more`);
    if (!Number.isInteger(vm.memoryMiB) || vm.memoryMiB < 2048) invalidProp(owner, `${what} memoryMiB ${vm.memoryMiB} is below the Talos minimum; use 2048 or more`);
    if (!Number.isInteger(vm.diskGiB) || vm.diskGiB < 10) invalidProp(owner, `${what} diskGiB ${vm.diskGiB} is below the Talos minimum; use 10 or more`);
  }
  public _secretProducers(): IConstruct[] {
    return this.props.credentials.producer ? [this.props.credentials.producer] : [];
  }
  public _defaultMachine(variant: ClassVariant, role: NodeRole): MachineSize {
    if (variant === ClassVariant.PROD) return MachineSize.virtual(role === NodeRole.CONTROL_PLANE ? { cores: 4, memoryMiB: 8192, diskGiB: 50 } : { cores: 8, memoryMiB: 16384, diskGiB: 100 });
    if (variant === ClassVariant.EDGE) return MachineSize.virtual({ cores: 2, memoryMiB: 4096, diskGiB: 20 });
    return MachineSize.virtual({ cores: 2, memoryMiB: 4096, diskGiB: 40 });
  }
  public _controlPlaneDocuments(_ctx: ProviderContext): TalosConfigPatch[] {
    return [{ apiVersion: 'v1alpha1', kind: 'Layer2VIPConfig', name: this.props.controlPlaneEndpoint, link: this.props.vipLink ?? 'ens18' }];
  }
  private readonly secondaryPools = new WeakMap<Construct, ApiObject>();
  public _renderCluster(ctx: ProviderContext, template?: string): ObjectRef {
    const second = this.props.secondaryNetwork;
    if (second) {
      this.secondaryPools.set(ctx.scope, new ipam.InClusterIpPoolV1Alpha2(ctx.scope, 'SecondaryPool', {
        metadata: { name: `${ctx.clusterName}-secondary`, namespace: ctx.namespace, labels: { ...ctx.labels } },
        spec: { addresses: [...second.addresses], prefix: second.prefix },
      }));
    }
    const spec: proxmox.ProxmoxClusterV1Alpha2Spec = {
      controlPlaneEndpoint: { host: this.props.controlPlaneEndpoint, port: 6443 },
      dnsServers: [...this.props.dnsServers],
      ipv4Config: { addresses: [...this.props.nodeAddresses], prefix: ctx.nodeCidr.prefix, gateway: this.props.gateway },
      allowedNodes: [...this.props.nodes],
      credentialsRef: { name: this.props.credentials.name, namespace: this.props.credentials.namespace },
    };
    if (template !== undefined) {
      // The template's spec has the same schema as the cluster's (the generated enum types differ by name only).
      const templateSpec = spec as unknown as proxmox.ProxmoxClusterTemplateV1Alpha2SpecTemplateSpec;
      return refOf(new proxmox.ProxmoxClusterTemplateV1Alpha2(ctx.scope, 'InfraClusterTemplate', {
        metadata: { name: ctx.templateName(proxmox.ProxmoxClusterTemplateV1Alpha2.GVK.kind, template, templateSpec), namespace: ctx.namespace, labels: { ...ctx.labels } },
        spec: { template: { spec: templateSpec } },
      }));
    }
    return refOf(new proxmox.ProxmoxClusterV1Alpha2(ctx.scope, 'InfraCluster', { metadata: { name: ctx.clusterName, namespace: ctx.namespace, labels: { ...ctx.labels } }, spec }));
  }
  public _renderMachineTemplate(ctx: ProviderContext, id: string, baseName: string, _role: NodeRole, machine: MachineSize): ObjectRef {
    const vm = machine.vm!;
    const second = this.props.secondaryNetwork;
    const pool = this.secondaryPools.get(ctx.scope);
    const spec: proxmox.ProxmoxMachineTemplateV1Alpha2SpecTemplateSpec = {
      sourceNode: this.props.sourceNode ?? this.props.nodes[0],
      templateId: this.props.templateId,
      full: true,
      numSockets: 1,
      numCores: vm.cores,
      memoryMiB: vm.memoryMiB,
      disks: { bootVolume: { disk: 'scsi0', sizeGb: vm.diskGiB } },
      network: {
        networkDevices: [
          { name: 'net0', bridge: this.props.bridge ?? 'vmbr0', model: proxmox.ProxmoxMachineTemplateV1Alpha2SpecTemplateSpecNetworkNetworkDevicesModel.VIRTIO, defaultIPv4: true },
          ...(second && pool
            ? [
                {
                  name: 'net1',
                  bridge: second.bridge,
                  model: proxmox.ProxmoxMachineTemplateV1Alpha2SpecTemplateSpecNetworkNetworkDevicesModel.VIRTIO,
                  ...(second.vlan ? { vlan: second.vlan } : {}),
                  ipPoolRef: [{ apiGroup: 'ipam.cluster.x-k8s.io', kind: pool.kind, name: pool.name }],
                },
              ]
            : []),
        ],
      },
      // Talos has no cloud-init; CAPMOX must not wait for its status.
      checks: { skipCloudInitStatus: true },
      metadataSettings: { providerIdInjection: true },
    };
    const t = new proxmox.ProxmoxMachineTemplateV1Alpha2(ctx.scope, id, {
      metadata: { name: ctx.templateName(proxmox.ProxmoxMachineTemplateV1Alpha2.GVK.kind, baseName, spec), namespace: ctx.namespace, labels: { ...ctx.labels } },
      spec: { template: { spec } },
    });
    return refOf(t);
  }
}
