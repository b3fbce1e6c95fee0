import { createHash } from 'node:crypto';
import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import * as aws from '../../imports/capi-aws-infrastructure.cluster.x-k8s.io';
import * as azure from '../../imports/capi-azure-infrastructure.cluster.x-k8s.io';
import * as gcp from '../../imports/capi-gcp-infrastructure.cluster.x-k8s.io';
import * as ipam from '../../imports/capi-ipam-ipam.cluster.x-k8s.io';
import * as metal3 from '../../imports/capi-metal3-infrastructure.cluster.x-k8s.io';
import * as bmo from '../../imports/capi-metal3-metal3.io';
import * as proxmox from '../../imports/capi-proxmox-infrastructure.cluster.x-k8s.io';
import { invalidProp } from '../core/errors';
import { TalosConfigPatch } from '../talos/cilium-machine-config';
import { Cidr, ParsedCidr } from './cidr';
import { CiliumDatapath } from './cilium-datapath';
import { ClassVariant, ClusterProvider, NodeRole } from './cluster-class';
import { SecretReference } from './credentials';
import { MachineSize } from './machine';

/** A typed reference to an emitted object (Cluster API v1beta2 refs use `apiGroup`). */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly apiGroup: string;
  readonly kind: string;
  readonly name: string;
}

/** @internal What a provider needs to render a cluster's infrastructure. */
export interface ProviderContext {
  /** Scope the objects are created in (the cluster's manifest folder). */
  readonly scope: Construct;
  /** The TalosCluster, for error paths. */
  readonly owner: IConstruct;
  readonly clusterName: string;
  readonly namespace: string;
  readonly nodeCidr: ParsedCidr;
  readonly nodeCidrText: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly variant: ClassVariant;
  readonly controlPlaneCount: number;
  /** Worker replicas per pool name (max when autoscaled), for host-inventory checks. */
  readonly workerCounts: ReadonlyMap<string, number>;
  /** The cluster's Cilium datapath (what node-to-node traffic the firewall must allow). */
  readonly datapath: CiliumDatapath;
  /** Name of a template of `kind`: base + hash of its spec and of the class patches for the kind. */
  readonly templateName: (kind: string, baseName: string, spec: unknown) => string;
}

/** @internal Group of every infrastructure kind emitted here. */
export const INFRA_GROUP = 'infrastructure.cluster.x-k8s.io';

function refOf(obj: ApiObject): ObjectRef {
  const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
  return { apiVersion: obj.apiVersion, apiGroup: group, kind: obj.kind, name: obj.name };
}

/**
 * @internal `<base>-<hash>`: templates are immutable in Cluster API, so a changed spec gets a new
 * name and the owner (TalosControlPlane, MachineDeployment) rolls its machines to it.
 */
export function rotatingName(base: string, spec: unknown): string {
  const hash = createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 8);
  return `${base}-${hash}`;
}

function requireText(owner: IConstruct, provider: string, what: string, value: string | undefined): string {
  if (value === undefined || value.trim() === '') {
    invalidProp(owner, `${provider} input "${what}" is missing; the ${provider} provider needs it`);
  }
  return value;
}

function requireKind(owner: IConstruct, provider: string, machine: MachineSize, kind: MachineSize['_kind'], what: string, hint: string): void {
  if (machine._kind !== kind) {
    invalidProp(owner, `${what} is a ${machine.toString()}, which ${provider} cannot use; use ${hint}`);
  }
}

function addressInside(owner: IConstruct, what: string, address: string, cidr: ParsedCidr, cidrText: string): void {
  const parsed = Cidr._address(address);
  if (!parsed) invalidProp(owner, `${what} "${address}" is not an IP address`);
  const asCidr: ParsedCidr = { family: parsed.family, network: parsed.value, prefix: parsed.family === 4 ? 32 : 128 };
  if (!Cidr._contains(cidr, asCidr)) {
    invalidProp(owner, `${what} "${address}" is outside the node CIDR ${cidrText}; use an address inside it`);
  }
}

