import { IConstruct } from 'constructs';
import { SecretKeyReference } from '../../secrets/secret-reference';

/** @internal What a DNS provider strategy contributes to the ExternalDNS chart values. */
export interface ProviderConfig {
  readonly name: string;
  readonly env: Array<Record<string, unknown>>;
  readonly args: string[];
  readonly volumes: Array<Record<string, unknown>>;
  readonly volumeMounts: Array<Record<string, unknown>>;
  readonly serviceAccountAnnotations: Record<string, string>;
  readonly podLabels: Record<string, string>;
  readonly secrets: SecretKeyReference[];
}

/**
 * @internal One DNS provider of ExternalDNS (one file each in this folder). `DnsProvider` in
 * ../external-dns.ts wraps a strategy; the strategies never import it back.
 */
export interface DnsProviderStrategy {
  /** `provider.name` of the chart. */
  readonly name: string;
  /** Whether records are Cloudflare-proxied unless a route says otherwise. */
  readonly proxiedByDefault: boolean;
  /** Validates the options (errors name `scope`) and returns the chart contribution. */
  config(scope: IConstruct): ProviderConfig;
}

/** @internal A contribution with nothing in it, to spread over. */
export const EMPTY_PROVIDER_CONFIG: Omit<ProviderConfig, 'name'> = { env: [], args: [], volumes: [], volumeMounts: [], serviceAccountAnnotations: {}, podLabels: {}, secrets: [] };

/** @internal An env var read from a Secret key. */
export function secretEnv(name: string, ref: SecretKeyReference): Record<string, unknown> {
  return { name, valueFrom: { secretKeyRef: ref.toSelector() } };
}
