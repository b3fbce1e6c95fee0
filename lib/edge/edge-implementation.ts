import { Construct, IConstruct } from 'constructs';
import { GatewayClass } from '../../imports/gateway-api-gateway.networking.k8s.io';
import { GATEWAY_HELM_CHART, INGRESS_NGINX_CHART, TRAEFIK_CHART } from '../../imports/helm/charts';
import { GatewayHelmValues } from '../../imports/helm/gateway-helm';
import { IngressNginxValues } from '../../imports/helm/ingress-nginx';
import { TraefikValues } from '../../imports/helm/traefik';
import { invalidProp } from '../core/errors';
import { FluxApp } from '../flux/flux-app';
import { FluxLayer, GitOpsCluster, IFluxUnit, LayerName } from '../flux/gitops-cluster';
import { FluxKustomization } from '../flux/kustomization';
import { UpstreamGitRelease } from '../flux/upstream-release';
import { PodSecurityLevel } from '../flux/pod-security';
import { IGatewayApiCrds } from '../gateway-api/gateway-api-crds';
import { Validation } from '../validation/exemption';

/** Whether an edge serves routes through the Gateway API or through Ingress objects. */
export enum EdgeApi {
  GATEWAY_API = 'gateway-api',
  INGRESS = 'ingress',
}

/** What an implementation installs in the cluster, and what the Gateway/Ingress depend on. */
export interface EdgeInstallation {
  /** Units the Gateway (or Ingresses) must wait for. */
  readonly dependencies: IConstruct[];
}

/**
 * The controller that implements the edge. Cilium Gateway API is the default; the alternatives
 * are off unless selected here, and selecting one emits no Cilium Gateway objects.
 */
export class EdgeImplementation {
  /**
   * Cilium's Gateway API (Cilium ≥ 1.20 with `gatewayAPI.enabled`). The GatewayClass belongs to
   * the Cilium chart (`gatewayAPI.gatewayClass.create`), see docs/decisions/0040.
   * @see https://docs.cilium.io/en/v1.20/network/servicemesh/gateway-api/gateway-api/
   */
  public static cilium(): EdgeImplementation {
    return new EdgeImplementation('cilium', EdgeApi.GATEWAY_API, 'cilium', 'io.cilium/gateway-controller', 80, 443, false, () => ({ dependencies: [] }));
  }

  /**
   * Cilium Ingress (`ingressController.enabled`): the simple on-ramp. Routes become Ingress
   * objects of class `cilium`, each with its own certificate in the backend's namespace.
   * @see https://docs.cilium.io/en/v1.20/network/servicemesh/ingress/
   */
  public static ciliumIngress(): EdgeImplementation {
    return new EdgeImplementation('cilium-ingress', EdgeApi.INGRESS, 'cilium', undefined, 80, 443, false, () => ({ dependencies: [] }));
  }

  /**
   * Envoy Gateway v1.9.0 (pinned `gateway-helm` chart) with its GatewayClass `envoy-gateway`. The
   * chart's bundled Gateway API CRDs are switched off (`crds.enabled: false`): the cluster's
   * {@link GatewayApiCrds} stay the one source; Envoy Gateway's own CRDs come from the upstream tag.
   * @see https://gateway.envoyproxy.io/docs/install/install-helm/
   */
  public static envoyGateway(): EdgeImplementation {
    return new EdgeImplementation('envoy-gateway', EdgeApi.GATEWAY_API, 'envoy-gateway', 'gateway.envoyproxy.io/gatewayclass-controller', 80, 443, false, (stack, cluster, gatewayApi) => {
      const crds = new EnvoyGatewayCrds(cluster.crds, `${stack.node.id}EnvoyGatewayCrds`);
      const app = new FluxApp<GatewayHelmValues>(cluster.controllers, `${stack.node.id}EnvoyGateway`, {
        chart: GATEWAY_HELM_CHART,
        name: 'envoy-gateway',
        namespace: 'envoy-gateway-system',
        values: { crds: { enabled: false } },
      });
      // The spec pack pins the chart's values as values.tmpl.yaml (no values.yaml), so the harness
      // cannot check these values; say so instead of skipping silently.
      if (app.helmRelease) {
        Validation.exempt(app.helmRelease, 'gateway-helm v1.9.0 has no pinned values.yaml (the spec pack pins values.tmpl.yaml; crds.enabled is at its line 43), so its values cannot be checked');
      }
      app.addDependency(crds);
      app.addDependency(gatewayApi);
      return { dependencies: [app, gatewayClass(cluster, stack, 'envoy-gateway', 'gateway.envoyproxy.io/gatewayclass-controller', app)] };
    });
  }

