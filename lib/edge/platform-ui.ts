import { HEADLAMP_CHART, OAUTH2_PROXY_CHART } from '../../imports/helm/charts';
import { HeadlampValues } from '../../imports/helm/headlamp';
import { Oauth2ProxyValues } from '../../imports/helm/oauth2-proxy';
import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { Cidr } from '../core/cidr';
import { invalidProp } from '../core/errors';
import { CEPH_DASHBOARD_SERVICE } from '../core/storage-names';
import { ChartBackedConstruct, FluxApp, IFluxApp } from '../flux/flux-app';
import { GitOpsCluster } from '../flux/gitops-cluster';
import { GatewayStack, ISsoGuard, RouteOptions } from './gateway-stack';
import { ServiceReference } from '../core/service-reference';
import { SecretReference } from '../secrets/secret-reference';

/** Keys of the Secret an oauth2-proxy of {@link OAuth2ProxySso} reads (the chart's `config.existingSecret`). */
const SSO_CREDENTIAL_KEYS = ['client-id', 'client-secret', 'cookie-secret'] as const;

export interface OAuth2ProxySsoProps {
  /**
   * OIDC issuer URL (authentik: `https://<host>/application/o/<slug>/`, Dex: its issuer).
   * @see https://oauth2-proxy.github.io/oauth2-proxy/configuration/providers/openid_connect
   */
  readonly issuerUrl: string;
  /**
   * Delivers the Secret each proxy reads (`config.existingSecret`), with the keys `client-id`,
   * `client-secret` and `cookie-secret`, in the proxy's namespace. Called once per protected UI
   * with the proxy's app, so the Secret can be created with it, e.g.
   * `(app) => ExternalSecret.forApp(app, 'Credentials', { store, targetName, data }).secretRef`,
   * or the `secretRef` of a SealedSecret in `app.namespace`. Never a value, never a bare name.
   */
  readonly credentials: (proxy: IFluxApp) => SecretReference;
  /**
   * E-mail domains allowed to log in.
   * @default ['*'] (every user the identity provider authenticates)
   */
  readonly emailDomains?: readonly string[];
  /**
   * Groups allowed (OIDC `groups` claim), emitted as `--allowed-group`. The platform UI helpers
   * (Hubble UI, Headlamp, storage UIs) refuse a guard without groups: an admin UI must not be open
   * to every account of the identity provider.
   * @default - any authenticated user (only for non-platform routes)
   * @see https://oauth2-proxy.github.io/oauth2-proxy/configuration/overview/
   */
  readonly allowedGroups?: readonly string[];
  /**
   * Source ranges of the proxies in front of oauth2-proxy (the Gateway's Envoy; with Cilium the
   * cluster's pod and node CIDRs), emitted as `--trusted-proxy-ip`. oauth2-proxy runs with
   * `--reverse-proxy`, and without this flag it trusts `X-Forwarded-*` headers from every client
   * (trust-all default kept for compatibility), which allowed the X-Forwarded-Uri auth bypass
   * GHSA-7x63-xv5r-3p2x / CVE-2026-40575. Required and never empty.
   * @see https://github.com/oauth2-proxy/oauth2-proxy/issues/3506
   */
  readonly trustedProxyCidrs: readonly Cidr[];
}

/**
 * SSO with oauth2-proxy (pinned chart 10.7.0, app 7.15.3 ≥ the 7.15.2 security floor): one proxy
 * per protected UI, in front of the UI's Service (`--upstream`), reached by the route instead of
 * the UI. The hook point for {@link GatewayStack} routes and the platform UI helpers.
 * @see https://oauth2-proxy.github.io/oauth2-proxy/
 */
export class OAuth2ProxySso implements ISsoGuard {
  /** The release and namespace of the proxy that guards the route `routeId` (e.g. `HubbleUi` → `oauth2-proxy-hubbleui`). */
  public static namespaceFor(routeId: string): string {
    return `oauth2-proxy-${routeId.toLowerCase()}`;
  }

