import { Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { EXTERNAL_DNS_CHART } from '../../imports/helm/charts';
import { ExternalDnsValues } from '../../imports/helm/external-dns';
import { deepMerge } from '../core/_merge';
import { goDuration } from '../core/duration';
import { addCodedValidation, ErrorCode, InfraFluxError, invalidProp, validateDnsSubdomain } from '../core/errors';
import { GatewayApiChannel, IGatewayApiCrds } from '../gateway-api/gateway-api-crds';
import { ChartBackedConstruct } from '../flux/flux-app';
import { FluxLayer, GitOpsCluster, LayerName } from '../flux/gitops-cluster';
import { ReconcileTiming } from '../flux/kustomization';
import { AzureDnsOptions, azureDnsStrategy } from './providers/azure-dns';
import { CloudDnsOptions, cloudDnsStrategy } from './providers/cloud-dns';
import { CloudflareDnsOptions, cloudflareStrategy } from './providers/cloudflare';
import { Route53DnsOptions, route53Strategy } from './providers/route53';
import { DnsProviderStrategy, ProviderConfig } from './providers/_strategy';
import { dnsZoneOf } from './zones';

/** Annotation prefix ExternalDNS 0.21.0 reads (0.22.0 changed the default to `external-dns.kubernetes.io/`). */
export const EXTERNAL_DNS_ANNOTATION_PREFIX = 'external-dns.alpha.kubernetes.io';

/**
 * A Kubernetes resource kind ExternalDNS reads host names from (`--source`).
 * @see https://kubernetes-sigs.github.io/external-dns/v0.21.0/docs/sources/gateway-api/
 */
export class ExternalDnsSource {
  /** HTTPRoute v1 (standard channel). */
  public static readonly GATEWAY_HTTPROUTE = new ExternalDnsSource('gateway-httproute', true, false);
  /** GRPCRoute v1 (standard channel). */
  public static readonly GATEWAY_GRPCROUTE = new ExternalDnsSource('gateway-grpcroute', true, false);
  /** TLSRoute: ExternalDNS 0.21.0 reads v1alpha2, which only the experimental-channel CRD serves. */
  public static readonly GATEWAY_TLSROUTE = new ExternalDnsSource('gateway-tlsroute', true, true);
  /** TCPRoute v1alpha2: experimental channel only. */
  public static readonly GATEWAY_TCPROUTE = new ExternalDnsSource('gateway-tcproute', true, true);
  /** UDPRoute v1alpha2: experimental channel only. */
  public static readonly GATEWAY_UDPROUTE = new ExternalDnsSource('gateway-udproute', true, true);
  /** Services of type LoadBalancer (and annotated others). */
  public static readonly SERVICE = new ExternalDnsSource('service', false, false);
  /** networking.k8s.io/v1 Ingress. */
  public static readonly INGRESS = new ExternalDnsSource('ingress', false, false);
  /** DNSEndpoint custom resources (externaldns.k8s.io/v1alpha1). */
  public static readonly CRD = new ExternalDnsSource('crd', false, false);

  /** The InfraFlux default: HTTPRoute, GRPCRoute, Service, Ingress. */
  public static defaults(): ExternalDnsSource[] {
    return [ExternalDnsSource.GATEWAY_HTTPROUTE, ExternalDnsSource.GATEWAY_GRPCROUTE, ExternalDnsSource.SERVICE, ExternalDnsSource.INGRESS];
  }

  private constructor(
    /** The `--source` value. */
    public readonly name: string,
    /** Reads Gateway API objects. */
    public readonly gatewayApi: boolean,
    /** Needs the experimental-channel Gateway API CRDs. */
    public readonly experimental: boolean,
  ) {}
}

/**
 * How ExternalDNS reconciles records (`--policy`). The chart defaults to `upsert-only` (never
 * deletes); InfraFlux always sets the policy explicitly.
 * @see https://kubernetes-sigs.github.io/external-dns/v0.21.0/docs/flags/
 */
export class DnsPolicy {
  /** Create, update and delete the records it owns (TXT registry). */
  public static readonly SYNC = new DnsPolicy('sync');
  /** Create and update, never delete. */
  public static readonly UPSERT_ONLY = new DnsPolicy('upsert-only');
  /** Only create. */
  public static readonly CREATE_ONLY = new DnsPolicy('create-only');
  private constructor(public readonly value: 'sync' | 'upsert-only' | 'create-only') {}
}

/**
 * The DNS provider ExternalDNS writes to. Credentials only by reference (Secret keys, cloud
 * workload identities), never as values. Each provider's chart values come from its strategy in
 * lib/dns/providers/.
 */
export class DnsProvider {
  /** Cloudflare, token in `CF_API_TOKEN`; records proxied by default. */
  public static cloudflare(options: CloudflareDnsOptions): DnsProvider {
    return new DnsProvider(cloudflareStrategy(options));
  }

  /** AWS Route53. */
  public static route53(options: Route53DnsOptions): DnsProvider {
    return new DnsProvider(route53Strategy(options));
  }

  /** Google Cloud DNS. */
  public static googleCloudDns(options: CloudDnsOptions): DnsProvider {
    return new DnsProvider(cloudDnsStrategy(options));
  }

  /** Azure DNS. */
  public static azureDns(options: AzureDnsOptions): DnsProvider {
    return new DnsProvider(azureDnsStrategy(options));
  }

  /** `provider.name` of the chart. */
  public readonly name: string;
  /** Whether records are Cloudflare-proxied unless a route says otherwise (Cloudflare only). */
  public readonly proxiedByDefault: boolean;

  private constructor(private readonly strategy: DnsProviderStrategy) {
    this.name = strategy.name;
    this.proxiedByDefault = strategy.proxiedByDefault;
  }

  /** @internal */
  public _config(scope: IConstruct): ProviderConfig {
    return this.strategy.config(scope);
  }

  /** Whether records of this provider can be Cloudflare-proxied. */
  public get isCloudflare(): boolean {
    return this.name === 'cloudflare';
  }
}

export interface ExternalDnsProps extends ReconcileTiming {
  /** Where records are written, with credentials by reference. */
  readonly provider: DnsProvider;
  /**
   * DNS zones (domain suffixes) this instance manages (`--domain-filter`). Never empty: an
   * ExternalDNS without filters may touch every zone the credentials reach. With Cloudflare give
   * the zone apexes (`example.com`): its provider drops every zone whose name does not match a
   * filter, so a filter `dev.example.com` publishes nothing into the zone `example.com`.
   * @see https://github.com/kubernetes-sigs/external-dns/issues/4796
   */
  readonly domainFilters: readonly string[];
  /**
   * TXT registry owner id (`--txt-owner-id`): unique per cluster across the fleet, so two
   * clusters never delete each other's records.
   * @default - the cluster name
   */
  readonly ownerId?: string;
  /**
   * @default ExternalDnsSource.defaults() (gateway-httproute, gateway-grpcroute, service, ingress)
   */
  readonly sources?: readonly ExternalDnsSource[];
  /**
   * Gateway API CRDs of the cluster: required with gateway-* sources (ExternalDNS is applied after
   * they are Established); the TLS/TCP/UDP route sources require the experimental channel.
   * @default - none; then no gateway-* source is allowed
   */
  readonly gatewayApi?: IGatewayApiCrds;
  /**
   * @default DnsPolicy.SYNC
   */
  readonly policy?: DnsPolicy;
  /**
   * Prefix of the TXT ownership records (`--txt-prefix`); the `%{record_type}` placeholder keeps
   * CNAME-flattened records apart.
   * @default 'infraflux-%{record_type}-'
   */
  readonly txtPrefix?: string;
  /**
   * Reconcile interval of ExternalDNS.
   * @default Duration.minutes(1)
   */
  readonly syncInterval?: Duration;
  /**
   * Release name and namespace.
   * @default 'external-dns'
   */
  readonly name?: string;
  /**
   * Extra chart values, merged over InfraFlux's.
   * @default {}
   */
  readonly values?: ExternalDnsValues;
}

/**
 * Top-level keys of the pinned external-dns 1.21.1 values.yaml. The chart's values.schema.json has
 * `additionalProperties: true` at the root, so neither Helm nor the validation harness catches a
 * misspelt top-level key there: {@link ExternalDns} checks its values against this list, and
 * test/dns/external-dns.test.ts checks the list against the pinned values.yaml.
 */
export const EXTERNAL_DNS_VALUE_KEYS: readonly string[] = [
  'affinity',
  'annotationFilter',
  'annotationPrefix',
  'automountServiceAccountToken',
  'commonLabels',
  'deploymentAnnotations',
  'deploymentStrategy',
  'dnsConfig',
  'dnsPolicy',
  'domainFilters',
  'enableGatewayListenerSets',
  'enabled',
  'env',
  'excludeDomains',
  'extraArgs',
  'extraContainers',
  'extraVolumeMounts',
  'extraVolumes',
  'fullnameOverride',
  'gatewayNamespace',
  'global',
  'image',
  'imagePullSecrets',
  'initContainers',
  'interval',
  'labelFilter',
  'livenessProbe',
  'logFormat',
  'logLevel',
  'managedRecordTypes',
  'nameOverride',
  'namespaceOverride',
  'namespaced',
  'nodeSelector',
  'podAnnotations',
  'podLabels',
  'podSecurityContext',
  'policy',
  'priorityClassName',
  'provider',
  'rbac',
  'readinessProbe',
  'registry',
  'resources',
  'revisionHistoryLimit',
  'secretConfiguration',
  'securityContext',
  'service',
  'serviceAccount',
  'serviceMonitor',
  'shareProcessNamespace',
  'sourceNamespace',
  'sources',
  'terminationGracePeriodSeconds',
  'tolerations',
  'topologySpreadConstraints',
  'triggerLoopOnEvent',
  'txtOwnerId',
  'txtPrefix',
  'txtSuffix',
];

/**
 * Top-level chart values InfraFlux derives from validated props (provider, sources, policy, TXT
 * registry, owner, filters): `values` may not set them, or the checks on the props would be bypassed.
 */
export const EXTERNAL_DNS_OWNED_VALUE_KEYS: readonly string[] = ['provider', 'sources', 'policy', 'registry', 'txtOwnerId', 'txtPrefix', 'domainFilters'];

/** Top-level keys of `values` that the pinned chart does not know. */
export function unknownExternalDnsValueKeys(values: object): string[] {
  return Object.keys(values).filter((k) => !EXTERNAL_DNS_VALUE_KEYS.includes(k));
}

const OWNER_REGISTRY = Symbol.for('infraflux.external-dns.owners');
interface RootWithOwners {
  [OWNER_REGISTRY]?: ExternalDns[];
}

/** An ExternalDNS instance as routes and gateways see it: the zones it manages and the sources it reads. */
export interface IExternalDns extends IConstruct {
  /** Zones this instance manages. */
  readonly domainFilters: readonly string[];
  /** The sources it reads (`--source`). */
  readonly sources: readonly ExternalDnsSource[];
  /**
   * The DNS provider it writes to (what decides, e.g., whether records can be Cloudflare-proxied).
   * Undefined for an imported ExternalDNS whose provider was not given.
   */
  readonly provider?: DnsProvider;
  /** Whether `hostname` lies in one of the managed zones. */
  manages(hostname: string): boolean;
  /** The most specific managed zone `hostname` lies in; undefined when none. */
  zoneOf(hostname: string): string | undefined;
  /** Whether this instance reads `source` (`--source`). */
  reads(source: ExternalDnsSource): boolean;
}

/** What an existing ExternalDNS (one this tree does not install) manages and reads. */
export interface ExternalDnsAttributes {
  /** Zones it manages (its `--domain-filter`s). */
  readonly domainFilters: readonly string[];
  /**
   * The sources it reads.
   * @default ExternalDnsSource.defaults()
   */
  readonly sources?: readonly ExternalDnsSource[];
  /**
   * The DNS provider it writes to; gateways need it for Cloudflare-proxied records.
   * @default - unknown: routes may not ask for Cloudflare proxying
   */
  readonly provider?: DnsProvider;
}

/**
 * ExternalDNS (pinned chart external-dns 1.21.1, app 0.21.0) for one DNS provider: TXT registry
 * with a fleet-unique owner id, `policy: sync` set explicitly, non-empty domain filters, Gateway
 * API route sources, credentials by reference. Create it in the `controllers` layer.
 * @see https://kubernetes-sigs.github.io/external-dns/v0.21.0/
 */
export class ExternalDns extends ChartBackedConstruct<ExternalDnsValues> implements IExternalDns {
  /** Zones this instance manages. */
  public readonly domainFilters: readonly string[];
  public readonly ownerId: string;
  public readonly provider: DnsProvider;
  public readonly sources: readonly ExternalDnsSource[];
  public readonly policy: DnsPolicy;
  /**
   * An ExternalDNS this tree does not install (e.g. run by the platform team): gateways check
   * routes against its zones and sources, and what depends on it waits for nothing.
   */
  public static fromAttributes(scope: Construct, id: string, attributes: ExternalDnsAttributes): IExternalDns {
    return new ImportedExternalDns(scope, id, attributes);
  }


  /** The chart's ServiceMonitor (`serviceMonitor.enabled`) when the cluster has a monitoring stack. */
  protected monitoringValues(): ExternalDnsValues {
    return { serviceMonitor: { enabled: true } };
  }

  public constructor(scope: Construct, id: string, props: ExternalDnsProps) {
    super(scope, id);
    const cluster = GitOpsCluster.of(this);
    const sources = props.sources ?? ExternalDnsSource.defaults();
    const policy = props.policy ?? DnsPolicy.SYNC;
    const ownerId = props.ownerId ?? cluster.name;
    const domainFilters = [...props.domainFilters];
    if (FluxLayer.tryOf(this)?.layerName !== LayerName.CONTROLLERS) {
      throw new InfraFluxError(ErrorCode.WRONG_LAYER, this, 'ExternalDns must be created in the controllers layer (cluster.controllers)');
    }
    if (domainFilters.length === 0) invalidProp(this, 'domainFilters is empty; give the zones this ExternalDNS manages, e.g. ["example.com"]');
    for (const d of domainFilters) validateDnsSubdomain(this, 'domainFilter', d);
    if (!/^[a-z0-9]([-a-z0-9._]{0,61}[a-z0-9])?$/.test(ownerId)) invalidProp(this, `ownerId "${ownerId}" must be 1-63 lowercase letters, digits, '-', '_' or '.'`);
    if (sources.length === 0) invalidProp(this, 'sources is empty; give at least one, e.g. ExternalDnsSource.GATEWAY_HTTPROUTE');
    const names = sources.map((s) => s.name);
    if (new Set(names).size !== names.length) invalidProp(this, `sources ${names.join(', ')} contain duplicates`);
    for (const s of sources) {
      if (s.gatewayApi && !props.gatewayApi) invalidProp(this, `source ${s.name} needs the Gateway API CRDs; pass gatewayApi`);
      if (s.experimental && props.gatewayApi?.channel !== GatewayApiChannel.EXPERIMENTAL) {
        invalidProp(this, `source ${s.name} reads v1alpha2 routes, which only the experimental Gateway API CRDs serve; use GatewayApiChannel.EXPERIMENTAL or drop the source`);
      }
    }
    const interval = props.syncInterval ?? Duration.minutes(1);
    // toMilliseconds, not toSeconds: cdk8s throws a plain Error for a fraction of a second; goDuration reports it below.
    const intervalSeconds = interval.toMilliseconds() / 1000;
    if (intervalSeconds < 30) throw new InfraFluxError(ErrorCode.INVALID_DURATION, this, `syncInterval ${intervalSeconds}s is too short; DNS provider APIs rate-limit, use at least 30s`);
    const cfg = props.provider._config(this);
    // The controller's Pod reads its credentials from its own namespace.
    for (const secret of cfg.secrets) secret.use(this, 'DNS provider credential', props.name ?? 'external-dns');
    const values: ExternalDnsValues = {
      provider: { name: cfg.name },
      sources: names,
      policy: policy.value,
      registry: 'txt',
      txtOwnerId: ownerId,
      txtPrefix: props.txtPrefix ?? 'infraflux-%{record_type}-',
      domainFilters,
      interval: goDuration(interval, this),
      triggerLoopOnEvent: true,
      logFormat: 'json',
      env: cfg.env,
      extraArgs: cfg.args,
      ...(cfg.volumes.length ? { extraVolumes: cfg.volumes, extraVolumeMounts: cfg.volumeMounts } : {}),
      ...(Object.keys(cfg.serviceAccountAnnotations).length ? { serviceAccount: { annotations: cfg.serviceAccountAnnotations } } : {}),
      ...(Object.keys(cfg.podLabels).length ? { podLabels: cfg.podLabels } : {}),
    };
    const owned = Object.keys(props.values ?? {}).filter((k) => EXTERNAL_DNS_OWNED_VALUE_KEYS.includes(k));
    if (owned.length) {
      throw new InfraFluxError(ErrorCode.INVALID_CHART_VALUES, this, `values key(s) ${owned.join(', ')} are set by InfraFlux from validated props; use the props (provider, sources, policy, ownerId, txtPrefix, domainFilters) instead`);
    }
    const unknown = unknownExternalDnsValueKeys(deepMerge(values, props.values));
    if (unknown.length) throw new InfraFluxError(ErrorCode.INVALID_CHART_VALUES, this, `values key(s) ${unknown.join(', ')} do not exist in external-dns ${EXTERNAL_DNS_CHART.version}; the chart schema allows any top-level key, so a typo would be silently ignored`);
    const name = props.name ?? 'external-dns';
    this.createApp({ ...props, chart: EXTERNAL_DNS_CHART, name, namespace: name, values: deepMerge(values, props.values) });
    this.domainFilters = domainFilters;
    this.ownerId = ownerId;
    this.provider = props.provider;
    this.sources = sources;
    this.policy = policy;
    if (props.gatewayApi) this.addDependency(props.gatewayApi);

    const root = this.node.root as unknown as RootWithOwners;
    let all = root[OWNER_REGISTRY];
    if (!all) {
      const created: ExternalDns[] = [];
      root[OWNER_REGISTRY] = created;
      all = created;
      addCodedValidation(this.node.root, () => duplicateOwners(created));
    }
    all.push(this);
  }


  /** Whether `hostname` lies in one of the managed zones. */
  public manages(hostname: string): boolean {
    return this.zoneOf(hostname) !== undefined;
  }

  /** The most specific managed zone (domain filter) `hostname` lies in; undefined when none. */
  public zoneOf(hostname: string): string | undefined {
    return dnsZoneOf(this.domainFilters, hostname);
  }

  /** Whether this instance reads `source` (`--source`). */
  public reads(source: ExternalDnsSource): boolean {
    return this.sources.includes(source);
  }
}

class ImportedExternalDns extends Construct implements IExternalDns {
  /** Read by the dependency resolution: nothing in this tree deploys it. */
  public readonly installedElsewhere = true;
  public readonly domainFilters: readonly string[];
  public readonly sources: readonly ExternalDnsSource[];
  public readonly provider?: DnsProvider;

  public constructor(scope: Construct, id: string, attributes: ExternalDnsAttributes) {
    super(scope, id);
    if (attributes.domainFilters.length === 0) invalidProp(this, 'domainFilters is empty; give the zones the existing ExternalDNS manages');
    for (const d of attributes.domainFilters) validateDnsSubdomain(this, 'domainFilter', d);
    this.domainFilters = [...attributes.domainFilters];
    this.sources = [...(attributes.sources ?? ExternalDnsSource.defaults())];
    this.provider = attributes.provider;
  }

  public manages(hostname: string): boolean {
    return this.zoneOf(hostname) !== undefined;
  }

  public zoneOf(hostname: string): string | undefined {
    return dnsZoneOf(this.domainFilters, hostname);
  }

  public reads(source: ExternalDnsSource): boolean {
    return this.sources.includes(source);
  }
}

function duplicateOwners(all: readonly ExternalDns[]): InfraFluxError[] {
  const seen = new Map<string, ExternalDns>();
  const errors: InfraFluxError[] = [];
  for (const e of all) {
    const key = `${e.ownerId}`;
    const other = seen.get(key);
    if (other) {
      errors.push(
        new InfraFluxError(
          ErrorCode.DUPLICATE,
          e,
          `ExternalDNS owner id "${e.ownerId}" is already used by ${other.node.path}; each cluster needs its own TXT owner id or the two delete each other's records`,
        ),
      );
    } else seen.set(key, e);
  }
  return errors;
}

export interface ExternalDnsCloudflareProps extends Omit<ExternalDnsProps, 'provider'>, CloudflareDnsOptions {}

/**
 * ExternalDNS for Cloudflare (the design's `ExternalDnsCloudflare`): token by Secret reference,
 * records proxied by default.
 */
export class ExternalDnsCloudflare extends ExternalDns {
  public constructor(scope: Construct, id: string, props: ExternalDnsCloudflareProps) {
    super(scope, id, { ...props, provider: DnsProvider.cloudflare(props) });
  }
}
