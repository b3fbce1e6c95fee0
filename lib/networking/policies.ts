import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { CiliumClusterwideNetworkPolicy, CiliumEgressGatewayPolicy, CiliumNetworkPolicy } from '../../imports/cilium-cilium.io';
import { invalidProp, validateDnsLabel, validateDnsSubdomain } from '../core/errors';
import { FluxApp } from '../flux/flux-app';
import { FluxManifestApp } from '../flux/manifest-app';
import { OutputFolder } from '../flux/output-folder';
import { GitOpsCluster } from '../flux/gitops-cluster';
import { Cidr, IpFamily, ipFamilyOf } from './addresses';
import type { ICiliumNetworkingInternals } from './_cilium-api';
import { LabelSelector, renderSelector } from './load-balancing';
import { requireConfigsOrLater } from './_layer-rules';

const NAMESPACE_LABEL = 'k8s:io.kubernetes.pod.namespace';
const CLUSTER_LABEL = 'io.cilium.k8s.policy.cluster';
const KUBE_DNS = { matchLabels: { [NAMESPACE_LABEL]: 'kube-system', 'k8s:k8s-app': 'kube-dns' } };
const DNS_PORTS = [{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }];

function requirePolicy(scope: Construct, cilium: ICiliumNetworkingInternals, what: string): void {
  requireConfigsOrLater(scope, what);
  if (!cilium._profile.advancedPolicy) invalidProp(scope, `${what} needs advanced policy; advancedPolicy is off on this cluster`);
}

// ---------------------------------------------------------------------------------------------
// Egress gateway

export interface EgressGatewayPolicyProps {
  readonly cilium: ICiliumNetworkingInternals;
  /** @default - the construct id */
  readonly name?: string;
  /** Namespace of the Pods whose egress is redirected. */
  readonly namespace: string;
  /** @default - every Pod of the namespace */
  readonly podSelector?: LabelSelector;
  /** External destinations routed through the gateway (IPv4). */
  readonly destinationCidrs: readonly Cidr[];
  /** @default [] */
  readonly excludedCidrs?: readonly Cidr[];
  /** The gateway node(s): labels of the nodes that SNAT the traffic. */
  readonly gatewayNodeSelector: LabelSelector;
  /**
   * Source IP on the gateway node.
   * @default - the first IPv4 address of the interface of the default route
   */
  readonly egressIp?: string;
}

/**
 * A `CiliumEgressGatewayPolicy` (`cilium.io/v2`): Pods of a namespace reach the given external
 * CIDRs through gateway nodes with a stable source IP. With ClusterMesh on, the Pod selector is
 * restricted to this cluster (`io.cilium.k8s.policy.cluster`): the gateway must be in the Pods'
 * cluster, which is how InfraFlux resolves the egress-gateway/ClusterMesh incompatibility.
 * @see https://docs.cilium.io/en/stable/network/egress-gateway/egress-gateway/
 */