  public readonly allowedGroups: readonly string[];
  public constructor(private readonly props: OAuth2ProxySsoProps) {
    this.allowedGroups = [...(props.allowedGroups ?? [])];
  }

  public protect(stack: GatewayStack, id: string, upstream: ServiceReference, hostname: string): ServiceReference {
    if (!/^https:\/\/[^\s]+$/.test(this.props.issuerUrl)) invalidProp(stack, `SSO issuerUrl "${this.props.issuerUrl}" must be https://`);
    const trusted = this.props.trustedProxyCidrs ?? [];
    if (trusted.length === 0) {
      invalidProp(stack, 'SSO trustedProxyCidrs is empty; give the source ranges of the gateway proxy (e.g. the pod and node CIDRs), or oauth2-proxy trusts X-Forwarded-* headers from every client');
    }
    const trustedText = trusted.map((c) => Cidr._canonical(c._parse(stack, 'SSO trustedProxyCidrs')));
    for (const g of this.allowedGroups) {
      if (g.trim() === '' || g.includes(',')) invalidProp(stack, `SSO allowedGroups entry "${g}" must be a non-empty group name without ','`);
    }
    const cluster = GitOpsCluster.of(stack);
    const name = OAuth2ProxySso.namespaceFor(id);
    const extraArgs: Record<string, string> = {
      provider: 'oidc',
      'oidc-issuer-url': this.props.issuerUrl,
      'redirect-url': `https://${hostname}/oauth2/callback`,
      'cookie-secure': 'true',
      'cookie-domain': hostname,
      'whitelist-domain': hostname,
      'reverse-proxy': 'true',
      // Comma-separated: both are string-list flags (pflag StringSlice splits on ',').
      'trusted-proxy-ip': trustedText.join(','),
      'skip-provider-button': 'true',
      ...(this.allowedGroups.length ? { 'allowed-group': this.allowedGroups.join(',') } : {}),
    };
    const app = new FluxApp<Oauth2ProxyValues>(cluster.apps, `${stack.node.id}Sso${id}`, {
      chart: OAUTH2_PROXY_CHART,
      name,
      // The metrics port (44180, on by default) gets the chart's ServiceMonitor when the cluster has a monitoring stack.
      monitoringValues: { metrics: { serviceMonitor: { enabled: true } } },
      values: {
        config: {
          emailDomains: [...(this.props.emailDomains ?? ['*'])],
          upstreams: [`http://${upstream.name}.${upstream.namespace}.svc.cluster.local:${upstream.port}`],
        },
        extraArgs,
      },
    });
    const credentials = this.props.credentials(app);
    // oauth2-proxy reads the Secret from its own namespace (the chart mounts it as env).
    for (const key of SSO_CREDENTIAL_KEYS) credentials.key(key).use(app, 'SSO credentials', app.namespace);
    app.addValues({ config: { existingSecret: credentials.name } });
    if (credentials.producer) app.addDependency(credentials.producer);
    if (upstream.deployedBy) app.addDependency(upstream.deployedBy);
    return { namespace: app.namespace, name, port: 80, deployedBy: app };
  }
}

/** The Hubble UI Service Cilium deploys (`kube-system/hubble-ui:80`). */
export const HUBBLE_UI_SERVICE: ServiceReference = { namespace: 'kube-system', name: 'hubble-ui', port: 80 };

/** Options shared by the platform UI helpers. */
export interface PlatformUiRouteOptions extends Omit<RouteOptions, 'backends' | 'sso' | 'protocol'> {
  /** SSO in front of the UI: required; exposing a platform UI without it is refused. */
  readonly sso: ISsoGuard;
}

/**
 * The SSO guard a platform UI is exposed behind: refused when absent or not restricted to identity-provider
 * groups (every platform UI uses this one check).
 */
