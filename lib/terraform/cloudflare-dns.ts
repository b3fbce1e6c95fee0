/**
 * Cloudflare DNS building blocks on the prebuilt `@cdktf/provider-cloudflare` 13.9.1 bindings
 * (cloudflare/cloudflare 5.14.0), imported by resource path, never the package root:
 * least-privilege API tokens, DNS records and a remotely managed Zero Trust tunnel.
 *
 * Schema facts relied on (../shared/upstream/terraform/NOTES.md, cloudflare.json):
 * - `cloudflare_api_token.policies[].resources` is a JSON-encoded *string* in v5;
 * - permission-group ids come from `data cloudflare_api_token_permission_groups_list` (v4's map
 *   data source is gone); filters are URL-encoded;
 * - `cloudflare_dns_record.ttl` is required in v5 (`1` = automatic), the value is `content`.
 */
import { ApiToken } from '@cdktf/provider-cloudflare/lib/api-token';
import { DataCloudflareApiTokenPermissionGroupsList } from '@cdktf/provider-cloudflare/lib/data-cloudflare-api-token-permission-groups-list';
import { DataCloudflareZeroTrustTunnelCloudflaredToken } from '@cdktf/provider-cloudflare/lib/data-cloudflare-zero-trust-tunnel-cloudflared-token';
import { DnsRecord } from '@cdktf/provider-cloudflare/lib/dns-record';
import { ZeroTrustTunnelCloudflared } from '@cdktf/provider-cloudflare/lib/zero-trust-tunnel-cloudflared';
import { ZeroTrustTunnelCloudflaredConfigA } from '@cdktf/provider-cloudflare/lib/zero-trust-tunnel-cloudflared-config';
import { TerraformOutput, TerraformStack, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { ErrorCode, InfraFluxError, invalidProp } from '../core/errors';
import { rfc3339, validateHostname, validateIpOrCidr } from './_net';

/** A Cloudflare zone that records and tokens can be scoped to. */
export interface ICloudflareZone extends IConstruct {
  /** The zone id (usually a Terraform reference to `data.cloudflare_zone`). */
  readonly zoneId: string;
  /** The zone's apex domain, e.g. `example.com`. */
  readonly zoneName: string;
}

// ---------------------------------------------------------------------------------------------
// Permission groups
// ---------------------------------------------------------------------------------------------

/** Cloudflare permission-group names (API names, not dashboard labels: "DNS Write" is "DNS:Edit"). */
export class CloudflarePermission {
  /** Zone → Zone → Read. */
  public static readonly ZONE_READ = new CloudflarePermission('Zone Read', 'com.cloudflare.api.account.zone');
  /** Zone → DNS → Edit (API name "DNS Write"). */
  public static readonly DNS_WRITE = new CloudflarePermission('DNS Write', 'com.cloudflare.api.account.zone');

  private constructor(
    /** Exact permission-group name as the API lists it. */
    public readonly name: string,
    /** Scope the group applies to. */
    public readonly scope: string,
  ) {}
}

/**
 * The permission-group lookups of one stack (one data source per permission, shared by all
 * tokens of the stack). Ids are never hard-coded: each comes from
 * `data cloudflare_api_token_permission_groups_list`, filtered by URL-encoded name and scope, and
 * Terraform's `one()` over the exact-name matches fails the plan unless exactly one group matches.
 * @see https://developers.cloudflare.com/fundamentals/api/reference/permissions/
 */
export class CloudflarePermissionGroups extends Construct {
  /** The lookup construct of `scope`'s stack, created on first use. */
  public static of(scope: IConstruct): CloudflarePermissionGroups {
    const stack = TerraformStack.of(scope);
    const existing = stack.node.tryFindChild(PERMISSION_GROUPS_ID);
    return existing instanceof CloudflarePermissionGroups ? existing : new CloudflarePermissionGroups(stack, PERMISSION_GROUPS_ID);
  }

  private readonly lookups = new Map<CloudflarePermission, DataCloudflareApiTokenPermissionGroupsList>();

  /** Terraform expression for the id of one permission group. */
  public idOf(permission: CloudflarePermission): string {
    let lookup = this.lookups.get(permission);
    if (!lookup) {
      lookup = new DataCloudflareApiTokenPermissionGroupsList(this, permission.name.toLowerCase().replace(/\W+/g, '_'), {
        name: encodeURIComponent(permission.name),
        scope: encodeURIComponent(permission.scope),
      });
      this.lookups.set(permission, lookup);
    }
    return `\${one([for g in ${lookup.fqn}.result : g.id if g.name == ${JSON.stringify(permission.name)}])}`;
  }
}
const PERMISSION_GROUPS_ID = 'cloudflare_permission_groups';

// ---------------------------------------------------------------------------------------------
// Scoped API token
// ---------------------------------------------------------------------------------------------

/** When a token may be used. Times are fixed at synth so the output stays deterministic. */
export class TokenValidity {
  /** Valid from creation until `expiresOn`. */
  public static until(expiresOn: Date): TokenValidity {
    return new TokenValidity(undefined, expiresOn);
  }

  /** Valid from `notBefore` for `days` days (a TTL anchored at a fixed start). */
  public static forDays(notBefore: Date, days: number): TokenValidity {
    if (!Number.isInteger(days) || days < 1) throw new InfraFluxError(ErrorCode.INVALID_DURATION, 'TokenValidity.forDays', `token validity of ${days} days; use a whole number of days >= 1`);
    return new TokenValidity(notBefore, new Date(notBefore.getTime() + days * 86_400_000));
  }

  private constructor(
    public readonly notBefore: Date | undefined,
    public readonly expiresOn: Date,
  ) {}
}

export interface CloudflareDnsApiTokenProps {
  /** The one zone the token may read and edit DNS records of. */
  readonly zone: ICloudflareZone;
  /**
   * Token name as shown in the Cloudflare dashboard.
   * @default - `<construct id>-<zone name>`
   */
  readonly tokenName?: string;
  /**
   * Client IPs or CIDRs the token may be used from (`condition.request_ip.in`).
   * @default - usable from any address
   * @see https://developers.cloudflare.com/fundamentals/api/how-to/restrict-tokens/
   */
  readonly allowedClientCidrs?: readonly string[];
  /**
   * Validity window (`not_before` / `expires_on`).
   * @default - no expiry
   */
  readonly validity?: TokenValidity;
  /**
   * Name of the sensitive Terraform output carrying the token value.
   * @default - `<construct id>_token` with `-` replaced by `_`
   */
  readonly outputName?: string;
}

/**
 * A user API token limited to Zone:Read + DNS:Edit on exactly one zone: what ExternalDNS and
 * cert-manager's Cloudflare DNS-01 solver need. The value exists only after `apply` and is exposed
 * only as a sensitive output (`terraform output -raw <name>`).
 * @see https://kubernetes-sigs.github.io/external-dns/latest/docs/tutorials/cloudflare/
 * @see https://cert-manager.io/docs/configuration/acme/dns01/cloudflare/
 */
export class CloudflareDnsApiToken extends Construct {
  /** The raw `cloudflare_api_token`. */
  public readonly resource: ApiToken;
  /** The sensitive output holding the token value. */
  public readonly output: TerraformOutput;
  /** Sensitive Terraform reference to the token value. */
  public readonly value: string;

  public constructor(scope: Construct, id: string, props: CloudflareDnsApiTokenProps) {
    super(scope, id);
    const zone = props.zone as ICloudflareZone | undefined;
    if (!zone || !zone.zoneId) {
      invalidProp(this, 'zone is missing; a DNS token must be scoped to exactly one Cloudflare zone (pass CloudflareZoneStack or another ICloudflareZone)');
    }
    const cidrs = (props.allowedClientCidrs ?? []).map((c, i) => validateIpOrCidr(this, `allowedClientCidrs[${i}]`, c));
    if (props.allowedClientCidrs && cidrs.length === 0) {
      invalidProp(this, 'allowedClientCidrs is empty; omit it to allow any address, or list at least one IP or CIDR');
    }
    const groups = CloudflarePermissionGroups.of(this);
    this.resource = new ApiToken(this, 'Resource', {
      name: props.tokenName ?? `${id}-${zone.zoneName}`,
      policies: [
        {
          effect: 'allow',
          permissionGroups: [{ id: groups.idOf(CloudflarePermission.ZONE_READ) }, { id: groups.idOf(CloudflarePermission.DNS_WRITE) }],
          // v5 takes a JSON-encoded string; the zone id is interpolated into the key at plan time
          resources: JSON.stringify({ [`com.cloudflare.api.account.zone.${zone.zoneId}`]: '*' }),
        },
      ],
      condition: cidrs.length > 0 ? { requestIp: { in: [...cidrs] } } : undefined,
      notBefore: props.validity?.notBefore ? rfc3339(props.validity.notBefore) : undefined,
      expiresOn: props.validity ? rfc3339(props.validity.expiresOn) : undefined,
    });
    this.value = this.resource.value;
    const outputName = props.outputName ?? `${id.replace(/-/g, '_')}_token`;
    this.output = new TerraformOutput(this, 'token', {
      value: this.value,
      sensitive: true,
      description: `Cloudflare API token (Zone:Read + DNS:Edit on ${zone.zoneName} only)`,
    });
    this.output.overrideLogicalId(outputName);
  }
}

// ---------------------------------------------------------------------------------------------
// DNS records
// ---------------------------------------------------------------------------------------------

/** What a record points at. */
export class DnsTarget {
  /** An `A` record. */
  public static ipv4(address: string): DnsTarget {
    return new DnsTarget('A', address, 'ipv4');
  }
  /** An `AAAA` record. */
  public static ipv6(address: string): DnsTarget {
    return new DnsTarget('AAAA', address, 'ipv6');
  }
  /** A `CNAME` to another hostname. */
  public static hostname(hostname: string): DnsTarget {
    return new DnsTarget('CNAME', hostname, 'hostname');
  }
  /** A `CNAME` to a Cloudflare tunnel (`<tunnel id>.cfargotunnel.com`); such records must be proxied. */
  public static tunnel(tunnel: CloudflareTunnel): DnsTarget {
    return new DnsTarget('CNAME', `${tunnel.tunnelId}.cfargotunnel.com`, 'tunnel');
  }

  private constructor(
    public readonly recordType: string,
    public readonly content: string,
    /** @internal */
    public readonly kind: 'ipv4' | 'ipv6' | 'hostname' | 'tunnel',
  ) {}
}

export interface CloudflareDnsRecordsProps {
  readonly zone: ICloudflareZone;
  /**
   * Name relative to the zone; `@` is the apex.
   * @default '@'
   */
  readonly name?: string;
  readonly target: DnsTarget;
  /**
   * Also create `*.<name>` with the same target.
   * @default false
   */
  readonly wildcard?: boolean;
  /**
   * Route through Cloudflare's proxy (orange cloud). Tunnel targets are always proxied.
   * @default false
   * @see https://developers.cloudflare.com/dns/proxy-status/
   */
  readonly proxied?: boolean;
  /**
   * TTL in seconds; `1` = automatic (required for proxied records).
   * @default 1
   */
  readonly ttlSeconds?: number;
}

/** An apex (or named) DNS record plus an optional wildcard, with the proxied flag. */
export class CloudflareDnsRecords extends Construct {
  /** The primary record. */
  public readonly resource: DnsRecord;
  /** The wildcard record, when requested. */
  public readonly wildcard?: DnsRecord;

  public constructor(scope: Construct, id: string, props: CloudflareDnsRecordsProps) {
    super(scope, id);
    const name = props.name ?? '@';
    if (name !== '@') validateHostname(this, 'name', name);
    const target = props.target;
    if (Token.isUnresolved(target.content)) {
      // a Terraform reference (variable, resource attribute): checked by the provider at plan time
    } else if (target.kind === 'ipv4' || target.kind === 'ipv6') {
      validateIpOrCidr(this, 'target', target.content);
      if (target.content.includes('/')) invalidProp(this, `target "${target.content}" is a CIDR; a record needs one address`);
    } else if (target.kind === 'hostname') {
      validateHostname(this, 'target', target.content);
    }
    const proxied = target.kind === 'tunnel' ? true : (props.proxied ?? false);
    if (target.kind === 'tunnel' && props.proxied === false) invalidProp(this, 'proxied false with a tunnel target; tunnel CNAMEs only work proxied');
    const ttl = props.ttlSeconds ?? 1;
    if (!Number.isInteger(ttl) || (ttl !== 1 && (ttl < 60 || ttl > 86400))) {
      throw new InfraFluxError(ErrorCode.INVALID_DNS_TTL, this, `ttlSeconds ${ttl}; use 1 (automatic) or 60-86400`);
    }
    if (proxied && ttl !== 1) throw new InfraFluxError(ErrorCode.INVALID_DNS_TTL, this, `ttlSeconds ${ttl} on a proxied record; proxied records use 1 (automatic)`);
    const fqdn = (n: string): string => (n === '@' ? props.zone.zoneName : `${n}.${props.zone.zoneName}`);
    const record = (rid: string, n: string): DnsRecord =>
      new DnsRecord(this, rid, {
        zoneId: props.zone.zoneId,
        name: fqdn(n),
        type: target.recordType,
        content: target.content,
        proxied,
        ttl,
        comment: 'managed by InfraFlux (CDKTF)',
      });
    this.resource = record('Resource', name);
    if (props.wildcard) this.wildcard = record('Wildcard', name === '@' ? '*' : `*.${name}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Zero Trust tunnel
// ---------------------------------------------------------------------------------------------

export interface TunnelIngressRule {
  /** Public hostname, e.g. `app.example.com`. */
  readonly hostname: string;
  /** Origin service, e.g. `https://cilium-gateway.gateway.svc:443` or `http://10.0.0.5:8080`. */
  readonly service: string;
}

export interface CloudflareTunnelProps {
  /** Cloudflare account id (not a secret; a variable reference works). */
  readonly accountId: string;
  /**
   * Tunnel name.
   * @default - the construct id
   */
  readonly tunnelName?: string;
  /**
   * Ingress rules of the remotely managed configuration; a catch-all `http_status:404` is appended.
   * @see https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/configure-tunnels/
   */
  readonly ingress: readonly TunnelIngressRule[];
  /**
   * Name of the sensitive output with the connector token (`cloudflared tunnel run --token`).
   * @default - `<construct id>_tunnel_token`
   */
  readonly outputName?: string;
}

/**
 * A remotely managed (`config_src = "cloudflare"`) Cloudflare Tunnel with its ingress rules; the
 * connector token is only a sensitive output. Point records at it with {@link DnsTarget.tunnel}.
 */
export class CloudflareTunnel extends Construct {
  public readonly resource: ZeroTrustTunnelCloudflared;
  public readonly config: ZeroTrustTunnelCloudflaredConfigA;
  /** The tunnel id (reference). */
  public readonly tunnelId: string;
  public readonly tokenOutput: TerraformOutput;

  public constructor(scope: Construct, id: string, props: CloudflareTunnelProps) {
    super(scope, id);
    if (!props.accountId) invalidProp(this, 'accountId is empty; pass the Cloudflare account id (or a variable reference)');
    if (props.ingress.length === 0) invalidProp(this, 'ingress is empty; list at least one { hostname, service } rule');
    props.ingress.forEach((rule, i) => {
      validateHostname(this, `ingress[${i}].hostname`, rule.hostname);
      if (!Token.isUnresolved(rule.service) && !/^(https?|tcp|ssh|rdp|unix|http_status):/.test(rule.service)) {
        invalidProp(this, `ingress[${i}].service "${rule.service}" is not a cloudflared service; use http(s)://host:port, tcp://, ssh://, unix: or http_status:<code>`);
      }
    });
    this.resource = new ZeroTrustTunnelCloudflared(this, 'Resource', {
      accountId: props.accountId,
      name: props.tunnelName ?? id,
      configSrc: 'cloudflare',
    });
    this.tunnelId = this.resource.id;
    this.config = new ZeroTrustTunnelCloudflaredConfigA(this, 'Config', {
      accountId: props.accountId,
      tunnelId: this.tunnelId,
      config: {
        ingress: [...props.ingress.map((r) => ({ hostname: r.hostname, service: r.service })), { service: 'http_status:404' }],
      },
    });
    const token = new DataCloudflareZeroTrustTunnelCloudflaredToken(this, 'Token', { accountId: props.accountId, tunnelId: this.tunnelId });
    this.tokenOutput = new TerraformOutput(this, 'token', {
      value: token.token,
      sensitive: true,
      description: `cloudflared connector token of tunnel ${props.tunnelName ?? id}`,
    });
    this.tokenOutput.overrideLogicalId(props.outputName ?? `${id.replace(/-/g, '_')}_tunnel_token`);
  }
}
