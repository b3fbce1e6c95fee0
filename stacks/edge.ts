/**
 * The edge of each reference cluster: Cilium Gateway API with a wildcard certificate for
 * `*.<cluster>.<zone>` (ACME DNS-01 through Cloudflare), ExternalDNS for the Cloudflare zone
 * `dnsZone` (token by Secret reference, records DNS-only: see below), podinfo and Hubble UI
 * (behind oauth2-proxy SSO, restricted to platform admins) exposed.
 * The lead calls {@link addEdge} for every baseline from buildReferenceFleet.
 */
import { IConstruct } from 'constructs';
import { IFluxApp } from '../lib/flux/flux-app';
import { AcmeIssuer, AcmeServer, AcmeSolver } from '../lib/certs/acme-issuer';
import { Cidr } from '../lib/core/cidr';
import { invalidProp } from '../lib/core/errors';
import { ExternalDnsCloudflare } from '../lib/dns/external-dns';
import { SecretKeyReference, SecretReference } from '../lib/secrets/secret-reference';
import { inDnsZone } from '../lib/dns/zones';
import { DEFAULT_GATEWAY_NAME, GatewayStack } from '../lib/edge/gateway-stack';
import { exposeHubbleUi, HUBBLE_UI_SERVICE, OAuth2ProxySso } from '../lib/edge/platform-ui';
import { ServiceReference, serviceReference } from '../lib/core/service-reference';
import type { Baseline } from './config';

export interface EdgeOptions {
  /** The fleet's domain, e.g. `infraflux.example.com`; each cluster gets `<cluster>.<zone>`. */
  readonly zone: string;
  /**
   * The Cloudflare zone (apex) that holds `zone`, e.g. `example.com`: ExternalDNS's domain filter.
   * Cloudflare's provider drops zones whose name does not match a filter, so filtering on
   * `<cluster>.<zone>` would publish nothing (kubernetes-sigs/external-dns#4796).
   */
  readonly dnsZone: string;
  /**
   * Source ranges of the gateway proxy as oauth2-proxy sees them (`--trusted-proxy-ip`): with
   * Cilium, the cluster's pod and node CIDRs.
   */
  readonly trustedProxyCidrs: readonly Cidr[];
  /**
   * Identity-provider groups allowed into the platform UIs.
   * @default ['platform-admins']
   */
  readonly allowedGroups?: readonly string[];
  /**
   * ACME directory: staging until the fleet is proven, then production (one switch).
   * @default AcmeServer.LETSENCRYPT_STAGING
   */
  readonly acmeServer?: AcmeServer;
  /**
   * ACME account e-mail.
   * @default `platform@<zone>`
   */
  readonly acmeEmail?: string;
  /**
   * Hubble UI Service (the reference CiliumNetworking exposes one).
   * @default kube-system/hubble-ui:80
   */
  readonly hubbleUi?: ServiceReference;
  /**
   * The construct deploying Cilium (Gateway controller), when Flux deploys it.
   * @default - none
   */
  readonly ciliumController?: IConstruct;
  /** Delivers each SSO proxy's credentials Secret (stacks/external-secrets.ts: an ExternalSecret from the cluster's store). */
  readonly ssoCredentials: (proxy: IFluxApp) => SecretReference;
}

/** Name and key of the Secret (in `external-dns` and in `cert-manager`) holding a scoped Cloudflare API token. */
export const CLOUDFLARE_TOKEN = { secretName: 'cloudflare-api-token', key: 'api-token' } as const;

/**
 * The Cloudflare token Secret in `namespace`: a SealedSecret of the cluster (stacks/sealed-secrets.ts
 * seals it from the cloudflare-dns Terraform output; the consumer waits for it through `neededBy`).
 */
export function cloudflareToken(namespace: string): SecretKeyReference {
  return SecretReference.fromSealedSecret(CLOUDFLARE_TOKEN.secretName, namespace, undefined, [CLOUDFLARE_TOKEN.key]).key(CLOUDFLARE_TOKEN.key);
}

/** Adds the edge to one baseline cluster; returns its GatewayStack. */
export function addEdge(baseline: Baseline, opts: EdgeOptions): GatewayStack {
  const { cluster } = baseline;
  const domain = `${cluster.name}.${opts.zone}`;
  if (!inDnsZone(opts.zone, opts.dnsZone)) {
    invalidProp(cluster, `edge zone "${opts.zone}" does not lie in the Cloudflare zone dnsZone "${opts.dnsZone}"`);
  }
  const dns = new ExternalDnsCloudflare(cluster.controllers, 'ExternalDns', {
    apiToken: cloudflareToken('external-dns'),
    domainFilters: [opts.dnsZone],
    // Hosts are <app>.<cluster>.<zone>: deeper than Cloudflare Universal SSL's *.<dnsZone>, so a
    // proxied record would fail TLS. DNS-only records send clients to the Gateway's wildcard.
    proxied: false,
    gatewayApi: baseline.gatewayApi,
  });
  const issuer = new AcmeIssuer(cluster.configs, 'Acme', {
    certManager: baseline.certManager,
    server: opts.acmeServer ?? AcmeServer.LETSENCRYPT_STAGING,
    email: opts.acmeEmail ?? `platform@${opts.zone}`,
    solvers: [
      AcmeSolver.dns01Cloudflare({ apiToken: cloudflareToken(baseline.certManager.namespace), dnsZones: [domain] }),
      // The issuer exists before the stack: both take the Gateway's name from one constant.
      AcmeSolver.http01Gateway(GatewayStack.httpListenerOf(DEFAULT_GATEWAY_NAME)),
    ],
  });
  const edge = new GatewayStack(cluster, 'Edge', {
    gatewayApi: baseline.gatewayApi,
    issuer,
    domain,
    dns,
    name: DEFAULT_GATEWAY_NAME,
    controller: opts.ciliumController,
  });
  edge.exposeService('Podinfo', serviceReference(baseline.podinfo.service), { hostname: `podinfo.${domain}` });
  exposeHubbleUi(edge, {
    hostname: `hubble.${domain}`,
    service: opts.hubbleUi ?? HUBBLE_UI_SERVICE,
    sso: new OAuth2ProxySso({
      issuerUrl: `https://auth.${opts.zone}/application/o/hubble-${cluster.name}/`,
      credentials: opts.ssoCredentials,
      trustedProxyCidrs: opts.trustedProxyCidrs,
      allowedGroups: opts.allowedGroups ?? ['platform-admins'],
    }),
  });
  return edge;
}