export function requireSso(stack: GatewayStack, ui: string, sso: ISsoGuard | undefined): ISsoGuard {
  if (!sso) invalidProp(stack, `${ui} must not be exposed without SSO; pass sso (e.g. new OAuth2ProxySso(...))`);
  if (sso.allowedGroups.length === 0) {
    invalidProp(stack, `${ui} must be restricted to identity-provider groups; give the SSO guard allowedGroups (e.g. ['platform-admins'])`);
  }
  return sso;
}

/**
 * Exposes Hubble UI behind SSO. Takes any `{ namespace, name, port }` (e.g. the reference
 * CiliumNetworking exposes).
 */
export function exposeHubbleUi(stack: GatewayStack, options: PlatformUiRouteOptions & { readonly service?: ServiceReference }): ApiObject {
  const sso = requireSso(stack, 'Hubble UI', options.sso);
  return stack.exposeService('HubbleUi', options.service ?? HUBBLE_UI_SERVICE, { ...options, sso });
}

export interface HeadlampProps {
  /**
   * Keep the chart's cluster-admin binding for Headlamp's service account. Off: users act with
   * their own OIDC identity and RBAC.
   * @default false
   */
  readonly clusterAdmin?: boolean;
}

/** A Headlamp installation another construct routes to: its UI Service. */
export interface IHeadlamp extends IConstruct {
  /** The UI's Service. */
  readonly service: ServiceReference;
}

/**
 * Headlamp (pinned chart 0.45.0), the maintained successor of the retired kubernetes/dashboard,
 * without the chart's default cluster-admin binding.
 * @see https://headlamp.dev/docs/latest/installation/in-cluster/
 */
export class Headlamp extends ChartBackedConstruct<HeadlampValues> implements IHeadlamp {
  public readonly service: ServiceReference;

  public constructor(scope: Construct, id: string, props: HeadlampProps = {}) {
    super(scope, id);
    this.createApp({
      chart: HEADLAMP_CHART,
      name: 'headlamp',
      values: { clusterRoleBinding: { create: props.clusterAdmin ?? false } },
    });
    this.service = { namespace: this.namespace, name: 'headlamp', port: 80, deployedBy: this };
  }

}

/** Exposes Headlamp behind SSO. */
export function exposeHeadlamp(stack: GatewayStack, headlamp: IHeadlamp, options: PlatformUiRouteOptions): ApiObject {
  const sso = requireSso(stack, 'Headlamp', options.sso);
  return stack.exposeService('Headlamp', headlamp.service, { ...options, sso });
}

/**
 * Exposes authentik's server (the identity provider itself: its own login is the SSO, so no
 * proxy goes in front). Default Service: the pinned chart's `authentik/authentik-server:80`.
 */
export function exposeAuthentik(stack: GatewayStack, options: Omit<RouteOptions, 'backends' | 'sso' | 'protocol'> & { readonly service?: ServiceReference }): ApiObject {
  return stack.exposeService('Authentik', options.service ?? { namespace: 'authentik', name: 'authentik-server', port: 80 }, options);
}

/** Well-known storage UIs. */
export class StorageUi {
  /** Longhorn's UI (`longhorn-system/longhorn-frontend:80`). */
  public static readonly LONGHORN: ServiceReference = { namespace: 'longhorn-system', name: 'longhorn-frontend', port: 80 };
  /**
   * Rook-Ceph's mgr dashboard (`rook-ceph/rook-ceph-mgr-dashboard:7000`, plain HTTP mode): the same
   * object as `CEPH_DASHBOARD_SERVICE` (lib/core/storage-names.ts, one definition).
   */
  public static readonly CEPH_DASHBOARD: ServiceReference = CEPH_DASHBOARD_SERVICE;
}

/** Exposes a storage UI (e.g. {@link StorageUi.LONGHORN}) behind SSO. */
export function exposeStorageUi(stack: GatewayStack, service: ServiceReference, options: PlatformUiRouteOptions): ApiObject {
  const sso = requireSso(stack, 'the storage UI', options.sso);
  return stack.exposeService('StorageUi', service, { ...options, sso });
}