/** Splits a CIDR into its two halves (prefix + 1). */
function halves(cidr: ParsedCidr): [string, string] {
  const bits = cidr.family === 4 ? 32 : 128;
  const next = cidr.prefix + 1;
  const upper: ParsedCidr = { ...cidr, prefix: next, network: cidr.network | (1n << BigInt(bits - next)) };
  return [Cidr._canonical({ ...cidr, prefix: next }), Cidr._canonical(upper)];
}

/**
 * The provider-specific inputs of a cluster (the "provider variables" of a class): region, zones,
 * network, images, credentials by reference. One static factory per provider; the cluster's class
 * must be for the same provider.
 */
export abstract class InfrastructureInputs {
  /** AWS (CAPA). */
  public static aws(props: AwsInputsProps): InfrastructureInputs {
    return new AwsInputs(props);
  }
  /** Azure (CAPZ). */
  public static azure(props: AzureInputsProps): InfrastructureInputs {
    return new AzureInputs(props);
  }
  /** GCP (CAPG). */
  public static gcp(props: GcpInputsProps): InfrastructureInputs {
    return new GcpInputs(props);
  }
  /** Proxmox VE (CAPMOX) with in-cluster IPAM. */
  public static proxmox(props: ProxmoxInputsProps): InfrastructureInputs {
    return new ProxmoxInputs(props);
  }
  /** Bare metal (CAPM3 + Baremetal Operator). */
  public static metal3(props: Metal3InputsProps): InfrastructureInputs {
    return new Metal3Inputs(props);
  }

  public abstract readonly provider: ClusterProvider;

  /** @internal Longest cluster name the provider's generated resource names allow. */
  public abstract readonly _maxClusterNameLength: number;

  /** @internal Checks the inputs for `ctx` (required inputs, addresses inside the node CIDR). */
  public abstract _validate(ctx: ProviderContext): void;

  /**
   * @internal Emits the infrastructure cluster (and identities, pools, hosts); returns its ref.
   * With `template` (a base name), emits the provider's `<Kind>ClusterTemplate` named
   * `<template>-<hash>` instead, for a Cluster API ClusterClass.
   */
  public abstract _renderCluster(ctx: ProviderContext, template?: string): ObjectRef;

  /**
   * @internal JSON-patch paths in the infrastructure cluster template that hold the node CIDR as
   * one string (set by the ClusterClass variable `nodeCidr`); empty when the provider derives more
   * than one value from it (Azure subnets) or has no such field (Proxmox, Metal3).
   */
  public _nodeCidrTemplatePaths(): string[] {
    return [];
  }

  /** @internal Checks the inputs can be expressed as a ClusterClass template (fields the template kind lacks). */
  public _validateForTemplate(_ctx: ProviderContext): void {}

  /** @internal Emits one machine template; returns its ref. */
  public abstract _renderMachineTemplate(ctx: ProviderContext, id: string, baseName: string, role: NodeRole, machine: MachineSize, failureDomain?: string): ObjectRef;

  /** @internal Default node size per variant and role. */
  public abstract _defaultMachine(variant: ClassVariant, role: NodeRole): MachineSize;

  /** @internal Extra Talos documents for control-plane nodes (e.g. the endpoint VIP). */
  public _controlPlaneDocuments(_ctx: ProviderContext): TalosConfigPatch[] {
    return [];
  }

  /** @internal Checks a machine size is one this provider can use. */
  public abstract _checkMachine(owner: IConstruct, what: string, machine: MachineSize): void;

  /** @internal Secret producers to wait for (SealedSecret/ExternalSecret constructs). */
  public abstract _secretProducers(): IConstruct[];

  /** @internal Extra naming rules of the provider (GCE names start with a letter). */
  public _checkName(_owner: IConstruct, _name: string): void {}
}

