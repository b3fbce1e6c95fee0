/**
 * DNS zone arithmetic shared by ExternalDns (domain filters) and GatewayStack (managed zones,
 * Cloudflare proxying): one definition of "lies in a zone".
 */

/** Whether `hostname` is `zone` itself or lies below it (label-aligned: `ab.com` is not in `b.com`). */
export function inDnsZone(hostname: string, zone: string): boolean {
  return hostname === zone || hostname.endsWith(`.${zone}`);
}

/** The most specific of `zones` that `hostname` lies in; undefined when it lies in none. */
export function dnsZoneOf(zones: readonly string[], hostname: string): string | undefined {
  return zones.filter((z) => inDnsZone(hostname, z)).sort((a, b) => b.length - a.length)[0];
}

/** How many labels `hostname` has below `zone` (0 for the apex); `hostname` must lie in `zone`. */
export function labelsBelowZone(hostname: string, zone: string): number {
  if (hostname === zone) return 0;
  return hostname.slice(0, -(zone.length + 1)).split('.').length;
}
