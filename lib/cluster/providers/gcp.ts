import { IConstruct } from 'constructs';
import * as gcp from '../../../imports/capi-gcp-infrastructure.cluster.x-k8s.io';
import { invalidProp } from '../../core/errors';
import { ClassVariant, ClusterProvider, NodeRole } from '../cluster-class';
import { SecretReference } from '../../secrets/secret-reference';
import { MachineSize } from '../machine';
import { ObjectRef, ProviderContext, ProviderStrategy, refOf, requireKind, requireText } from './_strategy';

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

/** @internal The Gcp provider strategy behind `InfrastructureInputs.gcp()`. */
export class GcpProviderStrategy extends ProviderStrategy {
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
    this.props.credentials.use(ctx.owner, 'GCP credentials');
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
      // One network tag on every node of the cluster: the GCP cloud controller manager's gce.conf
      // `node-tags` names it, so load-balancer firewall rules target every node
      // (../shared/upstream/ccm-gcp/NOTES.md "gce.conf").
      additionalNetworkTags: [gcpNodeTag(ctx.clusterName)],
    };
    const t = new gcp.GcpMachineTemplate(ctx.scope, id, {
      metadata: { name: ctx.templateName(gcp.GcpMachineTemplate.GVK.kind, baseName, spec), namespace: ctx.namespace, labels: { ...ctx.labels } },
      spec: { template: { spec } },
    });
    return refOf(t);
  }
}

/** The network tag every node of GCP cluster `clusterName` carries (`<cluster>-node`); the GCP CCM's `node-tags`. */
export function gcpNodeTag(clusterName: string): string {
  return `${clusterName}-node`;
}