export class EgressGatewayPolicy extends Construct {
  public readonly resource: ApiObject;
  public constructor(scope: Construct, id: string, props: EgressGatewayPolicyProps) {
    super(scope, id);
    requireConfigsOrLater(this, 'EgressGatewayPolicy');
    const name = validateDnsSubdomain(this, 'name', props.name ?? id);
    const cilium = props.cilium;
    if (!cilium._profile.egressGateway) invalidProp(this, 'the egress gateway is off on this cluster; set egressGateway: true (the default) on CiliumNetworking');
    validateDnsLabel(this, 'namespace', props.namespace);
    if (props.destinationCidrs.length === 0) invalidProp(this, 'no destinationCidrs; give at least one');
    for (const c of [...props.destinationCidrs, ...(props.excludedCidrs ?? [])]) {
      if (c.family !== IpFamily.IPV4) invalidProp(this, `CIDR ${c} is not IPv4; the egress gateway handles IPv4 only`);
    }
    if (props.egressIp !== undefined && ipFamilyOf(props.egressIp) !== IpFamily.IPV4) invalidProp(this, `egressIp "${props.egressIp}" is not an IPv4 address`);
    if (Object.keys(renderSelector(props.gatewayNodeSelector)).length === 0) invalidProp(this, 'gatewayNodeSelector is empty; select the dedicated gateway nodes by label');
    const pods = renderSelector(props.podSelector) as { matchLabels?: Record<string, string> };
    const matchLabels: Record<string, string> = {
      ...(pods.matchLabels ?? {}),
      'io.kubernetes.pod.namespace': props.namespace,
      ...(cilium._profile.clusterMesh ? { [CLUSTER_LABEL]: cilium.clusterName } : {}),
    };
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: CiliumEgressGatewayPolicy.GVK.apiVersion,
      kind: CiliumEgressGatewayPolicy.GVK.kind,
      metadata: { name },
      spec: {
        selectors: [{ podSelector: { ...renderSelector(props.podSelector), matchLabels } }],
        destinationCIDRs: props.destinationCidrs.map((c) => c.text),
        ...(props.excludedCidrs && props.excludedCidrs.length > 0 ? { excludedCIDRs: props.excludedCidrs.map((c) => c.text) } : {}),
        egressGateway: {
          nodeSelector: renderSelector(props.gatewayNodeSelector),
          ...(props.egressIp ? { egressIP: props.egressIp } : {}),
        },
      },
    });
    GitOpsCluster.of(this).addDependency(this, cilium);
  }
}

// ---------------------------------------------------------------------------------------------
// Zero trust

/** Where default deny applies. */
export class ZeroTrustScope {
  /** A CiliumNetworkPolicy default deny in each of these namespaces (`infraflux-default-deny-<namespace>`). */
  public static namespaces(names: readonly string[]): ZeroTrustScope {
    return new ZeroTrustScope([...names], []);
  }
  /**
   * A CiliumClusterwideNetworkPolicy default deny for every namespace except:
   * - kube-system (Cilium, CoreDNS and the control plane add-ons live there),
   * - every namespace a FluxApp of the cluster's `crds` or `controllers` layer runs in (the
   *   platform controllers, derived at synth), and
   * - `excluded`: the other namespaces whose Pods must keep unrestricted traffic (operators
   *   installed outside InfraFlux, webhooks, ...). Required, so that the choice is explicit; pass
   *   `[]` when the derived namespaces are all.
   */
  public static clusterwide(excluded: readonly string[]): ZeroTrustScope {
    if (!Array.isArray(excluded)) {
      invalidProp('ZeroTrustScope.clusterwide', 'excluded: give the namespaces to exclude besides kube-system and the platform controllers\' namespaces ([] for none)');
    }
    return new ZeroTrustScope(undefined, ['kube-system', ...excluded.filter((n) => n !== 'kube-system')]);
  }
  private constructor(
    public readonly namespaceNames: readonly string[] | undefined,
    /** Namespaces excluded explicitly (clusterwide scope), kube-system first. */
    public readonly excludedNamespaces: readonly string[],
  ) {}
}

export interface ZeroTrustProps {
  readonly cilium: ICiliumNetworkingInternals;
  /**
   * Where default deny applies.
   * @default ZeroTrustScope.clusterwide([]) (kube-system and the platform controllers' namespaces excluded)
   */
  readonly scope?: ZeroTrustScope;
  /**
   * Let the selected Pods reach the Kubernetes API server.
   * @default - true with a clusterwide scope (operators and controllers in the covered namespaces
   * watch the API), false with a namespaces scope (only Flux may, see allowFlux)
   */
  readonly allowApiServer?: boolean;
  /**
   * Let the Cilium Gateway/Ingress (the `ingress` identity) reach the selected Pods.
   * @default true
   */
  readonly allowFromGateway?: boolean;
  /**
   * Let Pods talk to Pods of their own namespace.
   * @default true
   */
  readonly allowSameNamespace?: boolean;
  /**
   * Flux (flux-system) may reach the API server, Git/Helm/OCI sources (TCP 22 and 443) and itself.
   * @default true
   */
  readonly allowFlux?: boolean;
}