// ---------------------------------------------------------------------------------------------
// AWS

/** How CAPA authenticates to AWS for a cluster. */
export class AwsIdentity {
  /**
   * The CAPA controller's own credentials (instance profile / IRSA): the cluster-scoped
   * `AWSClusterControllerIdentity` named `default`, which CAPA creates itself. No secret at all.
   * @see https://cluster-api-aws.sigs.k8s.io/topics/multitenancy#awsclustercontrolleridentity
   */
  public static controller(): AwsIdentity {
    return new AwsIdentity(undefined);
  }
  /**
   * Static access keys from a Secret (keys `AccessKeyID`, `SecretAccessKey`) in CAPA's namespace
   * `capa-system`, created by a SealedSecret or ExternalSecret. Emits an `AWSClusterStaticIdentity`.
   * @see https://cluster-api-aws.sigs.k8s.io/topics/multitenancy#awsclusterstaticidentity
   */
  public static staticCredentials(secret: SecretReference): AwsIdentity {
    return new AwsIdentity(secret);
  }
  private constructor(public readonly secret: SecretReference | undefined) {}
}

export interface AwsInputsProps {
  /** AWS region, e.g. `eu-central-1`. */
  readonly region: string;
  /**
   * The Talos AMI of `region` (from the Talos release's `cloud-images.json`).
   * @see https://www.talos.dev/v1.12/talos-guides/install/cloud-platforms/aws/
   */
  readonly amiId: string;
  /**
   * Identity CAPA uses.
   * @default AwsIdentity.controller()
   */
  readonly identity?: AwsIdentity;
  /**
   * Availability zones to spread over (count of zones CAPA creates subnets in).
   * @default 3
   */
  readonly availabilityZoneCount?: number;
  /**
   * API server load balancer reachable only inside the VPC.
   * @default false - internet-facing, so the management cluster can reach it
   */
  readonly internalApiServer?: boolean;
}

/** CAPA's namespace, where static identity secrets must live. */
export const CAPA_NAMESPACE = 'capa-system';

