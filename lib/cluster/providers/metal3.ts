import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import * as metal3 from '../../../imports/capi-metal3-infrastructure.cluster.x-k8s.io';
import * as bmo from '../../../imports/capi-metal3-metal3.io';
import { invalidProp } from '../../core/errors';
import { TalosConfigPatch } from '../../talos/cilium-machine-config';
import { ClassVariant, ClusterProvider, NodeRole } from '../cluster-class';
import { SecretReference } from '../../secrets/secret-reference';
import { MachineSize } from '../machine';
import { addressInside, ObjectRef, ProviderContext, ProviderStrategy, refOf, requireKind, requireText } from './_strategy';

/** One bare-metal host of the inventory (a BareMetalHost). */
export interface BareMetalHostProps {
  /** Host name (the BareMetalHost's name). */
  readonly name: string;
  /** BMC address, e.g. `redfish-virtualmedia://10.0.0.10/redfish/v1/Systems/1`. */
  readonly bmcAddress: string;
  /** MAC address of the NIC the host boots from. */
  readonly bootMacAddress: string;
  /** BMC credentials Secret (`username`, `password`) in the cluster's namespace, by reference. */
  readonly bmcCredentials: SecretReference;
  /** Which machines may claim the host. */
  readonly role: NodeRole;
  /**
   * Further labels host selectors can match.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

export interface Metal3ImageProps {
  /** URL of the Talos metal image (raw). */
  readonly url: string;
  /** URL of its checksum or the checksum itself. */
  readonly checksum: string;
  /**
   * @default 'sha256'
   */
  readonly checksumType?: string;
}

export interface Metal3InputsProps {
  /** The host inventory: at least as many control-plane and worker hosts as the cluster needs. */
  readonly hosts: readonly BareMetalHostProps[];
  /** The Talos image the Baremetal Operator writes to disk. */
  readonly image: Metal3ImageProps;
  /** Control-plane endpoint: a free address in the node CIDR, announced by Talos as a layer-2 VIP. */
  readonly controlPlaneEndpoint: string;
  /** Link that carries the VIP on control-plane hosts (e.g. `eno1`; hardware-specific). */
  readonly vipLink: string;
}

/** Label every BareMetalHost gets with its role; machine templates select on it. */
export const HOST_ROLE_LABEL = 'infraflux.io/host-role';

