import { IConstruct } from 'constructs';
import * as aws from '../../../imports/capi-aws-infrastructure.cluster.x-k8s.io';
import { invalidProp } from '../../core/errors';
import { ClassVariant, ClusterProvider, NodeRole } from '../cluster-class';
import { SecretReference } from '../../secrets/secret-reference';
import { MachineSize } from '../machine';
import { ObjectRef, ProviderContext, ProviderStrategy, refOf, requireKind, requireText } from './_strategy';

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

/** @internal The Aws provider strategy behind `InfrastructureInputs.aws()`. */
export class AwsProviderStrategy extends ProviderStrategy {
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
    secret?.use(ctx.owner, 'AWS static identity');
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