class AwsInputs extends InfrastructureInputs {
  public readonly provider = ClusterProvider.AWS;
  // CAPA names the control-plane load balancer `<cluster>-apiserver` and hashes it past 32
  // characters; the cluster name itself becomes a tag and a label value (63).
  public readonly _maxClusterNameLength = 63;
  public constructor(private readonly props: AwsInputsProps) {
    super();
  }
  public _validate(ctx: ProviderContext): void {
    requireText(ctx.owner, 'AWS', 'region', this.props.region);
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(this.props.region)) {
      invalidProp(ctx.owner, `AWS region "${this.props.region}" is not an AWS region name; use e.g. eu-central-1`);
    }
    requireText(ctx.owner, 'AWS', 'amiId', this.props.amiId);
    if (!/^ami-[0-9a-f]{8,17}$/.test(this.props.amiId)) invalidProp(ctx.owner, `AWS amiId "${this.props.amiId}" is not an AMI id; use ami-<hex>`);
    const secret = this.props.identity?.secret;
    if (secret && secret.namespace !== CAPA_NAMESPACE) {
      invalidProp(ctx.owner, `AWS static identity secret namespace "${secret.namespace}" must be "${CAPA_NAMESPACE}" (CAPA reads identity secrets from its own namespace)`);
    }
    const zones = this.props.availabilityZoneCount ?? 3;
    if (!Number.isInteger(zones) || zones < 1 || zones > 6) invalidProp(ctx.owner, `AWS availabilityZoneCount ${zones} is out of range; use 1-6`);
  }
  public _nodeCidrTemplatePaths(): string[] {
    return ['/spec/template/spec/network/vpc/cidrBlock'];
  }
  public _checkMachine(owner: IConstruct, what: string, machine: MachineSize): void {
    requireKind(owner, 'AWS', machine, 'instanceType', what, "MachineSize.instanceType('m6i.large')");
  }
  public _secretProducers(): IConstruct[] {
    const p = this.props.identity?.secret?.producer;
    return p ? [p] : [];
  }
  public _defaultMachine(variant: ClassVariant, role: NodeRole): MachineSize {
    if (variant === ClassVariant.PROD) return MachineSize.instanceType(role === NodeRole.CONTROL_PLANE ? 'm6i.xlarge' : 'm6i.2xlarge');
    if (variant === ClassVariant.EDGE) return MachineSize.instanceType('t3.large');
    return MachineSize.instanceType('m6i.large');
  }
  public _renderCluster(ctx: ProviderContext, template?: string): ObjectRef {
    const secret = this.props.identity?.secret;
    let identityRef: aws.AwsClusterV1Beta2SpecIdentityRef;
    if (secret) {
      const identity = new aws.AwsClusterStaticIdentityV1Beta2(ctx.scope, 'Identity', {
        metadata: { name: `${ctx.namespace}-${ctx.clusterName}`, labels: { ...ctx.labels } },
        spec: { secretRef: secret.name, allowedNamespaces: { list: [ctx.namespace] } },
      });
      identityRef = { kind: aws.AwsClusterV1Beta2SpecIdentityRefKind.AWS_CLUSTER_STATIC_IDENTITY, name: identity.name };
    } else {
      identityRef = { kind: aws.AwsClusterV1Beta2SpecIdentityRefKind.AWS_CLUSTER_CONTROLLER_IDENTITY, name: 'default' };
    }
    const spec: aws.AwsClusterV1Beta2Spec = {
      region: this.props.region,
      identityRef,
      network: {
        vpc: { cidrBlock: ctx.nodeCidrText, availabilityZoneUsageLimit: this.props.availabilityZoneCount ?? 3 },
        // Cilium instead of CAPA's default (Calico) CNI rules, derived from the cluster's datapath
        // (tunnel port or none, WireGuard / IPsec).
        // https://docs.cilium.io/en/stable/operations/system_requirements/#firewall-rules
        cni: { cniIngressRules: ctx.datapath.nodeRules().map((r) => ({ ...r })) },
        // Talos: apid (50000) for the control-plane provider and talosctl inside the VPC; trustd
        // (50001), which worker nodes use to get their certificates from the control plane.
        // https://docs.siderolabs.com/talos/v1.12/learn-more/talos-network-connectivity
        additionalControlPlaneIngressRules: [
          { description: 'talos apid', protocol: aws.AwsClusterV1Beta2SpecNetworkAdditionalControlPlaneIngressRulesProtocol.TCP, fromPort: 50000, toPort: 50000, cidrBlocks: [ctx.nodeCidrText] },
          { description: 'talos trustd', protocol: aws.AwsClusterV1Beta2SpecNetworkAdditionalControlPlaneIngressRulesProtocol.TCP, fromPort: 50001, toPort: 50001, cidrBlocks: [ctx.nodeCidrText] },
        ],
      },
      controlPlaneLoadBalancer: {
        loadBalancerType: aws.AwsClusterV1Beta2SpecControlPlaneLoadBalancerLoadBalancerType.NLB,
        scheme: this.props.internalApiServer
          ? aws.AwsClusterV1Beta2SpecControlPlaneLoadBalancerScheme.INTERNAL
          : aws.AwsClusterV1Beta2SpecControlPlaneLoadBalancerScheme.INTERNET_HYPHEN_FACING,
        healthCheckProtocol: aws.AwsClusterV1Beta2SpecControlPlaneLoadBalancerHealthCheckProtocol.TCP,
      },
    };
    if (template !== undefined) {
      // The template's spec has the same schema as the cluster's (the generated enum types differ by name only).
      const templateSpec = spec as unknown as aws.AwsClusterTemplateV1Beta2SpecTemplateSpec;
      return refOf(new aws.AwsClusterTemplateV1Beta2(ctx.scope, 'InfraClusterTemplate', {
        metadata: { name: ctx.templateName(aws.AwsClusterTemplateV1Beta2.GVK.kind, template, templateSpec), namespace: ctx.namespace, labels: { ...ctx.labels } },
        spec: { template: { spec: templateSpec } },
      }));
    }
    return refOf(new aws.AwsClusterV1Beta2(ctx.scope, 'InfraCluster', { metadata: { name: ctx.clusterName, namespace: ctx.namespace, labels: { ...ctx.labels } }, spec }));
  }
  public _renderMachineTemplate(ctx: ProviderContext, id: string, baseName: string, role: NodeRole, machine: MachineSize): ObjectRef {
    const spec: aws.AwsMachineTemplateV1Beta2SpecTemplateSpec = {
      instanceType: machine.instanceTypeName!,
      ami: { id: this.props.amiId },
      iamInstanceProfile: role === NodeRole.CONTROL_PLANE ? 'control-plane.cluster-api-provider-aws.sigs.k8s.io' : 'nodes.cluster-api-provider-aws.sigs.k8s.io',
      // Talos reads its machine config from plain user data: no Secrets Manager boothook, no gzip.
      cloudInit: { insecureSkipSecretsManager: true },
      uncompressedUserData: true,
      rootVolume: { size: role === NodeRole.CONTROL_PLANE ? 50 : 100, type: 'gp3', encrypted: true },
      instanceMetadataOptions: {
        httpTokens: aws.AwsMachineTemplateV1Beta2SpecTemplateSpecInstanceMetadataOptionsHttpTokens.REQUIRED,
        httpEndpoint: aws.AwsMachineTemplateV1Beta2SpecTemplateSpecInstanceMetadataOptionsHttpEndpoint.ENABLED,
        httpPutResponseHopLimit: 2,
      },
      publicIp: false,
    };
    const t = new aws.AwsMachineTemplateV1Beta2(ctx.scope, id, {
      metadata: { name: ctx.templateName(aws.AwsMachineTemplateV1Beta2.GVK.kind, baseName, spec), namespace: ctx.namespace, labels: { ...ctx.labels } },
      spec: { template: { spec } },
    });
    return refOf(t);
  }
}