/**
 * Zero-trust baseline: default deny (ingress and egress) with explicit allows for DNS (to
 * kube-dns, with DNS visibility so FQDN rules work), optionally the API server and same-namespace
 * traffic, the Gateway, and Flux. Application policies ({@link CiliumL7Policy}) add to it.
 * @see https://docs.cilium.io/en/stable/security/policy/language/
 */
export class CiliumZeroTrust extends Construct {
  public readonly policies: readonly ApiObject[];
  private readonly zeroTrustScope: ZeroTrustScope;
  public constructor(scope: Construct, id: string, props: ZeroTrustProps) {
    super(scope, id);
    requirePolicy(this, props.cilium, 'CiliumZeroTrust');
    const zt = props.scope ?? ZeroTrustScope.clusterwide([]);
    this.zeroTrustScope = zt;
    const apiServer = props.allowApiServer ?? zt.namespaceNames === undefined;
    const policies: ApiObject[] = [];
    const sameNs = props.allowSameNamespace ?? true;
    const fromGateway = props.allowFromGateway ?? true;
    const baseRules = (): { ingress: unknown[]; egress: unknown[] } => ({
      ingress: [
        ...(sameNs ? [{ fromEndpoints: [{}] }] : []),
        ...(fromGateway ? [{ fromEntities: ['ingress'] }] : []),
      ],
      egress: [
        { toEndpoints: [KUBE_DNS], toPorts: [{ ports: DNS_PORTS, rules: { dns: [{ matchPattern: '*' }] } }] },
        ...(sameNs ? [{ toEndpoints: [{}] }] : []),
        ...(apiServer ? [{ toEntities: ['kube-apiserver'] }] : []),
      ],
    });
    if (zt.namespaceNames) {
      if (zt.namespaceNames.length === 0) invalidProp(this, 'ZeroTrustScope.namespaces() got no namespaces');
      for (const ns of zt.namespaceNames) {
        validateDnsLabel(this, 'namespace', ns);
        // A namespaced policy is applied with the app that creates its namespace (never before it:
        // the dry run would fail with `namespaces "<ns>" not found`); namespaces no app of the
        // cluster creates (kube-system, ...) keep the policy in this construct's layer.
        const owner = namespaceOwner(this, ns, props.cilium);
        policies.push(
          new ApiObject(owner?.folder ?? this, owner ? `${this.node.id}-DefaultDeny-${ns}` : `DefaultDeny-${ns}`, {
            apiVersion: CiliumNetworkPolicy.GVK.apiVersion,
            kind: CiliumNetworkPolicy.GVK.kind,
            metadata: { name: `infraflux-default-deny-${ns}`, namespace: ns },
            spec: { endpointSelector: {}, enableDefaultDeny: { ingress: true, egress: true }, ...baseRules() },
          }),
        );
      }
    } else {
      for (const ns of zt.excludedNamespaces) validateDnsLabel(this, 'excluded namespace', ns);
      const excluded = Lazy.any({ produce: () => this.excludedNamespaces });
      policies.push(
        new ApiObject(this, 'DefaultDeny', {
          apiVersion: CiliumClusterwideNetworkPolicy.GVK.apiVersion,
          kind: CiliumClusterwideNetworkPolicy.GVK.kind,
          metadata: { name: 'infraflux-default-deny' },
          spec: {
            endpointSelector: { matchExpressions: [{ key: NAMESPACE_LABEL, operator: 'NotIn', values: excluded }] },
            enableDefaultDeny: { ingress: true, egress: true },
            ...baseRules(),
          },
        }),
      );
    }
    if (props.allowFlux ?? true) {
      policies.push(
        new ApiObject(this, 'AllowFlux', {
          apiVersion: CiliumNetworkPolicy.GVK.apiVersion,
          kind: CiliumNetworkPolicy.GVK.kind,
          metadata: { name: 'infraflux-allow-flux', namespace: 'flux-system' },
          spec: {
            endpointSelector: {},
            ingress: [{ fromEndpoints: [{ matchLabels: { [NAMESPACE_LABEL]: 'flux-system' } }] }],
            egress: [
              { toEndpoints: [KUBE_DNS], toPorts: [{ ports: DNS_PORTS, rules: { dns: [{ matchPattern: '*' }] } }] },
              { toEndpoints: [{ matchLabels: { [NAMESPACE_LABEL]: 'flux-system' } }] },
              { toEntities: ['kube-apiserver'] },
              { toEntities: ['world'], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }, { port: '22', protocol: 'TCP' }] }] },
            ],
          },
        }),
      );
    }
    this.policies = policies;
    GitOpsCluster.of(this).addDependency(this, props.cilium);
  }

  /**
   * Namespaces the clusterwide default deny leaves out: kube-system, the explicit ones, then (sorted)
   * those of every FluxApp in the cluster's crds and controllers layers. Empty for a namespaces scope.
   */
  public get excludedNamespaces(): readonly string[] {
    if (this.zeroTrustScope.namespaceNames) return [];
    const cluster = GitOpsCluster.of(this);
    const platform = [cluster.crds, cluster.controllers]
      .flatMap((layer) => layer.node.findAll().filter(FluxApp.isFluxApp).map((app) => app.namespace));
    const explicit = this.zeroTrustScope.excludedNamespaces;
    return [...explicit, ...[...new Set(platform)].filter((n) => !explicit.includes(n)).sort()];
  }
}