/** @internal The Metal3 provider strategy behind `InfrastructureInputs.metal3()`. */
export class Metal3ProviderStrategy extends ProviderStrategy {
  public readonly provider = ClusterProvider.METAL3;
  // Machine names become hostnames (63).
  public readonly _maxClusterNameLength = 63;
  public constructor(private readonly props: Metal3InputsProps) {
    super();
  }
  public _validate(ctx: ProviderContext): void {
    const hosts = this.props.hosts ?? [];
    if (hosts.length === 0) invalidProp(ctx.owner, 'Metal3 input "hosts" is missing; give the BareMetalHost inventory');
    const cp = hosts.filter((h) => h.role === NodeRole.CONTROL_PLANE).length;
    if (cp < ctx.controlPlaneCount) {
      invalidProp(ctx.owner, `Metal3 inventory has ${cp} control-plane host(s) but the cluster needs ${ctx.controlPlaneCount}; add hosts with role NodeRole.CONTROL_PLANE`);
    }
    const workersNeeded = [...ctx.workerCounts.values()].reduce((a, b) => a + b, 0);
    const workers = hosts.filter((h) => h.role === NodeRole.WORKER).length;
    if (workers < workersNeeded) {
      invalidProp(ctx.owner, `Metal3 inventory has ${workers} worker host(s) but the worker pools need ${workersNeeded}; add hosts with role NodeRole.WORKER`);
    }
    const names = new Set<string>();
    for (const h of hosts) {
      if (names.has(h.name)) invalidProp(ctx.owner, `Metal3 host name "${h.name}" is used twice; host names must be unique`);
      names.add(h.name);
      if (!/^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/.test(h.bootMacAddress)) invalidProp(ctx.owner, `Metal3 host "${h.name}" bootMacAddress "${h.bootMacAddress}" is not a MAC address`);
      requireText(ctx.owner, 'Metal3', `hosts[${h.name}].bmcAddress`, h.bmcAddress);
      if (h.bmcCredentials.namespace !== ctx.namespace) {
        invalidProp(ctx.owner, `Metal3 host "${h.name}" BMC secret namespace "${h.bmcCredentials.namespace}" must be the cluster namespace "${ctx.namespace}" (BareMetalHost reads credentials from its own namespace)`);
      }
      h.bmcCredentials.use(ctx.owner, `BMC credentials of ${h.name}`);
    }
    requireText(ctx.owner, 'Metal3', 'image.url', this.props.image?.url);
    requireText(ctx.owner, 'Metal3', 'image.checksum', this.props.image?.checksum);
    requireText(ctx.owner, 'Metal3', 'vipLink', this.props.vipLink);
    requireText(ctx.owner, 'Metal3', 'controlPlaneEndpoint', this.props.controlPlaneEndpoint);
    addressInside(ctx.owner, 'Metal3 controlPlaneEndpoint', this.props.controlPlaneEndpoint, ctx.nodeCidr, ctx.nodeCidrText);
  }
  public _checkMachine(owner: IConstruct, what: string, machine: MachineSize): void {
    requireKind(owner, 'Metal3', machine, 'bareMetal', what, "MachineSize.bareMetal({ 'infraflux.io/host-role': 'worker' })");
  }
  public _secretProducers(): IConstruct[] {
    return this.props.hosts.flatMap((h) => (h.bmcCredentials.producer ? [h.bmcCredentials.producer] : []));
  }
  public _defaultMachine(_variant: ClassVariant, role: NodeRole): MachineSize {
    return MachineSize.bareMetal({ [HOST_ROLE_LABEL]: role.name });
  }
  public _controlPlaneDocuments(_ctx: ProviderContext): TalosConfigPatch[] {
    return [{ apiVersion: 'v1alpha1', kind: 'Layer2VIPConfig', name: this.props.controlPlaneEndpoint, link: this.props.vipLink }];
  }
  public _renderCluster(ctx: ProviderContext, template?: string): ObjectRef {
    for (const h of this.props.hosts) {
      new bmo.BareMetalHost(ctx.scope, `Host-${h.name}`, {
        metadata: { name: h.name, namespace: ctx.namespace, labels: { ...ctx.labels, ...(h.labels ?? {}), [HOST_ROLE_LABEL]: h.role.name } },
        spec: {
          online: true,
          bootMacAddress: h.bootMacAddress,
          bootMode: bmo.BareMetalHostSpecBootMode.UEFI,
          automatedCleaningMode: bmo.BareMetalHostSpecAutomatedCleaningMode.METADATA,
          bmc: { address: h.bmcAddress, credentialsName: h.bmcCredentials.name },
        },
      });
    }
    const spec: metal3.Metal3ClusterSpec = { controlPlaneEndpoint: { host: this.props.controlPlaneEndpoint, port: 6443 }, cloudProviderEnabled: false };
    if (template !== undefined) {
      // The template's spec has the same schema as the cluster's (the generated enum types differ by name only).
      const templateSpec = spec as unknown as metal3.Metal3ClusterTemplateSpecTemplateSpec;
      return refOf(new metal3.Metal3ClusterTemplate(ctx.scope, 'InfraClusterTemplate', {
        metadata: { name: ctx.templateName(metal3.Metal3ClusterTemplate.GVK.kind, template, templateSpec), namespace: ctx.namespace, labels: { ...ctx.labels } },
        spec: { template: { spec: templateSpec } },
      }));
    }
    return refOf(new metal3.Metal3Cluster(ctx.scope, 'InfraCluster', { metadata: { name: ctx.clusterName, namespace: ctx.namespace, labels: { ...ctx.labels } }, spec }));
  }
  private readonly dataTemplates = new WeakMap<Construct, Map<string, ApiObject>>();
  public _renderMachineTemplate(ctx: ProviderContext, id: string, baseName: string, role: NodeRole, machine: MachineSize): ObjectRef {
    const perCluster = this.dataTemplates.get(ctx.scope) ?? new Map<string, ApiObject>();
    this.dataTemplates.set(ctx.scope, perCluster);
    let data = perCluster.get(role.name);
    if (!data) {
      data = new metal3.Metal3DataTemplate(ctx.scope, `DataTemplate-${role.name}`, {
        metadata: { name: `${ctx.clusterName}-${role.name}`, namespace: ctx.namespace, labels: { ...ctx.labels } },
        spec: {
          clusterName: ctx.clusterName,
          // Talos takes its hostname from the metadata `local-hostname` (the Machine name).
          metaData: { objectNames: [{ key: 'local-hostname', object: metal3.Metal3DataTemplateSpecMetaDataObjectNamesObject.MACHINE }] },
        },
      });
      perCluster.set(role.name, data);
    }
    const spec: metal3.Metal3MachineTemplateSpecTemplateSpec = {
      image: {
        url: this.props.image.url,
        checksum: this.props.image.checksum,
        checksumType: (this.props.image.checksumType ?? 'sha256') as metal3.Metal3MachineTemplateSpecTemplateSpecImageChecksumType,
        format: metal3.Metal3MachineTemplateSpecTemplateSpecImageFormat.RAW,
      },
      hostSelector: { matchLabels: { ...(machine.hostLabels ?? {}) } },
      dataTemplate: { name: data.name },
      automatedCleaningMode: metal3.Metal3MachineTemplateSpecTemplateSpecAutomatedCleaningMode.METADATA,
    };
    const t = new metal3.Metal3MachineTemplate(ctx.scope, id, {
      metadata: { name: ctx.templateName(metal3.Metal3MachineTemplate.GVK.kind, baseName, spec), namespace: ctx.namespace, labels: { ...ctx.labels } },
      spec: { template: { spec } },
    });
    return refOf(t);
  }
}