// ---------------------------------------------------------------------------------------------
// Azure

export interface AzureServicePrincipalProps {
  /** Application (client) id. Not a secret. */
  readonly clientId: string;
  /** Directory (tenant) id. Not a secret. */
  readonly tenantId: string;
}

/** How CAPZ authenticates to Azure: an `AzureClusterIdentity`. */
export class AzureIdentity {
  /**
   * Azure workload identity federation: no secret at all (recommended).
   * @see https://capz.sigs.k8s.io/topics/workload-identity
   */
  public static workloadIdentity(props: AzureServicePrincipalProps): AzureIdentity {
    return new AzureIdentity(props, undefined);
  }
  /**
   * A service principal whose client secret (key `clientSecret`) is in a Secret created by a
   * SealedSecret or ExternalSecret.
   * @see https://capz.sigs.k8s.io/topics/identities#service-principal
   */
  public static servicePrincipal(props: AzureServicePrincipalProps, clientSecret: SecretReference): AzureIdentity {
    return new AzureIdentity(props, clientSecret);
  }
  private constructor(
    public readonly principal: AzureServicePrincipalProps,
    public readonly clientSecret: SecretReference | undefined,
  ) {}
}

export interface AzureInputsProps {
  /** Azure region, e.g. `westeurope`. */
  readonly location: string;
  /** Subscription id. */
  readonly subscriptionId: string;
  /** Identity CAPZ uses. */
  readonly identity: AzureIdentity;
  /**
   * Talos image resource id (a compute gallery image version of the Talos VHD).
   * @see https://www.talos.dev/v1.12/talos-guides/install/cloud-platforms/azure/
   */
  readonly imageId: string;
  /**
   * Resource group.
   * @default - the cluster name
   */
  readonly resourceGroup?: string;
}

