import { ApiObject, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import {
  Gateway,
  GatewaySpecListeners,
  GatewaySpecListenersAllowedRoutesNamespacesFrom,
  GatewaySpecListenersTlsMode,
  GrpcRoute,
  HttpRoute,
  HttpRouteSpecRulesFiltersRequestRedirectScheme,
  HttpRouteSpecRulesFiltersRequestRedirectStatusCode,
  HttpRouteSpecRulesFiltersType,
  HttpRouteSpecRulesMatchesPathType,
  ReferenceGrant,
} from '../../imports/gateway-api-gateway.networking.k8s.io';
import { canIssue } from '../certs/acme-issuer';
import { IClusterIssuer, issueCertificate } from '../certs/cluster-issuer';
import { addCodedValidation, ErrorCode, InfraFluxError, invalidProp, validateDnsLabel, validateDnsSubdomain } from '../core/errors';
import { EXTERNAL_DNS_ANNOTATION_PREFIX, ExternalDnsSource, IExternalDns } from '../dns/external-dns';
import { dnsZoneOf, labelsBelowZone } from '../dns/zones';
import { FluxLayer, GitOpsCluster, IFluxUnit, LayerName } from '../flux/gitops-cluster';
import { FluxKustomization } from '../flux/kustomization';
import { FluxManifestApp } from '../flux/manifest-app';
import { OutputFolder } from '../flux/output-folder';
import { EdgeApi, EdgeImplementation } from './edge-implementation';
import { IGatewayApiCrds } from '../gateway-api/gateway-api-crds';
import { MetalLb, MetalLbProps } from './metallb';
import { ServiceReference, validateServiceReference } from '../core/service-reference';

/** Application protocol of a route. */
export class RouteProtocol {
  /** HTTPRoute. */
  public static readonly HTTP = new RouteProtocol('HTTPRoute');
  /** GRPCRoute (HTTP/2). */
  public static readonly GRPC = new RouteProtocol('GRPCRoute');
  private constructor(public readonly kind: 'HTTPRoute' | 'GRPCRoute') {}
}

/**
 * An SSO guard a route can be put behind (an oauth2-proxy in front of the backend). See
 * `OAuth2ProxySso` in platform-ui.ts.
 */
export interface ISsoGuard {
  /**
   * Identity-provider groups allowed through (empty: every authenticated user). Platform UIs
   * refuse a guard without groups.
   */
  readonly allowedGroups: readonly string[];
  /** Puts `upstream` behind SSO for `hostname`; returns the Service the route must target instead. */
  protect(stack: GatewayStack, id: string, upstream: ServiceReference, hostname: string): ServiceReference;
}

/** Options of {@link GatewayStack.addRoute}. */
export interface RouteOptions {
  /** Host name served; must lie in a managed DNS zone and be covered by a listener certificate. */
  readonly hostname: string;
  /** Services traffic is split over (equal weights). */
  readonly backends: readonly ServiceReference[];
  /**
   * @default RouteProtocol.HTTP
   */
  readonly protocol?: RouteProtocol;
  /**
   * Path prefix matched (HTTP only).
   * @default '/'
   */
  readonly pathPrefix?: string;
  /**
   * DNS record TTL. Cloudflare: 1 (automatic) or >= 120.
   * @default - 1 (auto) for proxied Cloudflare records, else 300
   */
  readonly dnsTtlSeconds?: number;
  /**
   * Cloudflare proxying (orange cloud) for this host; only with a Cloudflare ExternalDNS.
   * @default - the ExternalDNS provider's default (on for Cloudflare)
   */
  readonly cloudflareProxied?: boolean;
  /**
   * Give the host its own HTTPS listener and certificate instead of the wildcard one.
   * @default false (true when the stack has no wildcard certificate)
   */
  readonly dedicatedCertificate?: boolean;
  /**
   * Put the route behind SSO.
   * @default - no SSO
   */
  readonly sso?: ISsoGuard;
  /**
   * Namespace of the route object. Routes outside the backends' namespaces get ReferenceGrants.
   * @default - the gateway namespace
   */
  readonly namespace?: string;
}

/** Options of {@link GatewayStack.exposeService}. */
export interface ExposeServiceOptions extends Omit<RouteOptions, 'backends'> {}

export interface GatewayStackProps {
  /** The cluster's Gateway API CRDs: every Gateway and route is applied after them. */
  readonly gatewayApi: IGatewayApiCrds;
  /** Issuer of the listener certificates (wildcard and per-service). */
  readonly issuer: IClusterIssuer;
  /**
   * Base domain of this gateway: the wildcard listener serves `*.<domain>`.
   * @example 'prod.example.com'
   */
  readonly domain: string;
  /**
   * ExternalDNS that publishes the routes; its domain filters are the managed zones.
   * @default - none: give `zones` (records managed elsewhere, e.g. Terraform)
   */
  readonly dns?: IExternalDns;
  /**
   * Zones managed outside this cluster's ExternalDNS (e.g. by Terraform).
   * @default []
   */
  readonly zones?: readonly string[];
  /**
   * The edge implementation: one switch between Cilium and the alternatives.
   * @default EdgeImplementation.cilium()
   */
  readonly implementation?: EdgeImplementation;
  /**
   * GatewayClass used with {@link EdgeImplementation.cilium}.
   * @default 'cilium'
   */
  readonly gatewayClassName?: string;
  /**
   * The construct that deploys the gateway controller (e.g. the Cilium app), when Flux deploys it:
   * the Gateway is applied after it.
   * @default - none (Cilium installed at bootstrap)
   */
  readonly controller?: IConstruct;
  /**
   * Serve `*.<domain>` with one wildcard certificate (needs DNS-01 with ACME issuers). Gateway API
   * implementations only: an Ingress's TLS Secret must live in its own namespace, so Ingress
   * implementations get one certificate per host and refuse `true`.
   * @default - true for Gateway API implementations, false for Ingress implementations
   */
  readonly wildcardCertificate?: boolean;
  /**
   * Name of the gateway app, its namespace and the Gateway.
   * @default DEFAULT_GATEWAY_NAME ('gateway')
   */
  readonly name?: string;
  /**
   * MetalLB as the L4 load balancer instead of Cilium LB IPAM/BGP/L2 (claims LOAD_BALANCER_IPS).
   * @default - off
   */
  readonly metalLb?: MetalLbProps;
}

interface RouteRecord {
  readonly id: string;
  readonly hostname: string;
  readonly dedicated: boolean;
  readonly scope: IConstruct;
}

/** @internal A Flux unit of route objects without a namespace of its own. */
class RouteSet extends Construct implements IFluxUnit {
  public readonly layer: FluxLayer;
  public readonly kustomization: FluxKustomization;
  public readonly content: OutputFolder;
  public constructor(scope: FluxLayer, id: string, name: string) {
    super(scope, id);
    this.layer = scope;
    const cluster = GitOpsCluster.of(scope);
    this.content = new OutputFolder(this, 'Content', `${cluster.name}/releases/${name}`);
    this.kustomization = new FluxKustomization(this, 'Kustomization', { name, path: `${cluster.sourcePath}/releases/${name}`, wait: true });
  }
}

const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** Default name of a GatewayStack's app, namespace and Gateway. */
export const DEFAULT_GATEWAY_NAME = 'gateway';

/** The HTTP listener of a Gateway: what cert-manager's HTTP-01 solver attaches its routes to. */
export interface GatewayHttpListener {
  readonly name: string;
  readonly namespace: string;
  readonly sectionName: string;
}

/**
 * The cluster's edge: a Gateway (Cilium by default) with an HTTP listener that only redirects to
 * HTTPS and HTTPS listeners terminating a wildcard certificate from cert-manager; routes added
 * with {@link GatewayStack.addRoute} / {@link GatewayStack.exposeService} carry ExternalDNS
 * annotations and ReferenceGrants where they cross namespaces. Checked at synth: every route host
 * lies in a managed DNS zone and is covered by a listener certificate.
 *
 * Files: the gateway app `releases/<name>/` (Gateway, certificates, redirect route) and the routes
 * unit `releases/<name>-routes/` (routes, grants, per-service certificates), both in `apps`.
 */
export class GatewayStack extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  public readonly domain: string;
  public readonly implementation: EdgeImplementation;
  public readonly gatewayClassName: string;
  /** The gateway app (namespace, Gateway, certificates). */
  public readonly app: FluxManifestApp;
  /** The Gateway; undefined for Ingress implementations. Escape hatch. */
  public readonly gateway?: Gateway;
  public readonly issuer: IClusterIssuer;
  public readonly dns?: IExternalDns;
  public readonly metalLb?: MetalLb;
  /** Synth warnings (also recorded as construct metadata `infraflux:warning`). */
  public readonly warnings: string[] = [];
  /** Secret of the wildcard certificate; undefined without one. */
  public readonly wildcardSecretName?: string;
  private readonly routeSet: RouteSet;
  private readonly routes: RouteRecord[] = [];
  private readonly listeners: GatewaySpecListeners[] = [];
  private readonly routeNamespaces = new Set<string>();
  private readonly grants = new Map<string, { namespace: string; services: Set<string>; from: Set<string>; fromNamespace: string }>();
  private readonly cluster: GitOpsCluster;
  private readonly zones: readonly string[];

  public constructor(scope: GitOpsCluster, id: string, props: GatewayStackProps) {
    super(scope, id);
    if (!(scope instanceof GitOpsCluster)) invalidProp(this, 'GatewayStack must be created on a cluster (new GatewayStack(cluster, ...))');
    this.cluster = scope;
    this.name = validateDnsLabel(this, 'name', props.name ?? DEFAULT_GATEWAY_NAME);
    this.namespace = this.name;
    this.domain = validateDnsSubdomain(this, 'domain', props.domain);
    this.implementation = props.implementation ?? EdgeImplementation.cilium();
    this.gatewayClassName = this.implementation.isCilium ? validateDnsSubdomain(this, 'gatewayClassName', props.gatewayClassName ?? 'cilium') : this.implementation.className;
    if (props.gatewayClassName !== undefined && !this.implementation.isCilium) {
      invalidProp(this, `gatewayClassName "${props.gatewayClassName}" only applies to the Cilium implementation; ${this.implementation.name} uses "${this.implementation.className}"`);
    }
    this.issuer = props.issuer;
    this.dns = props.dns;
    if (props.dns && GitOpsCluster.of(props.dns) !== scope) invalidProp(this, `dns ${props.dns.node.path} belongs to another cluster`);
    if (GitOpsCluster.of(props.gatewayApi) !== scope) invalidProp(this, `gatewayApi ${props.gatewayApi.node.path} belongs to another cluster`);
    for (const z of props.zones ?? []) validateDnsSubdomain(this, 'zone', z);
    this.zones = [...(props.dns?.domainFilters ?? []), ...(props.zones ?? [])];
    if (this.zones.length === 0) invalidProp(this, 'no managed DNS zone: pass dns (an ExternalDns) or zones');
    if (!this.inZone(this.domain)) invalidProp(this, `domain "${this.domain}" lies in none of the managed zones ${this.zones.join(', ')}`);
    const gatewayApiImpl = this.implementation.api === EdgeApi.GATEWAY_API;
    if (props.wildcardCertificate === true && !gatewayApiImpl) {
      invalidProp(this, `wildcardCertificate: true needs a Gateway API implementation; ${this.implementation.name} serves Ingresses, which get one certificate per host in their own namespace`);
    }
    const wildcard = props.wildcardCertificate ?? gatewayApiImpl;
    if (wildcard && !canIssue(props.issuer, `*.${this.domain}`)) {
      invalidProp(this, `issuer ${props.issuer.issuerName} cannot issue the wildcard *.${this.domain} (ACME HTTP-01 only); add a DNS-01 solver or set wildcardCertificate: false`);
    }
    if (this.implementation.retired) {
      const msg = `[${this.node.path}] edge implementation ${this.implementation.name} is retired upstream and gets no security fixes; migrate to EdgeImplementation.cilium()`;
      this.warnings.push(msg);
      this.node.addMetadata('infraflux:warning', msg);
    }

    const install = this.implementation._install(this, scope, props.gatewayApi);
    this.app = new FluxManifestApp(scope.apps, `${id}Gateway`, { name: this.name });
    this.routeSet = new RouteSet(scope.apps, `${id}Routes`, `${this.name}-routes`);
    this.app.addDependency(props.gatewayApi);
    this.app.addDependency(props.issuer);
    if (props.controller) this.app.addDependency(props.controller);
    for (const d of install.dependencies) scope.addDependency(this.app, d);
    scope.addDependency(this.routeSet, this.app);
    if (props.metalLb) this.metalLb = new MetalLb(scope, `${id}MetalLb`, props.metalLb);

    if (wildcard) {
      this.wildcardSecretName = `${this.name}-wildcard-tls`;
      issueCertificate(props.issuer, this.app.content, 'WildcardCertificate', {
        name: this.wildcardSecretName,
        namespace: this.namespace,
        dnsNames: [`*.${this.domain}`],
      });
    }

    if (this.implementation.api === EdgeApi.GATEWAY_API) {
      const sameNamespaceOnly = (): boolean => [...this.routeNamespaces].every((ns) => ns === this.namespace);
      const allowedRoutes = (kinds: string[]) => ({
        kinds: kinds.map((kind) => ({ group: GATEWAY_GROUP, kind })),
        namespaces: Lazy.any({
          produce: () =>
            sameNamespaceOnly()
              ? { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SAME }
              : {
                  from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SELECTOR,
                  selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [...new Set([this.namespace, ...this.routeNamespaces])].sort() }] },
                },
        }),
      });
      this.listeners.push({
        name: 'http',
        protocol: 'HTTP',
        port: this.implementation.httpPort,
        // Only the redirect below and cert-manager's HTTP-01 solver routes (same namespace) attach here.
        allowedRoutes: { kinds: [{ group: GATEWAY_GROUP, kind: 'HTTPRoute' }], namespaces: { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SAME } },
      });
      if (wildcard) {
        this.listeners.push({
          name: 'https',
          protocol: 'HTTPS',
          port: this.implementation.httpsPort,
          hostname: `*.${this.domain}`,
          tls: { mode: GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [{ kind: 'Secret', group: '', name: this.wildcardSecretName! }] },
          allowedRoutes: allowedRoutes(['HTTPRoute', 'GRPCRoute']),
        });
      }
      this.gateway = new Gateway(this.app.content, 'Resource', {
        metadata: { name: this.name, namespace: this.namespace },
        spec: {
          gatewayClassName: this.gatewayClassName,
          listeners: Lazy.any({ produce: () => this.listeners.map((l) => ({ ...l, allowedRoutes: l.allowedRoutes ?? allowedRoutes(['HTTPRoute', 'GRPCRoute']) })) }),
        },
      });
      new HttpRoute(this.app.content, 'HttpsRedirect', {
        metadata: {
          name: `${this.name}-https-redirect`,
          namespace: this.namespace,
          // A route without hostnames inherits the listener's; keep ExternalDNS away from it.
          annotations: { [`${EXTERNAL_DNS_ANNOTATION_PREFIX}/controller`]: 'none' },
        },
        spec: {
          parentRefs: [{ group: GATEWAY_GROUP, kind: 'Gateway', name: this.name, namespace: this.namespace, sectionName: 'http' }],
          rules: [
            {
              filters: [
                {
                  type: HttpRouteSpecRulesFiltersType.REQUEST_REDIRECT,
                  requestRedirect: { scheme: HttpRouteSpecRulesFiltersRequestRedirectScheme.HTTPS, statusCode: HttpRouteSpecRulesFiltersRequestRedirectStatusCode.VALUE_301 },
                },
              ],
            },
          ],
        },
      });
    }

    addCodedValidation(this, () => this.checkInvariants());
  }

  /**
   * The HTTP listener of the Gateway a stack named `name` creates, for
   * {@link AcmeSolver.http01Gateway} on an issuer that must exist before the stack.
   */
  public static httpListenerOf(name: string = DEFAULT_GATEWAY_NAME): GatewayHttpListener {
    return { name, namespace: name, sectionName: 'http' };
  }

  /** The Gateway's HTTP listener, for {@link AcmeSolver.http01Gateway}. */
  public get httpListener(): GatewayHttpListener {
    return GatewayStack.httpListenerOf(this.name);
  }

  /** Exposes one Service port at `hostname` (see {@link GatewayStack.addRoute}). */
  public exposeService(id: string, service: ServiceReference, options: ExposeServiceOptions): ApiObject {
    return this.addRoute(id, { ...options, backends: [service] });
  }

  /**
   * Routes `hostname` to the backends: an HTTPRoute or GRPCRoute (Gateway API) or an Ingress
   * (Ingress implementations), with ExternalDNS annotations, ReferenceGrants for backends in other
   * namespaces, SSO in front when asked, and a dedicated listener certificate when asked.
   */
  public addRoute(id: string, options: RouteOptions): ApiObject {
    const scope = this.routeSet.content;
    const hostname = validateDnsSubdomain(this, `route ${id} hostname`, options.hostname);
    validateDnsLabel(this, 'route id', id.toLowerCase());
    if (this.routes.some((r) => r.hostname === hostname)) invalidProp(this, `route ${id}: hostname "${hostname}" is already routed by this gateway`);
    if (this.routes.some((r) => r.id === id)) invalidProp(this, `route id "${id}" is already used`);
    if (options.backends.length === 0) invalidProp(this, `route ${id} has no backends`);
    const protocol = options.protocol ?? RouteProtocol.HTTP;
    const ingress = this.implementation.api === EdgeApi.INGRESS;
    if (ingress && options.backends.length > 1) {
      invalidProp(this, `route ${id}: an Ingress cannot split traffic over ${options.backends.length} backends (rules with the same path do not share traffic); give one backend or use a Gateway API implementation`);
    }
    if (this.dns) {
      const needed = ingress ? ExternalDnsSource.INGRESS : protocol === RouteProtocol.GRPC ? ExternalDnsSource.GATEWAY_GRPCROUTE : ExternalDnsSource.GATEWAY_HTTPROUTE;
      if (!this.dns.reads(needed)) {
        invalidProp(this, `route ${id}: ExternalDns ${this.dns.node.path} does not read ${needed.name} (sources: ${this.dns.sources.map((s) => s.name).join(', ')}), so "${hostname}" would never be published; add ExternalDnsSource source ${needed.name}`);
      }
    }
    const pathPrefix = options.pathPrefix ?? '/';
    if (!pathPrefix.startsWith('/')) invalidProp(this, `route ${id} pathPrefix "${pathPrefix}" must start with '/'`);
    if (protocol === RouteProtocol.GRPC && options.pathPrefix !== undefined) invalidProp(this, `route ${id}: pathPrefix applies to HTTP routes only`);
    let backends = options.backends.map((b) => validateServiceReference(this, b));
    if (options.sso) {
      if (backends.length !== 1) invalidProp(this, `route ${id}: SSO protects exactly one backend, got ${backends.length}`);
      backends = [options.sso.protect(this, id, backends[0], hostname)];
    }
    const dedicated = options.dedicatedCertificate ?? this.wildcardSecretName === undefined;
    const routeNamespace = validateDnsLabel(this, 'route namespace', options.namespace ?? (ingress ? backends[0].namespace : this.namespace));
    if (ingress && backends.some((b) => b.namespace !== routeNamespace)) {
      invalidProp(this, `route ${id}: an Ingress can only reach Services in its own namespace (${routeNamespace}); use a Gateway API implementation for cross-namespace backends`);
    }
    if (ingress && protocol === RouteProtocol.GRPC) invalidProp(this, `route ${id}: GRPC routes need a Gateway API implementation`);
    const annotations = this.dnsAnnotations(id, hostname, options);
    this.routes.push({ id, hostname, dedicated, scope });
    this.routeNamespaces.add(routeNamespace);
    for (const b of backends) {
      if (b.deployedBy) this.cluster.addDependency(this.routeSet, b.deployedBy);
    }
    const name = validateDnsSubdomain(this, 'route name', id.toLowerCase());

    if (ingress) {
      // Ingress TLS secrets must live in the Ingress's namespace: one certificate per host.
      const secretName = `${name}-tls`;
      issueCertificate(this.issuer, scope, `${id}Certificate`, { name: secretName, namespace: routeNamespace, dnsNames: [hostname] });
      return new ApiObject(scope, id, {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name, namespace: routeNamespace, annotations },
        spec: {
          ingressClassName: this.implementation.className,
          tls: [{ hosts: [hostname], secretName }],
          rules: [
            {
              host: hostname,
              http: {
                paths: backends.map((b) => ({
                  path: pathPrefix,
                  pathType: 'Prefix',
                  backend: { service: { name: b.name, port: { number: b.port } } },
                })),
              },
            },
          ],
        },
      });
    }

    let sectionName = 'https';
    if (dedicated) {
      sectionName = `https-${hostname}`;
      const secretName = `${name}-${this.name}-tls`;
      issueCertificate(this.issuer, this.app.content, `${id}Certificate`, { name: secretName, namespace: this.namespace, dnsNames: [hostname] });
      this.listeners.push({
        name: sectionName,
        protocol: 'HTTPS',
        port: this.implementation.httpsPort,
        hostname,
        tls: { mode: GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [{ kind: 'Secret', group: '', name: secretName }] },
      });
    }
    for (const b of backends) {
      if (b.namespace !== routeNamespace) this.grant(b, routeNamespace, protocol.kind);
    }
    const parentRefs = [{ group: GATEWAY_GROUP, kind: 'Gateway', name: this.name, namespace: this.namespace, sectionName }];
    const backendRefs = backends.map((b) => ({
      group: '',
      kind: 'Service',
      name: b.name,
      port: b.port,
      ...(b.namespace !== routeNamespace ? { namespace: b.namespace } : {}),
    }));
    if (protocol === RouteProtocol.GRPC) {
      return new GrpcRoute(scope, id, {
        metadata: { name, namespace: routeNamespace, annotations },
        spec: { parentRefs, hostnames: [hostname], rules: [{ backendRefs }] },
      });
    }
    return new HttpRoute(scope, id, {
      metadata: { name, namespace: routeNamespace, annotations },
      spec: {
        parentRefs,
        hostnames: [hostname],
        rules: [{ matches: [{ path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: pathPrefix } }], backendRefs }],
      },
    });
  }

  /** Host names routed so far. */
  public get hostnames(): string[] {
    return this.routes.map((r) => r.hostname);
  }

  private inZone(hostname: string): boolean {
    return dnsZoneOf(this.zones, hostname) !== undefined;
  }

  /** Whether a listener certificate covers `hostname`: the wildcard covers exactly one label. */
  private coveredByWildcard(hostname: string): boolean {
    if (!this.wildcardSecretName) return false;
    const suffix = `.${this.domain}`;
    return hostname.endsWith(suffix) && !hostname.slice(0, -suffix.length).includes('.');
  }

  private dnsAnnotations(id: string, hostname: string, options: RouteOptions): Record<string, string> {
    if (!this.dns) {
      if (options.cloudflareProxied !== undefined || options.dnsTtlSeconds !== undefined) {
        invalidProp(this, `route ${id}: cloudflareProxied/dnsTtlSeconds need an ExternalDns (dns prop)`);
      }
      return {};
    }
    const provider = this.dns.provider;
    const cloudflare = provider?.isCloudflare ?? false;
    if (!cloudflare && options.cloudflareProxied !== undefined) {
      invalidProp(this, `route ${id}: cloudflareProxied needs a Cloudflare ExternalDns, not ${provider ? provider.name : 'one of unknown provider (give provider in ExternalDns.fromAttributes)'}`);
    }
    const proxied = cloudflare && (options.cloudflareProxied ?? provider?.proxiedByDefault ?? false);
    const ttl = options.dnsTtlSeconds ?? (proxied ? 1 : 300);
    if (!Number.isInteger(ttl) || ttl < 1) throw new InfraFluxError(ErrorCode.INVALID_DNS_TTL, this, `route ${id}: dnsTtlSeconds ${ttl} must be a whole number >= 1`);
    if (cloudflare && ttl !== 1 && ttl < 120) throw new InfraFluxError(ErrorCode.INVALID_DNS_TTL, this, `route ${id}: Cloudflare TTL ${ttl} must be 1 (automatic) or at least 120`);
    if (proxied && ttl !== 1) throw new InfraFluxError(ErrorCode.INVALID_DNS_TTL, this, `route ${id}: proxied Cloudflare records use TTL 1 (automatic), got ${ttl}`);
    const zone = this.dns.zoneOf(hostname);
    if (proxied && zone !== undefined && labelsBelowZone(hostname, zone) > 1) {
      // Universal SSL: *.<zone> only. A proxied deeper host gets no edge certificate (TLS fails).
      invalidProp(
        this,
        `route ${id}: "${hostname}" is ${labelsBelowZone(hostname, zone)} labels below the Cloudflare zone ${zone}; Cloudflare Universal SSL covers only ${zone} and *.${zone}, so a proxied record would fail TLS. Set cloudflareProxied: false (or proxied: false on the ExternalDns)`,
      );
    }
    return {
      [`${EXTERNAL_DNS_ANNOTATION_PREFIX}/hostname`]: hostname,
      [`${EXTERNAL_DNS_ANNOTATION_PREFIX}/ttl`]: String(ttl),
      ...(cloudflare ? { [`${EXTERNAL_DNS_ANNOTATION_PREFIX}/cloudflare-proxied`]: String(proxied) } : {}),
    };
  }

  private grant(backend: ServiceReference, routeNamespace: string, kind: string): void {
    const key = `${backend.namespace}/${routeNamespace}`;
    let g = this.grants.get(key);
    if (!g) {
      const entry = { namespace: backend.namespace, services: new Set<string>(), from: new Set<string>(), fromNamespace: routeNamespace };
      g = entry;
      this.grants.set(key, entry);
      new ReferenceGrant(this.routeSet.content, `Grant-${backend.namespace}-${routeNamespace}`, {
        metadata: { name: validateDnsSubdomain(this, 'ReferenceGrant name', `from-${routeNamespace}-to-${backend.namespace}`), namespace: backend.namespace },
        spec: {
          from: Lazy.any({ produce: () => [...entry.from].sort().map((k) => ({ group: GATEWAY_GROUP, kind: k, namespace: entry.fromNamespace })) }),
          to: Lazy.any({ produce: () => [...entry.services].sort().map((name) => ({ group: '', kind: 'Service', name })) }),
        },
      });
    }
    g.services.add(backend.name);
    g.from.add(kind);
  }

  private checkInvariants(): InfraFluxError[] {
    const errors: InfraFluxError[] = [];
    for (const r of this.routes) {
      if (!this.inZone(r.hostname)) {
        errors.push(new InfraFluxError(ErrorCode.ROUTE_NOT_SERVABLE, this, `route ${r.id} hostname "${r.hostname}" lies in no managed DNS zone (${this.zones.join(', ')}); add the zone to the ExternalDns domainFilters or zones`));
      }
      const ingress = this.implementation.api === EdgeApi.INGRESS;
      if (!ingress && !r.dedicated && !this.coveredByWildcard(r.hostname)) {
        errors.push(
          new InfraFluxError(
            ErrorCode.ROUTE_NOT_SERVABLE,
            this,
            `route ${r.id} hostname "${r.hostname}" is not covered by a listener certificate (the wildcard *.${this.domain} covers one label); use a host under ${this.domain} or dedicatedCertificate: true`,
          ),
        );
      }
    }
    const listenerCount = this.listeners.length;
    if (listenerCount > 64) errors.push(new InfraFluxError(ErrorCode.ROUTE_NOT_SERVABLE, this, `Gateway has ${listenerCount} listeners; Gateway API allows 64 — use the wildcard certificate for more hosts`));
    return errors;
  }
}

/** @internal For tests: whether an object belongs to Cilium's Gateway API implementation. */
export function isCiliumGatewayObject(obj: { apiVersion?: string; kind?: string; spec?: Record<string, unknown> }): boolean {
  if (obj.apiVersion?.startsWith('cilium.io/') && obj.kind === 'CiliumGatewayClassConfig') return true;
  if (obj.kind === 'Gateway' && obj.spec?.gatewayClassName === 'cilium') return true;
  if (obj.kind === 'GatewayClass' && obj.spec?.controllerName === 'io.cilium/gateway-controller') return true;
  if (obj.kind === 'Ingress' && obj.spec?.ingressClassName === 'cilium') return true;
  return false;
}

// Layer sanity: the stack only uses the apps layer for its own objects.
export const GATEWAY_STACK_LAYER = LayerName.APPS;