// ---------------------------------------------------------------------------------------------
// L7 rules

/** HTTP methods allowed in L7 rules. */
export enum HttpMethod {
  GET = 'GET',
  HEAD = 'HEAD',
  POST = 'POST',
  PUT = 'PUT',
  PATCH = 'PATCH',
  DELETE = 'DELETE',
  OPTIONS = 'OPTIONS',
}

/** One allowed HTTP request shape (Cilium `rules.http`). */
export interface HttpRule {
  /** @default - any method */
  readonly method?: HttpMethod;
  /** Path as an extended POSIX regex, e.g. `/api/v1/users/.*`. @default - any path */
  readonly path?: string;
  /** Headers that must be present with these values. @default {} */
  readonly headers?: Readonly<Record<string, string>>;
}

/** An ingress rule with L7 HTTP filtering (also gRPC: methods are HTTP/2 POST paths `/pkg.Service/Method`). */
export interface HttpIngressRule {
  /** Labels of the client Pods (same namespace unless a namespace label is given). */
  readonly fromLabels: Readonly<Record<string, string>>;
  /** TCP port of the server. */
  readonly port: number;
  /** Allowed requests; everything else on the port gets 403. */
  readonly rules: readonly HttpRule[];
}

/** An FQDN the selected Pods may reach. */
export interface FqdnEgressRule {
  /** Exact name (`api.example.com`) or, with `pattern`, a glob (`*.example.com`). */
  readonly name: string;
  /** @default false */
  readonly pattern?: boolean;
  /** @default [443] */
  readonly ports?: readonly number[];
}

export interface CiliumL7PolicyProps {
  readonly cilium: ICiliumNetworkingInternals;
  /** @default - the construct id */
  readonly name?: string;
  readonly namespace: string;
  /** Labels of the Pods the policy protects. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** @default [] */
  readonly httpIngress?: readonly HttpIngressRule[];
  /** @default [] */
  readonly fqdnEgress?: readonly FqdnEgressRule[];
}

/**
 * A CiliumNetworkPolicy with typed L7 rules: HTTP method/path/header allow-lists on ingress, and
 * DNS-name (FQDN) egress with the DNS visibility rule it needs, like the design's examples.
 * @see https://docs.cilium.io/en/stable/security/policy/language/#layer-7-examples
 */