  /**
   * Traefik (pinned chart 41.3.0) as a Gateway API controller with the GatewayClass `traefik`;
   * listeners use Traefik's entry-point ports 8000/8443 (the Service maps 80/443 to them).
   * @see https://doc.traefik.io/traefik/reference/install-configuration/providers/kubernetes/kubernetes-gateway/
   */
  public static traefik(): EdgeImplementation {
    return new EdgeImplementation('traefik', EdgeApi.GATEWAY_API, 'traefik', 'traefik.io/gateway-controller', 8000, 8443, false, (stack, cluster, gatewayApi) => {
      const app = new FluxApp<TraefikValues>(cluster.controllers, `${stack.node.id}Traefik`, {
        chart: TRAEFIK_CHART,
        name: 'traefik',
        // The chart's ServiceMonitor of its metrics port when the cluster has a monitoring stack.
        monitoringValues: { metrics: { prometheus: { service: { enabled: true }, serviceMonitor: { enabled: true } } } },
        values: {
          providers: { kubernetesGateway: { enabled: true }, kubernetesIngress: { enabled: false } },
          // InfraFlux owns the Gateway and the GatewayClass.
          gateway: { enabled: false },
          gatewayClass: { enabled: false },
        },
      });
      app.addDependency(gatewayApi);
      return { dependencies: [app, gatewayClass(cluster, stack, 'traefik', 'traefik.io/gateway-controller', app)] };
    });
  }

  /**
   * ingress-nginx (pinned chart 4.15.1). **Retired upstream** (no fixes after March 2026): kept
   * only for migrations; selecting it records a synth warning on the stack.
   * @see https://kubernetes.io/blog/2025/11/11/ingress-nginx-retirement/
   */
  public static ingressNginx(): EdgeImplementation {
    return new EdgeImplementation('ingress-nginx', EdgeApi.INGRESS, 'nginx', undefined, 80, 443, true, (stack, cluster) => {
      const app = new FluxApp<IngressNginxValues>(cluster.controllers, `${stack.node.id}IngressNginx`, {
        chart: INGRESS_NGINX_CHART,
        name: 'ingress-nginx',
        // The controller's metrics (off by default) and their ServiceMonitor when the cluster has a monitoring stack.
        monitoringValues: { controller: { metrics: { enabled: true, serviceMonitor: { enabled: true } } } },
        // The controller binds privileged ports and needs NET_BIND_SERVICE.
        podSecurity: PodSecurityLevel.BASELINE,
        values: { controller: { ingressClassResource: { name: 'nginx', default: false } } },
      });
      return { dependencies: [app] };
    });
  }

  private constructor(
    public readonly name: string,
    public readonly api: EdgeApi,
    /** GatewayClass or IngressClass name. */
    public readonly className: string,
    /** GatewayClass `controllerName`. */
    public readonly controllerName: string | undefined,
    public readonly httpPort: number,
    public readonly httpsPort: number,
    /** Retired upstream: using it warns. */
    public readonly retired: boolean,
    private readonly installer: (stack: Construct, cluster: GitOpsCluster, gatewayApi: IGatewayApiCrds) => EdgeInstallation,
  ) {}

  /** Whether this is one of Cilium's own implementations. */
  public get isCilium(): boolean {
    return this.name === 'cilium' || this.name === 'cilium-ingress';
  }

  /** @internal */
  public _install(stack: Construct, cluster: GitOpsCluster, gatewayApi: IGatewayApiCrds): EdgeInstallation {
    return this.installer(stack, cluster, gatewayApi);
  }
}

/** @internal A GatewayClass in the configs layer, after the controller that implements it. */
export function gatewayClass(cluster: GitOpsCluster, stack: Construct, name: string, controllerName: string, controller?: IConstruct): GatewayClass {
  const gc = new GatewayClass(cluster.configs, `${stack.node.id}GatewayClass-${name}`, {
    metadata: { name },
    spec: { controllerName },
  });
  if (controller) cluster.addDependency(gc, controller);
  return gc;
}

/**
 * Envoy Gateway's own CRDs (gateway.envoyproxy.io), applied by Flux from the upstream tag
 * (`charts/gateway-helm/charts/crds/crds/generated` at v1.9.0), never pruned.
 */
export class EnvoyGatewayCrds extends Construct implements IFluxUnit {
  /** Plural names of the CRDs (health-checked); test/edge pins them against `envoy-gateway/crds/`. */
  public static readonly PLURALS: readonly string[] = [
    'backends', 'backendtrafficpolicies', 'clienttrafficpolicies', 'envoyextensionpolicies',
    'envoypatchpolicies', 'envoyproxies', 'httproutefilters', 'securitypolicies',
  ];
  public readonly layer: FluxLayer;
  public readonly kustomization: FluxKustomization;

  public constructor(scope: FluxLayer, id: string) {
    super(scope, id);
    if (!(scope instanceof FluxLayer) || scope.layerName !== LayerName.CRDS) invalidProp(this, "EnvoyGatewayCrds must be created in a cluster's crds layer (cluster.crds)");
    this.layer = scope;
    this.kustomization = new UpstreamGitRelease(this, 'Release', {
      sourceName: 'envoy-gateway',
      url: 'https://github.com/envoyproxy/gateway',
      tag: GATEWAY_HELM_CHART.version,
      path: './charts/gateway-helm/charts/crds/crds/generated',
      kustomizationName: 'envoy-gateway-crds',
      crdNames: EnvoyGatewayCrds.PLURALS.map((p) => `${p}.gateway.envoyproxy.io`),
    }).kustomization;
  }
}
