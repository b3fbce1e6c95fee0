import { IConstruct } from 'constructs';
import * as azure from '../../../imports/capi-azure-infrastructure.cluster.x-k8s.io';
import { invalidProp } from '../../core/errors';
import { ClassVariant, ClusterProvider, NodeRole } from '../cluster-class';
import { SecretReference } from '../../secrets/secret-reference';
import { MachineSize } from '../machine';
import { halves, ObjectRef, ProviderContext, ProviderStrategy, refOf, requireKind, requireText } from './_strategy';

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
  /**
   * Resource ID of a user-assigned managed identity attached to the control-plane VMs
   * (`/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>`):
   * the identity the Azure cloud controller manager authenticates with through IMDS
   * (azure.json `useManagedIdentityExtension`), so the CCM needs no client secret.
   * @default - no identity on the VMs (the CCM then needs another credential in its azure.json)
   * @see ../shared/upstream/ccm-azure/NOTES.md "Auth options inside azure.json"
   */
  readonly controlPlaneIdentity?: string;
}

/** @internal The Azure provider strategy behind `InfrastructureInputs.azure()`. */
export class AzureProviderStrategy extends ProviderStrategy {
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
    const mi = this.props.controlPlaneIdentity;
    if (mi !== undefined && !/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/[^/]+$/i.test(mi)) {
      invalidProp(ctx.owner, `Azure controlPlaneIdentity "${mi}" is not the resource ID of a user-assigned identity; use /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>`);
    }
    if (ctx.nodeCidr.prefix > 28) invalidProp(ctx.owner, `Azure node CIDR ${ctx.nodeCidrText} is too small to split into control-plane and node subnets; use /28 or larger`);
    this.props.identity?.clientSecret?.use(ctx.owner, 'Azure service principal secret');
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
      ...(role === NodeRole.CONTROL_PLANE && this.props.controlPlaneIdentity
        ? { identity: azure.AzureMachineTemplateSpecTemplateSpecIdentity.USER_ASSIGNED, userAssignedIdentities: [{ providerId: this.props.controlPlaneIdentity }] }
        : {}),
    };
    const t = new azure.AzureMachineTemplate(ctx.scope, id, {
      metadata: { name: ctx.templateName(azure.AzureMachineTemplate.GVK.kind, baseName, spec), namespace: ctx.namespace, labels: { ...ctx.labels } },
      spec: { template: { spec } },
    });
    return refOf(t);
  }
}
