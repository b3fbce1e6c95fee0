import { IConstruct } from 'constructs';
import { invalidProp } from '../../core/errors';
import { SecretKeyReference } from '../../secrets/secret-reference';
import { DnsProviderStrategy, EMPTY_PROVIDER_CONFIG, ProviderConfig, secretEnv } from './_strategy';

// DnsProvider (../external-dns.ts) imports this file, never the reverse.

/** Options of {@link DnsProvider.cloudflare}. */
export interface CloudflareDnsOptions {
  /**
   * Secret key holding a scoped Cloudflare API token (Zone:Read, DNS:Edit on the managed zones),
   * in the ExternalDNS namespace. Read as `CF_API_TOKEN`.
   * @see https://kubernetes-sigs.github.io/external-dns/v0.21.0/docs/tutorials/cloudflare/
   */
  readonly apiToken: SecretKeyReference;
  /**
   * Publish records proxied (orange cloud) by default; routes can override it per host. Cloudflare
   * Universal SSL covers only the zone apex and its first-level subdomains, so GatewayStack refuses
   * a proxied host deeper than one label below the zone (give the route `cloudflareProxied: false`
   * or switch this off; clients then reach the Gateway's own certificate directly).
   * @default true
   * @see https://developers.cloudflare.com/ssl/edge-certificates/universal-ssl/limitations/
   */
  readonly proxied?: boolean;
  /**
   * Records fetched per Cloudflare API page (1-5000); raise it for large zones.
   * @default 5000
   */
  readonly recordsPerPage?: number;
}

/** @internal The Cloudflare strategy of {@link DnsProvider.cloudflare}: token in `CF_API_TOKEN`. */
export function cloudflareStrategy(options: CloudflareDnsOptions): DnsProviderStrategy {
  const perPage = options.recordsPerPage ?? 5000;
  const proxied = options.proxied ?? true;
  return {
    name: 'cloudflare',
    proxiedByDefault: proxied,
    config: (scope: IConstruct): ProviderConfig => {
      options.apiToken.use(scope, 'Cloudflare API token');
      if (!Number.isInteger(perPage) || perPage < 1 || perPage > 5000) invalidProp(scope, `recordsPerPage ${perPage} must be 1-5000`);
      return {
        ...EMPTY_PROVIDER_CONFIG,
        name: 'cloudflare',
        env: [secretEnv('CF_API_TOKEN', options.apiToken)],
        args: [...(proxied ? ['--cloudflare-proxied'] : []), `--cloudflare-dns-records-per-page=${perPage}`],
        secrets: [options.apiToken],
      };
    },
  };
}