class AzureInputs extends InfrastructureInputs {
  public readonly provider = ClusterProvider.AZURE;
  // CAPZ derives the resource group, vnet, NSG and LB names from the cluster name; Azure resource
  // group names allow 90 characters, VM (computer) names of Linux 64: keep the label limit.
  public readonly _maxClusterNameLength = 63;
  public constructor(private readonly props: AzureInputsProps) {
    super();
  }
  public _validate(ctx: ProviderContext): void {
    requireText(ctx.owner, 'Azure', 'location', this.props.location);
    requireText(ctx.owner, 'Azure', 'subscriptionId', this.props.subscriptionId);
    requireText(ctx.owner, 'Azure', 'imageId', this.props.imageId);
    requireText(ctx.owner, 'Azure', 'identity.clientId', this.props.identity?.principal.clientId);
    requireText(ctx.owner, 'Azure', 'identity.tenantId', this.props.identity?.principal.tenantId);
    if (ctx.nodeCidr.prefix > 28) invalidProp(ctx.owner, `Azure node CIDR ${ctx.nodeCidrText} is too small to split into control-plane and node subnets; use /28 or larger`);
  }
  public _validateForTemplate(ctx: ProviderContext): void {
    const rg = this.props.resourceGroup;
    if (rg !== undefined && rg !== ctx.clusterName) {
      invalidProp(
        ctx.owner,
        `Azure resourceGroup "${rg}" cannot be used with a ClusterClass: AzureClusterTemplate (CAPZ) has no resourceGroup field and CAPZ uses the cluster name "${ctx.clusterName}"; drop resourceGroup or use Distribution.rke2() without clusterClass`,
      );
    }
  }
  public _checkMachine(owner: IConstruct, what: string, machine: MachineSize): void {
    requireKind(owner, 'Azure', machine, 'instanceType', what, "MachineSize.instanceType('Standard_D4s_v5')");
  }
  public _secretProducers(): IConstruct[] {
    const p = this.props.identity.clientSecret?.producer;
    return p ? [p] : [];
  }
  public _defaultMachine(variant: ClassVariant, role: NodeRole): MachineSize {
    if (variant === ClassVariant.PROD) return MachineSize.instanceType(role === NodeRole.CONTROL_PLANE ? 'Standard_D4s_v5' : 'Standard_D8s_v5');
    if (variant === ClassVariant.EDGE) return MachineSize.instanceType('Standard_B2ms');
    return MachineSize.instanceType('Standard_D2s_v5');
  }
  public _renderCluster(ctx: ProviderContext, template?: string): ObjectRef {
    const { clientSecret, principal } = this.props.identity;
    const identity = new azure.AzureClusterIdentity(ctx.scope, 'Identity', {
      metadata: { name: `${ctx.clusterName}-identity`, namespace: ctx.namespace, labels: { ...ctx.labels } },
      spec: {
        type: clientSecret ? azure.AzureClusterIdentitySpecType.SERVICE_PRINCIPAL : azure.AzureClusterIdentitySpecType.WORKLOAD_IDENTITY,
        clientId: principal.clientId,
        tenantId: principal.tenantId,
        ...(clientSecret ? { clientSecret: { name: clientSecret.name, namespace: clientSecret.namespace } } : {}),
        allowedNamespaces: { list: [ctx.namespace] },
      },
    });
    const [cpSubnet, nodeSubnet] = halves(ctx.nodeCidr);
    const spec: azure.AzureClusterSpec = {
      location: this.props.location,
      subscriptionId: this.props.subscriptionId,
      resourceGroup: this.props.resourceGroup ?? ctx.clusterName,
      identityRef: { apiVersion: identity.apiVersion, kind: identity.kind, name: identity.name, namespace: ctx.namespace },
      networkSpec: {
        vnet: { name: `${ctx.clusterName}-vnet`, cidrBlocks: [ctx.nodeCidrText] },
        subnets: [
          { name: `${ctx.clusterName}-control-plane`, role: azure.AzureClusterSpecNetworkSpecSubnetsRole.CONTROL_HYPHEN_PLANE, cidrBlocks: [cpSubnet] },
          { name: `${ctx.clusterName}-node`, role: azure.AzureClusterSpecNetworkSpecSubnetsRole.NODE, cidrBlocks: [nodeSubnet] },
        ],
      },
    };
    if (template !== undefined) {
      // The template's spec has the same schema as the cluster's (the generated enum types differ by name only).
      // AzureClusterTemplate has no resourceGroup: CAPZ uses the cluster name (checked in _validateForTemplate).
      const { resourceGroup: _resourceGroup, ...withoutResourceGroup } = spec;
      const templateSpec = withoutResourceGroup as unknown as azure.AzureClusterTemplateSpecTemplateSpec;
      return refOf(new azure.AzureClusterTemplate(ctx.scope, 'InfraClusterTemplate', {
        metadata: { name: ctx.templateName(azure.AzureClusterTemplate.GVK.kind, template, templateSpec), namespace: ctx.namespace, labels: { ...ctx.labels } },
        spec: { template: { spec: templateSpec } },
      }));
    }
    return refOf(new azure.AzureCluster(ctx.scope, 'InfraCluster', { metadata: { name: ctx.clusterName, namespace: ctx.namespace, labels: { ...ctx.labels } }, spec }));
  }
  public _renderMachineTemplate(ctx: ProviderContext, id: string, baseName: string, role: NodeRole, machine: MachineSize): ObjectRef {
    const spec: azure.AzureMachineTemplateSpecTemplateSpec = {
      vmSize: machine.instanceTypeName!,
      image: { id: this.props.imageId },
      osDisk: { osType: 'Linux', diskSizeGb: role === NodeRole.CONTROL_PLANE ? 50 : 100, managedDisk: { storageAccountType: 'Premium_LRS' } },
      // Talos runs no Azure VM agent / cloud-init: the CAPZ bootstrap extension would never report success.
      disableVmBootstrapExtension: true,
      disableExtensionOperations: true,
    };
    const t = new azure.AzureMachineTemplate(ctx.scope, id, {
      metadata: { name: ctx.templateName(azure.AzureMachineTemplate.GVK.kind, baseName, spec), namespace: ctx.namespace, labels: { ...ctx.labels } },
      spec: { template: { spec } },
    });
    return refOf(t);
  }
}

