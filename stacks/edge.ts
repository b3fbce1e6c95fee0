/**
 * The edge of each reference cluster: Cilium Gateway API with a wildcard certificate for
 * `*.<cluster>.<zone>` (ACME DNS-01 through Cloudflare), ExternalDNS for Cloudflare (token by
 * Secret reference, records proxied), podinfo and Hubble UI (behind oauth2-proxy SSO) exposed.
 * The lead calls {@link addEdge} for every baseline from buildReferenceFleet.
 */
import { IConstruct } from 'constructs';
import { AcmeIssuer, AcmeServer, AcmeSolver } from '../lib/certs/acme-issuer';
import { ExternalDnsCloudflare } from '../lib/dns/external-dns';
import { SecretKeyReference } from '../lib/dns/secret-reference';
import { GatewayStack } from '../lib/edge/gateway-stack';
import { exposeHubbleUi, HUBBLE_UI_SERVICE, OAuth2ProxySso } from '../lib/edge/platform-ui';
import { ServiceReference, serviceReference } from '../lib/edge/service-reference';
import type { Baseline } from './fleet';

export interface EdgeOptions {
  /** The fleet's public zone, e.g. `infraflux.example.com`; each cluster gets `<cluster>.<zone>`. */
  readonly zone: string;
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
}

/** Secret (in `external-dns` and `cert-manager`) holding the scoped Cloudflare API token. */
export const CLOUDFLARE_TOKEN = SecretKeyReference.fromSecret('cloudflare-api-token', 'api-token');

/** Adds the edge to one baseline cluster; returns its GatewayStack. */
export function addEdge(baseline: Baseline, opts: EdgeOptions): GatewayStack {
  const { cluster } = baseline;
  const domain = `${cluster.name}.${opts.zone}`;
  const dns = new ExternalDnsCloudflare(cluster.controllers, 'ExternalDns', {
    apiToken: CLOUDFLARE_TOKEN,
    domainFilters: [domain],
    gatewayApi: baseline.gatewayApi,
  });
  const issuer = new AcmeIssuer(cluster.configs, 'Acme', {
    certManager: baseline.certManager,
    server: opts.acmeServer ?? AcmeServer.LETSENCRYPT_STAGING,
    email: opts.acmeEmail ?? `platform@${opts.zone}`,
    solvers: [
      AcmeSolver.dns01Cloudflare({ apiToken: CLOUDFLARE_TOKEN, dnsZones: [domain] }),
      AcmeSolver.http01Gateway({ name: 'gateway', namespace: 'gateway' }),
    ],
  });
  const edge = new GatewayStack(cluster, 'Edge', {
    gatewayApi: baseline.gatewayApi,
    issuer,
    domain,
    dns,
    controller: opts.ciliumController,
  });
  edge.exposeService('Podinfo', serviceReference(baseline.podinfo.service), { hostname: `podinfo.${domain}` });
  exposeHubbleUi(edge, {
    hostname: `hubble.${domain}`,
    service: opts.hubbleUi ?? HUBBLE_UI_SERVICE,
    sso: new OAuth2ProxySso({
      issuerUrl: `https://auth.${opts.zone}/application/o/hubble-${cluster.name}/`,
      credentialsSecretName: 'oauth2-proxy-credentials',
    }),
  });
  return edge;
}