export class CiliumL7Policy extends Construct {
  public readonly resource: ApiObject;
  public constructor(scope: Construct, id: string, props: CiliumL7PolicyProps) {
    super(scope, id);
    requirePolicy(this, props.cilium, 'CiliumL7Policy');
    const name = validateDnsSubdomain(this, 'name', props.name ?? id);
    validateDnsLabel(this, 'namespace', props.namespace);
    if (Object.keys(props.podLabels).length === 0) invalidProp(this, 'podLabels is empty; select the protected Pods');
    const http = props.httpIngress ?? [];
    const fqdn = props.fqdnEgress ?? [];
    if (http.length === 0 && fqdn.length === 0) invalidProp(this, 'no httpIngress or fqdnEgress rules; give at least one');
    for (const r of http) {
      if (!Number.isInteger(r.port) || r.port < 1 || r.port > 65535) invalidProp(this, `port ${r.port} is not a TCP port`);
      if (r.rules.length === 0) invalidProp(this, `HTTP rule on port ${r.port} has no requests; give at least one (e.g. { method: HttpMethod.GET })`);
      for (const h of r.rules) {
        if (h.path !== undefined) {
          if (!h.path.startsWith('/')) invalidProp(this, `path "${h.path}" must start with /`);
          try {
            new RegExp(h.path);
          } catch {
            invalidProp(this, `path "${h.path}" is not a valid regular expression`);
          }
        }
        for (const header of Object.keys(h.headers ?? {})) {
          if (!/^[A-Za-z0-9-]+$/.test(header)) invalidProp(this, `header name "${header}" is not a valid HTTP header name`);
        }
      }
    }
    for (const f of fqdn) {
      const bare = f.pattern ? f.name.replace(/\*/g, 'x') : f.name;
      validateDnsSubdomain(this, 'FQDN', bare);
      for (const p of f.ports ?? [443]) if (!Number.isInteger(p) || p < 1 || p > 65535) invalidProp(this, `port ${p} is not a TCP port`);
    }
    // Applied with the app that creates its namespace, as CiliumZeroTrust's per-namespace policies.
    const owner = namespaceOwner(this, props.namespace, props.cilium);
    this.resource = new ApiObject(owner?.folder ?? this, owner ? `${this.node.id}-Resource` : 'Resource', {
      apiVersion: CiliumNetworkPolicy.GVK.apiVersion,
      kind: CiliumNetworkPolicy.GVK.kind,
      metadata: { name, namespace: props.namespace },
      spec: {
        endpointSelector: { matchLabels: { ...props.podLabels } },
        ...(http.length > 0
          ? {
              ingress: http.map((r) => ({
                fromEndpoints: [{ matchLabels: { ...r.fromLabels } }],
                toPorts: [
                  {
                    ports: [{ port: String(r.port), protocol: 'TCP' }],
                    rules: {
                      http: r.rules.map((h) => ({
                        ...(h.method ? { method: h.method } : {}),
                        ...(h.path ? { path: h.path } : {}),
                        ...(h.headers && Object.keys(h.headers).length > 0 ? { headers: Object.entries(h.headers).map(([k, v]) => `${k}: ${v}`) } : {}),
                      })),
                    },
                  },
                ],
              })),
            }
          : {}),
        ...(fqdn.length > 0
          ? {
              egress: [
                { toEndpoints: [KUBE_DNS], toPorts: [{ ports: DNS_PORTS, rules: { dns: fqdn.map((f) => (f.pattern ? { matchPattern: f.name } : { matchName: f.name })) } }] },
                ...fqdn.map((f) => ({
                  toFQDNs: [f.pattern ? { matchPattern: f.name } : { matchName: f.name }],
                  toPorts: [{ ports: (f.ports ?? [443]).map((p) => ({ port: String(p), protocol: 'TCP' })) }],
                })),
              ],
            }
          : {}),
      },
    });
    GitOpsCluster.of(this).addDependency(this, props.cilium);
  }
}

/**
 * The app (FluxManifestApp or FluxApp) of `scope`'s cluster that creates Namespace `ns`, and its
 * output folder, or undefined when no app of the cluster does (a namespace every cluster has).
 * Records that the app needs `cilium` (the policy CRDs) first.
 */
function namespaceOwner(scope: Construct, ns: string, cilium: ICiliumNetworkingInternals): { app: Construct; folder: Construct } | undefined {
  const cluster = GitOpsCluster.of(scope);
  for (const c of cluster.node.findAll()) {
    const folder =
      c instanceof FluxManifestApp && c.namespace === ns
        ? c.content
        : c instanceof FluxApp && c.namespace === ns && c.namespaceObject && c.helmRelease
          ? OutputFolder.of(c.helmRelease)
          : undefined;
    if (folder) {
      cluster.addDependency(c, cilium);
      return { app: c, folder };
    }
  }
  return undefined;
}
