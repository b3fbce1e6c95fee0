/** @internal Address and name checks shared by the Terraform constructs. */
import { isIP } from 'node:net';
import { IConstruct } from 'constructs';
import { invalidProp } from '../core/errors';

/** An IPv4 or IPv6 address, or an IPv4/IPv6 CIDR (`10.0.0.0/8`, `2001:db8::/32`). */
export function validateIpOrCidr(scope: IConstruct, what: string, value: string): string {
  const [address, prefix, ...rest] = value.split('/');
  const family = isIP(address ?? '');
  const max = family === 4 ? 32 : 128;
  const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= max);
  if (family === 0 || rest.length > 0 || !prefixOk) {
    invalidProp(scope, `${what} "${value}" is not an IP address or CIDR; use e.g. 203.0.113.7, 203.0.113.0/24 or 2001:db8::/32`);
  }
  return value;
}

/** An IPv4 address (no prefix). */
export function validateIpv4(scope: IConstruct, what: string, value: string): string {
  if (isIP(value) !== 4) invalidProp(scope, `${what} "${value}" is not an IPv4 address; use e.g. 192.168.10.21`);
  return value;
}

/** An IPv4 CIDR whose prefix is 1-32, e.g. `192.168.10.21/24` (host address with its subnet prefix). */
export function validateIpv4Cidr(scope: IConstruct, what: string, value: string): string {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(value);
  if (!m || isIP(m[1] as string) !== 4 || Number(m[2]) < 1 || Number(m[2]) > 32) {
    invalidProp(scope, `${what} "${value}" is not an IPv4 address with prefix; use e.g. 192.168.10.21/24`);
  }
  return value;
}

/** The IPv4 network an `address/prefix` (e.g. `192.168.10.21/24`) lies in, as numbers. Assumes a checked value. */
export interface Ipv4Network {
  /** The node's address. */
  readonly address: number;
  readonly prefix: number;
  /** Network address (all host bits 0). */
  readonly network: number;
  /** Broadcast address (all host bits 1). */
  readonly broadcast: number;
}

/** Parses a dotted IPv4 address (already checked with {@link validateIpv4}) to an unsigned number. */
export function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

/** Formats an unsigned number as a dotted IPv4 address. */
export function numberToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** The network of a checked `address/prefix` ({@link validateIpv4Cidr}). */
export function ipv4NetworkOf(cidr: string): Ipv4Network {
  const [host, bits] = cidr.split('/') as [string, string];
  const prefix = Number(bits);
  const address = ipv4ToNumber(host);
  const size = 2 ** (32 - prefix);
  const network = Math.floor(address / size) * size;
  return { address, prefix, network, broadcast: network + size - 1 };
}

/** One lowercase DNS label: 1-63 letters, digits and '-', not starting or ending with '-'. */
const LABEL = '[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?';
const HOSTNAME = new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})*$`);
/** A domain name: at least two labels, the last one (the TLD) letters only. */
const DOMAIN = new RegExp(`^(?=.{1,253}$)(?:${LABEL}\\.)+[a-z]{2,63}$`);
/** A Google Cloud project id: 6-30 lowercase letters, digits and '-', starting with a letter, not ending with '-'. */
const GCP_PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

/** A lowercase domain name without trailing dot (`example.com`, `aws.example.com`), e.g. a DNS zone. */
export function validateDomainName(scope: IConstruct, what: string, value: string, example = 'example.com'): string {
  if (!DOMAIN.test(value)) invalidProp(scope, `${what} "${value}" is not a domain name like ${example} (lowercase, no trailing dot)`);
  return value;
}

/**
 * A Google Cloud project id.
 * @see https://cloud.google.com/resource-manager/docs/creating-managing-projects#before_you_begin
 */
export function validateGcpProjectId(scope: IConstruct, what: string, value: string): string {
  if (!GCP_PROJECT_ID.test(value)) {
    invalidProp(scope, `${what} "${value}" is not a Google Cloud project id; use 6-30 lowercase letters, digits and '-', starting with a letter`);
  }
  return value;
}

/** A lowercase DNS hostname (`example.com`, `api.k8s.example.com`). */
export function validateHostname(scope: IConstruct, what: string, value: string): string {
  if (!HOSTNAME.test(value)) {
    invalidProp(scope, `${what} "${value}" is not a hostname; use lowercase letters, digits, '-' and '.' (e.g. api.example.com)`);
  }
  return value;
}

/** RFC 3339 UTC timestamp without fractional seconds, the format Cloudflare's token dates use. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
