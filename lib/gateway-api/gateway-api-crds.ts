import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { invalidProp } from '../core/errors';
import { FluxLayer, IFluxUnit, LayerName } from '../flux/gitops-cluster';
import { FluxKustomization, ReconcileTiming } from '../flux/kustomization';
import { UpstreamGitRelease } from '../flux/upstream-release';
import { UPSTREAM_VERSIONS } from '../core/versions';

/**
 * Release channel of the Gateway API CRDs.
 * @see https://gateway-api.sigs.k8s.io/concepts/versioning/#release-channels
 */
export class GatewayApiChannel {
  /** GA and beta resources: Gateway, HTTPRoute, GRPCRoute, ReferenceGrant, BackendTLSPolicy, ListenerSet, TCP/TLS/UDPRoute. */
  public static readonly STANDARD = new GatewayApiChannel('standard', [
    'backendtlspolicies',
    'gatewayclasses',
    'gateways',
    'grpcroutes',
    'httproutes',
    'listenersets',
    'referencegrants',
    'tcproutes',
    'tlsroutes',
    'udproutes',
  ]);
  /** Standard plus experimental fields and the x-k8s.io resources; needed only by features that ask for it. */
  public static readonly EXPERIMENTAL = new GatewayApiChannel('experimental', [
    ...GatewayApiChannel.STANDARD.plurals,
  ], ['xbackends', 'xbackendtrafficpolicies', 'xmeshes']);

  private constructor(
    public readonly name: string,
    /** Plural names of the channel's `gateway.networking.k8s.io` CRDs. */
    public readonly plurals: readonly string[],
    /** Plural names of the channel's `gateway.networking.x-k8s.io` CRDs. */
    public readonly experimentalPlurals: readonly string[] = [],
  ) {}

  /** `metadata.name` of every CRD of the channel. */
  public get crdNames(): string[] {
    return [
      ...this.plurals.map((p) => `${p}.gateway.networking.k8s.io`),
      ...this.experimentalPlurals.map((p) => `${p}.gateway.networking.x-k8s.io`),
    ].sort();
  }
}

/** Gateway API CRDs of a cluster: installed by this tree ({@link GatewayApiCrds}) or imported. */
export interface IGatewayApiCrds extends IConstruct {
  readonly channel: GatewayApiChannel;
}

export interface GatewayApiCrdsProps extends ReconcileTiming {
  /**
   * @default GatewayApiChannel.STANDARD
   */
  readonly channel?: GatewayApiChannel;
}

/**
 * The Gateway API CRDs, installed by Flux straight from the pinned upstream release tag
 * (a GitRepository on kubernetes-sigs/gateway-api at the tag, not a vendored copy), with a health
 * check on every CRD so nothing that uses them is applied before they are Established.
 * Create it in the cluster's `crds` layer; Cilium's Gateway API support and cert-manager's
 * Gateway API solver reference it.
 */
export class GatewayApiCrds extends Construct implements IFluxUnit, IGatewayApiCrds {
  /**
   * Gateway API CRDs this tree does not install (e.g. a managed cluster ships them): what depends
   * on them waits for nothing, and features that need a channel check `channel`.
   */
  public static fromChannel(scope: Construct, id: string, channel: GatewayApiChannel): IGatewayApiCrds {
    return new ImportedGatewayApiCrds(scope, id, channel);
  }

  public readonly layer: FluxLayer;
  public readonly kustomization: FluxKustomization;
  public readonly channel: GatewayApiChannel;
  public readonly source: ApiObject;

  public constructor(scope: FluxLayer, id: string, props: GatewayApiCrdsProps = {}) {
    super(scope, id);
    if (!(scope instanceof FluxLayer) || scope.layerName !== LayerName.CRDS) {
      invalidProp(this, 'GatewayApiCrds must be created in a cluster\'s crds layer (cluster.crds)');
    }
    this.layer = scope;
    this.channel = props.channel ?? GatewayApiChannel.STANDARD;
    const release = new UpstreamGitRelease(this, 'Release', {
      ...props,
      sourceName: 'gateway-api',
      url: 'https://github.com/kubernetes-sigs/gateway-api',
      tag: UPSTREAM_VERSIONS.gatewayApi,
      path: `./config/crd/${this.channel.name}`,
      kustomizationName: `gateway-api-${this.channel.name}`,
      crdNames: this.channel.crdNames,
    });
    this.source = release.source;
    this.kustomization = release.kustomization;
  }
}

class ImportedGatewayApiCrds extends Construct implements IGatewayApiCrds {
  /** Read by the dependency resolution: nothing in this tree deploys them. */
  public readonly installedElsewhere = true;

  public constructor(
    scope: Construct,
    id: string,
    public readonly channel: GatewayApiChannel,
  ) {
    super(scope, id);
  }
}
