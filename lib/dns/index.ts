export * from '../secrets/secret-reference';
export * from './external-dns';
export type { AzureDnsOptions } from './providers/azure-dns';
export { type CloudDnsOptions, GcpCredentials } from './providers/cloud-dns';
export type { CloudflareDnsOptions } from './providers/cloudflare';
export { AwsCredentials, type Route53DnsOptions, Route53ZoneType } from './providers/route53';
export * from './zones';