// ---------------------------------------------------------------------------------------------
// GCP

export interface GcpInputsProps {
  /** GCP project id. */
  readonly project: string;
  /** GCP region, e.g. `europe-west4`. */
  readonly region: string;
  /**
   * Talos image (self link or `projects/<p>/global/images/<name>`), created from the Talos GCP image.
   * @see https://www.talos.dev/v1.12/talos-guides/install/cloud-platforms/gcp/
   */
  readonly image: string;
  /** Service-account key Secret (key `credentials`) created by a SealedSecret or ExternalSecret. */
  readonly credentials: SecretReference;
  /**
   * Zones the control plane may use (failure domains).
   * @default - every zone of the region
   */
  readonly zones?: readonly string[];
}

class GcpInputs extends InfrastructureInputs {
  public readonly provider = ClusterProvider.GCP;
  // CAPG names the network, firewall rules and instance groups `<cluster>-...`; GCE names are
  // at most 63 characters and must start with a letter.
  public readonly _maxClusterNameLength = 63;
  public constructor(private readonly props: GcpInputsProps) {
    super();
  }
  public _validate(ctx: ProviderContext): void {
    requireText(ctx.owner, 'GCP', 'project', this.props.project);
    requireText(ctx.owner, 'GCP', 'region', this.props.region);
    requireText(ctx.owner, 'GCP', 'image', this.props.image);
    if (!this.props.credentials) invalidProp(ctx.owner, 'GCP input "credentials" is missing; the GCP provider needs a service-account Secret reference');
  }
  public _checkName(owner: IConstruct, name: string): void {
    if (!/^[a-z]/.test(name)) invalidProp(owner, `cluster name "${name}" is not valid on GCP: GCE resource names start with a lowercase letter`);
  }
  public _nodeCidrTemplatePaths(): string[] {
    return ['/spec/template/spec/network/subnets/0/cidrBlock'];
  }
  public _checkMachine(owner: IConstruct, what: string, machine: MachineSize): void {
    requireKind(owner, 'GCP', machine, 'instanceType', what, "MachineSize.instanceType('n2-standard-4')");
  }
  public _secretProducers(): IConstruct[] {
    return this.props.credentials.producer ? [this.props.credentials.producer] : [];
  }
  public _defaultMachine(variant: ClassVariant, role: NodeRole): MachineSize {
    if (variant === ClassVariant.PROD) return MachineSize.instanceType(role === NodeRole.CONTROL_PLANE ? 'n2-standard-4' : 'n2-standard-8');
    if (variant === ClassVariant.EDGE) return MachineSize.instanceType('e2-standard-2');
    return MachineSize.instanceType('e2-standard-4');
  }
  public _renderCluster(ctx: ProviderContext, template?: string): ObjectRef {
    const spec: gcp.GcpClusterSpec = {
      project: this.props.project,
      region: this.props.region,
      credentialsRef: { name: this.props.credentials.name, namespace: this.props.credentials.namespace },
      network: {
        name: ctx.clusterName,
        autoCreateSubnetworks: false,
        subnets: [{ name: `${ctx.clusterName}-nodes`, cidrBlock: ctx.nodeCidrText, region: this.props.region, privateGoogleAccess: true }],
      },
      ...(this.props.zones ? { failureDomains: [...this.props.zones] } : {}),
    };
    if (template !== undefined) {
      // The template's spec has the same schema as the cluster's (the generated enum types differ by name only).
      const templateSpec = spec as unknown as gcp.GcpClusterTemplateSpecTemplateSpec;
      return refOf(new gcp.GcpClusterTemplate(ctx.scope, 'InfraClusterTemplate', {
        metadata: { name: ctx.templateName(gcp.GcpClusterTemplate.GVK.kind, template, templateSpec), namespace: ctx.namespace, labels: { ...ctx.labels } },
        spec: { template: { spec: templateSpec } },
      }));
    }
    return refOf(new gcp.GcpCluster(ctx.scope, 'InfraCluster', { metadata: { name: ctx.clusterName, namespace: ctx.namespace, labels: { ...ctx.labels } }, spec }));
  }
  public _renderMachineTemplate(ctx: ProviderContext, id: string, baseName: string, role: NodeRole, machine: MachineSize): ObjectRef {
    const spec: gcp.GcpMachineTemplateSpecTemplateSpec = {
      instanceType: machine.instanceTypeName!,
      image: this.props.image,
      rootDeviceSize: role === NodeRole.CONTROL_PLANE ? 50 : 100,
      rootDeviceType: 'pd-ssd',
      publicIp: false,
    };
    const t = new gcp.GcpMachineTemplate(ctx.scope, id, {
      metadata: { name: ctx.templateName(gcp.GcpMachineTemplate.GVK.kind, baseName, spec), namespace: ctx.namespace, labels: { ...ctx.labels } },
      spec: { template: { spec } },
    });
    return refOf(t);
  }
}

// ---------------------------------------------------------------------------------------------
// Proxmox

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

class ProxmoxInputs extends InfrastructureInputs {
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

// ---------------------------------------------------------------------------------------------
// Metal3

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

class Metal3Inputs extends InfrastructureInputs {
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
